// Finds the patient a right-of-access or erasure request is about: by identifier, fund identifier,
// or name (every word starts a word of the last, birth or first name, accents and case ignored: « GARCIA Jean »), with
// an optional birth date; the same name matching as the campaign's search (searchCampaignPatients).
// Every identity shown is written to the audit log (rule 7).
import type pg from "pg";
import { writeIdentityReads } from "../audit/writeIdentityReads.ts";
import { everyWordSql } from "../imports/parsing/foldNameSql.ts";
import { normaliseName } from "../imports/parsing/normaliseName.ts";

export interface PatientMatch {
  id: string;
  externalId: string | null;
  lastName: string;
  birthName: string | null;
  firstName: string | null;
  birthDate: string;
  inseeCode: string | null;
  communeName: string | null;
  erasedAt: Date | null;
  campaigns: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findPatients(client: pg.Pool | pg.PoolClient, reader: { organisationId: string; userId: string; ip?: string | null }, search: { q: string; birthDate?: string }): Promise<PatientMatch[]> {
  const q = search.q.trim();
  const { rows } = await client.query<PatientMatch>(
    `SELECT p."id", p."externalId", p."lastName", p."birthName", p."firstName", to_char(p."birthDate", 'YYYY-MM-DD') AS "birthDate", p."inseeCode", (SELECT c."name" FROM "Commune" c WHERE c."inseeCode" = p."inseeCode") AS "communeName", p."erasedAt",
            (SELECT count(*)::int FROM "Enrolment" e WHERE e."patientId" = p."id") AS campaigns
     FROM "Patient" p
     WHERE p."organisationId" = $1
       AND (($2::uuid IS NOT NULL AND p."id" = $2) OR p."externalId" = $3
            OR (cardinality($4::text[]) > 0 AND ${everyWordSql(['p."lastName"', 'p."birthName"', 'p."firstName"'], "$4")}))
       AND ($5::date IS NULL OR p."birthDate" = $5)
     ORDER BY p."lastName", p."firstName", p."id" LIMIT 20`,
    [reader.organisationId, UUID.test(q) ? q : null, q, normaliseName(q).split(" ").filter(Boolean), search.birthDate ?? null],
  );
  await writeIdentityReads(client, { organisationId: reader.organisationId, actorUserId: reader.userId, ip: reader.ip, via: "privacy_search" }, rows.map((r) => r.id));
  return rows;
}
