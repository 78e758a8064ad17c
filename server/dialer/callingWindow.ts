// Rule 4: no call outside the campaign's windows, in the patient's local time (mainland and Corsica:
// Europe/Paris; overseas: their own zone), no Sundays or public holidays by default.
import { DateTime } from "luxon";
import { isPublicHoliday } from "../geo/isPublicHoliday.ts";
import { clockName, timeZoneOf } from "../geo/timeZoneOf.ts";
import { wallClockAt } from "../geo/wallClock.ts";
import type { CallingRules } from "./callingRules.ts";

/** Why the window is closed: a public holiday, a day without windows, outside the day's hours, or nothing open soon. */
export type ClosedCause = "holiday" | "closed_day" | "outside_hours" | "none_soon";
export type WindowCheck = { open: true } | { open: false; reason: string; cause: ClosedCause; nextOpening: Date | null };

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function checkCallingWindow(now: Date, inseeCode: string | null, rules: Pick<CallingRules, "windows" | "skipPublicHolidays">): WindowCheck {
  const zone = timeZoneOf(inseeCode);
  const holiday = (isoDate: string) => rules.skipPublicHolidays && isPublicHoliday(isoDate, inseeCode ?? "75056");
  const clock = wallClockAt(now, zone);
  const today = rules.windows[String(clock.weekday)] ?? [];
  if (!holiday(clock.isoDate) && today.some(([a, b]) => clock.minutes >= toMinutes(a) && clock.minutes < toMinutes(b))) return { open: true };

  // Closed. Next opening: the first window start after now, within two weeks (days and hours as luxon counts them in
  // the zone, so that a window on the day the clocks change starts at its wall-clock time).
  const local = DateTime.fromJSDate(now, { zone });
  const dayOpen = (d: DateTime) => !holiday(d.toISODate()!);
  for (let offset = 0; offset < 15; offset++) {
    const day = local.startOf("day").plus({ days: offset });
    if (!dayOpen(day)) continue;
    for (const [start] of rules.windows[String(day.weekday)] ?? []) {
      // The wall-clock time, not minutes after midnight: on the two days clocks change, these differ by an hour.
      const at = day.set({ hour: Number(start.slice(0, 2)), minute: Number(start.slice(3, 5)) });
      if (at > local) {
        return { open: false, ...reasonOf(local, rules, dayOpen(local)), nextOpening: at.toJSDate() };
      }
    }
  }
  return { open: false, reason: "aucune plage d'appel ouverte dans les deux semaines", cause: "none_soon", nextOpening: null };
}

function reasonOf(local: DateTime, rules: Pick<CallingRules, "windows">, dayOpen: boolean): { reason: string; cause: ClosedCause } {
  const at = `${local.toFormat("HH:mm")} (${clockName(local.zoneName ?? "Europe/Paris")})`;
  if (!dayOpen) return { reason: `jour férié (${local.toFormat("dd/MM/yyyy")})`, cause: "holiday" };
  if (!(rules.windows[String(local.weekday)] ?? []).length) return { reason: `pas d'appel ce jour-là (${local.setLocale("fr").toFormat("cccc")})`, cause: "closed_day" };
  return { reason: `hors des plages d'appel : ${at}`, cause: "outside_hours" };
}
