// Erasure of identities (retention or the patient's request), in the caller's transaction. The
// Patient row is pseudonymised, not deleted: the consent log (append-only, ON DELETE RESTRICT) and
// the audit log must keep pointing at it, and the aggregates (funnel, communes, before/after) keep
// their counts. See docs/decisions/006-retention.md.
//   cleared: names, fund identifier, NIR hash, phones, address, postal code, the GP relation, the
//            listing rows (PatientSource) and their import remarks, the phones of the call attempts and their comments, the
//            comment of the opposition (an uploaded file is deleted when its import ends: runImport)
//   kept:    ids, birth date reduced to 1 January of its year, sex, commune, ALD/CSS/MT/opposition flags,
//            enrolments, attempts and their outcomes, orientations, declarations, consents, audit entries
// An opposed patient keeps a NIR merge key (a keyed hash, not the NIR): the opposition register must
// still recognise them in a later listing. Anyone else sent again later comes in as a new person.
import type pg from "pg";
import { AppError } from "../errors.ts";
import { cancelReservations } from "../matching/cancelReservations.ts";

export const ERASED_NAME = "[identité effacée]";

/** SQL: the birth date of the patient `p` (an alias) as `format` (to_char), none once erased: what is kept of it then
 * (1 January of its year, for the aggregates) is not the patient's date, and no export may show it as one. */
export const shownBirthDateSql = (p: string, format: string) => `CASE WHEN ${p}."erasedAt" IS NULL THEN to_char(${p}."birthDate", '${format}') END`;

export interface Erasure {
  organisationId: string;
  reason: "retention" | "request";
  actorUserId?: string | null;
  actorLabel?: string | null;
  ip?: string | null;
  /** Why, in the coordinator's words (a request), or the retention setting. */
  note?: string | null;
}

/** Returns the ids actually erased (already erased ones are skipped: safe to run twice). */
export async function erasePatients(client: pg.PoolClient, patientIds: readonly string[], erasure: Erasure): Promise<string[]> {
  if (!patientIds.length) return [];
  const { rows: locked } = await client.query<{ id: string; held: boolean }>(
    `SELECT p."id", EXISTS (SELECT 1 FROM "Enrolment" e WHERE e."patientId" = p."id" AND e."dialState" = 'held') AS held
     FROM "Patient" p WHERE p."id" = ANY($1::uuid[]) AND p."organisationId" = $2 AND p."erasedAt" IS NULL
     ORDER BY p."id" FOR UPDATE OF p`,
    [patientIds, erasure.organisationId],
  );
  // A patient an agent holds right now: a request waits for the call to end; retention leaves them for its next run.
  if (erasure.reason === "request" && locked.some((p) => p.held)) {
    throw new AppError("patient_held", 409, "Un agent est en train de traiter ce patient : réessayez après son appel.");
  }
  const ids = locked.filter((p) => !p.held).map((p) => p.id);
  if (!ids.length) return [];

  // A reservation waiting for a GP's answer cannot go on without an identity: it ends and frees its place.
  await cancelReservations(client, ids, "identité du patient effacée");
  await client.query(
    `DELETE FROM "ImportRemark" r USING "PatientSource" s WHERE s."patientId" = ANY($1::uuid[]) AND r."importId" = s."importId" AND r."line" = s."line"`,
    [ids],
  );
  await client.query(`DELETE FROM "PatientSource" WHERE "patientId" = ANY($1::uuid[])`, [ids]);
  await client.query(
    `UPDATE "CallAttempt" a SET "phone" = '', "comment" = NULL FROM "Enrolment" e
     WHERE e."id" = a."enrolmentId" AND e."patientId" = ANY($1::uuid[]) AND (a."phone" <> '' OR a."comment" IS NOT NULL)`,
    [ids],
  );
  // Still-open enrolments (a request during a running campaign) leave the dialer for good; closed
  // campaigns keep their enrolments as they were, so their reports do not change.
  await client.query(
    `UPDATE "Enrolment" SET "wrongPhones" = '{}',
       "dialState" = 'done', "doneReason" = CASE WHEN "dialState" = 'done' THEN "doneReason" ELSE 'erased' END,
       "callbackAt" = CASE WHEN "dialState" = 'done' THEN "callbackAt" ELSE NULL END,
       "callbackAgentId" = CASE WHEN "dialState" = 'done' THEN "callbackAgentId" ELSE NULL END, "updatedAt" = now()
     WHERE "patientId" = ANY($1::uuid[])`,
    [ids],
  );
  await client.query(`UPDATE "Opposition" SET "comment" = NULL WHERE "patientId" = ANY($1::uuid[]) AND "comment" IS NOT NULL`, [ids]);
  await client.query(
    `UPDATE "Patient" SET
       "lastName" = $2, "birthName" = NULL, "firstName" = NULL, "externalId" = NULL, "birthKey" = NULL, "usageKey" = NULL,
       "matchKey" = CASE WHEN "optOut" AND "matchKey" LIKE 'nir:%' THEN "matchKey" ELSE 'erased:' || "id" END,
       "nirHash" = CASE WHEN "optOut" THEN "nirHash" ELSE NULL END,
       "birthDate" = make_date(extract(year FROM "birthDate")::int, 1, 1),
       "phones" = '[]'::jsonb, "address" = NULL, "postalCode" = NULL, "relationRpps" = NULL, "relationVisits" = NULL,
       "erasedAt" = now(), "updatedAt" = now()
     WHERE "id" = ANY($1::uuid[])`,
    [ids, ERASED_NAME],
  );
  await client.query(
    `INSERT INTO "AuditLog" ("organisationId", "actorUserId", "actorLabel", "action", "targetType", "targetId", "ip", "details")
     SELECT $1, $2, $3, 'patient.erased', 'patient', p, $4, $5::jsonb FROM unnest($6::text[]) AS p`,
    [erasure.organisationId, erasure.actorUserId ?? null, erasure.actorLabel ?? null, erasure.ip ?? null, JSON.stringify({ reason: erasure.reason, note: erasure.note ?? null }), ids],
  );
  return ids;
}
