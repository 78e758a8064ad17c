// The retention policy of one organisation, run by the "retention" queue every night (and by an
// admin on demand): identities of patients past retention are erased in batches, each batch its own
// transaction (a crash loses nothing: the next run goes on), and the files of the imports of campaigns
// past retention are deleted (the import's counts stay). The run's report goes to the audit log.
import type pg from "pg";
import { inTransaction } from "../pgPool.ts";
import { erasePatients } from "./erasePatients.ts";
import { findRetentionDue, retentionCutoff } from "./findRetentionDue.ts";

const BATCH = 500;

export interface RetentionReport {
  organisationId: string;
  months: number;
  cutoff: Date;
  erased: number;
  /** Uploaded listings whose bytes were deleted. */
  filesDeleted: number;
  rejectionsDeleted: number;
}

export async function applyRetention(pool: pg.Pool, organisationId: string, actor: { userId?: string | null; label?: string; ip?: string | null } = {}, now = new Date()): Promise<RetentionReport> {
  const { months, cutoff } = await retentionCutoff(pool, organisationId, now);
  // Imports of campaigns past retention: the uploaded bytes, the rejected rows (cells of the listing) and the remarks go.
  const { filesDeleted, rejectionsDeleted } = await inTransaction(async (c) => {
    const past = `SELECT i."id" FROM "Import" i JOIN "Campaign" c ON c."id" = i."campaignId"
                  WHERE i."organisationId" = $1 AND c."status" = 'closed' AND c."closedAt" <= $2 AND i."status" IN ('done', 'failed')`;
    const files = await c.query<{ importId: string }>(`DELETE FROM "ImportChunk" WHERE "importId" IN (${past}) RETURNING "importId"`, [organisationId, cutoff]);
    const rejections = await c.query(`DELETE FROM "ImportRejection" WHERE "importId" IN (${past})`, [organisationId, cutoff]);
    await c.query(`DELETE FROM "ImportRemark" WHERE "importId" IN (${past})`, [organisationId, cutoff]);
    return { filesDeleted: new Set(files.rows.map((r) => r.importId)).size, rejectionsDeleted: rejections.rowCount ?? 0 };
  }, pool);
  let erased = 0;
  let after: string | undefined;
  for (;;) {
    const due = await findRetentionDue(pool, organisationId, cutoff, BATCH, after);
    if (!due.length) break;
    const done = await inTransaction(
      (c) => erasePatients(c, due, { organisationId, reason: "retention", actorUserId: actor.userId, actorLabel: actor.label ?? "rétention", ip: actor.ip, note: `${months} mois après la clôture` }),
      pool,
    );
    erased += done.length;
    after = due[due.length - 1];
    if (due.length < BATCH) break;
  }
  const report = { organisationId, months, cutoff, erased, filesDeleted, rejectionsDeleted };
  await pool.query(
    `INSERT INTO "AuditLog" ("organisationId", "actorUserId", "actorLabel", "action", "targetType", "targetId", "ip", "details") VALUES ($1::uuid, $2, $3, 'retention.run', 'organisation', $1::text, $4, $5)`,
    [organisationId, actor.userId ?? null, actor.userId ? null : actor.label ?? "rétention", actor.ip ?? null, { months, cutoff: cutoff.toISOString(), erased, filesDeleted, rejectionsDeleted }],
  );
  return report;
}

/** Every organisation, one after the other (the nightly job). */
export async function applyRetentionEverywhere(pool: pg.Pool, now = new Date()): Promise<RetentionReport[]> {
  const { rows } = await pool.query<{ id: string }>(`SELECT "id" FROM "Organisation" ORDER BY "id"`);
  const reports: RetentionReport[] = [];
  for (const { id } of rows) reports.push(await applyRetention(pool, id, { label: "rétention (tâche planifiée)" }, now));
  return reports;
}
