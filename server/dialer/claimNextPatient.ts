// Rule 1: the dialer hands a ready agent the next due, eligible patient of their campaigns,
// atomically: candidates are locked with FOR UPDATE SKIP LOCKED, so concurrent agents never get
// the same patient; the hold and the agent's state change commit in the same transaction.
import type pg from "pg";
import { checkCallingWindow } from "./callingWindow.ts";
import { rulesOf } from "./callingRules.ts";
import { leaseUntil } from "./holdLease.ts";

/** Candidates looked at per claim (those outside their window are pushed to their next opening). */
const MAX_LOOKS = 50;

interface Candidate {
  id: string;
  campaignId: string;
  inseeCode: string | null;
  callbackAt: Date | null;
  campaign: Parameters<typeof rulesOf>[0];
}

const CANDIDATE_SQL = `SELECT e."id", e."campaignId", p."inseeCode", e."callbackAt",
         json_build_object('dialMode', c."dialMode", 'callingWindows', c."callingWindows", 'skipPublicHolidays', c."skipPublicHolidays",
           'maxAttempts', c."maxAttempts", 'attemptPeriodDays', c."attemptPeriodDays", 'retryDelays', c."retryDelays",
           'rotatePhoneAfter', c."rotatePhoneAfter", 'refusalPauseDays', c."refusalPauseDays", 'callbackGraceMinutes', c."callbackGraceMinutes") AS campaign
  FROM "Enrolment" e
  JOIN "Campaign" c ON c."id" = e."campaignId"
  JOIN "Patient" p ON p."id" = e."patientId"
  WHERE c."organisationId" = $1 AND c."status" = 'running'
    AND (cardinality(c."agentIds") = 0 OR $2 = ANY(c."agentIds"))
    AND e."eligible" AND e."dialState" = 'waiting' AND e."dueAt" <= $3 AND NOT p."optOut"
    AND (e."callbackAgentId" IS NULL OR e."callbackAgentId" = $2::uuid
         OR e."dueAt" <= $3::timestamptz - make_interval(mins => c."callbackGraceMinutes"))
  ORDER BY (e."callbackAgentId" IS NOT NULL AND e."callbackAgentId" = $2::uuid) DESC, (e."callbackAt" IS NOT NULL) DESC, e."priority", e."dueAt"
  LIMIT 1
  FOR UPDATE OF e SKIP LOCKED`;

export interface Claim {
  enrolmentId: string;
  campaignId: string;
}

/** Returns the enrolment now held by the agent, or null when nothing is callable right now. */
export async function claimNextPatient(client: pg.PoolClient, agent: { id: string; organisationId: string }, now = new Date()): Promise<Claim | null> {
  const held = await client.query<{ id: string; campaignId: string }>(
    `SELECT "id", "campaignId" FROM "Enrolment" WHERE "heldBy" = $1 AND "dialState" = 'held'`, [agent.id]);
  if (held.rows[0]) return { enrolmentId: held.rows[0].id, campaignId: held.rows[0].campaignId };

  // One row locked at a time: with SKIP LOCKED, concurrent agents each take a different patient
  // instead of locking batches that others would then skip.
  for (let look = 0; look < MAX_LOOKS; look++) {
    const { rows } = await client.query<Candidate>(CANDIDATE_SQL, [agent.organisationId, agent.id, now]);
    const c = rows[0];
    if (!c) return null;
    const requestedCallback = c.callbackAt !== null && c.callbackAt <= now;
    if (!requestedCallback) {
      const window = checkCallingWindow(now, c.inseeCode, rulesOf(c.campaign));
      if (!window.open) {
        // Not callable now: it comes back when its window opens (its due time explains it in the console).
        await client.query(`UPDATE "Enrolment" SET "dueAt" = $2, "updatedAt" = now() WHERE "id" = $1`, [c.id, window.nextOpening ?? new Date(now.getTime() + 86_400_000)]);
        continue;
      }
    }
    await client.query(
      `UPDATE "Enrolment" SET "dialState" = 'held', "heldBy" = $2, "heldUntil" = $3, "updatedAt" = now() WHERE "id" = $1`,
      [c.id, agent.id, leaseUntil(now)],
    );
    await client.query(
      `INSERT INTO "AgentState" ("userId", "organisationId", "status", "since", "lastSeenAt") VALUES ($1, $2, 'busy', $3, $3)
       ON CONFLICT ("userId") DO UPDATE SET "status" = 'busy', "pauseReason" = NULL, "since" = $3, "lastSeenAt" = $3`,
      [agent.id, agent.organisationId, now],
    );
    return { enrolmentId: c.id, campaignId: c.campaignId };
  }
  return null;
}
