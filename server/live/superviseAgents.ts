// What a supervisor may do to the work in progress, each written to the audit log: force an agent to
// pause, release a patient held too long (its open attempt ends "interrupted": still exactly one
// outcome), and give a pending callback to another agent (or to any agent).
import type pg from "pg";
import { countedInterruptionSql } from "../dialer/attemptLimit.ts";
import { agentWorksCampaignSql } from "../dialer/campaignAgents.ts";
import { AppError, errors } from "../errors.ts";
import { setAgentStatus } from "../dialer/setAgentStatus.ts";

interface Supervisor { id: string; organisationId: string; ip?: string }

async function audit(client: pg.PoolClient, who: Supervisor, action: string, targetType: string, targetId: string, details: Record<string, unknown> = {}) {
  await client.query(
    `INSERT INTO "AuditLog" ("organisationId", "actorUserId", "action", "targetType", "targetId", "ip", "details") VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [who.organisationId, who.id, action, targetType, targetId, who.ip ?? null, details]);
}

async function agentOf(client: pg.PoolClient, organisationId: string, agentId: string) {
  const { rows } = await client.query(`SELECT "id", "name" FROM "User" WHERE "id" = $1 AND "organisationId" = $2 AND "role" = 'agent'`, [agentId, organisationId]);
  if (!rows[0]) throw errors.notFound("Agent");
  return rows[0] as { id: string; name: string };
}

/** Frees the enrolment the agent holds (if any); an open attempt gets its one outcome, "interrupted", with `why`. */
async function releaseHold(client: pg.PoolClient, where: string, value: string, by: string, now: Date, why = "libéré par la supervision") {
  const { rows } = await client.query<{ id: string; heldBy: string }>(`SELECT "id", "heldBy" FROM "Enrolment" WHERE ${where} = $1 AND "heldBy" IS NOT NULL FOR UPDATE`, [value]);
  const held = rows[0];
  if (!held) return null;
  const ended = await client.query(
    `UPDATE "CallAttempt" SET "outcome" = 'interrupted', "outcomeAt" = $2, "outcomeBy" = $3, "comment" = $4, "endedAt" = coalesce("endedAt", $2)
     WHERE "enrolmentId" = $1 AND "outcome" IS NULL RETURNING "id", ${countedInterruptionSql(`"CallAttempt"`)} AS "counted"`, [held.id, now, by, why]);
  // An interrupted call that rang counts against the attempt limit (attemptLimit.ts).
  await client.query(
    `UPDATE "Enrolment" SET "dialState" = 'waiting', "heldBy" = NULL, "heldUntil" = NULL, "dueAt" = $2,
       "lastOutcome" = CASE WHEN $3 THEN 'interrupted' ELSE "lastOutcome" END, "attempts" = "attempts" + $4, "updatedAt" = now() WHERE "id" = $1`,
    [held.id, now, Boolean(ended.rowCount), ended.rows.filter((r) => r.counted).length]);
  return { enrolmentId: held.id, agentId: held.heldBy, interruptedAttemptId: (ended.rows[0]?.id as string | undefined) ?? null };
}

export async function forceAgentPause(client: pg.PoolClient, who: Supervisor, agentId: string, now = new Date()) {
  const agent = await agentOf(client, who.organisationId, agentId);
  const inCall = await client.query(`SELECT 1 FROM "CallAttempt" WHERE "agentId" = $1 AND "outcome" IS NULL`, [agentId]);
  if (inCall.rowCount) throw new AppError("agent_in_call", 409, `${agent.name} est en appel : attendez la fin de l'appel, ou libérez le patient.`);
  const released = await releaseHold(client, `"heldBy"`, agentId, who.id, now);
  const state = await setAgentStatus(client, { id: agentId, organisationId: who.organisationId }, "paused", "supervisor", now);
  await audit(client, who, "supervision.pause_agent", "user", agentId, { releasedEnrolmentId: released?.enrolmentId ?? null });
  return { agent, state, released };
}

export async function releaseHeldPatient(client: pg.PoolClient, who: Supervisor, enrolmentId: string, now = new Date()) {
  const owned = await client.query(`SELECT 1 FROM "Enrolment" e JOIN "Campaign" c ON c."id" = e."campaignId" WHERE e."id" = $1 AND c."organisationId" = $2`, [enrolmentId, who.organisationId]);
  if (!owned.rowCount) throw errors.notFound("Patient");
  const released = await releaseHold(client, `"id"`, enrolmentId, who.id, now);
  if (!released) throw new AppError("not_held", 409, "Ce patient n'est plus attribué à un agent.");
  // the agent, left without a patient, waits in a pause until they say they are ready again (they may be away)
  const agent = await agentOf(client, who.organisationId, released.agentId);
  const state = await setAgentStatus(client, { id: released.agentId, organisationId: who.organisationId }, "paused", "supervisor", now);
  await audit(client, who, "supervision.release_patient", "enrolment", enrolmentId, { agentId: released.agentId, interruptedAttemptId: released.interruptedAttemptId });
  return { ...released, agent, state };
}

export async function reassignCallback(client: pg.PoolClient, who: Supervisor, enrolmentId: string, agentId: string | null) {
  if (agentId) {
    const agent = await agentOf(client, who.organisationId, agentId);
    // Given to an agent who does not work the campaign, the callback would wait for nobody until its grace ran out.
    const { rows: [callback] } = await client.query<{ works: boolean }>(
      `SELECT ${agentWorksCampaignSql("c", "$2::uuid")} AS "works" FROM "Enrolment" e JOIN "Campaign" c ON c."id" = e."campaignId" WHERE e."id" = $1 AND c."organisationId" = $3`,
      [enrolmentId, agentId, who.organisationId]);
    if (!callback) throw errors.notFound("Rappel");
    if (!callback.works) throw new AppError("agent_not_on_campaign", 409, `${agent.name} ne travaille pas sur cette campagne : choisissez un de ses agents, ou modifiez les agents de la campagne.`);
  }
  // `previousAgentId`: whose callback it was (their console's list changes too)
  const { rows } = await client.query<{ id: string; callbackAt: Date; callbackAgentId: string | null; previousAgentId: string | null }>(
    `UPDATE "Enrolment" e SET "callbackAgentId" = $3, "updatedAt" = now()
     FROM "Campaign" c, (SELECT "id", "callbackAgentId" FROM "Enrolment" WHERE "id" = $1 FOR UPDATE) b
     WHERE e."id" = $1 AND b."id" = e."id" AND c."id" = e."campaignId" AND c."organisationId" = $2 AND e."dialState" = 'waiting' AND e."callbackAt" IS NOT NULL
     RETURNING e."id", e."callbackAt", e."callbackAgentId", b."callbackAgentId" AS "previousAgentId"`, [enrolmentId, who.organisationId, agentId]);
  if (!rows[0]) throw errors.notFound("Rappel");
  await audit(client, who, "supervision.reassign_callback", "enrolment", enrolmentId, { agentId });
  return rows[0];
}

/** An agent deactivated (or no longer an agent) stops working at once: their patient goes back (an open call ends
 * "interrupted"), they are offline. Without it the patient stayed held until the lease lapsed, out of the board. */
/** The agent stops working at once (account deactivated, last session logged out): their patient goes back, an open call
 * ends « interrupted » with `why`, and they are offline. */
export async function stopAgentWork(client: pg.PoolClient, agent: { id: string; organisationId: string }, by: string, now = new Date(), why = "compte de l'agent désactivé") {
  const released = await releaseHold(client, `"heldBy"`, agent.id, by, now, why);
  const { rows: [state] } = await client.query<{ status: string }>(`SELECT "status" FROM "AgentState" WHERE "userId" = $1`, [agent.id]);
  if (state && state.status !== "offline") await setAgentStatus(client, agent, "offline", null, now);
  return { released, wasWorking: Boolean(state && state.status !== "offline") };
}
