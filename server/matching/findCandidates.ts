// The GPs and MSP teams a patient can be oriented to, ranked (DESIGN.md step 6):
//   1. a GP the patient already sees (the listing's "existing relationship"), or that GP's team;
//   2. in a retirement campaign, the team of the leaving GP;
//   3. the nearest GPs and teams within the campaign's distance limit.
// Only holders with open capacity (taken < capacity), taking new patients, accepting ALD patients
// when the patient is ALD, and not already declined or expired for this patient. GPs of a team are
// proposed through their team (capacity is held at team level). Booking re-checks a holder with
// this same function, so the rules live in one place.
import type pg from "pg";
import { loadCommunes } from "../geo/communes.ts";
import { distanceKm, placePoint } from "../geo/distanceKm.ts";
import { errors } from "../errors.ts";

export type HolderKind = "gp" | "team";
export type Basis = "relation" | "retirement_team" | "distance";

export interface Candidate {
  kind: HolderKind;
  id: string;
  name: string;
  rpps: string | null;
  inseeCode: string | null;
  communeName: string | null;
  distanceKm: number | null;
  capacity: number;
  capacityLeft: number;
  acceptsAld: boolean;
  /** Doctors of the team (for a team), to pick from at confirmation. */
  doctors: number;
  basis: Basis;
  /** French, shown to the agent: why this proposal comes first. */
  note: string | null;
}

export interface MatchContext {
  organisationId: string;
  enrolmentId: string;
  patientId: string;
  ald: boolean;
  relationRpps: string | null;
  lat: number | null;
  lng: number | null;
  campaignType: string;
  leavingGpRpps: string | null;
  maxDistanceKm: number;
  /** Holders already declined or let expire for this patient: not proposed again. */
  excluded: string[];
}

/** How many proposals the agent sees. */
export const PROPOSALS = 10;
/** A GP whose declared end of activity is this close is not given new patients. */
const LEAVING_SOON_DAYS = 180;

export async function loadMatchContext(client: pg.PoolClient | pg.Pool, organisationId: string, enrolmentId: string): Promise<MatchContext> {
  const { rows } = await client.query({
    name: "match-context",
    text: `SELECT e."id", e."patientId", p."ald", p."relationRpps", p."inseeCode", c."type", c."leavingGpRpps", c."maxDistanceKm",
            ARRAY(SELECT coalesce(o."gpId", o."teamId")::text FROM "Orientation" o WHERE o."patientId" = e."patientId" AND o."status" IN ('declined', 'expired')) AS "excluded"
     FROM "Enrolment" e JOIN "Patient" p ON p."id" = e."patientId" JOIN "Campaign" c ON c."id" = e."campaignId"
     WHERE e."id" = $1 AND c."organisationId" = $2`,
    values: [enrolmentId, organisationId],
  });
  const r = rows[0];
  if (!r) throw errors.notFound("Patient");
  const commune = r.inseeCode ? loadCommunes().byCode.get(r.inseeCode) : undefined;
  return {
    organisationId, enrolmentId, patientId: r.patientId, ald: r.ald, relationRpps: r.relationRpps,
    lat: commune?.lat ?? null, lng: commune?.lng ?? null,
    campaignType: r.type, leavingGpRpps: r.leavingGpRpps, maxDistanceKm: r.maxDistanceKm, excluded: r.excluded,
  };
}

const OPEN_GP = `g."teamId" IS NULL AND g."acceptsNew" AND g."taken" < g."capacity" AND (NOT $ALD::boolean OR g."acceptsAld")
  AND (g."endOfActivity" IS NULL OR g."endOfActivity" > current_date + ${LEAVING_SOON_DAYS}) AND NOT (g."id"::text = ANY($EXCLUDED::text[]))`;
const OPEN_TEAM = `t."acceptsNew" AND t."taken" < t."capacity" AND (NOT $ALD::boolean OR t."acceptsAld") AND NOT (t."id"::text = ANY($EXCLUDED::text[]))`;
const GP_FIELDS = `'gp' AS "kind", g."id", g."lastName" || coalesce(' ' || g."firstName", '') AS "name", g."rpps", g."inseeCode", g."lat", g."lng",
  g."capacity", g."capacity" - g."taken" AS "capacityLeft", g."acceptsAld", 1 AS "doctors"`;
const TEAM_FIELDS = `'team' AS "kind", t."id", t."name", NULL AS "rpps", t."inseeCode", t."lat", t."lng",
  t."capacity", t."capacity" - t."taken" AS "capacityLeft", t."acceptsAld", (SELECT count(*)::int FROM "Gp" m WHERE m."teamId" = t."id") AS "doctors"`;

const bind = (sql: string) => sql.replaceAll("$ALD", "$2").replaceAll("$EXCLUDED", "$3");

// Nearest first, by the GiST "place" indexes (k-nearest-neighbour on <->), each side limited, then merged and
// cut at the campaign's distance in JS. No radius in SQL: it is only a filter there, and where fewer holders than
// the limit are within it, the scan would walk the whole index instead of stopping at the limit.
const NEAREST = bind(`
  (SELECT ${GP_FIELDS} FROM "Gp" g
   WHERE g."organisationId" = $1 AND g."lat" IS NOT NULL AND g."lng" IS NOT NULL AND ${OPEN_GP}
   ORDER BY point(g."lng" * cos(radians(g."lat")), g."lat") <-> point($4, $5) LIMIT $6)
  UNION ALL
  (SELECT ${TEAM_FIELDS} FROM "Team" t
   WHERE t."organisationId" = $1 AND t."lat" IS NOT NULL AND t."lng" IS NOT NULL AND ${OPEN_TEAM}
   ORDER BY point(t."lng" * cos(radians(t."lat")), t."lat") <-> point($4, $5) LIMIT $6)`);

// One holder, by id (booking re-checks the holder the agent chose).
const ONE = bind(`
  SELECT ${GP_FIELDS} FROM "Gp" g WHERE g."organisationId" = $1 AND g."id" = $4 AND ${OPEN_GP}
  UNION ALL
  SELECT ${TEAM_FIELDS} FROM "Team" t WHERE t."organisationId" = $1 AND t."id" = $4 AND ${OPEN_TEAM}`);

const RELATION = bind(`
  SELECT ${GP_FIELDS}, NULL AS "doctorName" FROM "Gp" g WHERE g."organisationId" = $1 AND g."rpps" = $4 AND ${OPEN_GP}
  UNION ALL
  SELECT ${TEAM_FIELDS}, d."lastName" || coalesce(' ' || d."firstName", '') AS "doctorName"
  FROM "Gp" d JOIN "Team" t ON t."id" = d."teamId" WHERE d."organisationId" = $1 AND d."rpps" = $4 AND ${OPEN_TEAM}`);

const RETIREMENT_TEAM = bind(`
  SELECT ${TEAM_FIELDS} FROM "Gp" d JOIN "Team" t ON t."id" = d."teamId" WHERE d."organisationId" = $1 AND d."rpps" = $4 AND ${OPEN_TEAM}`);

interface Row { kind: HolderKind; id: string; name: string; rpps: string | null; inseeCode: string | null; lat: number | null; lng: number | null; capacity: number; capacityLeft: number; acceptsAld: boolean; doctors: number; doctorName?: string | null }

/** Ranked candidates for the patient; with `only`, just that holder if (and only if) it is a valid candidate. */
export async function findCandidates(client: pg.PoolClient | pg.Pool, ctx: MatchContext, only?: { kind: HolderKind; id: string }): Promise<Candidate[]> {
  const communes = loadCommunes().byCode;
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const add = (r: Row, basis: Basis, note: string | null) => {
    if (seen.has(r.id) || (only && r.id !== only.id)) return;
    seen.add(r.id);
    const km = ctx.lat !== null && ctx.lng !== null && r.lat !== null && r.lng !== null ? distanceKm(ctx.lat, ctx.lng, r.lat, r.lng) : null;
    out.push({
      kind: r.kind, id: r.id, name: r.name, rpps: r.rpps, inseeCode: r.inseeCode, communeName: r.inseeCode ? communes.get(r.inseeCode)?.name ?? null : null,
      distanceKm: km === null ? null : Math.round(km * 10) / 10, capacity: r.capacity, capacityLeft: r.capacityLeft, acceptsAld: r.acceptsAld, doctors: r.doctors, basis, note,
    });
  };
  const common = [ctx.organisationId, ctx.ald, ctx.excluded];

  if (ctx.relationRpps) {
    for (const r of (await client.query<Row>({ name: "match-relation", text: RELATION, values: [...common, ctx.relationRpps] })).rows) {
      add(r, "relation", r.kind === "team" ? `Le patient consulte déjà le Dr ${r.doctorName}, membre de cette équipe.` : "Le patient consulte déjà ce médecin.");
    }
  }
  if (ctx.campaignType === "retirement" && ctx.leavingGpRpps) {
    for (const r of (await client.query<Row>({ name: "match-retirement", text: RETIREMENT_TEAM, values: [...common, ctx.leavingGpRpps] })).rows) {
      add(r, "retirement_team", "Équipe du médecin qui cesse son activité.");
    }
  }
  if (ctx.lat !== null && ctx.lng !== null) {
    const [x, y] = placePoint(ctx.lat, ctx.lng);
    const { rows } = only
      ? await client.query<Row>({ name: "match-one", text: ONE, values: [...common, only.id] })
      : await client.query<Row>({ name: "match-nearest", text: NEAREST, values: [...common, x, y, PROPOSALS + 5] });
    const near = rows
      .filter((r) => r.lat !== null && r.lng !== null)
      .map((r) => ({ r, km: distanceKm(ctx.lat!, ctx.lng!, r.lat!, r.lng!) }))
      .filter((n) => n.km <= ctx.maxDistanceKm)
      .sort((a, b) => a.km - b.km);
    for (const n of near) add(n.r, "distance", null);
  }
  return out.slice(0, only ? 1 : PROPOSALS);
}
