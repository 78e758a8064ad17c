// Reach rate by hour of day and by weekday, in the patient's local time (the time the calling windows
// are set in: Réunion's 10 h is Paris's 7 h), so coordinators pick better calling windows.
// An attempt counts when it has an outcome; it is "reached" when that outcome is "reached".
import type pg from "pg";
import { timeZoneSql, timeZoneTable } from "../geo/timeZoneOf.ts";

export const WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

const rate = (reached: number, calls: number) => (calls ? Math.round((1000 * reached) / calls) / 10 : null);

export async function reachByTime(client: pg.PoolClient | pg.Pool, campaignId: string) {
  const { rows } = await client.query<{ hour: number; weekday: number; calls: number; reached: number }>(
    `SELECT extract(hour FROM t.local)::int AS hour, extract(isodow FROM t.local)::int AS weekday,
            count(*)::int AS calls, count(*) FILTER (WHERE t."outcome" = 'reached')::int AS reached
     FROM (SELECT a."outcome", COALESCE(a."dialledAt", a."createdAt") AT TIME ZONE ${timeZoneSql(`p."inseeCode"`, "$2")} AS local
           FROM "CallAttempt" a JOIN "Enrolment" e ON e."id" = a."enrolmentId" JOIN "Patient" p ON p."id" = e."patientId"
           WHERE a."campaignId" = $1 AND a."outcome" IS NOT NULL) t
     GROUP BY 1, 2`,
    [campaignId, timeZoneTable()],
  );
  const sum = (pick: (r: (typeof rows)[number]) => boolean) => {
    const mine = rows.filter(pick);
    const calls = mine.reduce((s, r) => s + r.calls, 0);
    const reached = mine.reduce((s, r) => s + r.reached, 0);
    return { calls, reached, rate: rate(reached, calls) };
  };
  return {
    byHour: Array.from({ length: 24 }, (_, hour) => ({ hour, ...sum((r) => r.hour === hour) })),
    byWeekday: WEEKDAYS.map((label, i) => ({ weekday: i + 1, label, ...sum((r) => r.weekday === i + 1) })),
  };
}
