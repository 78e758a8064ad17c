// The organisation's opposition register, newest first, one page at a time (identity shown to the
// coordinator: the caller audits the patients of the page).
import type pg from "pg";

export const OPPOSITION_SOURCE_LABELS: Record<string, string> = { call: "pendant un appel", import: "registre importé", coordinator: "saisie par un coordinateur" };

export async function listOppositions(client: pg.PoolClient | pg.Pool, organisationId: string, page: { page: number; pageSize: number }) {
  const { rows: total } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "Opposition" WHERE "organisationId" = $1`, [organisationId]);
  const { rows } = await client.query(
    `SELECT o."patientId", o."source", o."at", o."comment", o."importId", o."attemptId", u."name" AS "recordedBy",
            p."externalId", p."lastName", p."birthName", p."firstName", to_char(p."birthDate", 'YYYY-MM-DD') AS "birthDate", p."inseeCode"
     FROM "Opposition" o JOIN "Patient" p ON p."id" = o."patientId" LEFT JOIN "User" u ON u."id" = o."recordedById"
     WHERE o."organisationId" = $1 ORDER BY o."at" DESC, o."patientId" LIMIT $2 OFFSET $3`,
    [organisationId, page.pageSize, (page.page - 1) * page.pageSize],
  );
  return {
    total: Number(total[0].n),
    page: page.page,
    pageSize: page.pageSize,
    items: rows.map((r) => ({ ...r, sourceLabel: OPPOSITION_SOURCE_LABELS[r.source] ?? r.source })),
  };
}
