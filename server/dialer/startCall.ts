// The agent calls the patient they hold: one CallAttempt, on the patient's current phone.
// Rules 4 and 5 are checked once more here, at the moment of dialling (checkCallable).
import type pg from "pg";
import { AppError, errors } from "../errors.ts";
import { assertCallable, loadDialFacts, notHeld } from "./checkCallable.ts";
import { leaseUntil } from "./holdLease.ts";
import { timeOrderedUuid } from "../timeOrderedUuid.ts";

export interface StartedCall {
  attemptId: string;
  phone: string;
  provider: "simulator" | "manual" | "twilio";
  /** Twilio only: the agent is on the call through the browser softphone or their own phone. */
  agentLeg: "softphone" | "agent_phone" | null;
  attemptNumber: number;
}

/** Two statements, no transaction of its own (decision 013): the facts, then the attempt, inserted only
 * while the agent still holds the patient (checked under the enrolment's row lock, so a sweeper or a
 * supervisor releasing it at the same moment either comes first and no attempt is made, or comes after
 * and finds the attempt to interrupt). `enrolmentId` null: the patient the agent holds (« Appeler »). */
export async function startCall(client: pg.PoolClient, agent: { id: string; organisationId: string }, enrolmentId: string | null, now = new Date()): Promise<StartedCall> {
  const e = await loadDialFacts(client, enrolmentId ? { enrolmentId } : { heldBy: agent.id }, { lock: false });
  if (!e && !enrolmentId) throw errors.noPatient();
  if (!e || e.campaign.organisationId !== agent.organisationId) throw errors.notFound("Patient");
  assertCallable(e, agent.id, now);
  const phones = e.phones.map((p) => p.e164).filter((p) => !e.wrongPhones.includes(p));
  if (!phones.length) throw new AppError("no_phone", 409, "Aucun numéro valide pour ce patient.");
  const agentLeg = e.telephonyProvider === "twilio" ? e.twilioAgentLeg : null;
  if (agentLeg === "agent_phone") {
    const me = await client.query<{ phone: string | null }>(`SELECT "phone" FROM "User" WHERE "id" = $1`, [agent.id]);
    if (!me.rows[0]?.phone) {
      throw new AppError("agent_phone_missing", 409, "Votre organisation vous appelle d'abord sur votre téléphone, mais votre numéro n'est pas renseigné : demandez à l'administrateur de l'ajouter.");
    }
  }
  const phone = phones[e.phoneIndex % phones.length];
  const attemptNumber = e.attempts + 1;
  // One statement: the hold's lease renewed for the call, under the row's lock and only while the agent
  // holds the patient, then the attempt (the partial unique index "one open attempt per enrolment"
  // refuses a second one, which is how an open call is detected).
  const inserted = await client.query<{ id: string | null; held: boolean }>({
    name: "dialer-start-call",
    text: `WITH lease AS (UPDATE "Enrolment" SET "heldUntil" = $9 WHERE "id" = $1 AND "heldBy" = $4 RETURNING "id"),
       attempt AS (INSERT INTO "CallAttempt" ("id", "enrolmentId", "campaignId", "organisationId", "agentId", "attemptNumber", "phone", "provider", "dialledAt")
         SELECT $10::uuid, "id", $2, $3, $4, $5, $6, $7, $8 FROM lease
         ON CONFLICT ("enrolmentId") WHERE "outcome" IS NULL DO NOTHING RETURNING "id")
     SELECT (SELECT "id" FROM attempt) AS "id", EXISTS (SELECT 1 FROM lease) AS "held"`,
    values: [e.id, e.campaignId, agent.organisationId, agent.id, attemptNumber, phone, e.telephonyProvider, now, leaseUntil(now), timeOrderedUuid()],
  });
  if (!inserted.rows[0].held) throw notHeld();
  if (!inserted.rows[0].id) throw new AppError("call_in_progress", 409, "Un appel est déjà en cours pour ce patient : notez d'abord son résultat.");
  return { attemptId: inserted.rows[0].id, phone, provider: e.telephonyProvider, agentLeg, attemptNumber };
}
