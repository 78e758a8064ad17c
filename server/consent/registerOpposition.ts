// The organisation's opposition register: once opposed, a patient is never called again by any
// campaign of the organisation (a trigger sets Patient.optOut, which the dialer reads).
import type pg from "pg";

export interface OppositionEntry {
  organisationId: string;
  patientId: string;
  source: "call" | "import" | "coordinator";
  recordedById?: string | null;
  attemptId?: string | null;
  importId?: string | null;
  comment?: string | null;
}

/**
 * The register's insert, idempotent (a patient already on it keeps their first entry), its values given
 * as SQL expressions: registerOpposition's parameters, or recordOutcome's statement with a guard (`when`).
 */
export const oppositionInsertSql = (v: { patient: string; organisation: string; source: string; recordedBy: string; attempt: string; importId: string; comment: string; when?: string }) =>
  `INSERT INTO "Opposition" ("patientId", "organisationId", "source", "recordedById", "attemptId", "importId", "comment")
     SELECT p."id", p."organisationId", ${v.source}, ${v.recordedBy}, ${v.attempt}, ${v.importId}, ${v.comment} FROM "Patient" p
     WHERE p."id" = ${v.patient} AND p."organisationId" = ${v.organisation}${v.when ? ` AND ${v.when}` : ""}
     ON CONFLICT ("patientId") DO NOTHING`;

const REGISTER_SQL = oppositionInsertSql({ patient: "$1", organisation: "$2", source: "$3", recordedBy: "$4", attempt: "$5", importId: "$6", comment: "$7" });

/** Idempotent: a patient already on the register keeps their first entry. Returns true when added. */
export async function registerOpposition(client: pg.PoolClient, entry: OppositionEntry): Promise<boolean> {
  const { rowCount } = await client.query(REGISTER_SQL,
    [entry.patientId, entry.organisationId, entry.source, entry.recordedById ?? null, entry.attemptId ?? null, entry.importId ?? null, entry.comment ?? null],
  );
  return Boolean(rowCount);
}
