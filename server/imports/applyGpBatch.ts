// Writes one batch of a GP roster in one transaction: MSP teams (one per name once folded: resolveTeams), GPs (by
// RPPS within the organisation), rejections and the import's checkpoint. A place given only by its commune
// gets the commune's point.
import type pg from "pg";
import { loadCommunes } from "../geo/communes.ts";
import type { ParsedGp } from "./parsing/parseGpRow.ts";
import type { GpMapping } from "./parsing/mapHeaders.ts";
import type { Rejection } from "./types.ts";
import { recordBatchProgress, remarksOf, type BatchResult } from "./recordBatchProgress.ts";
import { refreshTeams } from "../matching/refreshTeams.ts";
import { resolveTeams } from "./resolveTeams.ts";
import { chooseSpelling } from "./chooseSpelling.ts";

export interface GpRow extends ParsedGp {
  line: number;
}

/** Which of the roster's fields its columns give (one mapping for the whole file). A known GP keeps what the
 * roster does not give: a roster without a commune column does not move their practice. (The places, « accepts new
 * patients », the names and the address are decided row by row: placesOf, spelledOf.) */
export interface RosterGives { place: boolean; capacity: boolean; acceptsAld: boolean; endOfActivity: boolean }

export function rosterGives(mapping: GpMapping): RosterGives {
  return {
    /** the commune or the coordinates */
    place: [mapping.inseeCode, mapping.postalCode, mapping.communeName, mapping.lat, mapping.lng].some((c) => c !== undefined),
    capacity: mapping.capacity !== undefined,
    acceptsAld: mapping.acceptsAld !== undefined,
    endOfActivity: mapping.endOfActivity !== undefined,
  };
}

export async function applyGpBatch(
  client: pg.PoolClient,
  ctx: { importId: string; organisationId: string; gives: RosterGives },
  rows: GpRow[],
  rejections: Rejection[],
  checkpoint: { lastLine: number; skipped: number },
): Promise<BatchResult> {
  const unique = foldDuplicates(rows, ctx.gives.place);
  let accepted = 0;
  let merged = rows.length - unique.length;
  const remarks = new Map<number, string>();
  if (unique.length) {
    const teamIds = await resolveTeams(client, ctx.organisationId, [...new Set(unique.map((g) => g.team).filter((t): t is string => Boolean(t)))]);
    const { rows: knownRows } = await client.query<KnownGp & { rpps: string; teamId: string | null }>(
      `SELECT "rpps", "capacity", "acceptsNew", "teamId", "lastName", "firstName", "address", "inseeCode" FROM "Gp" WHERE "organisationId" = $1 AND "rpps" = ANY($2::text[])`, [ctx.organisationId, unique.map((g) => g.rpps)]);
    const known = new Map(knownRows.map((k) => [k.rpps, k]));
    const places = new Map(unique.map((g) => [g.rpps, placesOf(g, known.get(g.rpps) ?? null)]));
    const spelled = new Map(unique.map((g) => [g.rpps, spelledOf(g, known.get(g.rpps) ?? null, ctx.gives.place)]));
    for (const g of unique) {
      // said where the roster has a capacity column, or a place was inferred (not on every row of a roster without one)
      const { remark, acceptsNew } = places.get(g.rpps)!;
      if (remark && (ctx.gives.capacity || acceptsNew)) remarks.set(g.line, remark);
    }
    const communes = loadCommunes().byCode;
    const point = (g: GpRow) => (g.lat !== null && g.lng !== null ? [g.lat, g.lng] : g.inseeCode ? [communes.get(g.inseeCode)?.lat ?? null, communes.get(g.inseeCode)?.lng ?? null] : [null, null]);
    const col = <T>(f: (g: GpRow) => T) => unique.map(f);
    const { rows: upserted } = await client.query<{ inserted: boolean }>(
      `INSERT INTO "Gp" ("id", "organisationId", "rpps", "lastName", "firstName", "address", "inseeCode", "lat", "lng", "teamId", "acceptsNew", "capacity", "acceptsAld", "endOfActivity", "birthYear", "email", "lastImportId", "updatedAt")
       SELECT gen_random_uuid(), $1::uuid, u.* , $15::uuid, now()
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[], $9::uuid[], $10::boolean[], $11::int[], $12::boolean[], $13::date[], $14::int[], $16::text[])
         AS u(rpps, "lastName", "firstName", address, "inseeCode", lat, lng, "teamId", "acceptsNew", capacity, "acceptsAld", "endOfActivity", "birthYear", email)
       ON CONFLICT ("organisationId", "rpps") DO UPDATE SET "lastName" = EXCLUDED."lastName", "firstName" = EXCLUDED."firstName", "address" = EXCLUDED."address", -- spelledOf
         "inseeCode" = CASE WHEN $17 THEN EXCLUDED."inseeCode" ELSE "Gp"."inseeCode" END,
         "lat" = CASE WHEN $17 THEN EXCLUDED."lat" ELSE "Gp"."lat" END, "lng" = CASE WHEN $17 THEN EXCLUDED."lng" ELSE "Gp"."lng" END,
         "teamId" = COALESCE(EXCLUDED."teamId", "Gp"."teamId"),
         "acceptsNew" = EXCLUDED."acceptsNew", "capacity" = EXCLUDED."capacity", -- placesOf: what the roster says, else as known
         "acceptsAld" = CASE WHEN $18 THEN EXCLUDED."acceptsAld" ELSE "Gp"."acceptsAld" END,
         "endOfActivity" = CASE WHEN $19 THEN EXCLUDED."endOfActivity" ELSE "Gp"."endOfActivity" END,
         "birthYear" = COALESCE(EXCLUDED."birthYear", "Gp"."birthYear"), "email" = COALESCE(EXCLUDED."email", "Gp"."email"), "lastImportId" = EXCLUDED."lastImportId", "updatedAt" = now()
       RETURNING (xmax = 0) AS inserted`,
      [
        ctx.organisationId, col((g) => g.rpps), col((g) => spelled.get(g.rpps)!.lastName), col((g) => spelled.get(g.rpps)!.firstName), col((g) => spelled.get(g.rpps)!.address), col((g) => g.inseeCode),
        col((g) => point(g)[0]), col((g) => point(g)[1]), col((g) => (g.team ? teamIds.get(g.team)! : null)),
        col((g) => places.get(g.rpps)!.acceptsNew), col((g) => places.get(g.rpps)!.capacity), col((g) => g.acceptsAld), col((g) => g.endOfActivity), col((g) => g.birthYear), ctx.importId,
        col((g) => g.email), ctx.gives.place, ctx.gives.acceptsAld, ctx.gives.endOfActivity,
      ],
    );
    for (const u of upserted) {
      if (u.inserted) accepted += 1;
      else merged += 1;
    }
    // the teams the roster names, and those its GPs leave (their places go with them)
    await refreshTeams(client, [...new Set([...teamIds.values(), ...knownRows.flatMap((k) => (k.teamId ? [k.teamId] : []))])]);
  }
  const said = (g: GpRow) => [...g.warnings, ...(remarks.has(g.line) ? [remarks.get(g.line)!] : [])];
  return recordBatchProgress(client, ctx.importId, { accepted, merged, rows: rows.length }, rejections, remarksOf(rows, said), checkpoint);
}

interface Known { capacity: number; acceptsNew: boolean }
type Spelled = Pick<GpRow, "lastName" | "firstName" | "address" | "inseeCode">;
type KnownGp = Known & Spelled;

/** The same RPPS twice in a batch: the later line merged into the earlier one as into a GP already stored (what it
 * gives replaces, a blank cell keeps), so that the result does not depend on whether both lines fall in one batch. */
function foldDuplicates(rows: GpRow[], givesPlace: boolean): GpRow[] {
  const byRpps = new Map<string, GpRow>();
  for (const g of rows) {
    const earlier = byRpps.get(g.rpps);
    byRpps.set(g.rpps, earlier ? {
      ...g,
      ...spelledOf(g, earlier, givesPlace),
      team: g.team ?? earlier.team,
      email: g.email ?? earlier.email,
      birthYear: g.birthYear ?? earlier.birthYear,
      capacity: g.capacity ?? earlier.capacity,
      acceptsNew: g.acceptsNew ?? earlier.acceptsNew,
    } : g);
  }
  return [...byRpps.values()];
}

/** A known GP's names and address, as a later listing's patient's (chooseSpelling): an empty cell never erases, the same
 * written poorer keeps the stored spelling, anything else replaces. A practice moved to another commune takes the
 * roster's address, none if it gives none. */
function spelledOf(g: GpRow, known: Spelled | null, givesPlace: boolean): Pick<GpRow, "lastName" | "firstName" | "address"> {
  if (!known) return g;
  const moved = givesPlace && g.inseeCode !== known.inseeCode;
  return {
    lastName: chooseSpelling(known.lastName, g.lastName)!,
    firstName: chooseSpelling(known.firstName, g.firstName),
    address: moved ? g.address : chooseSpelling(known.address, g.address),
  };
}

/**
 * A GP's places once this row is read. What the roster states is taken; a blank (or a capacity in words) is "not
 * stated", never 0: a known GP keeps their places and « accepts new patients » (one roster with a blank column does
 * not take a GP out of every proposal). A new GP without a number is read from « accepte de nouveaux patients »:
 * - yes: 1 place. Matching proposes a GP only with acceptsNew and taken < capacity, and a reservation may never exceed
 *   the capacity (rule 2), so a GP who says they take new patients needs at least one place to be proposed at all;
 *   one is the least that « yes » says. They are then proposed, and asked how many through their capacity link
 *   (declareCapacity), which is what a coordinator expects from « oui » and an empty cell;
 * - no, or not said either: no place, not proposed (acceptsNew false), until the GP or the coordinator declares one.
 * Both say so in the row's remark.
 */
function placesOf(g: GpRow, known: Known | null): Known & { remark: string | null } {
  if (known) return { capacity: g.capacity ?? known.capacity, acceptsNew: g.acceptsNew ?? known.acceptsNew, remark: null };
  if (g.capacity !== null) return { capacity: g.capacity, acceptsNew: g.acceptsNew ?? g.capacity > 0, remark: null };
  return g.acceptsNew
    ? { capacity: 1, acceptsNew: true, remark: "nombre de places non indiqué : 1 place retenue (accepte de nouveaux patients), à faire préciser par le médecin (lien capacité)" }
    : { capacity: 0, acceptsNew: false, remark: "nombre de places non indiqué : aucune place retenue, médecin non proposé tant qu'il n'en déclare pas (lien capacité)" };
}
