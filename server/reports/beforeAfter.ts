// The fund's "bilan avant / après": for a chosen period (calendar days of the organisation, in its time zone, both ends included) and
// the period of the same length just before it, patients oriented (a reservation made), confirmed (a
// GP or team accepted) and declared (the fund registered the médecin traitant), for the organisation
// and per MSP team ("Médecins hors MSP" for GPs booked on their own).
import type pg from "pg";
import { midnightSql, organisationZoneSql } from "../organisations/timeZone.ts";

export const MEASURES = [
  { key: "oriented", label: "Patients orientés" },
  { key: "confirmed", label: "Orientations confirmées" },
  { key: "declared", label: "Médecins traitants déclarés" },
] as const;
type Measure = (typeof MEASURES)[number]["key"];
type Counts = Record<Measure, number>;

// $1 organisation, $2 first instant, $3 instant after the last day. Grouped by team (null: solo GP).
const SQL = `
  SELECT g, count(DISTINCT "patientId") FILTER (WHERE kind = 'oriented')::int AS oriented,
         count(*) FILTER (WHERE kind = 'confirmed')::int AS confirmed, count(*) FILTER (WHERE kind = 'declared')::int AS declared
  FROM (
    SELECT o."teamId" AS g, o."patientId", 'oriented' AS kind FROM "Orientation" o
    WHERE o."organisationId" = $1 AND o."reservedAt" >= $2 AND o."reservedAt" < $3
    UNION ALL
    SELECT o."teamId", o."patientId", 'confirmed' FROM "Orientation" o
    WHERE o."organisationId" = $1 AND o."status" = 'confirmed' AND o."answeredAt" >= $2 AND o."answeredAt" < $3
    UNION ALL
    SELECT o."teamId", o."patientId", 'declared' FROM "Declaration" d JOIN "Orientation" o ON o."id" = d."orientationId"
    WHERE d."organisationId" = $1 AND d."status" = 'declared' AND d."answeredAt" >= $2 AND d."answeredAt" < $3
  ) x GROUP BY g`;

/** Midnight, in the organisation's time zone, of a calendar day given as YYYY-MM-DD. */
async function midnightOf(client: pg.PoolClient | pg.Pool, organisationId: string, day: string): Promise<Date> {
  const { rows } = await client.query<{ t: Date }>(`SELECT ${midnightSql("$2", organisationZoneSql("$1::uuid"))} AS t`, [organisationId, day]);
  return rows[0].t;
}

export async function beforeAfter(client: pg.PoolClient | pg.Pool, organisationId: string, period: { from: string; to: string }) {
  const start = await midnightOf(client, organisationId, period.from);
  const end = await midnightOf(client, organisationId, new Date(Date.parse(`${period.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10));
  const days = Math.round((Date.parse(`${period.to}T00:00:00Z`) - Date.parse(`${period.from}T00:00:00Z`)) / 86_400_000) + 1;
  const beforeFrom = new Date(Date.parse(`${period.from}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
  const beforeStart = await midnightOf(client, organisationId, beforeFrom);
  const [after, before, teams] = await Promise.all([
    client.query<Counts & { g: string | null }>(SQL, [organisationId, start, end]),
    client.query<Counts & { g: string | null }>(SQL, [organisationId, beforeStart, start]),
    client.query<{ id: string; name: string }>(`SELECT "id", "name" FROM "Team" WHERE "organisationId" = $1`, [organisationId]),
  ]);
  const zero: Counts = { oriented: 0, confirmed: 0, declared: 0 };
  const pick = (rows: (Counts & { g: string | null })[], g: string | null): Counts => {
    const r = rows.find((x) => x.g === g);
    return r ? { oriented: r.oriented, confirmed: r.confirmed, declared: r.declared } : { ...zero };
  };
  const sum = (rows: Counts[]): Counts => ({ oriented: rows.reduce((s, r) => s + r.oriented, 0), confirmed: rows.reduce((s, r) => s + r.confirmed, 0), declared: rows.reduce((s, r) => s + r.declared, 0) });
  const groups = [...new Set([...after.rows, ...before.rows].map((r) => r.g))];
  const rows = groups
    .map((g) => ({ teamId: g, label: g ? teams.rows.find((t) => t.id === g)?.name ?? "Équipe supprimée" : "Médecins hors MSP", before: pick(before.rows, g), after: pick(after.rows, g) }))
    .sort((a, b) => (a.teamId === null ? 1 : b.teamId === null ? -1 : a.label.localeCompare(b.label, "fr")));
  // A patient oriented twice in a period (to a team, then to a GP) counts once in the organisation's total.
  const distinctOriented = async (from: Date, to: Date) =>
    (await client.query<{ n: number }>(`SELECT count(DISTINCT "patientId")::int AS n FROM "Orientation" WHERE "organisationId" = $1 AND "reservedAt" >= $2 AND "reservedAt" < $3`, [organisationId, from, to])).rows[0].n;
  return {
    period: { from: period.from, to: period.to, days },
    previous: { from: beforeFrom, to: new Date(Date.parse(`${period.from}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10) },
    measures: MEASURES,
    total: {
      before: { ...sum(rows.map((r) => r.before)), oriented: await distinctOriented(beforeStart, start) },
      after: { ...sum(rows.map((r) => r.after)), oriented: await distinctOriented(start, end) },
    },
    rows,
  };
}
