// An MSP team's place and, until the team declares its own, its capacity: from its doctors
// (the most common commune, the mean of their points, the sum of the places of those taking new patients).
import type pg from "pg";

export async function refreshTeams(client: pg.PoolClient, teamIds: string[]) {
  if (!teamIds.length) return;
  await client.query(
    `UPDATE "Team" t SET "inseeCode" = s."inseeCode", "lat" = s."lat", "lng" = s."lng",
       "capacity" = CASE WHEN t."capacityDeclaredAt" IS NULL THEN s."capacity" ELSE t."capacity" END,
       "acceptsNew" = CASE WHEN t."capacityDeclaredAt" IS NULL THEN s."acceptsNew" ELSE t."acceptsNew" END,
       "acceptsAld" = CASE WHEN t."capacityDeclaredAt" IS NULL THEN s."acceptsAld" ELSE t."acceptsAld" END
     FROM (SELECT "teamId", mode() WITHIN GROUP (ORDER BY "inseeCode") AS "inseeCode", avg("lat") AS "lat", avg("lng") AS "lng",
             coalesce(sum("capacity") FILTER (WHERE "acceptsNew"), 0)::int AS "capacity", bool_or("acceptsNew") AS "acceptsNew", bool_or("acceptsAld") AS "acceptsAld"
           FROM "Gp" WHERE "teamId" = ANY($1::uuid[]) GROUP BY "teamId") s
     WHERE t."id" = s."teamId"`,
    [teamIds],
  );
}
