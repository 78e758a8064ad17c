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
import { distanceKm } from "../geo/distanceKm.ts";
import { errors } from "../errors.ts";
import { stillPractisingSql } from "./stillPractising.ts";

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
  /** The point of the patient's commune (the `Commune` table), null when unknown. */
  lat: number | null;
  lng: number | null;
  campaignType: string;
  leavingGpRpps: string | null;
  maxDistanceKm: number;
  /** Holders already declined or let expire for this patient: not proposed again. */
  excluded: string[];
}

/** The patient's live (reserved or confirmed) orientation, with its holder. */
export interface LiveOrientation {
  id: string;
  status: string;
  basis: Basis;
  distanceKm: number | null;
  reservedAt: Date;
  expiresAt: Date | null;
  holderName: string;
  kind: HolderKind;
}

export interface Proposal {
  context: MatchContext;
  candidates: Candidate[];
  orientation: LiveOrientation | null;
  reorientReason: string | null;
}

/** Whose proposals: the patient an agent holds (the console), or an enrolment (the booking's re-check, scripts, tests). */
export type PatientRef = { organisationId: string; heldBy: string } | { organisationId: string; enrolmentId: string };

/** How many proposals the agent sees. */
export const PROPOSALS = 10;

// A propose is one statement, one round trip: the patient's context (campaign, profile, commune point, holders
// excluded, live orientation) as a CTE, then every kind of candidate as a LATERAL branch reading it.
const OPEN_GP = `g."teamId" IS NULL AND g."acceptsNew" AND g."taken" < g."capacity" AND (NOT x."ald" OR g."acceptsAld")
  AND ${stillPractisingSql("g")} AND NOT (g."id"::text = ANY(x."excluded"))`;
const OPEN_TEAM = `t."acceptsNew" AND t."taken" < t."capacity" AND (NOT x."ald" OR t."acceptsAld") AND NOT (t."id"::text = ANY(x."excluded"))`;
const GP_FIELDS = `'gp' AS "kind", g."id", g."lastName" || coalesce(' ' || g."firstName", '') AS "name", g."rpps", g."inseeCode", g."lat", g."lng",
  g."capacity", g."capacity" - g."taken" AS "capacityLeft", g."acceptsAld", 1 AS "doctors"`;
const TEAM_FIELDS = `'team' AS "kind", t."id", t."name", NULL AS "rpps", t."inseeCode", t."lat", t."lng",
  t."capacity", t."capacity" - t."taken" AS "capacityLeft", t."acceptsAld", (SELECT count(*)::int FROM "Gp" m WHERE m."teamId" = t."id") AS "doctors"`;
const PLACE = (a: string) => `point(${a}."lng" * cos(radians(${a}."lat")), ${a}."lat")`;

const CONTEXT = (by: "heldBy" | "enrolmentId") => `
  SELECT e."id" AS "enrolmentId", e."patientId", e."reorientReason", p."ald", p."relationRpps", c."type" AS "campaignType", c."leavingGpRpps",
         c."maxDistanceKm", m."lat" AS "pLat", m."lng" AS "pLng",
         ARRAY(SELECT coalesce(o."gpId", o."teamId")::text FROM "Orientation" o WHERE o."patientId" = e."patientId" AND o."status" IN ('declined', 'expired')) AS "excluded",
         l."id" AS "liveId", l."status" AS "liveStatus", l."basis" AS "liveBasis", l."distanceKm" AS "liveDistanceKm", l."reservedAt" AS "liveReservedAt",
         l."expiresAt" AS "liveExpiresAt", l."holderName" AS "liveHolderName", l."kind" AS "liveKind"
  FROM "Enrolment" e JOIN "Patient" p ON p."id" = e."patientId" JOIN "Campaign" c ON c."id" = e."campaignId"
  LEFT JOIN "Commune" m ON m."inseeCode" = p."inseeCode"
  -- LIMIT 1 (there is at most one) keeps this a lookup by patient: flattened into a join, a plan made while few
  -- orientations were live scans them all.
  LEFT JOIN LATERAL (
    SELECT o."id", o."status", o."basis", o."distanceKm", o."reservedAt", o."expiresAt", coalesce('Dr ' || g."lastName", t."name") AS "holderName",
           CASE WHEN o."gpId" IS NULL THEN 'team' ELSE 'gp' END AS "kind"
    FROM "Orientation" o LEFT JOIN "Gp" g ON g."id" = o."gpId" LEFT JOIN "Team" t ON t."id" = o."teamId"
    WHERE o."patientId" = e."patientId" AND o."status" IN ('reserved', 'confirmed') LIMIT 1) l ON true
  WHERE ${by === "heldBy" ? `e."heldBy" = $1` : `e."id" = $1`} AND c."organisationId" = $2`;

// The relationship and the leaving GP's team, by RPPS; then, nearest first, by the GiST "place" indexes
// (k-nearest-neighbour on <->, the patient's point read from the context), each side limited, merged and cut at the
// campaign's distance in JS. No radius in SQL: it is only a filter there, and where fewer holders than the limit are
// within it, the scan would walk the whole index instead of stopping at the limit. With a holder id ($3, the
// booking's re-check), that holder instead of the nearest.
const NEAR_LIMIT = PROPOSALS + 5;
const BRANCHES = (only: boolean) => `
  SELECT 'relation' AS "basis", ${GP_FIELDS}, NULL AS "doctorName" FROM "Gp" g WHERE g."organisationId" = $2 AND g."rpps" = x."relationRpps" AND ${OPEN_GP}
  UNION ALL
  SELECT 'relation', ${TEAM_FIELDS}, d."lastName" || coalesce(' ' || d."firstName", '')
  FROM "Gp" d JOIN "Team" t ON t."id" = d."teamId" WHERE d."organisationId" = $2 AND d."rpps" = x."relationRpps" AND ${OPEN_TEAM}
  UNION ALL
  SELECT 'retirement_team', ${TEAM_FIELDS}, NULL
  FROM "Gp" d JOIN "Team" t ON t."id" = d."teamId" WHERE x."campaignType" = 'retirement' AND d."organisationId" = $2 AND d."rpps" = x."leavingGpRpps" AND ${OPEN_TEAM}
  UNION ALL
  ${only
    ? `SELECT 'distance', ${GP_FIELDS}, NULL FROM "Gp" g WHERE x."pLat" IS NOT NULL AND g."organisationId" = $2 AND g."id" = $3 AND ${OPEN_GP}
  UNION ALL
  SELECT 'distance', ${TEAM_FIELDS}, NULL FROM "Team" t WHERE x."pLat" IS NOT NULL AND t."organisationId" = $2 AND t."id" = $3 AND ${OPEN_TEAM}`
    : `(SELECT 'distance', ${GP_FIELDS}, NULL FROM "Gp" g
   WHERE x."pLat" IS NOT NULL AND g."organisationId" = $2 AND g."lat" IS NOT NULL AND g."lng" IS NOT NULL AND ${OPEN_GP}
   ORDER BY ${PLACE("g")} <-> point(x."pLng" * cos(radians(x."pLat")), x."pLat") LIMIT ${NEAR_LIMIT})
  UNION ALL
  (SELECT 'distance', ${TEAM_FIELDS}, NULL FROM "Team" t
   WHERE x."pLat" IS NOT NULL AND t."organisationId" = $2 AND t."lat" IS NOT NULL AND t."lng" IS NOT NULL AND ${OPEN_TEAM}
   ORDER BY ${PLACE("t")} <-> point(x."pLng" * cos(radians(x."pLat")), x."pLat") LIMIT ${NEAR_LIMIT})`}`;

const STATEMENTS = new Map<string, string>();
function statement(by: "heldBy" | "enrolmentId", only: boolean) {
  const name = `propose-${by}${only ? "-one" : ""}`;
  if (!STATEMENTS.has(name)) {
    STATEMENTS.set(name, `WITH x AS MATERIALIZED (${CONTEXT(by)})
  SELECT x.*, h.* FROM x LEFT JOIN LATERAL (${BRANCHES(only)}) h ON true`);
  }
  return { name, text: STATEMENTS.get(name)! };
}

interface Row {
  enrolmentId: string; patientId: string; reorientReason: string | null; ald: boolean; relationRpps: string | null; campaignType: string;
  leavingGpRpps: string | null; maxDistanceKm: number; pLat: number | null; pLng: number | null; excluded: string[];
  liveId: string | null; liveStatus: string; liveBasis: Basis; liveDistanceKm: number | null; liveReservedAt: Date; liveExpiresAt: Date | null;
  liveHolderName: string; liveKind: HolderKind;
  basis: Basis | null; kind: HolderKind; id: string; name: string; rpps: string | null; inseeCode: string | null; lat: number | null; lng: number | null;
  capacity: number; capacityLeft: number; acceptsAld: boolean; doctors: number; doctorName: string | null;
}

const NOTES: Record<Basis, (r: Row) => string | null> = {
  relation: (r) => (r.kind === "team" ? `Le patient consulte déjà le Dr ${r.doctorName}, membre de cette équipe.` : "Le patient consulte déjà ce médecin."),
  retirement_team: () => "Équipe du médecin qui cesse son activité.",
  distance: () => null,
};
const RANK: Record<Basis, number> = { relation: 0, retirement_team: 1, distance: 2 };

/**
 * The patient's context and ranked candidates, in one round trip; with `only`, just that holder if (and only if) it is
 * a valid candidate. Throws `no_patient` (409) when the agent holds none, `not_found` for an unknown enrolment.
 */
export async function findCandidates(client: pg.PoolClient | pg.Pool, who: PatientRef, only?: { kind: HolderKind; id: string }): Promise<Proposal> {
  const by = "heldBy" in who ? "heldBy" : "enrolmentId";
  const { rows } = await client.query<Row>({
    ...statement(by, only !== undefined),
    values: ["heldBy" in who ? [who.heldBy, who.organisationId] : [who.enrolmentId, who.organisationId], only ? [only.id] : []].flat(),
  });
  const x = rows[0];
  if (!x) throw by === "heldBy" ? errors.noPatient() : errors.notFound("Patient");
  const context: MatchContext = {
    organisationId: who.organisationId, enrolmentId: x.enrolmentId, patientId: x.patientId, ald: x.ald, relationRpps: x.relationRpps,
    lat: x.pLat, lng: x.pLng, campaignType: x.campaignType, leavingGpRpps: x.leavingGpRpps, maxDistanceKm: x.maxDistanceKm, excluded: x.excluded,
  };
  const communes = loadCommunes().byCode;
  const located = x.pLat !== null && x.pLng !== null;
  const ranked = rows
    .filter((r) => r.basis !== null && (!only || (r.id === only.id && r.kind === only.kind)))
    .map((r) => ({ r, basis: r.basis!, km: located && r.lat !== null && r.lng !== null ? distanceKm(x.pLat!, x.pLng!, r.lat, r.lng) : null }))
    // nearest holders only within the campaign's distance (and only where both points are known)
    .filter((n) => n.basis !== "distance" || (n.km !== null && n.km <= context.maxDistanceKm))
    .sort((a, b) => RANK[a.basis] - RANK[b.basis] || (a.basis === "distance" ? a.km! - b.km! : 0));
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const { r, basis, km } of ranked) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    candidates.push({
      kind: r.kind, id: r.id, name: r.name, rpps: r.rpps, inseeCode: r.inseeCode, communeName: r.inseeCode ? communes.get(r.inseeCode)?.name ?? null : null,
      distanceKm: km === null ? null : Math.round(km * 10) / 10, capacity: r.capacity, capacityLeft: r.capacityLeft, acceptsAld: r.acceptsAld, doctors: r.doctors,
      basis, note: NOTES[basis](r),
    });
  }
  const orientation: LiveOrientation | null = x.liveId === null ? null : {
    id: x.liveId, status: x.liveStatus, basis: x.liveBasis, distanceKm: x.liveDistanceKm, reservedAt: x.liveReservedAt, expiresAt: x.liveExpiresAt,
    holderName: x.liveHolderName, kind: x.liveKind,
  };
  return { context, candidates: candidates.slice(0, only ? 1 : PROPOSALS), orientation, reorientReason: x.reorientReason };
}
