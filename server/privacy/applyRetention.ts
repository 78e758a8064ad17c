// The retention policy of one organisation, run by the "retention" queue every night (and by an
// admin on demand): identities of patients past retention are erased in batches, each batch its own
// transaction (a crash loses nothing: the next run goes on), and the rejected rows and remarks of the imports of
// campaigns past retention are deleted (the import's counts stay). An uploaded file is deleted when its import ends;
// one whose column mapping was never confirmed goes after ABANDONED_UPLOAD_DAYS. The run's report goes to the audit log.
import type pg from "pg";
import { inTransaction } from "../pgPool.ts";
import { erasePatients } from "./erasePatients.ts";
import { findRetentionDue, retentionCutoff } from "./findRetentionDue.ts";

const BATCH = 500;
/** An upload left waiting for its column mapping this long is dropped, with its file (the listing's identities). */
export const ABANDONED_UPLOAD_DAYS = 7;
export const ABANDONED_UPLOAD_MESSAGE =
  `Dépôt abandonné : la correspondance des colonnes n'a pas été confirmée sous ${ABANDONED_UPLOAD_DAYS} jours et le fichier a été supprimé. Déposez-le à nouveau pour l'importer.`;

export interface RetentionReport {
  organisationId: string;
  months: number;
  cutoff: Date;
  erased: number;
  /** Uploads left waiting for their column mapping, dropped with their file. */
  filesDeleted: number;
  rejectionsDeleted: number;
}

export async function applyRetention(pool: pg.Pool, organisationId: string, actor: { userId?: string | null; label?: string; ip?: string | null } = {}, now = new Date()): Promise<RetentionReport> {
  const { months, cutoff } = await retentionCutoff(pool, organisationId, now);
  const { filesDeleted, rejectionsDeleted } = await inTransaction(async (c) => {
    const { rows: [abandoned] } = await c.query<{ n: number }>(
      `WITH gone AS (UPDATE "Import" SET "status" = 'failed', "finishedAt" = $2, "error" = $3
         WHERE "organisationId" = $1 AND "status" = 'uploaded' AND "createdAt" <= $2::timestamptz - make_interval(days => $4) RETURNING "id"),
       files AS (DELETE FROM "ImportChunk" WHERE "importId" IN (SELECT "id" FROM gone))
       SELECT count(*)::int AS n FROM gone`,
      [organisationId, now, ABANDONED_UPLOAD_MESSAGE, ABANDONED_UPLOAD_DAYS],
    );
    // Imports of campaigns past retention: the rejected rows (cells of the listing) and the remarks go.
    const past = `SELECT i."id" FROM "Import" i JOIN "Campaign" c ON c."id" = i."campaignId"
                  WHERE i."organisationId" = $1 AND c."status" = 'closed' AND c."closedAt" <= $2 AND i."status" IN ('done', 'failed')`;
    const rejections = await c.query(`DELETE FROM "ImportRejection" WHERE "importId" IN (${past})`, [organisationId, cutoff]);
    await c.query(`DELETE FROM "ImportRemark" WHERE "importId" IN (${past})`, [organisationId, cutoff]);
    return { filesDeleted: abandoned.n, rejectionsDeleted: rejections.rowCount ?? 0 };
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
