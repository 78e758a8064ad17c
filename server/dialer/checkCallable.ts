// The checks made at the moment of dialling (rules 1, 4 and 5), in one place: startCall runs them
// when the agent clicks "Appeler", the Twilio softphone's voice webhook runs them again when the
// browser's call reaches Twilio, and the bridged mode before the patient's leg.
import type pg from "pg";
import { AppError } from "../errors.ts";
import { checkCallingWindow } from "./callingWindow.ts";
import { ruleColumnsJsonSql, rulesOf, type RuleColumns } from "./callingRules.ts";
import { recentAttemptsAtLimitSql } from "./attemptLimit.ts";

export interface DialFacts {
  id: string;
  campaignId: string;
  patientId: string;
  dialState: "waiting" | "held" | "done";
  heldBy: string | null;
  attempts: number;
  phoneIndex: number;
  wrongPhones: string[];
  callbackAt: Date | null;
  phones: { e164: string }[];
  optOut: boolean;
  consentContact: boolean | null;
  inseeCode: string | null;
  telephonyProvider: "simulator" | "manual" | "twilio";
  twilioAgentLeg: "softphone" | "agent_phone";
  campaign: RuleColumns & { organisationId: string; status: string; requiresContactConsent: boolean };
  /** Calls counted against the attempt limit within the campaign's period (attemptLimit.ts). */
  recentAttempts: number;
}

const DIAL_FACTS_SQL = `SELECT e."id", e."campaignId", e."patientId", e."dialState", e."heldBy", e."attempts", e."phoneIndex", e."wrongPhones", e."callbackAt",
            p."phones", p."optOut", p."consentContact", p."inseeCode", o."telephonyProvider", o."twilioAgentLeg",
            ${ruleColumnsJsonSql("c", ["organisationId", "status", "requiresContactConsent"])} AS campaign, ${recentAttemptsAtLimitSql(`e."id"`, `e."attempts"`, `c."maxAttempts"`, "now()", `c."attemptPeriodDays"`)} AS "recentAttempts"
     FROM "Enrolment" e JOIN "Patient" p ON p."id" = e."patientId" JOIN "Campaign" c ON c."id" = e."campaignId"
     JOIN "Organisation" o ON o."id" = c."organisationId"`;

/**
 * The enrolment (`heldBy`: the one this agent holds) and what dialling it depends on; `lock` locks the enrolment for the
 * rest of the caller's transaction (startCall reads without it: its insert re-checks the hold under the row's lock).
 */
export async function loadDialFacts(client: pg.PoolClient, which: { enrolmentId: string } | { heldBy: string }, { lock = true } = {}): Promise<DialFacts | null> {
  // Named: PostgreSQL plans each once per connection (planning this join cost 0.35 ms a call, six times running it).
  const [name, where, value] = "heldBy" in which ? ["dialer-dial-facts-held", `e."heldBy" = $1`, which.heldBy] : ["dialer-dial-facts", `e."id" = $1`, which.enrolmentId];
  const { rows } = await client.query<DialFacts>(lock
    ? { name: `${name}-lock`, text: `${DIAL_FACTS_SQL} WHERE ${where} FOR UPDATE OF e`, values: [value] }
    : { name, text: `${DIAL_FACTS_SQL} WHERE ${where}`, values: [value] });
  return rows[0] ?? null;
}

export const notHeld = () => new AppError("not_held", 409, "Ce patient ne vous est plus attribué.");

/** Throws the AppError (French message) that forbids this agent to dial this patient now. */
export function assertCallable(e: DialFacts, agentId: string, now: Date): void {
  if (e.dialState !== "held" || e.heldBy !== agentId) throw notHeld();
  if (e.optOut) throw new AppError("opposed", 409, "Ce patient s'est opposé aux appels : il ne doit pas être appelé.");
  if (e.campaign.requiresContactConsent && e.consentContact !== true) {
    throw new AppError("no_consent", 409, "La campagne exige le consentement à être contacté, que ce patient n'a pas donné : pas d'appel.");
  }
  if (e.campaign.status !== "running") throw new AppError("campaign_paused", 409, "La campagne n'est pas en cours : pas d'appel.");
  const requestedCallback = e.callbackAt !== null && new Date(e.callbackAt) <= now;
  if (!requestedCallback) {
    const rules = rulesOf(e.campaign);
    if (e.recentAttempts >= rules.maxAttempts) {
      throw new AppError("attempt_limit", 409, `Nombre maximal de tentatives atteint (${rules.maxAttempts} en ${rules.attemptPeriodDays} jours) : pas d'appel.`);
    }
    const window = checkCallingWindow(now, e.inseeCode, rules);
    if (!window.open) throw new AppError("outside_window", 409, `Appel impossible maintenant : ${window.reason}.`);
  }
}
