// The agent records a consent answer for the patient they hold: granted or refused, how, and which
// script version was read. Append-only: a withdrawal is a new record. A refusal to be contacted
// ends the patient's calls in campaigns that require that consent (rule 5).
import type pg from "pg";
import { errors } from "../errors.ts";
import { cancelReservations } from "../matching/cancelReservations.ts";
import type { ConsentPurpose } from "./defaultScript.ts";

export interface ConsentInput {
  purpose: ConsentPurpose;
  granted: boolean;
  channel: "phone" | "letter" | "online";
  scriptVersionId: string;
}

export async function recordConsent(client: pg.PoolClient, agent: { id: string; organisationId: string; name: string }, input: ConsentInput, now = new Date()) {
  const { rows } = await client.query(
    `SELECT e."id", e."campaignId", e."patientId", c."requiresContactConsent",
            (SELECT a."id" FROM "CallAttempt" a WHERE a."enrolmentId" = e."id" AND a."agentId" = $1 AND a."outcome" IS NULL
             ORDER BY a."createdAt" DESC LIMIT 1) AS "attemptId"
     FROM "Enrolment" e JOIN "Campaign" c ON c."id" = e."campaignId"
     WHERE e."heldBy" = $1 AND c."organisationId" = $2 FOR UPDATE OF e`,
    [agent.id, agent.organisationId],
  );
  const held = rows[0];
  if (!held) throw errors.noPatient();
  // A consent is the patient's answer during a call: the call of this hold, whose outcome is not recorded yet.
  if (!held.attemptId) throw errors.conflict("Appelez le patient avant d'enregistrer sa réponse : aucun appel n'est en cours avec lui.");
  const script = await client.query(`SELECT 1 FROM "ScriptVersion" WHERE "id" = $1 AND "campaignId" = $2`, [input.scriptVersionId, held.campaignId]);
  if (!script.rowCount) throw errors.badRequest("Version de script inconnue pour cette campagne : rechargez la page.");
  const { rows: saved } = await client.query(
    `INSERT INTO "Consent" ("id", "organisationId", "patientId", "campaignId", "purpose", "granted", "channel", "recordedById", "recordedByLabel", "scriptVersionId", "attemptId", "at")
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING "id", "purpose", "granted", "channel", "at"`,
    [agent.organisationId, held.patientId, held.campaignId, input.purpose, input.granted, input.channel, agent.id, agent.name, input.scriptVersionId, held.attemptId, now],
  );
  if (input.purpose === "contact") {
    await client.query(`UPDATE "Patient" SET "consentContact" = $2, "updatedAt" = now() WHERE "id" = $1`, [held.patientId, input.granted]);
    if (!input.granted) {
      await client.query(
        `UPDATE "Enrolment" e SET "eligible" = false, "ineligibleReason" = 'a refusé d''être contacté', "updatedAt" = now()
         FROM "Campaign" c WHERE c."id" = e."campaignId" AND e."patientId" = $1 AND c."requiresContactConsent" AND e."id" <> $2`,
        [held.patientId, held.id],
      );
    }
  }
  // Without leave to pass their identity on, no GP can take the patient: a reservation waiting for the GP ends.
  if (input.purpose === "share_identity" && !input.granted) {
    await cancelReservations(client, [held.patientId], "le patient n'accepte plus que son identité soit transmise", now);
  }
  return { ...saved[0], patientId: held.patientId as string, enrolmentId: held.id as string };
}
