// Rule 3: every attempt ends with exactly one outcome, stored durably. The outcome is written
// once (UPDATE … WHERE outcome IS NULL, and a trigger refuses any rewrite); the patient's next
// step follows the campaign's rules: retry later, rotate phone, callback, or done.
//
// Two statements, no transaction of its own (decision 013): the attempt and its enrolment read, then
// one statement that writes everything or nothing: the outcome, the patient's next step, the agent in
// wrap-up, the opposition register or the "has a GP" flag, the end of a GP reservation the outcome makes
// pointless (deceased, opposed…). The next step is computed from the enrolment as read; the write locks
// the enrolment and goes ahead only if it is unchanged (else it reads again), so a sweeper or a supervisor
// interrupting the call at the same moment wins or loses whole: never two outcomes, never an outcome without its next step.
import type pg from "pg";
import { AppError, errors } from "../errors.ts";
import { ruleColumnsJsonSql, rulesOf, RETRY_OUTCOMES, OUTCOME_LABELS, type Outcome, type RuleColumns } from "./callingRules.ts";
import { oppositionInsertSql } from "../consent/registerOpposition.ts";
import { cancelOnOutcomeSql } from "../matching/cancelReservations.ts";
import { recentAttemptsSql } from "./attemptLimit.ts";
import { callbackRefusal } from "../../shared-types/callbackLimits.ts";
import type { CallToEnd } from "../calls/hangUpCalls.ts";

export interface OutcomeInput {
  outcome: Exclude<Outcome, "interrupted">;
  comment?: string | null;
  callbackAt?: Date | null;
}

const DONE_REASONS: Partial<Record<Outcome, string>> = {
  reached: "reached", has_mt: "has_mt", deceased: "deceased", moved: "moved", opposed: "opposed",
};

/** Outcomes that say nobody was reached: impossible once a GP was booked for the patient during this very call. */
const NOT_REACHED: readonly Outcome[] = ["no_answer", "busy", "voicemail", "wrong_number"];

/** Reads again after a concurrent change of the enrolment (an import, a supervisor) at most this many times. */
const MAX_TRIES = 3;

const LOAD_SQL = `SELECT e."id", e."campaignId", e."patientId", e."dialState", e."dueAt", e."doneReason", e."phoneIndex", e."failuresOnPhone", e."wrongPhones", e."attempts",
     a."agentId" AS "attemptAgentId", a."organisationId" AS "attemptOrganisationId", a."phone" AS "attemptPhone",
     a."outcome" AS "recorded", a."outcomeBy" AS "recordedBy", a."callbackAt" AS "recordedCallbackAt", a."comment" AS "recordedComment",
     ${ruleColumnsJsonSql("c")} AS campaign, p."phones",
     ${recentAttemptsSql(`e."id"`, "$2::timestamptz", `c."attemptPeriodDays"`)} AS "recentOutcomes",
     EXISTS (SELECT 1 FROM "Orientation" o WHERE o."patientId" = e."patientId" AND o."status" IN ('reserved', 'confirmed') AND o."reservedAt" >= COALESCE(a."dialledAt", a."createdAt")) AS "bookedDuringCall"
   FROM "CallAttempt" a JOIN "Enrolment" e ON e."id" = a."enrolmentId" JOIN "Campaign" c ON c."id" = e."campaignId" JOIN "Patient" p ON p."id" = e."patientId"
   WHERE a."id" = $1`;

// $1 attempt, $2 outcome, $3 now, $4 agent, $5 comment, $6 callback at, $7 enrolment, $8–$16 its next step,
// $17–$20 the enrolment as read, $21 patient, $22 organisation. Answers the call as it found it, for its hang-up.
const WRITE_SQL = `WITH lk AS (SELECT "id" FROM "Enrolment" WHERE "id" = $7 AND "attempts" = $17 AND "phoneIndex" = $18 AND "failuresOnPhone" = $19
         AND "wrongPhones" = $20::text[] FOR UPDATE),
     w AS (UPDATE "CallAttempt" SET "outcome" = $2, "outcomeAt" = $3, "outcomeBy" = $4, "comment" = $5, "callbackAt" = $6,
         "endedAt" = COALESCE("endedAt", $3) WHERE "id" = $1 AND "outcome" IS NULL AND EXISTS (SELECT 1 FROM lk)
         RETURNING "id", "provider", "providerCallId", "agentCallSid", "callStatus"),
     en AS (UPDATE "Enrolment" SET "dialState" = $8, "dueAt" = $9, "doneReason" = $10, "phoneIndex" = $11, "failuresOnPhone" = $12, "wrongPhones" = $13,
         "callbackAt" = $14, "callbackAgentId" = $15, "attempts" = $16, "lastOutcome" = $2, "heldBy" = NULL, "heldUntil" = NULL, "updatedAt" = now()
         WHERE "id" IN (SELECT "id" FROM lk) AND EXISTS (SELECT 1 FROM w)),
     ag AS (UPDATE "AgentState" SET "status" = 'wrap_up', "since" = $3, "lastSeenAt" = $3 WHERE "userId" = $4::uuid AND EXISTS (SELECT 1 FROM w)
         RETURNING "status", "pauseReason", "since"),
     mt AS (UPDATE "Patient" SET "hasMt" = true, "updatedAt" = now() WHERE "id" = $21 AND $2 = 'has_mt' AND EXISTS (SELECT 1 FROM w)),
     opp AS (${oppositionInsertSql({ patient: "$21", organisation: "$22", source: "'call'", recordedBy: "$4::uuid", attempt: "$1", importId: "NULL", comment: "$5", when: "$2 = 'opposed' AND EXISTS (SELECT 1 FROM w)" })}),
     cx AS (${cancelOnOutcomeSql({ outcome: "$2", patient: "$21", now: "$3", when: "EXISTS (SELECT 1 FROM w)" })})
   SELECT EXISTS (SELECT 1 FROM w) AS "written", EXISTS (SELECT 1 FROM lk) AS "unchanged", (SELECT row_to_json(ag) FROM ag) AS "agentState",
     (SELECT row_to_json(w) FROM w) AS "call"`;

/** The agent's state as the outcome left it (in wrap-up since its moment); null when it wrote none (a repeat). */
type AgentStateAfter = { status: string; pauseReason: string | null; since: string };

export async function recordOutcome(client: pg.PoolClient, agent: { id: string; organisationId: string }, attemptId: string, input: OutcomeInput, now = new Date()) {
  if (input.outcome === "callback" && !input.callbackAt) throw errors.badRequest("Un rappel demande une date et une heure.");
  const refusal = input.outcome === "callback" ? callbackRefusal(input.callbackAt!, now) : null;
  if (refusal) throw errors.badRequest(`La date de rappel ${refusal}.`);
  if (input.outcome === "other" && !input.comment?.trim()) throw errors.badRequest("Le résultat « Autre » demande un commentaire.");
  for (let tries = 1; ; tries++) {
    const { rows: [e] } = await client.query({ name: "dialer-outcome-load", text: LOAD_SQL, values: [attemptId, now] });
    if (!e || e.attemptOrganisationId !== agent.organisationId) throw errors.notFound("Appel");
    if (e.attemptAgentId !== agent.id) throw new AppError("not_your_call", 403, "Cet appel est celui d'un autre agent : seul l'agent qui l'a passé en note le résultat.");
    if (e.recorded) return replayOf(e, agent.id, input);
    if (e.bookedDuringCall && NOT_REACHED.includes(input.outcome)) {
      throw new AppError("booked_during_call", 409, `Une place a été réservée chez un médecin pendant cet appel : le patient a donc été joint, « ${OUTCOME_LABELS[input.outcome]} » ne peut pas être son résultat. Choisissez celui de l'échange (« Joint », « Rappel demandé »…).`);
    }
    const next = nextStep(e, input, agent.id, now);
    const o = input.outcome;
    const { rows: [r] } = await client.query<{ written: boolean; unchanged: boolean; agentState: AgentStateAfter | null; call: CallToEnd | null }>({
      name: "dialer-outcome-write",
      text: WRITE_SQL,
      values: [attemptId, o, now, agent.id, input.comment ?? null, input.callbackAt ?? null,
        e.id, next.dialState, next.dueAt, next.doneReason, next.phoneIndex, next.failuresOnPhone, next.wrongPhones, next.callbackAt, next.callbackAgentId, e.attempts + 1,
        e.attempts, e.phoneIndex, e.failuresOnPhone, e.wrongPhones, e.patientId, agent.organisationId],
    });
    if (r.written) {
      return { enrolmentId: e.id, campaignId: e.campaignId, patientId: e.patientId, outcome: o, dialState: next.dialState, dueAt: next.dueAt, doneReason: next.doneReason, replayed: false,
        agentState: r.agentState, call: r.call };
    }
    if (r.unchanged || tries >= MAX_TRIES) throw new AppError("outcome_exists", 409, "Le résultat de cet appel est déjà enregistré.");
  }
}

/**
 * The attempt has its outcome already. The same outcome sent again by its agent (the console re-sends what it could not
 * know was stored: the answer was lost with the connection) is answered as stored, `replayed`, with nothing written;
 * any other is refused, saying which outcome stands (the sweeper's « Interrompu » after a lapsed hold, for instance).
 */
function replayOf(e: LoadedEnrolment, agentId: string, input: OutcomeInput) {
  const same = e.recorded === input.outcome && e.recordedBy === agentId && (e.recordedComment ?? null) === (input.comment ?? null)
    && (e.recordedCallbackAt?.getTime() ?? null) === (input.callbackAt?.getTime() ?? null);
  if (!same) {
    const by = e.recordedBy === agentId ? "par vous" : e.recordedBy === "system" ? "par le système" : "par la supervision";
    throw new AppError("outcome_exists", 409, `Le résultat de cet appel est déjà enregistré : « ${OUTCOME_LABELS[e.recorded!]} », ${by}.`);
  }
  return { enrolmentId: e.id, campaignId: e.campaignId, patientId: e.patientId, outcome: input.outcome, dialState: e.dialState, dueAt: e.dueAt, doneReason: e.doneReason, replayed: true, agentState: null, call: null };
}

interface LoadedEnrolment {
  id: string; campaignId: string; patientId: string; dialState: "waiting" | "done"; dueAt: Date; doneReason: string | null;
  recorded: Outcome | null; recordedBy: string | null; recordedCallbackAt: Date | null; recordedComment: string | null;
  phoneIndex: number; failuresOnPhone: number; wrongPhones: string[]; attempts: number; recentOutcomes: number; bookedDuringCall: boolean;
  attemptPhone: string; phones: { e164: string }[]; campaign: RuleColumns;
}

/** The patient's next step after this outcome, by the campaign's rules. */
function nextStep(e: LoadedEnrolment, input: OutcomeInput, agentId: string, now: Date) {
  const rules = rulesOf(e.campaign);
  const next = { dialState: "waiting" as "waiting" | "done", dueAt: now, doneReason: null as string | null, phoneIndex: e.phoneIndex, failuresOnPhone: e.failuresOnPhone,
    wrongPhones: e.wrongPhones, callbackAt: null as Date | null, callbackAgentId: null as string | null };
  const o = input.outcome;
  if (DONE_REASONS[o]) {
    next.dialState = "done";
    next.doneReason = DONE_REASONS[o]!;
  } else if (o === "refused") {
    if (rules.refusalPauseDays === null) Object.assign(next, { dialState: "done", doneReason: "refused" });
    else next.dueAt = new Date(now.getTime() + rules.refusalPauseDays * 86_400_000);
  } else if (o === "callback") {
    Object.assign(next, { dueAt: input.callbackAt, callbackAt: input.callbackAt, callbackAgentId: agentId });
  } else if (o === "wrong_number") {
    next.wrongPhones = [...next.wrongPhones, e.attemptPhone];
    next.failuresOnPhone = 0;
    const left = e.phones.filter((p) => !next.wrongPhones.includes(p.e164));
    if (!left.length) Object.assign(next, { dialState: "done", doneReason: "no_valid_phone" });
  } else if ((RETRY_OUTCOMES as readonly string[]).includes(o)) {
    next.failuresOnPhone += 1;
    if (next.failuresOnPhone >= rules.rotatePhoneAfter) {
      next.phoneIndex += 1;
      next.failuresOnPhone = 0;
    }
    next.dueAt = new Date(now.getTime() + (rules.retryMinutes[o] ?? 240) * 60_000);
  }
  // This outcome counts too (it is not "interrupted"): the ones before it (attemptLimit.ts), plus one.
  if (next.dialState === "waiting" && o !== "callback" && e.recentOutcomes + 1 >= rules.maxAttempts) {
    Object.assign(next, { dialState: "done", doneReason: "max_attempts" });
  }
  return next;
}
