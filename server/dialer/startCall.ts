// The agent calls the patient they hold: one CallAttempt, on the patient's current phone.
// Rules 4 and 5 are checked once more here, at the moment of dialling.
import type pg from "pg";
import { AppError, errors } from "../errors.ts";
import { checkCallingWindow } from "./callingWindow.ts";
import { rulesOf } from "./callingRules.ts";
import { leaseUntil } from "./holdLease.ts";

export interface StartedCall {
  attemptId: string;
  phone: string;
  provider: "simulator" | "manual" | "twilio";
  attemptNumber: number;
}

export async function startCall(client: pg.PoolClient, agent: { id: string; organisationId: string }, enrolmentId: string, now = new Date()): Promise<StartedCall> {
  const { rows } = await client.query(
    `SELECT e.*, p."phones", p."optOut", p."inseeCode", o."telephonyProvider",
            row_to_json(c) AS campaign
     FROM "Enrolment" e JOIN "Patient" p ON p."id" = e."patientId" JOIN "Campaign" c ON c."id" = e."campaignId"
     JOIN "Organisation" o ON o."id" = c."organisationId"
     WHERE e."id" = $1 FOR UPDATE OF e`,
    [enrolmentId],
  );
  const e = rows[0];
  if (!e || e.campaign.organisationId !== agent.organisationId) throw errors.notFound("Patient");
  if (e.dialState !== "held" || e.heldBy !== agent.id) throw new AppError("not_held", 409, "Ce patient ne vous est plus attribué.");
  if (e.optOut) throw new AppError("opposed", 409, "Ce patient s'est opposé aux appels : il ne doit pas être appelé.");
  if (e.campaign.status !== "running") throw new AppError("campaign_paused", 409, "La campagne n'est pas en cours : pas d'appel.");
  const requestedCallback = e.callbackAt !== null && new Date(e.callbackAt) <= now;
  if (!requestedCallback) {
    const window = checkCallingWindow(now, e.inseeCode, rulesOf(e.campaign));
    if (!window.open) throw new AppError("outside_window", 409, `Appel impossible maintenant : ${window.reason}.`);
  }
  const open = await client.query(`SELECT 1 FROM "CallAttempt" WHERE "enrolmentId" = $1 AND "outcome" IS NULL`, [enrolmentId]);
  if (open.rowCount) throw new AppError("call_in_progress", 409, "Un appel est déjà en cours pour ce patient : notez d'abord son résultat.");
  const phones = (e.phones as { e164: string }[]).map((p) => p.e164).filter((p) => !e.wrongPhones.includes(p));
  if (!phones.length) throw new AppError("no_phone", 409, "Aucun numéro valide pour ce patient.");
  const phone = phones[e.phoneIndex % phones.length];
  const attemptNumber = e.attempts + 1;
  const inserted = await client.query<{ id: string }>(
    `INSERT INTO "CallAttempt" ("id", "enrolmentId", "campaignId", "organisationId", "agentId", "attemptNumber", "phone", "provider", "dialledAt")
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8) RETURNING "id"`,
    [enrolmentId, e.campaignId, agent.organisationId, agent.id, attemptNumber, phone, e.telephonyProvider, now],
  );
  await client.query(`UPDATE "Enrolment" SET "heldUntil" = $2 WHERE "id" = $1`, [enrolmentId, leaseUntil(now)]);
  return { attemptId: inserted.rows[0].id, phone, provider: e.telephonyProvider, attemptNumber };
}
