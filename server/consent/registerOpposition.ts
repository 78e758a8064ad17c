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

/** Idempotent: a patient already on the register keeps their first entry. Returns true when added. */
export async function registerOpposition(client: pg.PoolClient, entry: OppositionEntry): Promise<boolean> {
  const { rowCount } = await client.query(
    `INSERT INTO "Opposition" ("patientId", "organisationId", "source", "recordedById", "attemptId", "importId", "comment")
     SELECT p."id", p."organisationId", $3, $4, $5, $6, $7 FROM "Patient" p WHERE p."id" = $1 AND p."organisationId" = $2
     ON CONFLICT ("patientId") DO NOTHING`,
    [entry.patientId, entry.organisationId, entry.source, entry.recordedById ?? null, entry.attemptId ?? null, entry.importId ?? null, entry.comment ?? null],
  );
  return Boolean(rowCount);
}
