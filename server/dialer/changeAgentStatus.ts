// An agent's own change of state, kept true to what they hold: "ready" while holding a patient keeps the
// patient (the agent stays busy with them); a pause or going offline hands an undialled patient back to the
// queue, due as before; during a call nothing changes until its outcome is recorded.
import type pg from "pg";
import { AppError } from "../errors.ts";
import { setAgentStatus, setAgentStatusIfHoldingNobody, type PauseReason } from "./setAgentStatus.ts";

const inCall = () => new AppError("agent_in_call", 409, "Vous êtes en appel : notez d'abord le résultat de l'appel.");

/** The patient the agent holds, back to the queue unless a call of theirs waits for its outcome; false when none was. */
export async function handBackHeldPatient(client: pg.PoolClient | pg.Pool, agentId: string): Promise<boolean> {
  const { rowCount } = await client.query(
    `UPDATE "Enrolment" e SET "dialState" = 'waiting', "heldBy" = NULL, "heldUntil" = NULL, "updatedAt" = now()
     WHERE e."heldBy" = $1 AND NOT EXISTS (SELECT 1 FROM "CallAttempt" a WHERE a."enrolmentId" = e."id" AND a."outcome" IS NULL)`,
    [agentId]);
  return Boolean(rowCount);
}

export async function changeAgentStatus(client: pg.PoolClient | pg.Pool, agent: { id: string; organisationId: string }, status: "ready" | "paused" | "offline", pauseReason: PauseReason | null, now = new Date()) {
  const first = await setAgentStatusIfHoldingNobody(client, agent, status, pauseReason, now);
  if (first.state) return { state: first.state, handedBack: false };
  if (first.held.inCall) throw inCall();
  if (status === "ready") return { state: await setAgentStatus(client, agent, "busy", null, now), handedBack: false };
  const handedBack = await handBackHeldPatient(client, agent.id);
  if (!handedBack) throw inCall(); // a call started meanwhile (another tab)
  return { state: await setAgentStatus(client, agent, status, pauseReason, now), handedBack };
}
