// A coordinator finds a patient of a campaign by name (last, birth or first name, accents and
// hyphens ignored) to ask why they are not called. Identities shown are written to the audit log.
import type pg from "pg";
import { writeIdentityReads } from "../audit/writeIdentityReads.ts";
import { normaliseName, PARTICLES } from "../imports/parsing/normaliseName.ts";

export const SEARCH_LIMIT = 20;
const ACCENTED = "àâäáãåéèêëíìîïóòôöõúùûüçñÿÀÂÄÁÃÅÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÇÑŸ";
const PLAIN = "AAAAAAEEEEIIIIOOOOOUUUUCNYAAAAAAEEEEIIIIOOOOOUUUUCNY";
// The name folded in SQL as normaliseName folds the query (ligatures, accents, apostrophes dropped, particles glued:
// « D’ARTAGNAN » is DARTAGNAN, « CŒUR » is COEUR), followed by its plain words, so that « artagnan » finds it too.
const upperPlain = (column: string) =>
  `translate(replace(replace(replace(upper(coalesce(${column}, '')), 'Œ', 'OE'), 'Æ', 'AE'), 'ß', 'SS'), '${ACCENTED}', '${PLAIN}')`;
const folded = (column: string) => {
  const glued = `regexp_replace(regexp_replace(regexp_replace(${upperPlain(column)}, '[''’‘\`´]', '', 'g'), '[^A-Z0-9]+', ' ', 'g'),
    '\\m(${[...PARTICLES].join("|")}) (?=[A-Z0-9])', '\\1', 'g')`;
  return `${glued} || ' ' || regexp_replace(${upperPlain(column)}, '[^A-Z0-9]+', ' ', 'g')`;
};

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
  const name = `${folded('p."lastName"')} || ' ' || ${folded('p."birthName"')} || ' ' || ${folded('p."firstName"')}`;
  const { rows } = await client.query<PatientMatch>(
    `SELECT e."id" AS "enrolmentId", p."id" AS "patientId", p."lastName", p."birthName", p."firstName", to_char(p."birthDate", 'YYYY-MM-DD') AS "birthDate", e."priorityLabel"
     FROM "Enrolment" e JOIN "Campaign" c ON c."id" = e."campaignId" JOIN "Patient" p ON p."id" = e."patientId"
     WHERE e."campaignId" = $1 AND c."organisationId" = $2
       AND (SELECT bool_and(' ' || ${name} || ' ' LIKE '% ' || w || '%') FROM unnest($3::text[]) AS w)
     ORDER BY p."lastName", p."firstName", p."birthDate" LIMIT ${SEARCH_LIMIT}`,
    [scope.campaignId, scope.organisationId, words],
  );
  await writeIdentityReads(client, { organisationId: scope.organisationId, actorUserId: audit.actorUserId, ip: audit.ip, via: "why_not_called_search", context: { campaignId: scope.campaignId } },
    rows.map((r) => r.patientId));
  return rows;
}
