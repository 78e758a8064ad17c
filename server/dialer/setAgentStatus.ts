import type pg from "pg";
import { leaseUntil } from "./holdLease.ts";

export const PAUSE_REASONS = { break: "Pause", training: "Formation", admin: "Tâches administratives", supervisor: "Pause imposée par le superviseur" } as const;
export type PauseReason = keyof typeof PAUSE_REASONS;

/** ready / paused / offline, with the time in state. A held patient stays held until its outcome. */
export async function setAgentStatus(client: pg.PoolClient, agent: { id: string; organisationId: string }, status: "ready" | "paused" | "offline", pauseReason: PauseReason | null, now = new Date()) {
  const { rows } = await client.query(
    `INSERT INTO "AgentState" ("userId", "organisationId", "status", "pauseReason", "since", "lastSeenAt") VALUES ($1, $2, $3, $4, $5, $5)
     ON CONFLICT ("userId") DO UPDATE SET "status" = $3, "pauseReason" = $4,
       "since" = CASE WHEN "AgentState"."status" = $3::"AgentStatus" AND "AgentState"."pauseReason" IS NOT DISTINCT FROM $4 THEN "AgentState"."since" ELSE $5 END,
       "lastSeenAt" = $5
     RETURNING "status", "pauseReason", "since"`,
    [agent.id, agent.organisationId, status, status === "paused" ? pauseReason : null, now],
  );
  const state = rows[0] as { status: string; pauseReason: string | null; since: Date };
  if (state.since.getTime() === now.getTime()) {
    await client.query(`INSERT INTO "AgentStateLog" ("userId", "organisationId", "status", "pauseReason", "at") VALUES ($1, $2, $3, $4, $5)`,
      [agent.id, agent.organisationId, state.status, state.pauseReason, now]);
  }
  return state;
}

/** The console's heartbeat: the agent is there, their hold lives on. */
export async function heartbeat(client: pg.PoolClient | pg.Pool, agentId: string, now = new Date()) {
  await client.query(`UPDATE "AgentState" SET "lastSeenAt" = $2 WHERE "userId" = $1`, [agentId, now]);
  const { rowCount } = await client.query(`UPDATE "Enrolment" SET "heldUntil" = $2 WHERE "heldBy" = $1 AND "dialState" = 'held'`, [agentId, leaseUntil(now)]);
  return { holding: Boolean(rowCount) };
}
