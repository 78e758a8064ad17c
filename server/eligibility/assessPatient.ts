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

export function ageOn(birthDate: string, today: Date): number {
  const [y, m, d] = birthDate.split("-").map(Number);
  let age = today.getUTCFullYear() - y;
  if (today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d)) age -= 1;
  return age;
}

export function assessPatient(p: PatientFacts, rules: CampaignRules, today = new Date()) {
  const age = ageOn(p.birthDate, today);
  const reasons: string[] = [];
  if (age < MIN_AGE) reasons.push(`moins de ${MIN_AGE} ans`);
  if (p.hasMt) reasons.push("a déjà un médecin traitant");
  if (p.optOut) reasons.push("opposé aux appels");
  if (p.phoneCount === 0) reasons.push("aucun numéro valide");
  if (rules.requiresContactConsent && p.consentContact !== true) reasons.push("pas de consentement à être contacté");

  const groups: Record<PriorityGroup, boolean> = { ald: p.ald, age70: age >= 70, css: p.css, other: true };
  const priority = rules.priorityOrder.findIndex((g) => groups[g]);
  const label = [p.ald ? "ALD" : null, `${age} ans`, p.css ? "CSS" : null, p.hasMt ? "avec MT" : "sans MT"].filter(Boolean).join(", ");
  return { age, eligible: reasons.length === 0, ineligibleReason: reasons.length ? reasons.join(" ; ") : null, priority, priorityLabel: label };
}
