// The territorial diagnosis CPTS quote in their action plans (as the Rezone tool gives it): for each
// commune of the organisation's territory and in total, the organisation's patients aged 17 or more
// without a médecin traitant (known deceased excluded), of which ALD, CSS and 70 or more, as counts
// and as a share of the commune's population; the GPs with room for new patients, the places left,
// the GPs who announced the end of their activity, and the GPs' age profile (territory only).
// Patient counts and the age profile are suppressed below SMALL_COUNT (suppressSmallCounts.ts).
import type pg from "pg";
import { MIN_AGE } from "../eligibility/assessPatient.ts";
import { calendarDate } from "../organisations/timeZone.ts";
import { DEFAULT_TIME_ZONE } from "../../shared-types/timeZones.ts";
import { SMALL_COUNT, suppressSmallCounts, type Cell } from "./suppressSmallCounts.ts";

export const PATIENT_COLUMNS = [
  { key: "noMt", label: `Patients de ${MIN_AGE} ans et plus sans médecin traitant` },
  { key: "ald", label: "dont en ALD" },
  { key: "css", label: "dont bénéficiaires de la CSS" },
  { key: "age70", label: "dont 70 ans et plus" },
] as const;
type PatientKey = (typeof PATIENT_COLUMNS)[number]["key"];

export const GP_AGE_BANDS = [
  { key: "under50", label: "moins de 50 ans", min: 0, max: 49 },
  { key: "50to59", label: "50 à 59 ans", min: 50, max: 59 },
  { key: "60to64", label: "60 à 64 ans", min: 60, max: 64 },
  { key: "65plus", label: "65 ans et plus", min: 65, max: 200 },
  { key: "unknown", label: "âge inconnu", min: null, max: null },
] as const;
type AgeKey = (typeof GP_AGE_BANDS)[number]["key"];

const PATIENTS_SQL = `
  SELECT p."inseeCode", count(*)::int AS "noMt",
         count(*) FILTER (WHERE p."ald")::int AS ald, count(*) FILTER (WHERE p."css")::int AS css,
         count(*) FILTER (WHERE p."birthDate" <= $3::date - interval '70 years')::int AS age70
  FROM "Patient" p
  WHERE p."organisationId" = $1 AND p."inseeCode" = ANY($2::text[]) AND NOT p."hasMt"
    AND p."birthDate" <= $3::date - interval '${MIN_AGE} years'
    AND NOT EXISTS (SELECT 1 FROM "Enrolment" e WHERE e."patientId" = p."id" AND e."doneReason" = 'deceased')
  GROUP BY 1`;

// A GP of a team has room when the team does (capacity is pooled); places left are counted once per holder.
const GPS_SQL = `
  SELECT g."inseeCode", count(*)::int AS gps,
         count(*) FILTER (WHERE CASE WHEN t."id" IS NULL THEN g."acceptsNew" AND g."capacity" > g."taken" ELSE t."acceptsNew" AND t."capacity" > t."taken" END)::int AS "withRoom",
         count(*) FILTER (WHERE g."endOfActivity" IS NOT NULL)::int AS "endingActivity",
         COALESCE(sum(greatest(g."capacity" - g."taken", 0)) FILTER (WHERE t."id" IS NULL AND g."acceptsNew"), 0)::int AS "soloPlaces"
  FROM "Gp" g LEFT JOIN "Team" t ON t."id" = g."teamId"
  WHERE g."organisationId" = $1 AND g."inseeCode" = ANY($2::text[]) GROUP BY 1`;

const TEAM_PLACES_SQL = `
  SELECT "inseeCode", COALESCE(sum(greatest("capacity" - "taken", 0)) FILTER (WHERE "acceptsNew"), 0)::int AS places
  FROM "Team" WHERE "organisationId" = $1 AND "inseeCode" = ANY($2::text[]) GROUP BY 1`;

const GP_AGES_SQL = `
  SELECT CASE WHEN "birthYear" IS NULL THEN 'unknown'
              WHEN $3::int - "birthYear" < 50 THEN 'under50' WHEN $3::int - "birthYear" < 60 THEN '50to59'
              WHEN $3::int - "birthYear" < 65 THEN '60to64' ELSE '65plus' END AS band, count(*)::int AS n
  FROM "Gp" WHERE "organisationId" = $1 AND "inseeCode" = ANY($2::text[]) GROUP BY 1`;

export interface DiagnosisRow {
  inseeCode: string;
  name: string;
  population: number | null;
  patients: Record<PatientKey, Cell>;
  /** Percent of the commune's population, two decimals; null when the count is suppressed or the population unknown. */
  shares: Record<PatientKey, number | null>;
  gps: number;
  withRoom: number;
  places: number;
  endingActivity: number;
}

export async function territorialDiagnosis(client: pg.PoolClient | pg.Pool, organisationId: string, today = new Date()) {
  const { rows: [org] } = await client.query<{ territory: string[]; timeZone: string }>(`SELECT "territory", "timeZone" FROM "Organisation" WHERE "id" = $1`, [organisationId]);
  let codes = org?.territory ?? [];
  // A fund without a declared territory (a CPAM): the communes where its patients and GPs are.
  if (!codes.length) {
    const { rows } = await client.query<{ code: string }>(
      `SELECT DISTINCT "inseeCode" AS code FROM "Patient" WHERE "organisationId" = $1 AND "inseeCode" IS NOT NULL
       UNION SELECT DISTINCT "inseeCode" FROM "Gp" WHERE "organisationId" = $1 AND "inseeCode" IS NOT NULL`,
      [organisationId],
    );
    codes = rows.map((r) => r.code);
  }
  const day = calendarDate(today, org?.timeZone ?? DEFAULT_TIME_ZONE);
  const [communes, patients, gps, teams, ages] = await Promise.all([
    client.query<{ inseeCode: string; name: string; population: number | null }>(
      `SELECT "inseeCode", "name", "population" FROM "Commune" WHERE "inseeCode" = ANY($1::text[])`, [codes]),
    client.query<Record<PatientKey, number> & { inseeCode: string }>(PATIENTS_SQL, [organisationId, codes, day]),
    client.query<{ inseeCode: string; gps: number; withRoom: number; endingActivity: number; soloPlaces: number }>(GPS_SQL, [organisationId, codes]),
    client.query<{ inseeCode: string; places: number }>(TEAM_PLACES_SQL, [organisationId, codes]),
    client.query<{ band: AgeKey; n: number }>(GP_AGES_SQL, [organisationId, codes, Number(day.slice(0, 4))]),
  ]);
  const byCode = new Map(communes.rows.map((c) => [c.inseeCode, c]));
  const ordered = [...codes].sort((a, b) => (byCode.get(a)?.name ?? a).localeCompare(byCode.get(b)?.name ?? b, "fr"));
  const keys = PATIENT_COLUMNS.map((c) => c.key);
  const counts = ordered.map((code) => {
    const r = patients.rows.find((p) => p.inseeCode === code);
    return Object.fromEntries(keys.map((k) => [k, r?.[k] ?? 0])) as Record<PatientKey, number>;
  });
  const suppressed = suppressSmallCounts(counts, keys);
  const share = (cell: Cell, population: number | null) => (cell.count !== null && population ? Math.round((10_000 * cell.count) / population) / 100 : null);
  const rows: DiagnosisRow[] = ordered.map((code, i) => {
    const c = byCode.get(code);
    const g = gps.rows.find((x) => x.inseeCode === code);
    const population = c?.population ?? null;
    return {
      inseeCode: code,
      name: c?.name ?? code,
      population,
      patients: suppressed.rows[i],
      shares: Object.fromEntries(keys.map((k) => [k, share(suppressed.rows[i][k], population)])) as Record<PatientKey, number | null>,
      gps: g?.gps ?? 0,
      withRoom: g?.withRoom ?? 0,
      places: (g?.soloPlaces ?? 0) + (teams.rows.find((t) => t.inseeCode === code)?.places ?? 0),
      endingActivity: g?.endingActivity ?? 0,
    };
  });
  const population = rows.some((r) => r.population !== null) ? rows.reduce((s, r) => s + (r.population ?? 0), 0) : null;
  const ageCounts = GP_AGE_BANDS.map((b) => ages.rows.find((a) => a.band === b.key)?.n ?? 0);
  const ageCells = suppressSmallCounts(ageCounts.map((n) => ({ n })), ["n"]);
  return {
    threshold: SMALL_COUNT,
    minAge: MIN_AGE,
    communes: rows,
    total: {
      population,
      patients: suppressed.totals,
      shares: Object.fromEntries(keys.map((k) => [k, share(suppressed.totals[k], population)])) as Record<PatientKey, number | null>,
      gps: rows.reduce((s, r) => s + r.gps, 0),
      withRoom: rows.reduce((s, r) => s + r.withRoom, 0),
      places: rows.reduce((s, r) => s + r.places, 0),
      endingActivity: rows.reduce((s, r) => s + r.endingActivity, 0),
    },
    gpAges: GP_AGE_BANDS.map((b, i) => ({ band: b.key, name: b.label, ...ageCells.rows[i].n })),
  };
}
