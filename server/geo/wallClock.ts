// The wall clock of a time zone at an instant: what a clock on the wall there shows (minutes after midnight, ISO
// weekday, ISO date). Every claim and every call reads it (is the patient's calling window open now?), so it avoids
// building a luxon DateTime: the zone's offset is still luxon's (IANAZone, Intl underneath, the costly part), kept per
// zone for the second it was asked for. An offset is a function of the second (zones change offset on whole
// seconds, and luxon reads offsets to the second), so the same second gives the same offset.
import { IANAZone } from "luxon";

export interface WallClock {
  /** Minutes after local midnight, 0–1439. */
  minutes: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** yyyy-mm-dd, the local date. */
  isoDate: string;
}

const lastOffset = new Map<string, { second: number; minutes: number }>();

/** Minutes east of UTC of `zone` at `ms` (an IANA zone name). */
function offsetMinutes(zone: string, ms: number): number {
  const second = Math.floor(ms / 1000);
  const known = lastOffset.get(zone);
  if (known?.second === second) return known.minutes;
  const minutes = IANAZone.create(zone).offset(ms);
  if (!Number.isFinite(minutes)) throw new Error(`unknown time zone: ${zone}`);
  lastOffset.set(zone, { second, minutes });
  return minutes;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

export function wallClockAt(now: Date, zone: string): WallClock {
  const ms = now.getTime();
  const local = new Date(ms + offsetMinutes(zone, ms) * 60_000); // its UTC fields are the wall clock's
  return {
    minutes: local.getUTCHours() * 60 + local.getUTCMinutes(),
    weekday: local.getUTCDay() || 7,
    isoDate: `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`,
  };
}
