// An MSP team's place and, until the team declares its own, its capacity: from its doctors
// (the most common commune, the mean of their points; the sum of the places of those taking new patients, whether the
// team takes ALD patients from theirs). A doctor whose activity has ended or ends soon adds no place: the team would
// otherwise be proposed on the places of a doctor who is never proposed on their own (stillPractising). A team left
// without doctors has no place and no point: it is not proposed.
import type pg from "pg";
import { stillPractisingSql } from "./stillPractising.ts";

const TAKING = `"acceptsNew" AND ${stillPractisingSql(`"Gp"`)}`;

export async function refreshTeams(client: pg.PoolClient, teamIds: string[]) {
  if (!teamIds.length) return;
  await client.query(
    `UPDATE "Team" t SET "inseeCode" = s."inseeCode", "lat" = s."lat", "lng" = s."lng",
       "capacity" = CASE WHEN t."capacityDeclaredAt" IS NULL THEN s."capacity" ELSE t."capacity" END,
       "acceptsNew" = CASE WHEN t."capacityDeclaredAt" IS NULL THEN s."acceptsNew" ELSE t."acceptsNew" END,
       "acceptsAld" = CASE WHEN t."capacityDeclaredAt" IS NULL THEN coalesce(s."acceptsAld", t."acceptsAld") ELSE t."acceptsAld" END
     FROM (SELECT "teamId", mode() WITHIN GROUP (ORDER BY "inseeCode") AS "inseeCode", avg("lat") AS "lat", avg("lng") AS "lng",
             coalesce(sum("capacity") FILTER (WHERE ${TAKING}), 0)::int AS "capacity", coalesce(bool_or(${TAKING}), false) AS "acceptsNew",
             coalesce(bool_or("acceptsAld") FILTER (WHERE ${TAKING}), bool_or("acceptsAld")) AS "acceptsAld"
           FROM unnest($1::uuid[]) AS x("teamId") LEFT JOIN "Gp" USING ("teamId") GROUP BY "teamId") s
     WHERE t."id" = s."teamId"`,
    [teamIds],
  );
}
