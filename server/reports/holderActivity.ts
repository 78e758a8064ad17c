// Per GP or MSP team that received orientations of the campaign: proposed (booked), confirmed,
// declined, expired, waiting for an answer; and its capacity used now (all campaigns: places are the holder's).
import type pg from "pg";

export async function holderActivity(client: pg.PoolClient | pg.Pool, campaignId: string) {
  const { rows } = await client.query(
    `SELECT CASE WHEN o."teamId" IS NULL THEN 'gp' ELSE 'team' END AS kind, COALESCE(o."teamId", o."gpId") AS "holderId",
            COALESCE(t."name", trim(g."lastName" || ' ' || COALESCE(g."firstName", ''))) AS name, g."rpps",
            COALESCE(t."inseeCode", g."inseeCode") AS "inseeCode", cm."name" AS "communeName",
            count(*)::int AS proposed,
            count(*) FILTER (WHERE o."status" = 'confirmed')::int AS confirmed,
            count(*) FILTER (WHERE o."status" = 'declined')::int AS declined,
            count(*) FILTER (WHERE o."status" = 'expired')::int AS expired,
            count(*) FILTER (WHERE o."status" = 'reserved')::int AS waiting,
            COALESCE(t."capacity", g."capacity") AS capacity, COALESCE(t."taken", g."taken") AS taken
     FROM "Orientation" o
     LEFT JOIN "Team" t ON t."id" = o."teamId" LEFT JOIN "Gp" g ON g."id" = o."gpId"
     LEFT JOIN "Commune" cm ON cm."inseeCode" = COALESCE(t."inseeCode", g."inseeCode")
     WHERE o."campaignId" = $1
     GROUP BY 1, 2, 3, 4, 5, 6, 12, 13 ORDER BY proposed DESC, name`,
    [campaignId],
  );
  return rows.map((r) => ({
    kind: r.kind as "gp" | "team",
    holderId: r.holderId as string,
    name: r.name as string,
    rpps: (r.rpps as string | null) ?? null,
    inseeCode: (r.inseeCode as string | null) ?? null,
    communeName: (r.communeName as string | null) ?? null,
    proposed: r.proposed as number,
    confirmed: r.confirmed as number,
    declined: r.declined as number,
    expired: r.expired as number,
    waiting: r.waiting as number,
    capacity: r.capacity as number,
    taken: r.taken as number,
  }));
}
