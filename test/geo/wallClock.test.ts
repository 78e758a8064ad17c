// The wall clock that the calling windows read (server/geo/wallClock.ts) against luxon's own DateTime in the same zone:
// every French zone, every hour of two years and random instants, and each millisecond around the clock changes.
import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { wallClockAt } from "../../server/geo/wallClock.ts";
import { FRENCH_TIME_ZONES } from "../../shared-types/timeZones.ts";
import { rng } from "../factories/listings.ts";

const ZONES = Object.keys(FRENCH_TIME_ZONES);
const luxonClock = (ms: number, zone: string) => {
  const d = DateTime.fromMillis(ms, { zone });
  return { minutes: d.hour * 60 + d.minute, weekday: d.weekday, isoDate: d.toISODate() };
};

describe("wallClockAt", () => {
  it("reads the clock as luxon does, in every French zone, hour by hour through 2026 and at random instants of 2026–2027", () => {
    const from = Date.UTC(2026, 0, 1);
    const until = Date.UTC(2028, 0, 1);
    const rand = rng(11);
    let differences = 0;
    for (const zone of ZONES) {
      for (let ms = from; ms < Date.UTC(2027, 0, 1); ms += 3_600_000) if (JSON.stringify(wallClockAt(new Date(ms), zone)) !== JSON.stringify(luxonClock(ms, zone))) differences++;
      for (let i = 0; i < 5_000; i++) {
        const ms = from + Math.floor(rand() * (until - from));
        if (JSON.stringify(wallClockAt(new Date(ms), zone)) !== JSON.stringify(luxonClock(ms, zone))) differences++;
      }
    }
    expect(differences).toBe(0);
  });

  it("turns with the clock changes of Paris and Miquelon, to the millisecond, asked in any order", () => {
    // 29/03/2026 01:00 UTC (Paris 02:00 → 03:00), 25/10/2026 01:00 UTC (03:00 → 02:00); Miquelon: 08/03 and 01/11/2026 at 05:00 UTC
    const changes: [string, number][] = [["Europe/Paris", Date.UTC(2026, 2, 29, 1)], ["Europe/Paris", Date.UTC(2026, 9, 25, 1)],
      ["America/Miquelon", Date.UTC(2026, 2, 8, 5)], ["America/Miquelon", Date.UTC(2026, 10, 1, 5)]];
    for (const [zone, change] of changes) {
      const instants = [];
      for (let ms = change - 2_000; ms <= change + 2_000; ms += 1) instants.push(ms);
      instants.push(...instants.slice().reverse()); // the offset kept for a second must not leak into the next one
      for (const ms of instants) expect(wallClockAt(new Date(ms), zone), `${zone} ${new Date(ms).toISOString()}`).toEqual(luxonClock(ms, zone));
    }
    expect(wallClockAt(new Date(Date.UTC(2026, 2, 29, 0, 59, 59, 999)), "Europe/Paris").minutes).toBe(1 * 60 + 59);
    expect(wallClockAt(new Date(Date.UTC(2026, 2, 29, 1)), "Europe/Paris").minutes).toBe(3 * 60);
  });
});
