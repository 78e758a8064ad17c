// The funnel of a campaign, defined once here (the campaign report and the supervisor's live board
// both call it). Each stage counts the enrolments of the previous stage that pass one more test, so
// every stage is a subset of the one before by construction:
//   imported   an enrolment of the campaign (a patient of an imported listing)
//   eligible   … whose stored eligibility is true (computed at the last import; a refusal to be contacted can turn it off)
//   called     … with at least one call attempt that has an outcome (any outcome, "interrupted" included)
//   reached    … with an attempt whose outcome is "reached"
//   consented  … whose CURRENT "share_identity" consent is granted (latest record for that purpose, as
//              server/consent/currentConsents.ts orders them). share_identity, not mt_declaration, because it is
//              the consent the booking of a GP requires (server/matching/bookOrientation.ts): the step before "oriented".
//   oriented   … with an orientation in this campaign, ever (every orientation starts as a reservation,
//              whatever became of it: confirmed, declined, expired, cancelled)
//   confirmed  … with an orientation in this campaign whose status is "confirmed" now
//   declared   … with a confirmed orientation whose médecin traitant declaration the fund answered "declared"
import { grantedNowSql } from "../consent/currentConsents.ts";
import type pg from "pg";

export const FUNNEL_STAGES = [
  { key: "imported", label: "Importés", short: "Importés" },
  { key: "eligible", label: "Éligibles", short: "Éligibles" },
  { key: "called", label: "Appelés", short: "Appelés" },
  { key: "reached", label: "Joints", short: "Joints" },
  { key: "consented", label: "Consentement au partage d'identité", short: "Consentants" },
  { key: "oriented", label: "Orientés", short: "Orientés" },
  { key: "confirmed", label: "Confirmés par le médecin", short: "Confirmés" },
  { key: "declared", label: "Déclarés", short: "Déclarés" },
] as const;

export type FunnelStage = (typeof FUNNEL_STAGES)[number]["key"];
export type FunnelCounts = Record<FunnelStage, number>;

/** Shown under the funnel in the console and the exports. */
export const FUNNEL_NOTE =
  "Chaque étape compte les patients de l'étape précédente. « Consentement » : consentement actuel à la transmission de l'identité au médecin (celui que demande la réservation), pas celui de la déclaration.";

/** $1 = campaign ids (uuid[]); one row per value of `key` with the eight counts. Set-based: the campaigns' attempts
 * and orientations are grouped once and joined (per-enrolment subqueries took 1.25 s at 200,000 enrolments, this 66 ms);
 * the current consent is looked up only for reached patients, the only ones the stage after "reached" counts. */
const funnelSql = (key: string, join = "") => `
  WITH a AS (SELECT a."enrolmentId", bool_or(a."outcome" = 'reached') AS "reached" FROM "CallAttempt" a
      WHERE a."campaignId" = ANY($1::uuid[]) AND a."outcome" IS NOT NULL GROUP BY 1),
    o AS (SELECT o."enrolmentId", bool_or(o."status" = 'confirmed') AS "confirmed", bool_or(o."status" = 'confirmed' AND d."status" = 'declared') AS "declared"
      FROM "Orientation" o LEFT JOIN "Declaration" d ON d."orientationId" = o."id" WHERE o."campaignId" = ANY($1::uuid[]) GROUP BY 1),
    e AS (SELECT ${key} AS "key", e."eligible", a."enrolmentId" IS NOT NULL AS "called", coalesce(a."reached", false) AS "reached",
      CASE WHEN a."reached" THEN ${grantedNowSql('e."patientId"', "share_identity")} ELSE false END AS "consented",
      o."enrolmentId" IS NOT NULL AS "oriented", coalesce(o."confirmed", false) AS "confirmed", coalesce(o."declared", false) AS "declared"
    FROM "Enrolment" e ${join} LEFT JOIN a ON a."enrolmentId" = e."id" LEFT JOIN o ON o."enrolmentId" = e."id"
    WHERE e."campaignId" = ANY($1::uuid[]))
  SELECT "key",
    count(*)::int AS "imported",
    count(*) FILTER (WHERE "eligible")::int AS "eligible",
    count(*) FILTER (WHERE "eligible" AND "called")::int AS "called",
    count(*) FILTER (WHERE "eligible" AND "called" AND "reached")::int AS "reached",
    count(*) FILTER (WHERE "eligible" AND "called" AND "reached" AND "consented")::int AS "consented",
    count(*) FILTER (WHERE "eligible" AND "called" AND "reached" AND "consented" AND "oriented")::int AS "oriented",
    count(*) FILTER (WHERE "eligible" AND "called" AND "reached" AND "consented" AND "oriented" AND "confirmed")::int AS "confirmed",
    count(*) FILTER (WHERE "eligible" AND "called" AND "reached" AND "consented" AND "oriented" AND "confirmed" AND "declared")::int AS "declared"
  FROM e GROUP BY "key"`;

const FUNNEL_SQL = funnelSql(`e."campaignId"`);
/** The same funnel per commune of residence: rows with "inseeCode" and the eight counts. */
export const funnelByCommuneSql = funnelSql(`p."inseeCode"`, `JOIN "Patient" p ON p."id" = e."patientId"`).replace(`SELECT "key",`, `SELECT "key" AS "inseeCode",`);

const EMPTY: FunnelCounts = { imported: 0, eligible: 0, called: 0, reached: 0, consented: 0, oriented: 0, confirmed: 0, declared: 0 };

/** Funnels of several campaigns in one pass (the live board); a campaign without enrolments gets zeros. */
export async function campaignFunnels(client: pg.PoolClient | pg.Pool, campaignIds: readonly string[]): Promise<Map<string, FunnelCounts>> {
  const result = new Map<string, FunnelCounts>(campaignIds.map((id) => [id, { ...EMPTY }]));
  if (!campaignIds.length) return result;
  const { rows } = await client.query<FunnelCounts & { key: string }>(FUNNEL_SQL, [campaignIds]);
  for (const { key, ...counts } of rows) result.set(key, counts);
  return result;
}

export async function campaignFunnel(client: pg.PoolClient | pg.Pool, campaignId: string): Promise<FunnelCounts> {
  return (await campaignFunnels(client, [campaignId])).get(campaignId)!;
}

/** Per stage: its count, its share of the stage before and of the imported patients (percent, one decimal; null when dividing by 0). */
export function funnelWithRates(counts: FunnelCounts) {
  const pct = (n: number, d: number) => (d ? Math.round((1000 * n) / d) / 10 : null);
  return FUNNEL_STAGES.map((s, i) => ({
    stage: s.key,
    label: s.label,
    count: counts[s.key],
    ofPrevious: i === 0 ? null : pct(counts[s.key], counts[FUNNEL_STAGES[i - 1].key]),
    ofImported: pct(counts[s.key], counts.imported),
  }));
}
