// A campaign's calling rules, as the coordinator sets them: French reasons for what cannot be a calling window.
import { describe, expect, it } from "vitest";
import { rulesInput } from "../../server/dialer/callingRules.ts";
import { parseInput } from "../../server/errors.ts";

const issues = (callingWindows: unknown) => {
  const r = rulesInput.safeParse({ callingWindows });
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

describe("calling windows", () => {
  it("take ranges that end after they start and do not overlap", () => {
    expect(issues({ "1": [["10:00", "13:00"], ["14:00", "20:00"]], "6": [["09:00", "12:00"]] })).toEqual([]);
    expect(issues({ "1": [["13:00", "10:00"]] })).toEqual(["une plage doit finir après son début"]);
    expect(issues({ "1": [["14:00", "20:00"], ["10:00", "15:00"]] })).toEqual(["deux plages du même jour se chevauchent"]);
    expect(issues({ "2": [["10:00", "13:00"], ["13:00", "15:00"]] })).toEqual([]); // one ends when the next begins
  });
});

describe("refusals", () => {
  it("name the field as the console labels it, and take 24:00 as the end of a day's last window", () => {
    const refusal = (v: unknown) => { try { parseInput(rulesInput, v); return null; } catch (e) { return (e as { userMessage: string }).userMessage; } };
    expect(refusal({ maxAttempts: 50 })).toBe("Données invalides : Tentatives au plus : doit être au plus 20");
    expect(refusal({ retryDelays: { no_answer: 100_000 } })).toBe("Données invalides : Délais avant un nouvel essai (min) : doit être au plus 86\u202f400");
    expect(refusal({ callingWindows: { "1": [["14:00", "25:00"]] }, callbackGraceMinutes: 2000 }))
      .toBe("Données invalides : Plages d'appel : heure au format HH:MM, de 00:00 à 24:00 ; Rappel réservé à l'agent (minutes) : doit être au plus 1\u202f440");
    expect(issues({ "1": [["14:00", "24:00"]] })).toEqual([]);
    expect(issues({ "1": [["24:00", "24:00"]] })).toEqual(["une plage doit finir après son début"]);
  });
});
