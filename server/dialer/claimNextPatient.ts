// Rule 1: the dialer hands a ready agent the next due, eligible patient of their campaigns,
// atomically: candidates are locked with FOR UPDATE SKIP LOCKED, so concurrent agents never get
// the same patient; the hold and the agent's state change commit in the same transaction.
//
// Three round trips inside the transaction, each a named statement (PostgreSQL plans it once per
// connection): (1) the agent's current hold, their running campaigns with their rules and the head
// of each queue; (2) one candidate locked, walking the sources in order (own callbacks, orphan
// callbacks, queues); (3) after that lock, the cross-campaign check, the hold and the agent's
// state change in one statement. Nothing is cached: a campaign paused a millisecond ago hands out nothing.
import type pg from "pg";
import { checkCallingWindow } from "./callingWindow.ts";
import { rulesOf } from "./callingRules.ts";
import { leaseUntil } from "./holdLease.ts";

/** Candidates looked at per claim (those outside their window are pushed to their next opening). */
const MAX_LOOKS = 50;

type RulesRow = Parameters<typeof rulesOf>[0];
interface CampaignRow {
  id: string;
  type: string;
  callbackGraceMinutes: number;
  rules: RulesRow;
  /** Head of the campaign's queue (no lock), to serve campaigns in the order of their best patient. */
  topPriority: number | null;
  topDueAt: string | null;
}
interface Candidate {
  id: string;
  campaignId: string;
  patientId: string;
  inseeCode: string | null;
  callbackAt: Date | null;
}

// The hold check, the campaigns and the asynchronous commit of this transaction in one statement.
// A hold lost in a database crash is harmless (the patient is simply not held; the agent claims
// again), so this transaction does not wait for the disk (set_config(…, true) = SET LOCAL).
// startCall and recordOutcome do wait for it.
const PRELUDE_SQL = `
  SELECT set_config('synchronous_commit', 'off', true) AS "sc",
    (SELECT json_build_object('id', h."id", 'campaignId', h."campaignId") FROM "Enrolment" h WHERE h."heldBy" = $2::uuid AND h."dialState" = 'held') AS "held",
    COALESCE((SELECT json_agg(json_build_object('id', c."id", 'type', c."type", 'callbackGraceMinutes', c."callbackGraceMinutes",
        'rules', json_build_object('dialMode', c."dialMode", 'callingWindows', c."callingWindows", 'skipPublicHolidays', c."skipPublicHolidays",
          'maxAttempts', c."maxAttempts", 'attemptPeriodDays', c."attemptPeriodDays", 'retryDelays', c."retryDelays",
          'rotatePhoneAfter', c."rotatePhoneAfter", 'refusalPauseDays', c."refusalPauseDays", 'callbackGraceMinutes', c."callbackGraceMinutes"),
        'topPriority', top."priority", 'topDueAt', top."dueAt") ORDER BY c."id")
      FROM "Campaign" c
      LEFT JOIN LATERAL (SELECT q."priority", q."dueAt" FROM "Enrolment" q
        WHERE q."campaignId" = c."id" AND q."dialState" = 'waiting' AND q."eligible" AND q."callbackAgentId" IS NULL AND q."dueAt" <= $3
        ORDER BY q."priority", q."dueAt" LIMIT 1) top ON true
      WHERE c."organisationId" = $1 AND c."status" = 'running' AND (cardinality(c."agentIds") = 0 OR $2::text = ANY(c."agentIds"))), '[]') AS "campaigns"`;

// Each source walks a partial index in order and stops at the first row it can lock
// (Enrolment_queue / Enrolment_callbacks_*, see the dialer_queue migration): the cost does not grow
// with the listing. The sources are CTEs of one statement, read lazily in order: a source is
// scanned (and locks) only when the ones before it have no row left.
const SELECT_CANDIDATE = `SELECT e."id", e."campaignId", e."patientId", p."inseeCode", e."callbackAt" FROM "Enrolment" e JOIN "Patient" p ON p."id" = e."patientId"
  JOIN "Campaign" c ON c."id" = e."campaignId" AND c."status" = 'running'`;
// The patient's row is locked too: claims in two campaigns of the same patient serialise on it.
const LOCK = `LIMIT 1 FOR UPDATE OF e, p SKIP LOCKED`;
/** 1. callbacks this agent was asked for. */
const ownCallbacks = `${SELECT_CANDIDATE}
  WHERE e."callbackAgentId" = $1 AND e."dialState" = 'waiting' AND e."dueAt" <= $2 AND e."campaignId" = ANY($3::uuid[]) AND e."eligible" AND NOT p."optOut"
  ORDER BY e."dueAt" ${LOCK}`;
/** 2. callbacks whose agent did not come within the grace period. */
const orphanCallbacks = (campaign: string, grace: string) => `${SELECT_CANDIDATE}
  WHERE e."campaignId" = ${campaign} AND e."callbackAgentId" IS NOT NULL AND e."dialState" = 'waiting' AND e."dueAt" <= $2::timestamptz - make_interval(mins => ${grace})
    AND e."eligible" AND NOT p."optOut"
  ORDER BY e."dueAt" ${LOCK}`;
/** 3. the campaign's queue: priority, then due time. */
const queue = (campaign: string) => `${SELECT_CANDIDATE}
  WHERE e."campaignId" = ${campaign} AND e."dialState" = 'waiting' AND e."eligible" AND e."callbackAgentId" IS NULL AND e."dueAt" <= $2 AND NOT p."optOut"
  ORDER BY e."priority", e."dueAt" ${LOCK}`;

/** The candidate statement for `n` campaigns of which `q` have a queue head ($4.. campaign ids, then graces, then queues in order). */
const candidateSql = (n: number, q: number) => {
  const p = (i: number) => `$${i}`;
  const sources = [
    ownCallbacks,
    ...Array.from({ length: n }, (_, i) => orphanCallbacks(`${p(4 + i)}::uuid`, `${p(4 + n + i)}::int`)),
    ...Array.from({ length: q }, (_, i) => queue(`${p(4 + 2 * n + i)}::uuid`)),
  ];
  return `WITH ${sources.map((s, i) => `s${i} AS (${s})`).join(",\n")}
  ${sources.map((_, i) => `SELECT * FROM s${i}`).join(" UNION ALL ")} LIMIT 1`;
};
const candidateSqls = new Map<string, string>();

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

// One statement that starts after the candidate's lock (so its snapshot sees every hold committed
// before the lock, rule 1): the cross-campaign check, then either the hold and the agent busy, or the
// candidate set aside (held elsewhere: looked at again later; handled elsewhere: done).
const TAKE_SQL = `WITH el AS (${ELSEWHERE_SQL}),
  aside AS (UPDATE "Enrolment" t SET
      "dueAt" = CASE WHEN el."held" THEN $7::timestamptz ELSE t."dueAt" END,
      "dialState" = CASE WHEN el."held" THEN t."dialState" ELSE 'done' END,
      "doneReason" = CASE WHEN el."held" THEN t."doneReason" ELSE 'handled_elsewhere' END,
      "updatedAt" = now()
    FROM el WHERE t."id" = $2),
  hold AS (UPDATE "Enrolment" SET "dialState" = 'held', "heldBy" = $4, "heldUntil" = $5, "updatedAt" = now()
    WHERE "id" = $2 AND NOT EXISTS (SELECT 1 FROM el) RETURNING "id"),
  busy AS (INSERT INTO "AgentState" ("userId", "organisationId", "status", "since", "lastSeenAt")
    SELECT $4, $6, 'busy', $8, $8 FROM hold
    ON CONFLICT ("userId") DO UPDATE SET "status" = 'busy', "pauseReason" = NULL, "since" = $8, "lastSeenAt" = $8)
  SELECT el."held", el."campaignName", el."doneReason" FROM el`;

export interface Claim {
  enrolmentId: string;
  campaignId: string;
}

/** Returns the enrolment now held by the agent, or null when nothing is callable right now. */
export async function claimNextPatient(client: pg.PoolClient, agent: { id: string; organisationId: string }, now = new Date()): Promise<Claim | null> {
  const { rows: [prelude] } = await client.query<{ held: { id: string; campaignId: string } | null; campaigns: CampaignRow[] }>(
    { name: "dialer-prelude", text: PRELUDE_SQL, values: [agent.organisationId, agent.id, now] });
  if (prelude.held) return { enrolmentId: prelude.held.id, campaignId: prelude.held.campaignId };
  const campaigns = prelude.campaigns;
  if (!campaigns.length) return null;
  const byId = new Map(campaigns.map((c) => [c.id, c]));

  // Queues in the order their best waiting patient should be called (campaigns with none are skipped).
  const queues = campaigns
    .filter((c) => c.topPriority !== null)
    .sort((a, b) => a.topPriority! - b.topPriority! || Date.parse(a.topDueAt!) - Date.parse(b.topDueAt!));
  const key = `${campaigns.length}-${queues.length}`;
  if (!candidateSqls.has(key)) candidateSqls.set(key, candidateSql(campaigns.length, queues.length));
  const candidate = {
    name: `dialer-candidate-${key}`,
    text: candidateSqls.get(key)!,
    values: [agent.id, now, campaigns.map((c) => c.id), ...campaigns.map((c) => c.id), ...campaigns.map((c) => c.callbackGraceMinutes), ...queues.map((c) => c.id)],
  };

  // One row locked at a time: with SKIP LOCKED, concurrent agents each take a different patient.
  for (let looks = 0; looks < MAX_LOOKS; looks++) {
    const { rows: [c] } = await client.query<Candidate>(candidate);
    if (!c) return null;
    const campaign = byId.get(c.campaignId)!;
    const requestedCallback = c.callbackAt !== null && c.callbackAt <= now;
    if (!requestedCallback) {
      const window = checkCallingWindow(now, c.inseeCode, rulesOf(campaign.rules));
      if (!window.open) {
        // Not callable now: it comes back when its window opens (its due time explains it in the console).
        await client.query({ name: "dialer-push", text: `UPDATE "Enrolment" SET "dueAt" = $2, "updatedAt" = now() WHERE "id" = $1`,
          values: [c.id, window.nextOpening ?? new Date(now.getTime() + 86_400_000)] });
        continue;
      }
    }
    const { rows: [elsewhere] } = await client.query<Elsewhere>({
      name: "dialer-take",
      text: TAKE_SQL,
      values: [c.patientId, c.id, campaign.type, agent.id, leaseUntil(now), agent.organisationId, new Date(now.getTime() + HELD_ELSEWHERE_RETRY_MS), now],
    });
    if (!elsewhere) return { enrolmentId: c.id, campaignId: c.campaignId };
  }
  return null;
}
