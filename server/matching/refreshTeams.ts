// An MSP team's place and, until the team declares its own, its capacity: from its doctors
// (the most common commune, the mean of their points; the sum of the places of those taking new patients, whether the
// team takes ALD patients from theirs). A doctor whose activity has ended or ends soon adds no place: the team would
// otherwise be proposed on the places of a doctor who is never proposed on their own (stillPractising). A team left
// without doctors has no place and no point: it is not proposed.
import type pg from "pg";
import { stillPractisingSql } from "./stillPractising.ts";

const TAKING = `"acceptsNew" AND ${stillPractisingSql(`"Gp"`)}`;

/** Returns how many teams changed (a team already right is not written). */
export async function refreshTeams(client: pg.PoolClient, teamIds: string[]): Promise<number> {
  if (!teamIds.length) return 0;
  const { rowCount } = await client.query(
    `UPDATE "Team" t SET "inseeCode" = n."inseeCode", "lat" = n."lat", "lng" = n."lng", "capacity" = n."capacity", "acceptsNew" = n."acceptsNew", "acceptsAld" = n."acceptsAld"
     FROM (SELECT t."id", s."inseeCode", s."lat", s."lng",
             CASE WHEN t."capacityDeclaredAt" IS NULL THEN s."capacity" ELSE t."capacity" END AS "capacity",
             CASE WHEN t."capacityDeclaredAt" IS NULL THEN s."acceptsNew" ELSE t."acceptsNew" END AS "acceptsNew",
             CASE WHEN t."capacityDeclaredAt" IS NULL THEN coalesce(s."acceptsAld", t."acceptsAld") ELSE t."acceptsAld" END AS "acceptsAld"
           FROM (SELECT "teamId", mode() WITHIN GROUP (ORDER BY "inseeCode") AS "inseeCode", avg("lat") AS "lat", avg("lng") AS "lng",
                   coalesce(sum("capacity") FILTER (WHERE ${TAKING}), 0)::int AS "capacity", coalesce(bool_or(${TAKING}), false) AS "acceptsNew",
                   coalesce(bool_or("acceptsAld") FILTER (WHERE ${TAKING}), bool_or("acceptsAld")) AS "acceptsAld"
                 FROM unnest($1::uuid[]) AS x("teamId") LEFT JOIN "Gp" USING ("teamId") GROUP BY "teamId") s
           JOIN "Team" t ON t."id" = s."teamId") n
     WHERE t."id" = n."id"
       AND (t."inseeCode", t."lat", t."lng", t."capacity", t."acceptsNew", t."acceptsAld") IS DISTINCT FROM (n."inseeCode", n."lat", n."lng", n."capacity", n."acceptsNew", n."acceptsAld")`,
    [teamIds],
  );
  return rowCount ?? 0;
}

/**
 * Time passing changes a pool too: a doctor whose end of activity comes within LEAVING_SOON_DAYS stops adding places
 * (refreshTeams), with no roster nor declaration to say so. Re-computes the teams that have such a doctor; idempotent,
 * a team already right is not written. Returns how many teams changed.
 */
export async function refreshLeavingTeams(client: pg.PoolClient): Promise<number> {
  const { rows } = await client.query<{ teamId: string }>(`SELECT DISTINCT "teamId" FROM "Gp" WHERE "teamId" IS NOT NULL AND "endOfActivity" IS NOT NULL`);
  return refreshTeams(client, rows.map((r) => r.teamId));
}
