// A campaign's calling rules, as the coordinator sets them: French reasons for what cannot be a calling window.
import { describe, expect, it } from "vitest";
import { rulesInput } from "../../server/dialer/callingRules.ts";

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
