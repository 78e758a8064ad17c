// Rule 3: every attempt ends with exactly one outcome, stored durably. The outcome is written
// once (UPDATE … WHERE outcome IS NULL, and a trigger refuses any rewrite); the patient's next
// step follows the campaign's rules: retry later, rotate phone, callback, or done.
import type pg from "pg";
import { AppError, errors } from "../errors.ts";
import { rulesOf, RETRY_OUTCOMES, type Outcome } from "./callingRules.ts";
import { registerOpposition } from "../consent/registerOpposition.ts";

export interface OutcomeInput {
  outcome: Exclude<Outcome, "interrupted">;
  comment?: string | null;
  callbackAt?: Date | null;
}

const DONE_REASONS: Partial<Record<Outcome, string>> = {
  reached: "reached", has_mt: "has_mt", deceased: "deceased", moved: "moved", opposed: "opposed",
};

export async function recordOutcome(client: pg.PoolClient, agent: { id: string; organisationId: string }, attemptId: string, input: OutcomeInput, now = new Date()) {
  if (input.outcome === "callback" && !input.callbackAt) throw errors.badRequest("Un rappel demande une date et une heure.");
  if (input.outcome === "callback" && input.callbackAt! <= now) throw errors.badRequest("La date de rappel doit être dans le futur.");
  if (input.outcome === "other" && !input.comment?.trim()) throw errors.badRequest("Le résultat « Autre » demande un commentaire.");

  // The attempt, its enrolment locked (the sweeper locks it too), and the outcomes already counted in the campaign's period.
  const { rows: [e] } = await client.query({
    name: "dialer-outcome-load",
    text: `SELECT e.*, a."agentId" AS "attemptAgentId", a."organisationId" AS "attemptOrganisationId", a."phone" AS "attemptPhone",
         row_to_json(c) AS campaign, p."phones",
         (SELECT count(*) FROM "CallAttempt" r WHERE r."enrolmentId" = e."id" AND r."outcome" IS NOT NULL AND r."outcome" <> 'interrupted'
            AND r."createdAt" > $2::timestamptz - make_interval(days => c."attemptPeriodDays"))::int AS "recentOutcomes"
       FROM "CallAttempt" a JOIN "Enrolment" e ON e."id" = a."enrolmentId" JOIN "Campaign" c ON c."id" = e."campaignId" JOIN "Patient" p ON p."id" = e."patientId"
       WHERE a."id" = $1 FOR UPDATE OF e`,
    values: [attemptId, now],
  });
  if (!e || e.attemptOrganisationId !== agent.organisationId) throw errors.notFound("Appel");
  if (e.attemptAgentId !== agent.id) throw errors.forbidden();
  const attempt = { phone: e.attemptPhone as string };

  const rules = rulesOf(e.campaign);
  const attempts = e.attempts + 1;
  const next = { dialState: "waiting" as "waiting" | "done", dueAt: now, doneReason: null as string | null, phoneIndex: e.phoneIndex, failuresOnPhone: e.failuresOnPhone,
    wrongPhones: e.wrongPhones as string[], callbackAt: null as Date | null, callbackAgentId: null as string | null };
  const o = input.outcome;
  if (DONE_REASONS[o]) {
    next.dialState = "done";
    next.doneReason = DONE_REASONS[o]!;
  } else if (o === "refused") {
    if (rules.refusalPauseDays === null) Object.assign(next, { dialState: "done", doneReason: "refused" });
    else next.dueAt = new Date(now.getTime() + rules.refusalPauseDays * 86_400_000);
  } else if (o === "callback") {
    Object.assign(next, { dueAt: input.callbackAt, callbackAt: input.callbackAt, callbackAgentId: agent.id });
  } else if (o === "wrong_number") {
    next.wrongPhones = [...next.wrongPhones, attempt.phone];
    next.failuresOnPhone = 0;
    const left = (e.phones as { e164: string }[]).filter((p) => !next.wrongPhones.includes(p.e164));
    if (!left.length) Object.assign(next, { dialState: "done", doneReason: "no_valid_phone" });
  } else if ((RETRY_OUTCOMES as readonly string[]).includes(o)) {
    next.failuresOnPhone += 1;
    if (next.failuresOnPhone >= rules.rotatePhoneAfter) {
      next.phoneIndex += 1;
      next.failuresOnPhone = 0;
    }
    next.dueAt = new Date(now.getTime() + (rules.retryMinutes[o] ?? 240) * 60_000);
  }
  // This outcome counts too (it is not "interrupted"): the ones before it, plus one.
  if (next.dialState === "waiting" && o !== "callback" && e.recentOutcomes + 1 >= rules.maxAttempts) {
    Object.assign(next, { dialState: "done", doneReason: "max_attempts" });
  }
  // One statement: the outcome written once (the enrolment and the agent's state follow only if it was),
  // then the patient's next step and the agent in wrap-up.
  const written = await client.query({
    name: "dialer-outcome-write",
    text: `WITH w AS (UPDATE "CallAttempt" SET "outcome" = $2, "outcomeAt" = $3, "outcomeBy" = $4, "comment" = $5, "callbackAt" = $6,
         "endedAt" = COALESCE("endedAt", $3) WHERE "id" = $1 AND "outcome" IS NULL RETURNING "id"),
       en AS (UPDATE "Enrolment" SET "dialState" = $8, "dueAt" = $9, "doneReason" = $10, "phoneIndex" = $11, "failuresOnPhone" = $12, "wrongPhones" = $13,
         "callbackAt" = $14, "callbackAgentId" = $15, "attempts" = $16, "lastOutcome" = $2, "heldBy" = NULL, "heldUntil" = NULL, "updatedAt" = now()
         WHERE "id" = $7 AND EXISTS (SELECT 1 FROM w)),
       ag AS (UPDATE "AgentState" SET "status" = 'wrap_up', "since" = $3, "lastSeenAt" = $3 WHERE "userId" = $4::uuid AND EXISTS (SELECT 1 FROM w))
     SELECT "id" FROM w`,
    values: [attemptId, o, now, agent.id, input.comment ?? null, input.callbackAt ?? null,
      e.id, next.dialState, next.dueAt, next.doneReason, next.phoneIndex, next.failuresOnPhone, next.wrongPhones, next.callbackAt, next.callbackAgentId, attempts],
  });
  if (!written.rowCount) throw new AppError("outcome_exists", 409, "Le résultat de cet appel est déjà enregistré.");
  if (o === "has_mt") await client.query(`UPDATE "Patient" SET "hasMt" = true, "updatedAt" = now() WHERE "id" = $1`, [e.patientId]);
  if (o === "opposed") {
    await registerOpposition(client, { organisationId: agent.organisationId, patientId: e.patientId, source: "call", recordedById: agent.id, attemptId, comment: input.comment ?? null });
  }
  return { enrolmentId: e.id, campaignId: e.campaignId, patientId: e.patientId, outcome: o, dialState: next.dialState, dueAt: next.dueAt, doneReason: next.doneReason };
}
