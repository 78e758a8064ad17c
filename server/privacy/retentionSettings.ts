// The organisation's retention setting, what it would erase now, and the reports of its last runs.
import type pg from "pg";
import { countRetentionDue, retentionCutoff } from "./findRetentionDue.ts";
import { ABANDONED_UPLOAD_DAYS } from "./applyRetention.ts";

export const RETENTION_MONTHS = { min: 1, max: 120, default: 24 } as const;

export async function loadRetentionSettings(client: pg.Pool | pg.PoolClient, organisationId: string, now = new Date()) {
  const { months, cutoff } = await retentionCutoff(client, organisationId, now);
  const [due, runs, erasedTotal] = await Promise.all([
    countRetentionDue(client, organisationId, cutoff),
    client.query(
      `SELECT a."at", a."details", COALESCE(u."name", a."actorLabel") AS actor FROM "AuditLog" a LEFT JOIN "User" u ON u."id" = a."actorUserId"
       WHERE a."organisationId" = $1 AND a."action" = 'retention.run' ORDER BY a."id" DESC LIMIT 10`,
      [organisationId],
    ),
    client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Patient" WHERE "organisationId" = $1 AND "erasedAt" IS NOT NULL`, [organisationId]),
  ]);
  return {
    months,
    cutoff,
    dueNow: due,
    erasedTotal: erasedTotal.rows[0].n,
    abandonedUploadDays: ABANDONED_UPLOAD_DAYS,
    runs: runs.rows.map((r) => ({ at: r.at as Date, actor: r.actor as string | null, ...(r.details as { erased: number; filesDeleted: number; rejectionsDeleted: number; months: number }) })),
  };
}
