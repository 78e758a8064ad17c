// A hold is a lease. When an agent's console disappears (browser closed, network lost, web process
// killed), the lease lapses: the open attempt gets the outcome "interrupted" (exactly one outcome),
// and the patient is due again at once. Idempotent and safe in several processes (SKIP LOCKED).
import type pg from "pg";
import { countedInterruptionSql } from "./attemptLimit.ts";

export async function sweepExpiredHolds(client: pg.PoolClient, now = new Date()) {
  const { rows } = await client.query<{ id: string; heldBy: string; campaignId: string }>(
    `SELECT "id", "heldBy", "campaignId" FROM "Enrolment" WHERE "dialState" = 'held' AND "heldUntil" < $1 FOR UPDATE SKIP LOCKED`, [now]);
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const interrupted = await client.query<{ id: string; enrolmentId: string }>(
    `UPDATE "CallAttempt" SET "outcome" = 'interrupted', "outcomeAt" = $2, "outcomeBy" = 'system', "endedAt" = COALESCE("endedAt", $2)
     WHERE "enrolmentId" = ANY($1::uuid[]) AND "outcome" IS NULL RETURNING "id", "enrolmentId"`, [ids, now]);
  // An interrupted call that rang counts against the attempt limit (attemptLimit.ts).
  await client.query(
    `UPDATE "Enrolment" e SET "dialState" = 'waiting', "heldBy" = NULL, "heldUntil" = NULL, "dueAt" = $2, "lastOutcome" = 'interrupted', "updatedAt" = now(),
       "attempts" = e."attempts" + (SELECT count(*)::int FROM "CallAttempt" a WHERE a."id" = ANY($3::uuid[]) AND a."enrolmentId" = e."id" AND ${countedInterruptionSql("a")})
     WHERE "id" = ANY($1::uuid[])`, [ids, now, interrupted.rows.map((a) => a.id)]);
  await client.query(
    `WITH gone AS (UPDATE "AgentState" SET "status" = 'offline', "pauseReason" = NULL, "since" = $2
       WHERE "userId" = ANY($1::uuid[]) AND "lastSeenAt" < $2::timestamptz - interval '60 seconds' RETURNING "userId", "organisationId")
     INSERT INTO "AgentStateLog" ("userId", "organisationId", "status", "at") SELECT "userId", "organisationId", 'offline', $2 FROM gone`,
    [rows.map((r) => r.heldBy), now]);
  return rows.map((r) => ({ ...r, interruptedAttemptIds: interrupted.rows.filter((a) => a.enrolmentId === r.id).map((a) => a.id) }));
}
