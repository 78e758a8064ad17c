// The audit log is append-only (the database refuses UPDATE/DELETE/TRUNCATE).
import type { Tx } from "../db.ts";
import type { Prisma } from "../generated/prisma/client.ts";

export interface AuditEntry {
  action: string;
  organisationId?: string | null;
  actorUserId?: string | null;
  actorLabel?: string | null;
  targetType?: string;
  targetId?: string;
  ip?: string | null;
  details?: Prisma.InputJsonObject;
}

export async function writeAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({ data: { ...entry, details: entry.details ?? {} } });
}
