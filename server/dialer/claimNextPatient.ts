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
  patientId: string;
  inseeCode: string | null;
  callbackAt: Date | null;
  campaign: Parameters<typeof rulesOf>[0];
}

const CAMPAIGNS_SQL = `
  SELECT c."id", c."type", c."callbackGraceMinutes",
         json_build_object('dialMode', c."dialMode", 'callingWindows', c."callingWindows", 'skipPublicHolidays', c."skipPublicHolidays",
           'maxAttempts', c."maxAttempts", 'attemptPeriodDays', c."attemptPeriodDays", 'retryDelays', c."retryDelays",
           'rotatePhoneAfter', c."rotatePhoneAfter", 'refusalPauseDays', c."refusalPauseDays", 'callbackGraceMinutes', c."callbackGraceMinutes") AS rules
  FROM "Campaign" c
  WHERE c."organisationId" = $1 AND c."status" = 'running' AND (cardinality(c."agentIds") = 0 OR $2 = ANY(c."agentIds"))`;

// Each query walks a partial index in order and stops at the first row it can lock
// (Enrolment_queue / Enrolment_callbacks, see the dialer_queue migration): the cost does not grow with the listing.
const SELECT_CANDIDATE = `SELECT e."id", e."campaignId", e."patientId", p."inseeCode", e."callbackAt" FROM "Enrolment" e JOIN "Patient" p ON p."id" = e."patientId"`;
// The patient's row is locked too: claims in two campaigns of the same patient serialise on it.
const LOCK = `LIMIT 1 FOR UPDATE OF e, p SKIP LOCKED`;
/** How a patient's calls ended in a campaign that settles them for every campaign of the same type. */
export const HANDLED_ELSEWHERE_REASONS = ["reached", "has_mt", "deceased", "moved", "opposed", "refused"] as const;
/** Run after the lock, so it sees every hold committed before it: the patient held in another campaign,
 * or already handled by a campaign of the same type (not called twice for the same purpose). */
export const ELSEWHERE_SQL = `SELECT o."dialState" = 'held' AS "held", oc."name" AS "campaignName", o."doneReason" FROM "Enrolment" o JOIN "Campaign" oc ON oc."id" = o."campaignId"
  WHERE o."patientId" = $1 AND o."id" <> $2 AND (o."dialState" = 'held'
    OR (o."dialState" = 'done' AND oc."type" = $3::"CampaignType" AND o."doneReason" IN (${HANDLED_ELSEWHERE_REASONS.map((r) => `'${r}'`).join(", ")})))
  ORDER BY 1 DESC LIMIT 1`;
export interface Elsewhere { held: boolean; campaignName: string; doneReason: string | null }
/** A patient held in another campaign is looked at again after this delay. */
export const HELD_ELSEWHERE_RETRY_MS = 30 * 60_000;
/** 1. callbacks this agent was asked for. */
const OWN_CALLBACK_SQL = `${SELECT_CANDIDATE}
  WHERE e."callbackAgentId" = $1 AND e."dialState" = 'waiting' AND e."dueAt" <= $2 AND e."campaignId" = ANY($3::uuid[]) AND e."eligible" AND NOT p."optOut"
  ORDER BY e."dueAt" ${LOCK}`;
/** 2. callbacks whose agent did not come within the grace period. */
const ORPHAN_CALLBACK_SQL = `${SELECT_CANDIDATE}
  WHERE e."campaignId" = $1 AND e."callbackAgentId" IS NOT NULL AND e."dialState" = 'waiting' AND e."dueAt" <= $2::timestamptz - make_interval(mins => $3)
    AND e."eligible" AND NOT p."optOut"
  ORDER BY e."dueAt" ${LOCK}`;
/** 3. the campaign's queue: priority, then due time. */
const QUEUE_SQL = `${SELECT_CANDIDATE}
  WHERE e."campaignId" = $1 AND e."dialState" = 'waiting' AND e."eligible" AND e."callbackAgentId" IS NULL AND e."dueAt" <= $2 AND NOT p."optOut"
  ORDER BY e."priority", e."dueAt" ${LOCK}`;
const PEEK_SQL = `SELECT e."priority", e."dueAt" FROM "Enrolment" e
  WHERE e."campaignId" = $1 AND e."dialState" = 'waiting' AND e."eligible" AND e."callbackAgentId" IS NULL AND e."dueAt" <= $2
  ORDER BY e."priority", e."dueAt" LIMIT 1`;

export interface Claim {
  enrolmentId: string;
  campaignId: string;
}

/** Returns the enrolment now held by the agent, or null when nothing is callable right now. */
export async function claimNextPatient(client: pg.PoolClient, agent: { id: string; organisationId: string }, now = new Date()): Promise<Claim | null> {
  const held = await client.query<{ id: string; campaignId: string }>(
    `SELECT "id", "campaignId" FROM "Enrolment" WHERE "heldBy" = $1 AND "dialState" = 'held'`, [agent.id]);
  if (held.rows[0]) return { enrolmentId: held.rows[0].id, campaignId: held.rows[0].campaignId };

  // A hold lost in a database crash is harmless (the patient is simply not held; the agent claims
  // again), so this transaction does not wait for the disk. startCall and recordOutcome do.
  await client.query("SET LOCAL synchronous_commit = off");
  const { rows: campaigns } = await client.query<{ id: string; type: string; callbackGraceMinutes: number; rules: Candidate["campaign"] }>({ name: "dialer-campaigns", text: CAMPAIGNS_SQL, values: [agent.organisationId, agent.id] });
  if (!campaigns.length) return null;
  const rulesOfCampaign = new Map(campaigns.map((c) => [c.id, c.rules]));
  const typeOfCampaign = new Map(campaigns.map((c) => [c.id, c.type]));

  // Campaigns in the order their best waiting patient should be called (one peek each, no lock).
  const ordered = campaigns.length === 1 ? campaigns : await orderByNextPatient(client, campaigns, now);
  // Named statements: PostgreSQL plans each once per connection (planning cost more than running them).
  const sources: [string, string, unknown[]][] = [
    ["dialer-own-callback", OWN_CALLBACK_SQL, [agent.id, now, campaigns.map((c) => c.id)]],
    ...campaigns.map((c): [string, string, unknown[]] => ["dialer-orphan-callback", ORPHAN_CALLBACK_SQL, [c.id, now, c.callbackGraceMinutes]]),
    ...ordered.map((c): [string, string, unknown[]] => ["dialer-queue", QUEUE_SQL, [c.id, now]]),
  ];
  // One row locked at a time: with SKIP LOCKED, concurrent agents each take a different patient.
  let looks = 0;
  for (const [name, text, values] of sources) {
    while (looks++ < MAX_LOOKS) {
      const { rows } = await client.query<Omit<Candidate, "campaign">>({ name, text, values });
      const c = rows[0];
      if (!c) break;
      const requestedCallback = c.callbackAt !== null && c.callbackAt <= now;
      if (!requestedCallback) {
        const window = checkCallingWindow(now, c.inseeCode, rulesOf(rulesOfCampaign.get(c.campaignId)!));
        if (!window.open) {
          // Not callable now: it comes back when its window opens (its due time explains it in the console).
          await client.query(`UPDATE "Enrolment" SET "dueAt" = $2, "updatedAt" = now() WHERE "id" = $1`, [c.id, window.nextOpening ?? new Date(now.getTime() + 86_400_000)]);
          continue;
        }
      }
      const elsewhere = await client.query<Elsewhere>({ name: "dialer-elsewhere", text: ELSEWHERE_SQL, values: [c.patientId, c.id, typeOfCampaign.get(c.campaignId)] });
      if (elsewhere.rows[0]) {
        await client.query(
          elsewhere.rows[0].held
            ? `UPDATE "Enrolment" SET "dueAt" = $2, "updatedAt" = now() WHERE "id" = $1`
            : `UPDATE "Enrolment" SET "dialState" = 'done', "doneReason" = 'handled_elsewhere', "updatedAt" = now() WHERE "id" = $1`,
          elsewhere.rows[0].held ? [c.id, new Date(now.getTime() + HELD_ELSEWHERE_RETRY_MS)] : [c.id]);
        continue;
      }
      await client.query({
        name: "dialer-hold",
        text: `UPDATE "Enrolment" SET "dialState" = 'held', "heldBy" = $2, "heldUntil" = $3, "updatedAt" = now() WHERE "id" = $1`,
        values: [c.id, agent.id, leaseUntil(now)],
      });
      await client.query({
        name: "dialer-agent-busy",
        text: `INSERT INTO "AgentState" ("userId", "organisationId", "status", "since", "lastSeenAt") VALUES ($1, $2, 'busy', $3, $3)
         ON CONFLICT ("userId") DO UPDATE SET "status" = 'busy', "pauseReason" = NULL, "since" = $3, "lastSeenAt" = $3`,
        values: [agent.id, agent.organisationId, now],
      });
      return { enrolmentId: c.id, campaignId: c.campaignId };
    }
  }
  return null;
}

async function orderByNextPatient<C extends { id: string }>(client: pg.PoolClient, campaigns: C[], now: Date): Promise<C[]> {
  const next = await Promise.all(campaigns.map(async (c) => ({ c, top: (await client.query<{ priority: number; dueAt: Date }>(PEEK_SQL, [c.id, now])).rows[0] })));
  return next
    .filter((n) => n.top)
    .sort((a, b) => a.top!.priority - b.top!.priority || a.top!.dueAt.getTime() - b.top!.dueAt.getTime())
    .map((n) => n.c);
}
