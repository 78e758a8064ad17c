// The batches sent to the fund, newest first, with their counts per status and the rejected
// declarations with the fund's reason (they stay rejected: never re-sent automatically).
import type pg from "pg";

export interface DeclarationBatch {
  batchId: string;
  sentAt: Date;
  sentBy: string | null;
  count: number;
  counts: { sent: number; declared: number; rejected: number };
  rejected: { declarationId: string; patientId: string; externalId: string | null; lastName: string; firstName: string | null; gpRpps: string; reason: string | null; answeredAt: Date | null }[];
}

export async function listDeclarationBatches(client: pg.PoolClient | pg.Pool, organisationId: string): Promise<DeclarationBatch[]> {
  const { rows } = await client.query(
    `SELECT d."batchId", min(d."sentAt") AS "sentAt", min(u."name") AS "sentBy", count(*)::int AS "count",
            (count(*) FILTER (WHERE d."status" = 'sent'))::int AS "sent",
            (count(*) FILTER (WHERE d."status" = 'declared'))::int AS "declared",
            (count(*) FILTER (WHERE d."status" = 'rejected'))::int AS "rejected"
     FROM "Declaration" d LEFT JOIN "User" u ON u."id" = d."sentById"
     WHERE d."organisationId" = $1 GROUP BY d."batchId" ORDER BY min(d."sentAt") DESC, d."batchId"`,
    [organisationId],
  );
  const rejected = await client.query(
    `SELECT d."batchId", d."id" AS "declarationId", p."id" AS "patientId", p."externalId", p."lastName", p."firstName", d."gpRpps", d."rejectReason" AS "reason", d."answeredAt"
     FROM "Declaration" d JOIN "Orientation" o ON o."id" = d."orientationId" JOIN "Patient" p ON p."id" = o."patientId"
     WHERE d."organisationId" = $1 AND d."status" = 'rejected' ORDER BY d."answeredAt" DESC NULLS LAST, p."lastName"`,
    [organisationId],
  );
  return rows.map((b) => ({
    batchId: b.batchId, sentAt: b.sentAt, sentBy: b.sentBy, count: b.count,
    counts: { sent: b.sent, declared: b.declared, rejected: b.rejected },
    rejected: rejected.rows.filter((r) => r.batchId === b.batchId).map(({ batchId: _b, ...r }) => r),
  }));
}
