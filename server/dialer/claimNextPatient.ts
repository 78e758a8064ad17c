// Rule 1: the dialer hands a ready agent the next due, eligible patient of their campaigns,
// atomically: candidates are locked with FOR UPDATE SKIP LOCKED, so concurrent agents never get
// the same patient; the hold and the agent's state change commit together.
//
// One statement, one round trip, its own transaction (decision 013): the agent's current hold, their
// running campaigns, one candidate locked walking the sources in order (own callbacks, orphan
// callbacks, queues by their best patient), the cross-campaign check, the hold and the agent busy.
// Two claims of the same patient in two campaigns cannot both commit: the unique index
// Enrolment_one_hold_per_patient refuses the second (23505), which claims again. The calling window
// is checked after (luxon and the holiday calendar live in Node): a candidate outside its window
// (rare: those are pushed to their next opening, out of the queue's head) is handed back at once.
// Nothing is cached: a campaign paused a millisecond ago hands out nothing.
import type pg from "pg";
import { checkCallingWindow } from "./callingWindow.ts";
import { ruleColumnsJsonSql, rulesOf, type CallingRules, type RuleColumns } from "./callingRules.ts";
import { leaseUntil } from "./holdLease.ts";
import { recentAttemptsAtLimitSql } from "./attemptLimit.ts";
import { agentWorksCampaignSql } from "./campaignAgents.ts";
import { PRIORITY_GROUPS } from "../campaigns/schemas.ts";

/** Candidates looked at per claim (those outside their window are pushed to their next opening). */
const MAX_LOOKS = 50;

/** How a patient's calls ended in a campaign that settles them for every campaign of the same type. */
export const HANDLED_ELSEWHERE_REASONS = ["reached", "has_mt", "deceased", "moved", "opposed", "refused"] as const;
/** The patient held in another campaign, or already handled by a campaign of the same type (not called
 * twice for the same purpose), for the enrolment of `patient` looked at in a campaign of `type`. */
const elsewhereSql = (patient: string, enrolment: string, type: string) => `SELECT o."dialState" = 'held' AS "held", oc."name" AS "campaignName", o."doneReason"
  FROM "Enrolment" o JOIN "Campaign" oc ON oc."id" = o."campaignId"
  WHERE o."patientId" = ${patient} AND o."id" <> ${enrolment} AND (o."dialState" = 'held'
    OR (o."dialState" = 'done' AND oc."type" = ${type} AND o."doneReason" IN (${HANDLED_ELSEWHERE_REASONS.map((r) => `'${r}'`).join(", ")})))
  ORDER BY 1 DESC LIMIT 1`;
/** The same, as a statement: $1 patient, $2 enrolment, $3 campaign type. */
export const ELSEWHERE_SQL = elsewhereSql("$1", "$2", `$3::"CampaignType"`);
export interface Elsewhere { held: boolean; campaignName: string; doneReason: string | null }
/** A patient held in another campaign is looked at again after this delay. */
export const HELD_ELSEWHERE_RETRY_MS = 30 * 60_000;

// Each source walks a partial index in order and stops at the first row it can lock
// (Enrolment_queue / Enrolment_callbacks_*, see the dialer_queue migration): the cost does not grow
// with the listing. The sources are read lazily in order (UNION ALL … LIMIT 1): a source is scanned
// (and locks) only when the ones before it have no row left. The queues are read once: the first free
// patient of each of the agent's running campaigns is locked and the best of them (priority, then due
// time) taken; the others are free again when the statement commits, a moment later. Only the
// enrolment is locked: the same patient claimed at once in two campaigns is caught by
// Enrolment_one_hold_per_patient.
// The queue is ordered by priority, then due time; "due now, best priority first" is not one range of it, as
// patients retried later keep their place in their priority, due in the future. Walked in order, a claim stepped
// over every first-priority patient awaiting a retry before the first due one of the next priority (155 pages at
// 20,000 of them), or PostgreSQL chose another index and sorted every due patient, depending on the statistics of
// the moment. So each priority's due patients are one range, read in priority order until one is free (a function
// scan returns its rows in order); the "Enrolment_priority_level" check keeps every priority among these levels.
const PRIORITY_LEVELS = `generate_series(0, ${PRIORITY_GROUPS.length - 1})`;
const CANDIDATE = `SELECT e."id", e."campaignId", e."patientId", p."inseeCode", e."callbackAt", e."priority", e."dueAt", e."attempts" FROM "Enrolment" e JOIN "Patient" p ON p."id" = e."patientId"`;
const LOCK = `LIMIT 1 FOR UPDATE OF e SKIP LOCKED`;

// $1 organisation, $2 agent, $3 now, $4 lease end, $5 "held elsewhere: look again at".
// An agent in pause or offline is handed nobody: their state is read locked (FOR UPDATE reads the latest committed
// state, waiting for a change under way), so a « Pause » that commits while a « Prêt » or the console's automatic ask
// is on its way either precedes the claim, which then hands out nothing, or follows it and hands the patient back
// (changeAgentStatus): never an agent in pause holding a patient.
// A hold lost in a database crash is harmless (the patient is simply not held; the agent claims
// again), so this statement does not wait for the disk (set_config(…, true) = SET LOCAL, read at its
// commit). startCall and recordOutcome do wait for it.
const CLAIM_SQL = `WITH
  before AS MATERIALIZED (SELECT "status", "pauseReason", "since" FROM "AgentState" WHERE "userId" = $2::uuid FOR UPDATE),
  camp AS MATERIALIZED (SELECT c."id", c."type", c."name", c."callbackGraceMinutes", ${ruleColumnsJsonSql("c")} AS "rules" FROM "Campaign" c
    WHERE c."organisationId" = $1::uuid AND c."status" = 'running' AND ${agentWorksCampaignSql("c", "$2::uuid")}
      AND NOT EXISTS (SELECT 1 FROM before WHERE "status" IN ('paused', 'offline'))),
  held AS MATERIALIZED (SELECT h."id", h."campaignId", hc."dialMode",
      EXISTS (SELECT 1 FROM "CallAttempt" a WHERE a."enrolmentId" = h."id" AND a."outcome" IS NULL) AS "openCall"
    FROM "Enrolment" h JOIN "Campaign" hc ON hc."id" = h."campaignId" WHERE h."heldBy" = $2::uuid),
  own AS (${CANDIDATE}
    WHERE NOT EXISTS (SELECT 1 FROM held) AND e."callbackAgentId" = $2::uuid AND e."dialState" = 'waiting' AND e."dueAt" <= $3
      AND e."campaignId" IN (SELECT "id" FROM camp) AND e."eligible" AND NOT p."optOut"
    ORDER BY e."dueAt" ${LOCK}),
  orphan AS (SELECT x.* FROM camp c CROSS JOIN LATERAL (${CANDIDATE}
      WHERE e."campaignId" = c."id" AND e."callbackAgentId" IS NOT NULL AND e."dialState" = 'waiting'
        AND e."dueAt" <= $3::timestamptz - make_interval(mins => c."callbackGraceMinutes") AND e."eligible" AND NOT p."optOut"
      ORDER BY e."dueAt" ${LOCK}) x
    WHERE NOT EXISTS (SELECT 1 FROM held) LIMIT 1),
  queue AS (SELECT x.* FROM camp c CROSS JOIN LATERAL (SELECT y.* FROM ${PRIORITY_LEVELS} lvl CROSS JOIN LATERAL (${CANDIDATE}
        WHERE e."campaignId" = c."id" AND e."priority" = lvl AND e."dialState" = 'waiting' AND e."eligible" AND e."callbackAgentId" IS NULL AND e."dueAt" <= $3 AND NOT p."optOut"
        ORDER BY e."dueAt" ${LOCK}) y LIMIT 1) x
    WHERE NOT EXISTS (SELECT 1 FROM held) ORDER BY x."priority", x."dueAt" LIMIT 1),
  cand AS MATERIALIZED (SELECT k.*, c."type", c."rules",
      ${recentAttemptsAtLimitSql(`k."id"`, `k."attempts"`, `(c."rules"->>'maxAttempts')::int`, "$3::timestamptz", `(c."rules"->>'attemptPeriodDays')::int`)} AS "recentAttempts"
    FROM (SELECT * FROM own UNION ALL SELECT * FROM orphan UNION ALL SELECT * FROM queue LIMIT 1) k
    JOIN camp c ON c."id" = k."campaignId"),
  el AS MATERIALIZED (SELECT x.* FROM cand CROSS JOIN LATERAL (${elsewhereSql(`cand."patientId"`, `cand."id"`, `cand."type"`)}) x),
  aside AS (UPDATE "Enrolment" t SET
      "dueAt" = CASE WHEN el."held" THEN $5::timestamptz ELSE t."dueAt" END,
      "dialState" = CASE WHEN el."held" THEN t."dialState" ELSE 'done' END,
      "doneReason" = CASE WHEN el."held" THEN t."doneReason" ELSE 'handled_elsewhere' END,
      "updatedAt" = now()
    FROM cand, el WHERE t."id" = cand."id"),
  hold AS (UPDATE "Enrolment" t SET "dialState" = 'held', "heldBy" = $2::uuid, "heldUntil" = $4, "updatedAt" = now()
    FROM cand WHERE t."id" = cand."id" AND NOT EXISTS (SELECT 1 FROM el) RETURNING t."id"),
  busy AS (INSERT INTO "AgentState" ("userId", "organisationId", "status", "since", "lastSeenAt")
    SELECT $2::uuid, $1::uuid, 'busy', $3, $3 FROM hold
    ON CONFLICT ("userId") DO UPDATE SET "status" = 'busy', "pauseReason" = NULL, "since" = $3, "lastSeenAt" = $3)
  SELECT set_config('synchronous_commit', 'off', true) AS "sc",
    (SELECT row_to_json(held) FROM held LIMIT 1) AS "held",
    (SELECT row_to_json(cand) FROM cand) AS "candidate",
    (SELECT row_to_json(el) FROM el) AS "elsewhere",
    (SELECT row_to_json(before) FROM before) AS "before"`;

interface ClaimRow {
  held: { id: string; campaignId: string; dialMode: DialMode; openCall: boolean } | null;
  candidate: { id: string; campaignId: string; patientId: string; inseeCode: string | null; callbackAt: string | null; rules: RuleColumns; recentAttempts: number } | null;
  elsewhere: Elsewhere | null;
  before: { status: string; pauseReason: string | null; since: string } | null;
}

/** Lets go of the candidate (`set`: what becomes of it) and puts the agent back in the state they were in:
 * $1 enrolment, $2 agent, $3–$5 the agent's state before the claim, then the parameters of `set`. */
const letGoSql = (set: string) => `WITH back AS (UPDATE "Enrolment" SET ${set}, "heldBy" = NULL, "heldUntil" = NULL, "updatedAt" = now()
    WHERE "id" = $1 AND "heldBy" = $2 RETURNING 1)
  UPDATE "AgentState" SET "status" = COALESCE($3, 'ready')::"AgentStatus", "pauseReason" = $4, "since" = COALESCE($5, "since")
  WHERE "userId" = $2 AND EXISTS (SELECT 1 FROM back)`;
// Outside its calling window: back to the queue, due when the window opens (its due time explains it in the console;
// new calling rules bring it back: reopenDeferredPatients). $6 the next opening.
const HAND_BACK_SQL = letGoSql(`"dialState" = 'waiting', "dueAt" = $6, "deferredUntil" = $6`);
// At the attempt limit: done (« max_attempts », as recordOutcome ends it).
const CLOSE_AT_LIMIT_SQL = letGoSql(`"dialState" = 'done', "doneReason" = 'max_attempts'`);

type DialMode = CallingRules["dialMode"];

export interface Claim {
  enrolmentId: string;
  campaignId: string;
  /** Progressive: the caller starts the call at once, unless one is already open (a patient held before this claim). */
  dialMode: DialMode;
  openCall: boolean;
  /** The agent's state as this claim left it: busy since its moment; null for a patient held before (their state as it was). */
  agentState: { status: "busy"; pauseReason: null; since: Date } | null;
}

const isHoldConflict = (err: unknown) =>
  (err as { code?: string }).code === "23505" && /Enrolment_one_hold_per_(patient|agent)/.test((err as { constraint?: string }).constraint ?? "");

/**
 * Returns the enrolment now held by the agent, or null when nothing is callable right now.
 * Runs its own statements (each its own transaction): call it on a connection outside a transaction.
 */
export async function claimNextPatient(client: pg.PoolClient, agent: { id: string; organisationId: string }, now = new Date()): Promise<Claim | null> {
  for (let looks = 0; looks < MAX_LOOKS; looks++) {
    let row: ClaimRow;
    try {
      ({ rows: [row] } = await client.query<ClaimRow>({
        name: "dialer-claim",
        text: CLAIM_SQL,
        values: [agent.organisationId, agent.id, now, leaseUntil(now), new Date(now.getTime() + HELD_ELSEWHERE_RETRY_MS)],
      }));
    } catch (err) {
      if (isHoldConflict(err)) continue; // held by another agent (or by this one, in another tab) meanwhile: look again
      throw err;
    }
    if (row.held) return { enrolmentId: row.held.id, campaignId: row.held.campaignId, dialMode: row.held.dialMode, openCall: row.held.openCall, agentState: null };
    const c = row.candidate;
    if (!c) return null;
    if (row.elsewhere) continue; // set aside (held or handled in another campaign): the next one
    const requestedCallback = c.callbackAt !== null && new Date(c.callbackAt) <= now;
    const rules = rulesOf(c.rules);
    const agentBefore = [row.before?.status ?? null, row.before?.pauseReason ?? null, row.before?.since ?? null];
    // At the limit (reached by calls that were interrupted, or lowered since the last call): no more calls. A callback
    // the patient asked for is not an attempt of ours (recordOutcome does not count it either).
    if (!requestedCallback && c.recentAttempts >= rules.maxAttempts) {
      await client.query({ name: "dialer-close-at-limit", text: CLOSE_AT_LIMIT_SQL, values: [c.id, agent.id, ...agentBefore] });
      continue;
    }
    const window = requestedCallback ? { open: true as const } : checkCallingWindow(now, c.inseeCode, rules);
    // A patient who was not held has no open call (an attempt ends before its hold: recordOutcome, the sweeper).
    if (window.open) return { enrolmentId: c.id, campaignId: c.campaignId, dialMode: rules.dialMode, openCall: false, agentState: { status: "busy", pauseReason: null, since: now } };
    await client.query({
      name: "dialer-hand-back",
      text: HAND_BACK_SQL,
      values: [c.id, agent.id, ...agentBefore, window.nextOpening ?? new Date(now.getTime() + 86_400_000)],
    });
  }
  return null;
}
