// A coordinator finds a patient of a campaign by name (last, birth or first name, accents and
// hyphens ignored) to ask why they are not called. Identities shown are written to the audit log.
import type pg from "pg";
import { writeIdentityReads } from "../audit/writeIdentityReads.ts";
import { everyWordSql } from "../imports/parsing/foldNameSql.ts";
import { normaliseName } from "../imports/parsing/normaliseName.ts";

export const SEARCH_LIMIT = 20;

export interface PatientMatch {
  enrolmentId: string;
  patientId: string;
  lastName: string;
  birthName: string | null;
  firstName: string | null;
  birthDate: string;
  priorityLabel: string;
}

export async function searchCampaignPatients(
  client: pg.PoolClient | pg.Pool,
  scope: { organisationId: string; campaignId: string },
  query: string,
  audit: { actorUserId: string; ip?: string | null },
): Promise<PatientMatch[]> {
  const words = normaliseName(query).split(" ").filter(Boolean);
  if (!words.length) return [];
  const { rows } = await client.query<PatientMatch>(
    `SELECT e."id" AS "enrolmentId", p."id" AS "patientId", p."lastName", p."birthName", p."firstName", to_char(p."birthDate", 'YYYY-MM-DD') AS "birthDate", e."priorityLabel"
     FROM "Enrolment" e JOIN "Campaign" c ON c."id" = e."campaignId" JOIN "Patient" p ON p."id" = e."patientId"
     WHERE e."campaignId" = $1 AND c."organisationId" = $2
       AND ${everyWordSql(['p."lastName"', 'p."birthName"', 'p."firstName"'], "$3")}
     ORDER BY p."lastName", p."firstName", p."birthDate" LIMIT ${SEARCH_LIMIT}`,
    [scope.campaignId, scope.organisationId, words],
  );
  await writeIdentityReads(client, { organisationId: scope.organisationId, actorUserId: audit.actorUserId, ip: audit.ip, via: "why_not_called_search", context: { campaignId: scope.campaignId } },
    rows.map((r) => r.patientId));
  return rows;
}
