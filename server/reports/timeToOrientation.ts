// Time from import (the enrolment) to the first orientation of the patient in the campaign, in days
// (quartiles and a histogram, computed in PostgreSQL).
import type pg from "pg";

export const DELAY_BUCKETS = ["7 jours ou moins", "8 à 14 jours", "15 à 30 jours", "31 à 60 jours", "61 à 90 jours", "plus de 90 jours"] as const;
/** width_bucket thresholds (whole days, rounded up): 0 = 0–7 days, 1 = 8–14 … 5 = 91 and more. */
const THRESHOLDS = [8, 15, 31, 61, 91];

const DELAYS = `
  SELECT greatest(0, extract(epoch FROM min(o."reservedAt") - e."createdAt") / 86400) AS days
  FROM "Enrolment" e JOIN "Orientation" o ON o."enrolmentId" = e."id" AND o."patientId" = e."patientId"
  WHERE e."campaignId" = $1 GROUP BY e."id", e."createdAt"`;

export async function timeToOrientation(client: pg.PoolClient | pg.Pool, campaignId: string) {
  const { rows: [stats] } = await client.query<{ n: number; q: number[] | null }>(
    `SELECT count(*)::int AS n, percentile_cont(ARRAY[0.25, 0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY days) AS q FROM (${DELAYS}) d`,
    [campaignId],
  );
  const { rows: buckets } = await client.query<{ b: number; n: number }>(
    `SELECT width_bucket(ceil(days), $2::numeric[]) AS b, count(*)::int AS n FROM (${DELAYS}) d GROUP BY 1`,
    [campaignId, THRESHOLDS],
  );
  const q = stats.q?.map((v) => Math.round(10 * v) / 10) ?? [null, null, null, null];
  return {
    count: stats.n,
    p25Days: q[0], medianDays: q[1], p75Days: q[2], p90Days: q[3],
    buckets: DELAY_BUCKETS.map((label, i) => ({ label, count: buckets.find((b) => b.b === i)?.n ?? 0 })),
  };
}
