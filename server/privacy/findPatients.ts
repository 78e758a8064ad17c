// Finds the patient a right-of-access or erasure request is about: by identifier, fund identifier,
// or name (start of the last or birth name, accents and case ignored) with an optional birth date.
// Every identity shown is written to the audit log (rule 7).
import type pg from "pg";
import { writeIdentityReads } from "../audit/writeIdentityReads.ts";

export interface PatientMatch {
  id: string;
  externalId: string | null;
  lastName: string;
  birthName: string | null;
  firstName: string | null;
  birthDate: string;
  inseeCode: string | null;
  erasedAt: Date | null;
  campaigns: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findPatients(client: pg.Pool | pg.PoolClient, reader: { organisationId: string; userId: string; ip?: string | null }, search: { q: string; birthDate?: string }): Promise<PatientMatch[]> {
  const q = search.q.trim();
  const { rows } = await client.query<PatientMatch>(
    `SELECT p."id", p."externalId", p."lastName", p."birthName", p."firstName", to_char(p."birthDate", 'YYYY-MM-DD') AS "birthDate", p."inseeCode", p."erasedAt",
            (SELECT count(*)::int FROM "Enrolment" e WHERE e."patientId" = p."id") AS campaigns
     FROM "Patient" p
     WHERE p."organisationId" = $1
       AND (($2::uuid IS NOT NULL AND p."id" = $2) OR p."externalId" = $3
            OR upper(translate(p."lastName", 'éèêëàâäîïôöùûüçÉÈÊËÀÂÄÎÏÔÖÙÛÜÇ', 'eeeeaaaiioouuucEEEEAAAIIOOUUUC')) LIKE upper(translate($4, 'éèêëàâäîïôöùûüçÉÈÊËÀÂÄÎÏÔÖÙÛÜÇ', 'eeeeaaaiioouuucEEEEAAAIIOOUUUC')) || '%'
            OR upper(translate(COALESCE(p."birthName", ''), 'éèêëàâäîïôöùûüçÉÈÊËÀÂÄÎÏÔÖÙÛÜÇ', 'eeeeaaaiioouuucEEEEAAAIIOOUUUC')) LIKE upper(translate($4, 'éèêëàâäîïôöùûüçÉÈÊËÀÂÄÎÏÔÖÙÛÜÇ', 'eeeeaaaiioouuucEEEEAAAIIOOUUUC')) || '%')
       AND ($5::date IS NULL OR p."birthDate" = $5)
     ORDER BY p."lastName", p."firstName", p."id" LIMIT 20`,
    [reader.organisationId, UUID.test(q) ? q : null, q, q.replace(/[%_\\]/g, ""), search.birthDate ?? null],
  );
  await writeIdentityReads(client, { organisationId: reader.organisationId, actorUserId: reader.userId, ip: reader.ip, via: "privacy_search" }, rows.map((r) => r.id));
  return rows;
}
