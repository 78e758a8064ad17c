// The patients of an organisation whose identity the retention policy erases now: not erased yet,
// enrolled in at least one campaign, and every one of their campaigns closed before the cut-off
// (now − the organisation's retentionMonths). Patients without any campaign (created by an
// opposition register import) are kept: the register needs them. Keyset pages by patient id.
import type pg from "pg";

export const DUE_SQL = `
  SELECT p."id" FROM "Patient" p
  WHERE p."organisationId" = $1 AND p."erasedAt" IS NULL AND p."id" > $3
    AND EXISTS (SELECT 1 FROM "Enrolment" e WHERE e."patientId" = p."id")
    AND NOT EXISTS (
      SELECT 1 FROM "Enrolment" e JOIN "Campaign" c ON c."id" = e."campaignId"
      WHERE e."patientId" = p."id" AND (c."status" <> 'closed' OR c."closedAt" IS NULL OR c."closedAt" > $2))`;

/** The cut-off of an organisation: campaigns closed before it are past retention. */
export async function retentionCutoff(client: pg.PoolClient | pg.Pool, organisationId: string, now = new Date()): Promise<{ months: number; cutoff: Date }> {
  const { rows } = await client.query<{ months: number; cutoff: Date }>(
    `SELECT "retentionMonths" AS months, ($2::timestamptz - make_interval(months => "retentionMonths")) AS cutoff FROM "Organisation" WHERE "id" = $1`,
    [organisationId, now],
  );
  return rows[0];
}

export async function findRetentionDue(client: pg.PoolClient | pg.Pool, organisationId: string, cutoff: Date, limit = 500, after = "00000000-0000-0000-0000-000000000000"): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(`${DUE_SQL} ORDER BY p."id" LIMIT ${Math.trunc(limit)}`, [organisationId, cutoff, after]);
  return rows.map((r) => r.id);
}

export async function countRetentionDue(client: pg.PoolClient | pg.Pool, organisationId: string, cutoff: Date): Promise<number> {
  const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${DUE_SQL}) d`, [organisationId, cutoff, "00000000-0000-0000-0000-000000000000"]);
  return rows[0].n;
}
