// The browser softphone's call reached Twilio, which asks what to do: dial the patient of the
// attempt the agent holds, or refuse. The dialer's own checks decide (startCall, checkCallable):
// no patient held, outside the calling windows (rule 4), opposed or without required consent (rule 5).
import type pg from "pg";
import { AppError } from "../errors.ts";
import { assertCallable, loadDialFacts } from "../dialer/checkCallable.ts";
import { startCall } from "../dialer/startCall.ts";

export type SoftphoneAnswer = { dial: { attemptId: string; phone: string } } | { refuse: string };

interface Attempt { id: string; enrolmentId: string; phone: string; outcome: string | null; agentCallSid: string | null; provider: string }
const ATTEMPT = `SELECT "id", "enrolmentId", "phone", "outcome", "agentCallSid", "provider" FROM "CallAttempt"`;

export async function answerSoftphoneCall(
  client: pg.PoolClient,
  agent: { id: string; organisationId: string },
  call: { callSid: string; attemptId: string | null },
  now = new Date(),
): Promise<SoftphoneAnswer> {
  try {
    let attempt = await findAttempt(client, agent, call.attemptId, call.callSid);
    if (!attempt) {
      // No attempt yet (the agent pressed "Appeler" on the softphone only): the dialer starts one, with its checks.
      const held = await client.query<{ id: string }>(`SELECT "id" FROM "Enrolment" WHERE "heldBy" = $1`, [agent.id]);
      if (!held.rows[0]) return { refuse: "Vous ne tenez aucun patient." };
      const started = await startCall(client, agent, held.rows[0].id, now);
      attempt = (await client.query<Attempt>(`${ATTEMPT} WHERE "id" = $1 FOR UPDATE`, [started.attemptId])).rows[0];
    }
    if (attempt.provider !== "twilio") return { refuse: "Cet appel ne passe pas par Twilio." };
    if (attempt.outcome !== null) return { refuse: "Le résultat de cet appel est déjà enregistré." };
    if (attempt.agentCallSid !== null && attempt.agentCallSid !== call.callSid) {
      return { refuse: "Cet appel a déjà été passé : notez son résultat avant d'appeler de nouveau." };
    }
    const facts = await loadDialFacts(client, { enrolmentId: attempt.enrolmentId });
    if (!facts) return { refuse: "Vous ne tenez aucun patient." };
    assertCallable(facts, agent.id, now);
    await client.query(`UPDATE "CallAttempt" SET "agentCallSid" = $2 WHERE "id" = $1 AND "agentCallSid" IS NULL`, [attempt.id, call.callSid]);
    return { dial: { attemptId: attempt.id, phone: attempt.phone } };
  } catch (err) {
    if (err instanceof AppError && err.status < 500) return { refuse: err.userMessage };
    throw err;
  }
}

/** The attempt named by the softphone, else the agent's open Twilio attempt not yet dialled. */
async function findAttempt(client: pg.PoolClient, agent: { id: string }, attemptId: string | null, callSid: string): Promise<Attempt | null> {
  if (attemptId) {
    const { rows } = await client.query<Attempt>(`${ATTEMPT} WHERE "id" = $1 AND "agentId" = $2 FOR UPDATE`, [attemptId, agent.id]);
    if (!rows[0]) throw new AppError("unknown_attempt", 404, "Appel introuvable pour cet agent.");
    return rows[0];
  }
  // (or the one this very call already dials: Twilio asking again)
  const { rows } = await client.query<Attempt>(
    `${ATTEMPT} WHERE "agentId" = $1 AND "outcome" IS NULL AND "provider" = 'twilio' AND ("agentCallSid" IS NULL OR "agentCallSid" = $2)
     ORDER BY "agentCallSid" IS NULL, "createdAt" DESC LIMIT 1 FOR UPDATE`, [agent.id, callSid]);
  return rows[0] ?? null;
}
