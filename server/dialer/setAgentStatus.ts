import type pg from "pg";
import { leaseUntil } from "./holdLease.ts";

export const PAUSE_REASONS = { break: "Pause", training: "Formation", admin: "Tâches administratives", supervisor: "Pause imposée par le superviseur" } as const;
export type PauseReason = keyof typeof PAUSE_REASONS;

/** ready / paused / offline (busy: with the patient they hold), with the time in state. The held patient is the
 * caller's business (changeAgentStatus). */
export async function setAgentStatus(client: pg.PoolClient | pg.Pool, agent: { id: string; organisationId: string }, status: "ready" | "busy" | "paused" | "offline", pauseReason: PauseReason | null, now = new Date()) {
  // One statement: the state, and a line of the state log when the state (or the pause reason) changed.
  const { rows } = await client.query({
    name: "dialer-agent-status",
    text: `WITH s AS (INSERT INTO "AgentState" ("userId", "organisationId", "status", "pauseReason", "since", "lastSeenAt") VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT ("userId") DO UPDATE SET "status" = $3, "pauseReason" = $4,
         "since" = CASE WHEN "AgentState"."status" = $3::"AgentStatus" AND "AgentState"."pauseReason" IS NOT DISTINCT FROM $4 THEN "AgentState"."since" ELSE $5 END,
         "lastSeenAt" = $5
       RETURNING "status", "pauseReason", "since"),
     log AS (INSERT INTO "AgentStateLog" ("userId", "organisationId", "status", "pauseReason", "at")
       SELECT $1, $2, s."status", s."pauseReason", $5 FROM s WHERE s."since" = $5)
     SELECT "status", "pauseReason", "since" FROM s`,
    values: [agent.id, agent.organisationId, status, status === "paused" ? pauseReason : null, now],
  });
  return rows[0] as { status: string; pauseReason: string | null; since: Date };
}

/** The console's heartbeat: the agent is there, their hold lives on (one statement, one pooled connection). */
export async function heartbeat(client: pg.PoolClient | pg.Pool, agentId: string, now = new Date()) {
  const { rows } = await client.query<{ holding: boolean }>({
    name: "dialer-heartbeat",
    text: `WITH seen AS (UPDATE "AgentState" SET "lastSeenAt" = $2 WHERE "userId" = $1),
       lease AS (UPDATE "Enrolment" SET "heldUntil" = $3 WHERE "heldBy" = $1 RETURNING 1)
     SELECT EXISTS (SELECT 1 FROM lease) AS "holding"`,
    values: [agentId, now, leaseUntil(now)],
  });
  return { holding: rows[0].holding };
}
