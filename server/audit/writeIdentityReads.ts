// Rule 7: every access to a patient's identity is written to the audit log, one row per patient
// shown (lists included), in one statement.
import type pg from "pg";

export interface IdentityRead {
  organisationId: string;
  actorUserId: string;
  ip?: string | null;
  /** Where the identity was shown: "team_profile", "oppositions", "declarations_pending"… */
  via: string;
  /** Extra context stored with each row (team id, batch id…). */
  context?: Record<string, string | number | null>;
}

export async function writeIdentityReads(client: pg.PoolClient | pg.Pool, read: IdentityRead, patientIds: readonly string[]): Promise<void> {
  if (!patientIds.length) return;
  await client.query(
    `INSERT INTO "AuditLog" ("organisationId", "actorUserId", "action", "targetType", "targetId", "ip", "details")
     SELECT $1, $2, 'patient.identity.read', 'patient', p, $3, $4::jsonb FROM unnest($5::text[]) AS p`,
    [read.organisationId, read.actorUserId, read.ip ?? null, JSON.stringify({ via: read.via, ...read.context }), [...new Set(patientIds)]],
  );
}
