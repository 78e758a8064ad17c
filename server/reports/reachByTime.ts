// Reach rate by hour of day and by weekday (Paris time), so coordinators pick better calling windows.
// An attempt counts when it has an outcome; it is "reached" when that outcome is "reached".
import type pg from "pg";

export const WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

const rate = (reached: number, calls: number) => (calls ? Math.round((1000 * reached) / calls) / 10 : null);

export async function reachByTime(client: pg.PoolClient | pg.Pool, campaignId: string) {
  const { rows } = await client.query<{ hour: number; weekday: number; calls: number; reached: number }>(
    `SELECT extract(hour FROM COALESCE("dialledAt", "createdAt") AT TIME ZONE 'Europe/Paris')::int AS hour,
            extract(isodow FROM COALESCE("dialledAt", "createdAt") AT TIME ZONE 'Europe/Paris')::int AS weekday,
            count(*)::int AS calls, count(*) FILTER (WHERE "outcome" = 'reached')::int AS reached
     FROM "CallAttempt" WHERE "campaignId" = $1 AND "outcome" IS NOT NULL GROUP BY 1, 2`,
    [campaignId],
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
