// Rule 7: every access to a patient's identity is written to the audit log, one row per patient
// shown (lists included), in one statement.
import type pg from "pg";

export interface IdentityRead {
  organisationId: string;
  /** null: not a user of the console (the command line), then named by `actorLabel`. */
  actorUserId: string | null;
  actorLabel?: string | null;
  ip?: string | null;
  /** Where the identity was shown: "team_profile", "oppositions", "declarations_pending"… */
  via: string;
  /** Extra context stored with each row (team id, batch id…). */
  context?: Record<string, string | number | null>;
}

export async function writeIdentityReads(client: pg.PoolClient | pg.Pool, read: IdentityRead, patientIds: readonly string[]): Promise<void> {
  if (!patientIds.length) return;
  await client.query(
    `INSERT INTO "AuditLog" ("organisationId", "actorUserId", "actorLabel", "action", "targetType", "targetId", "ip", "details")
     SELECT $1, $2, $6, 'patient.identity.read', 'patient', p, $3, $4::jsonb FROM unnest($5::text[]) AS p`,
    [read.organisationId, read.actorUserId, read.ip ?? null, JSON.stringify({ via: read.via, ...read.context }), [...new Set(patientIds)], read.actorUserId ? null : read.actorLabel ?? null],
  );
}
