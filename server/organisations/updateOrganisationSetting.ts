// An organisation's own setting changed by its admin: the new value, and in the audit log who changed it, from what.
import type pg from "pg";

/** The settings changed this way: the audit action each writes, and the key of the new value in its details. */
const SETTINGS = {
  retentionMonths: { action: "retention.configure", key: "months" },
  timeZone: { action: "organisation.time_zone", key: "timeZone" },
} as const;

export async function updateOrganisationSetting(
  client: pg.PoolClient, organisationId: string, setting: keyof typeof SETTINGS, value: string | number, actor: { userId: string; ip?: string | null },
) {
  const { action, key } = SETTINGS[setting];
  const { rows } = await client.query<{ before: string | number }>(
    `UPDATE "Organisation" o SET "${setting}" = $2, "updatedAt" = now() FROM (SELECT "${setting}" AS before FROM "Organisation" WHERE "id" = $1 FOR UPDATE) b
     WHERE o."id" = $1 RETURNING b.before`,
    [organisationId, value],
  );
  await client.query(
    `INSERT INTO "AuditLog" ("organisationId", "actorUserId", "action", "targetType", "targetId", "ip", "details") VALUES ($1::uuid, $2, $3, 'organisation', $1::text, $4, $5)`,
    [organisationId, actor.userId, action, actor.ip ?? null, { before: rows[0]?.before ?? null, [key]: value }],
  );
}
