// Eligibility and priority of a patient in a campaign (DESIGN step 2), explained in French.
import type { PriorityGroup } from "../campaigns/schemas.ts";

export interface PatientFacts {
  birthDate: string; // yyyy-mm-dd
  ald: boolean;
  css: boolean;
  hasMt: boolean;
  optOut: boolean;
  consentContact: boolean | null;
  phoneCount: number;
}

export interface CampaignRules {
  priorityOrder: readonly PriorityGroup[];
  requiresContactConsent: boolean;
}

export const MIN_AGE = 17;

/** Why a patient is not eligible: a code for the console's logic, a French text for people. */
export interface IneligibleReason {
  code: "under_age" | "has_mt" | "opposed" | "no_phone" | "no_consent";
  text: string;
}

/** Whole years from `birthDate` to `today`, both yyyy-mm-dd; `today` is the organisation's calendar date
 * (calendarDate in server/organisations/timeZone.ts), so a patient turns 17 on the same day everywhere. */
export function ageOn(birthDate: string, today: string): number {
  const by = Number(birthDate.slice(0, 4)), bm = Number(birthDate.slice(5, 7)), bd = Number(birthDate.slice(8, 10));
  const ty = Number(today.slice(0, 4)), tm = Number(today.slice(5, 7)), td = Number(today.slice(8, 10));
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** `today`: the organisation's calendar date (yyyy-mm-dd). */
export function assessPatient(p: PatientFacts, rules: CampaignRules, today: string) {
  const age = ageOn(p.birthDate, today);
  const ineligible: IneligibleReason[] = [];
  if (age < MIN_AGE) ineligible.push({ code: "under_age", text: `moins de ${MIN_AGE} ans` });
  if (p.hasMt) ineligible.push({ code: "has_mt", text: "a déjà un médecin traitant" });
  if (p.optOut) ineligible.push({ code: "opposed", text: "opposé aux appels" });
  if (p.phoneCount === 0) ineligible.push({ code: "no_phone", text: "aucun numéro valide" });
  if (rules.requiresContactConsent && p.consentContact !== true) ineligible.push({ code: "no_consent", text: "pas de consentement à être contacté" });
  const reasons = ineligible.map((r) => r.text);

  const groups: Record<PriorityGroup, boolean> = { ald: p.ald, age70: age >= 70, css: p.css, other: true };
  const priority = rules.priorityOrder.findIndex((g) => groups[g]);
  const label = [p.ald ? "ALD" : null, `${age} ans`, p.css ? "CSS" : null, p.hasMt ? "avec MT" : "sans MT"].filter(Boolean).join(", ");
  return { age, eligible: reasons.length === 0, ineligibleReason: reasons.length ? reasons.join(" ; ") : null, ineligible, priority, priorityLabel: label };
}
