// Writes one batch of a GP roster in one transaction: MSP teams, GPs (by RPPS within the
// organisation), rejections and the import's checkpoint. A place given only by its commune
// gets the commune's point.
import type pg from "pg";
import { loadCommunes } from "../geo/communes.ts";
import type { ParsedGp } from "./parsing/parseGpRow.ts";
import type { Rejection } from "./types.ts";
import { recordBatchProgress, type BatchResult } from "./recordBatchProgress.ts";
import { refreshTeams } from "../matching/refreshTeams.ts";

export interface GpRow extends ParsedGp {
  line: number;
}

export async function applyGpBatch(
  client: pg.PoolClient,
  ctx: { importId: string; organisationId: string },
  rows: GpRow[],
  rejections: Rejection[],
  checkpoint: { lastLine: number; skipped: number },
): Promise<BatchResult> {
  const byRpps = new Map(rows.map((r) => [r.rpps, r])); // the later line wins within a batch
  const unique = [...byRpps.values()];
  let accepted = 0;
  let merged = rows.length - unique.length;
  if (unique.length) {
    const teams = [...new Set(unique.map((g) => g.team).filter((t): t is string => Boolean(t)))];
    const teamIds = new Map<string, string>();
    if (teams.length) {
      const { rows: t } = await client.query<{ id: string; name: string }>(
        `INSERT INTO "Team" ("id", "organisationId", "name") SELECT gen_random_uuid(), $1::uuid, n FROM unnest($2::text[]) AS n
         ON CONFLICT ("organisationId", "name") DO UPDATE SET "name" = EXCLUDED."name" RETURNING "id", "name"`,
        [ctx.organisationId, teams],
      );
      for (const { id, name } of t) teamIds.set(name, id);
    }
    const communes = loadCommunes().byCode;
    const point = (g: GpRow) => (g.lat !== null && g.lng !== null ? [g.lat, g.lng] : g.inseeCode ? [communes.get(g.inseeCode)?.lat ?? null, communes.get(g.inseeCode)?.lng ?? null] : [null, null]);
    const col = <T>(f: (g: GpRow) => T) => unique.map(f);
    const { rows: upserted } = await client.query<{ inserted: boolean }>(
      `INSERT INTO "Gp" ("id", "organisationId", "rpps", "lastName", "firstName", "address", "inseeCode", "lat", "lng", "teamId", "acceptsNew", "capacity", "acceptsAld", "endOfActivity", "birthYear", "email", "lastImportId", "updatedAt")
       SELECT gen_random_uuid(), $1::uuid, u.* , $15::uuid, now()
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[], $9::uuid[], $10::boolean[], $11::int[], $12::boolean[], $13::date[], $14::int[], $16::text[])
         AS u(rpps, "lastName", "firstName", address, "inseeCode", lat, lng, "teamId", "acceptsNew", capacity, "acceptsAld", "endOfActivity", "birthYear", email)
       ON CONFLICT ("organisationId", "rpps") DO UPDATE SET "lastName" = EXCLUDED."lastName", "firstName" = EXCLUDED."firstName", "address" = EXCLUDED."address",
         "inseeCode" = EXCLUDED."inseeCode", "lat" = EXCLUDED."lat", "lng" = EXCLUDED."lng", "teamId" = COALESCE(EXCLUDED."teamId", "Gp"."teamId"),
         "acceptsNew" = EXCLUDED."acceptsNew", "capacity" = EXCLUDED."capacity", "acceptsAld" = EXCLUDED."acceptsAld",
         "endOfActivity" = EXCLUDED."endOfActivity", "birthYear" = COALESCE(EXCLUDED."birthYear", "Gp"."birthYear"), "email" = COALESCE(EXCLUDED."email", "Gp"."email"), "lastImportId" = EXCLUDED."lastImportId", "updatedAt" = now()
       RETURNING (xmax = 0) AS inserted`,
      [
        ctx.organisationId, col((g) => g.rpps), col((g) => g.lastName), col((g) => g.firstName), col((g) => g.address), col((g) => g.inseeCode),
        col((g) => point(g)[0]), col((g) => point(g)[1]), col((g) => (g.team ? teamIds.get(g.team)! : null)),
        col((g) => g.acceptsNew), col((g) => g.capacity), col((g) => g.acceptsAld), col((g) => g.endOfActivity), col((g) => g.birthYear), ctx.importId,
        col((g) => g.email),
      ],
    );
    for (const u of upserted) {
      if (u.inserted) accepted += 1;
      else merged += 1;
    }
    await refreshTeams(client, [...teamIds.values()]);
  }
  return recordBatchProgress(client, ctx.importId, { accepted, merged, rows: rows.length }, rejections, checkpoint);
}
