// The declarations file of one batch, for the fund: French Excel CSV (";", BOM), dates dd/mm/yyyy,
// streamed page by page. Re-downloadable: it lists the batch whatever the fund answered since. Each identity written
// out is logged for its patient, page by page (rule 7), like every other export of identities.
import type { Writable } from "node:stream";
import { organisationZoneSql } from "../organisations/timeZone.ts";
import type pg from "pg";
import { endCsv, frenchCsv, writeRecord } from "../imports/frenchCsv.ts";
import { writeIdentityReads } from "../audit/writeIdentityReads.ts";
import { shownBirthDateSql } from "../privacy/erasePatients.ts";

const PAGE = 2000;

export const DECLARATION_FILE_COLUMNS = [
  "identifiant_patient", "rpps_medecin", "date_orientation", "reference_consentement", "reference_declaration", "nom", "prenom", "date_naissance",
];

/** Declarations in the batch of this organisation (0: no such batch here). */
export async function countBatch(client: pg.PoolClient | pg.Pool, organisationId: string, batchId: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "Declaration" WHERE "organisationId" = $1 AND "batchId" = $2`, [organisationId, batchId]);
  return Number(rows[0].n);
}

export async function writeDeclarationFile(client: pg.PoolClient | pg.Pool, organisationId: string, batchId: string, out: Writable, reader: { userId: string; ip?: string | null }): Promise<void> {
  // read by the fund's software: exact values (no ="…" around the RPPS and identifiers, frenchCsv)
  const csv = frenchCsv(out, DECLARATION_FILE_COLUMNS, { readBy: "software" });
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const { rows } = await client.query(
      `SELECT d."id", d."gpRpps", d."consentId", p."id" AS "patientId", p."externalId", p."lastName", p."firstName", ${shownBirthDateSql("p", "DD/MM/YYYY")} AS "birthDate",
              to_char(COALESCE(o."answeredAt", o."reservedAt") AT TIME ZONE ${organisationZoneSql("$1::uuid")}, 'DD/MM/YYYY') AS "orientedOn"
       FROM "Declaration" d JOIN "Orientation" o ON o."id" = d."orientationId" JOIN "Patient" p ON p."id" = o."patientId"
       WHERE d."organisationId" = $1 AND d."batchId" = $2 AND d."id" > $3
       ORDER BY d."id" LIMIT ${PAGE}`,
      [organisationId, batchId, after],
    );
    await writeIdentityReads(client, { organisationId, actorUserId: reader.userId, ip: reader.ip, via: "declaration_file", context: { batchId } }, rows.map((r) => r.patientId));
    for (const r of rows) await writeRecord(csv, [r.externalId, r.gpRpps, r.orientedOn, r.consentId, r.id, r.lastName, r.firstName, r.birthDate]);
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1].id;
  }
  await endCsv(csv);
}
