// DESIGN step 2 and rule 5: who may be called, and in which order, explained in French.
import { describe, expect, it } from "vitest";
import { assessPatient, type PatientFacts } from "../../server/eligibility/assessPatient.ts";
import type { PriorityGroup } from "../../server/campaigns/schemas.ts";

const TODAY = "2026-11-24";
const base: PatientFacts = { birthDate: "1950-06-01", ald: true, css: false, hasMt: false, optOut: false, consentContact: null, phoneCount: 1 };
const rules = { priorityOrder: ["ald", "age70", "css", "other"] as PriorityGroup[], requiresContactConsent: false };

describe("assessPatient", () => {
  it("an ALD patient of 76 without MT is eligible, first priority, explained", () => {
    expect(assessPatient(base, rules, TODAY)).toEqual({ age: 76, eligible: true, ineligibleReason: null, ineligible: [], priority: 0, priorityLabel: "ALD, 76 ans, sans MT" });
  });

  it("under 17, with an MT, opposed or without phone: not eligible, every reason given", () => {
    const r = assessPatient({ ...base, birthDate: "2010-01-01", hasMt: true, optOut: true, phoneCount: 0 }, rules, TODAY);
    expect(r.eligible).toBe(false);
    expect(r.ineligibleReason).toBe("moins de 17 ans ; a déjà un médecin traitant ; opposé aux appels ; aucun numéro valide");
    expect(r.ineligible.map((i) => i.code)).toEqual(["under_age", "has_mt", "opposed", "no_phone"]);
  });

  it("rule 5: where the campaign requires consent to be contacted, only those who gave it", () => {
    const strict = { ...rules, requiresContactConsent: true };
    expect(assessPatient(base, strict, TODAY)).toMatchObject({ eligible: false, ineligibleReason: "pas de consentement à être contacté" });
    expect(assessPatient({ ...base, consentContact: false }, strict, TODAY).eligible).toBe(false);
    expect(assessPatient({ ...base, consentContact: true }, strict, TODAY).eligible).toBe(true);
  });

  it("priority follows the campaign's order: ALD, then 70+, then CSS, then the rest — configurable", () => {
    const p = (facts: Partial<PatientFacts>, order: PriorityGroup[] = rules.priorityOrder) => assessPatient({ ...base, ald: false, ...facts }, { ...rules, priorityOrder: order }, TODAY).priority;
    expect(p({ ald: true })).toBe(0);
    expect(p({ birthDate: "1950-01-01" })).toBe(1);
    expect(p({ birthDate: "1990-01-01", css: true })).toBe(2);
    expect(p({ birthDate: "1990-01-01" })).toBe(3);
    expect(p({ birthDate: "1990-01-01", css: true }, ["css", "ald", "age70", "other"])).toBe(0);
  });

  it("age is counted on the birthday, not before", () => {
    expect(assessPatient({ ...base, birthDate: "2009-11-25" }, rules, TODAY)).toMatchObject({ age: 16, eligible: false });
    expect(assessPatient({ ...base, birthDate: "2009-11-24" }, rules, TODAY)).toMatchObject({ age: 17, eligible: true });
  });
});
