import { describe, expect, it } from "vitest";
import { timeZoneOf } from "../../server/geo/timeZoneOf.ts";

describe("timeZoneOf", () => {
  it.each([
    ["75115", "Europe/Paris"], ["2A004", "Europe/Paris"], ["2B033", "Europe/Paris"], ["01053", "Europe/Paris"],
    ["97101", "America/Guadeloupe"], ["97701", "America/Guadeloupe"], ["97801", "America/Guadeloupe"],
    ["97209", "America/Martinique"], ["97302", "America/Cayenne"], ["97411", "Indian/Reunion"],
    ["97502", "America/Miquelon"], ["97611", "Indian/Mayotte"],
  ])("%s → %s", (insee, zone) => {
    expect(timeZoneOf(insee)).toBe(zone);
  });
});
