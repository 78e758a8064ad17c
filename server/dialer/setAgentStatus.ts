import type pg from "pg";
import { leaseUntil } from "./holdLease.ts";

export const PAUSE_REASONS = { break: "Pause", training: "Formation", admin: "Tâches administratives", supervisor: "Pause imposée par le superviseur" } as const;
export type PauseReason = keyof typeof PAUSE_REASONS;

/** The statement of setAgentStatus; `guard`: a CTE `held` and the condition under which the state is written. */
const stateSql = (guard?: { held: string; when: string }) => `WITH ${guard ? `held AS (${guard.held}), ` : ""}s AS (
       INSERT INTO "AgentState" ("userId", "organisationId", "status", "pauseReason", "since", "lastSeenAt") SELECT $1, $2, $3, $4, $5, $5 ${guard ? `WHERE ${guard.when}` : ""}
       ON CONFLICT ("userId") DO UPDATE SET "status" = $3, "pauseReason" = $4,
         "since" = CASE WHEN "AgentState"."status" = $3::"AgentStatus" AND "AgentState"."pauseReason" IS NOT DISTINCT FROM $4 THEN "AgentState"."since" ELSE $5 END,
         "lastSeenAt" = $5
       RETURNING "status", "pauseReason", "since"),
     log AS (INSERT INTO "AgentStateLog" ("userId", "organisationId", "status", "pauseReason", "at")
       SELECT $1, $2, s."status", s."pauseReason", $5 FROM s WHERE s."since" = $5)
     SELECT (SELECT row_to_json(s) FROM s) AS "state"${guard ? `, (SELECT row_to_json(held) FROM held) AS "held"` : ""}`;
const STATE_SQL = stateSql();
// The agent's own change (changeAgentStatus), in one statement when they hold nobody, the usual case.
const STATE_IF_HOLDING_NOBODY_SQL = stateSql({
  held: `SELECT EXISTS (SELECT 1 FROM "CallAttempt" a WHERE a."enrolmentId" = e."id" AND a."outcome" IS NULL) AS "inCall" FROM "Enrolment" e WHERE e."heldBy" = $1`,
  when: `NOT EXISTS (SELECT 1 FROM held)`,
});

export type AgentStateRow = { status: string; pauseReason: string | null; since: Date };
const stateValues = (agent: { id: string; organisationId: string }, status: string, pauseReason: PauseReason | null, now: Date) =>
  [agent.id, agent.organisationId, status, status === "paused" ? pauseReason : null, now];
const asRow = (s: { status: string; pauseReason: string | null; since: string }): AgentStateRow => ({ ...s, since: new Date(s.since) });

/** ready / paused / offline (busy: with the patient they hold), with the time in state. The held patient is the
 * caller's business (changeAgentStatus). One statement: the state, and a line of the state log when the state (or the
 * pause reason) changed. */
export async function setAgentStatus(client: pg.PoolClient | pg.Pool, agent: { id: string; organisationId: string }, status: "ready" | "busy" | "paused" | "offline", pauseReason: PauseReason | null, now = new Date()): Promise<AgentStateRow> {
  const { rows } = await client.query({ name: "dialer-agent-status", text: STATE_SQL, values: stateValues(agent, status, pauseReason, now) });
  return asRow(rows[0].state);
}

/** The same, written only if the agent holds no patient; else nothing written, and whether a call of theirs is open. */
export async function setAgentStatusIfHoldingNobody(client: pg.PoolClient | pg.Pool, agent: { id: string; organisationId: string }, status: "ready" | "paused" | "offline", pauseReason: PauseReason | null, now = new Date()): Promise<{ state: AgentStateRow; held: null } | { state: null; held: { inCall: boolean } }> {
  const { rows: [r] } = await client.query({ name: "dialer-agent-status-if-free", text: STATE_IF_HOLDING_NOBODY_SQL, values: stateValues(agent, status, pauseReason, now) });
  return r.state ? { state: asRow(r.state), held: null } : { state: null, held: r.held };
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
