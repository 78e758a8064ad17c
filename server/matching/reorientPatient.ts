// A decline or an expired reservation puts the patient back to "to re-propose": the enrolment is due
// again at once, with the reason shown to the agent who calls them back. Only a patient whose calls ended because they
// were reached (and who wanted a GP): one who died, moved, opposed, refused, has a GP or was erased since stays done.
import type pg from "pg";

export async function reorientPatient(client: pg.PoolClient, enrolmentId: string, reason: string, now = new Date()) {
  await client.query(
    `UPDATE "Enrolment" SET "reorientReason" = $2,
       "dialState" = CASE WHEN "dialState" = 'done' THEN 'waiting'::"DialState" ELSE "dialState" END,
       "doneReason" = CASE WHEN "dialState" = 'done' THEN NULL ELSE "doneReason" END,
       "dueAt" = CASE WHEN "dialState" = 'held' THEN "dueAt" ELSE $3 END,
       "callbackAt" = NULL, "callbackAgentId" = NULL, "updatedAt" = now()
     WHERE "id" = $1 AND ("dialState" <> 'done' OR "doneReason" = 'reached')
       AND NOT EXISTS (SELECT 1 FROM "Patient" p WHERE p."id" = "Enrolment"."patientId" AND (p."optOut" OR p."erasedAt" IS NOT NULL))`,
    [enrolmentId, reason, now],
  );
}
