// Rule 4 at the level of the clock: the windows in the patient's local time, and the next opening a closed window
// gives (the due time of a patient handed back, the console's explanation), on ordinary days and on the two days a
// year the clocks change.
import { describe, expect, it } from "vitest";
import { checkCallingWindow } from "../../server/dialer/callingWindow.ts";
import { DEFAULT_WINDOWS } from "../../server/dialer/callingRules.ts";

const rules = { windows: DEFAULT_WINDOWS, skipPublicHolidays: true };
const sundays = { windows: { ...DEFAULT_WINDOWS, "7": [["10:00", "13:00"]] as [string, string][] }, skipPublicHolidays: false };
const nextOpening = (now: string, inseeCode: string, r = rules) => {
  const check = checkCallingWindow(new Date(now), inseeCode, r);
  return check.open ? "open" : check.nextOpening?.toISOString();
};

describe("checkCallingWindow", () => {
  it("opens at the windows' wall-clock times, in the patient's time zone", () => {
    expect(nextOpening("2026-12-01T09:30:00Z", "42218")).toBe("open"); // Tuesday 10:30 Paris
    expect(nextOpening("2026-12-01T12:30:00Z", "42218")).toBe("2026-12-01T13:00:00.000Z"); // 13:30 Paris → 14:00
    expect(nextOpening("2026-12-01T23:15:00Z", "42218")).toBe("2026-12-02T09:00:00.000Z"); // 00:15 → 10:00 Paris
    expect(nextOpening("2026-12-01T23:15:00Z", "97209")).toBe("open"); // 19:15 in Fort-de-France
    expect(nextOpening("2026-12-01T23:15:00Z", "97411")).toBe("2026-12-02T06:00:00.000Z"); // 03:15 → 10:00 in La Réunion
  });

  it("gives the window's own hour on the days the clocks change", () => {
    // 25/10/2026, 00:30 Paris (summer time until 03:00): Sunday's 10:00 is winter time, 09:00 UTC.
    expect(nextOpening("2026-10-24T22:30:00Z", "42218", sundays)).toBe("2026-10-25T09:00:00.000Z");
    // 29/03/2026, 00:30 Paris (winter time until 02:00): Sunday's 10:00 is summer time, 08:00 UTC.
    expect(nextOpening("2026-03-28T23:30:00Z", "42218", sundays)).toBe("2026-03-29T08:00:00.000Z");
  });
});
