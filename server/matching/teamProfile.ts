// The patientèle profile of an MSP team (national 2024 plan with MSPs): (a) the named list of the
// organisation's patients who already see a doctor of the team and have no declared médecin
// traitant; (b) the residents of the team's commune and of the communes within 10 km, without MT,
// aged 17 or more and not in (a), as counts only by commune and age band, small counts suppressed.
import type pg from "pg";
import { SMALL_COUNT, suppressGroup, type Cell } from "../reports/suppressSmallCounts.ts";
import { writeIdentityReads } from "../audit/writeIdentityReads.ts";
import { ageOn, MIN_AGE } from "../eligibility/assessPatient.ts";
import { calendarDate, organisationZoneSql } from "../organisations/timeZone.ts";
import { errors } from "../errors.ts";
import { loadCommunes } from "../geo/communes.ts";
import { distanceKm, KM_PER_DEGREE } from "../geo/distanceKm.ts";

export { SMALL_COUNT };
export const NEIGHBOUR_RADIUS_KM = 10;
export const AGE_BANDS = [
  { band: "17-39", min: MIN_AGE, max: 39 },
  { band: "40-59", min: 40, max: 59 },
  { band: "60-69", min: 60, max: 69 },
  { band: "70-79", min: 70, max: 79 },
  { band: "80+", min: 80, max: Infinity },
] as const;

export interface SuppressibleCount {
  /** null when suppressed. */
  count: number | null;
  suppressed: boolean;
  /** What the console shows: the count, "< 5", or "masqué" (hidden so that a small count cannot be worked out from the total). */
  label: string;
}

const SELECT_TEAM_PATIENTS = `
  SELECT p."id", p."lastName", p."birthName", p."firstName", to_char(p."birthDate", 'YYYY-MM-DD') AS "birthDate", p."inseeCode",
         p."ald", p."relationVisits", p."relationRpps", p."optOut", g."lastName" AS "gpLastName", g."firstName" AS "gpFirstName"
  FROM "Patient" p JOIN "Gp" g ON g."organisationId" = p."organisationId" AND g."rpps" = p."relationRpps" AND g."teamId" = $2
  WHERE p."organisationId" = $1 AND NOT p."hasMt"
  ORDER BY p."relationVisits" DESC NULLS LAST, p."lastName", p."firstName", p."id"`;

const COUNT_RESIDENTS = `
  SELECT p."inseeCode", to_char(p."birthDate", 'YYYY-MM-DD') AS "birthDate", count(*)::int AS n
  FROM "Patient" p
  WHERE p."organisationId" = $1 AND p."inseeCode" = ANY($2::text[]) AND NOT p."hasMt"
    AND NOT EXISTS (SELECT 1 FROM "Gp" g WHERE g."organisationId" = p."organisationId" AND g."rpps" = p."relationRpps" AND g."teamId" = $3)
  GROUP BY 1, 2`;

export async function loadTeamProfile(
  client: pg.PoolClient | pg.Pool,
  reader: { organisationId: string; userId: string; ip?: string | null },
  teamId: string,
  today = new Date(),
) {
  const { rows: teams } = await client.query(
    `SELECT t."id", t."name", t."inseeCode", t."lat", t."lng", c."name" AS "communeName", c."lat" AS "communeLat", c."lng" AS "communeLng",
       ${organisationZoneSql('t."organisationId"')} AS "organisationZone"
     FROM "Team" t LEFT JOIN "Commune" c ON c."inseeCode" = t."inseeCode" WHERE t."id" = $1 AND t."organisationId" = $2`,
    [teamId, reader.organisationId],
  );
  const team = teams[0];
  if (!team) throw errors.notFound("Équipe");
  const day = calendarDate(today, team.organisationZone);
  const communes = loadCommunes();

  // (a) named list, every identity read audited
  const { rows: known } = await client.query(SELECT_TEAM_PATIENTS, [reader.organisationId, teamId]);
  await writeIdentityReads(client, { organisationId: reader.organisationId, actorUserId: reader.userId, ip: reader.ip, via: "team_profile", context: { teamId } }, known.map((p) => p.id));
  const patients = known.map((p) => {
    const commune = p.inseeCode ? communes.byCode.get(p.inseeCode) : undefined;
    return {
      id: p.id as string, lastName: p.lastName as string, birthName: p.birthName as string | null, firstName: p.firstName as string | null,
      birthDate: p.birthDate as string, age: ageOn(p.birthDate, day),
      commune: p.inseeCode ? { inseeCode: p.inseeCode as string, name: commune?.name ?? null } : null,
      ald: p.ald as boolean, visits: p.relationVisits as number | null,
      doctor: { rpps: p.relationRpps as string, lastName: p.gpLastName as string, firstName: p.gpFirstName as string | null },
      optOut: p.optOut as boolean,
    };
  });

  // (b) the team's commune and its neighbours, by the communes' points
  const lat: number | null = team.communeLat ?? team.lat;
  const lng: number | null = team.communeLng ?? team.lng;
  const area: { inseeCode: string; name: string; distanceKm: number }[] = [];
  if (lat !== null && lng !== null) {
    const dLat = NEIGHBOUR_RADIUS_KM / KM_PER_DEGREE;
    const dLng = dLat / Math.max(0.01, Math.cos((lat * Math.PI) / 180));
    const { rows: near } = await client.query(
      `SELECT "inseeCode", "name", "lat", "lng" FROM "Commune" WHERE "lat" BETWEEN $1 AND $2 AND "lng" BETWEEN $3 AND $4`,
      [lat - dLat * 1.05, lat + dLat * 1.05, lng - dLng * 1.05, lng + dLng * 1.05],
    );
    for (const c of near) {
      const kind = communes.byCode.get(c.inseeCode)?.kind;
      if (kind !== "commune" && kind !== "arrondissement" && c.inseeCode !== team.inseeCode) continue; // former and delegated codes hold nobody
      const d = c.inseeCode === team.inseeCode ? 0 : distanceKm(lat, lng, c.lat, c.lng);
      if (d <= NEIGHBOUR_RADIUS_KM) area.push({ inseeCode: c.inseeCode, name: c.name, distanceKm: Math.round(d * 10) / 10 });
    }
  }
  if (team.inseeCode && !area.some((c) => c.inseeCode === team.inseeCode)) {
    area.push({ inseeCode: team.inseeCode, name: team.communeName ?? communes.byCode.get(team.inseeCode)?.name ?? team.inseeCode, distanceKm: 0 });
  }
  area.sort((a, b) => a.distanceKm - b.distanceKm || a.name.localeCompare(b.name, "fr"));

  const counts = new Map(area.map((c) => [c.inseeCode, AGE_BANDS.map(() => 0)]));
  if (area.length) {
    const { rows } = await client.query<{ inseeCode: string; birthDate: string; n: number }>(COUNT_RESIDENTS, [reader.organisationId, area.map((c) => c.inseeCode), teamId]);
    for (const r of rows) {
      const age = ageOn(r.birthDate, day);
      const band = AGE_BANDS.findIndex((b) => age >= b.min && age <= b.max);
      if (band >= 0) counts.get(r.inseeCode)![band] += r.n;
    }
  }

  return {
    team: { id: team.id as string, name: team.name as string, inseeCode: team.inseeCode as string | null, communeName: (team.communeName as string | null) ?? null },
    patients: { count: patients.length, items: patients },
    residents: {
      radiusKm: NEIGHBOUR_RADIUS_KM,
      minAge: MIN_AGE,
      threshold: SMALL_COUNT,
      bands: AGE_BANDS.map((b) => b.band),
      communes: area.map((c) => ({ ...c, ...suppress(counts.get(c.inseeCode)!) })),
    },
  };
}

/** The team profile's age bands of one commune: counts below SMALL_COUNT suppressed, 0 included (suppressGroup). */
export function suppress(bandCounts: readonly number[]) {
  const { cells, total } = suppressGroup(bandCounts, { zeroIsSmall: true });
  const cell = (c: Cell): SuppressibleCount => ({ count: c.count, suppressed: c.count === null, label: c.label });
  return { bands: cells.map((c, i) => ({ band: AGE_BANDS[i].band, ...cell(c) })), total: cell(total) };
}
