// The organisation's GP roster as the coordinator reads it: commune by name, team, capacity and places taken; searched
// by name, commune or team (accents and particles ignored) or by the start of the RPPS, at most `limit` rows shown of
// `total` found.
import type pg from "pg";
import { everyWordSql } from "../imports/parsing/foldNameSql.ts";
import { normaliseName } from "../imports/parsing/normaliseName.ts";

export interface RosterGp {
  id: string;
  rpps: string;
  lastName: string;
  firstName: string | null;
  email: string | null;
  inseeCode: string | null;
  commune: string | null;
  teamId: string | null;
  team: string | null;
  acceptsNew: boolean;
  capacity: number;
  taken: number;
  acceptsAld: boolean;
  endOfActivity: string | null;
}

export async function listGps(client: pg.Pool | pg.PoolClient, organisationId: string, query: string, limit: number): Promise<{ total: number; gps: RosterGp[] }> {
  const words = normaliseName(query).split(" ").filter(Boolean);
  const rppsStart = /^\d+$/.test(query.replace(/\s/g, "")) ? query.replace(/\s/g, "") : null;
  const filter = rppsStart ? `AND g."rpps" LIKE $2 || '%'` : words.length ? `AND ${everyWordSql(['g."lastName"', 'g."firstName"', 'c."name"', 't."name"'], "$2")}` : "";
  const { rows } = await client.query<RosterGp & { total: number }>(
    `SELECT g."id", g."rpps", g."lastName", g."firstName", g."email", g."inseeCode", c."name" AS "commune", g."teamId", t."name" AS "team",
            g."acceptsNew", g."capacity", g."taken", g."acceptsAld", to_char(g."endOfActivity", 'YYYY-MM-DD') AS "endOfActivity",
            count(*) OVER ()::int AS "total"
     FROM "Gp" g LEFT JOIN "Team" t ON t."id" = g."teamId" LEFT JOIN "Commune" c ON c."inseeCode" = g."inseeCode"
     WHERE g."organisationId" = $1 ${filter}
     ORDER BY g."lastName", g."firstName", g."rpps" LIMIT ${Number(limit)}`,
    filter ? [organisationId, rppsStart ?? words] : [organisationId],
  );
  return { total: rows[0]?.total ?? 0, gps: rows.map(({ total: _total, ...gp }) => gp) };
}
