// A coordinator creates a link for a GP or an MSP team: one purpose (declare capacity, or answer
// orientations), an expiry, revocable. The token is shown once, to print or send.
import type pg from "pg";
import { errors } from "../errors.ts";
import { env } from "../env.ts";
import { signLink } from "./gpLinkToken.ts";

export type LinkPurpose = "capacity" | "orientations";

export async function createGpLink(
  client: pg.PoolClient,
  holder: { kind: "gp" | "team"; id: string; organisationId: string },
  input: { purpose: LinkPurpose; validDays: number },
  actor: { id: string; ip?: string },
  now = new Date(),
) {
  const table = holder.kind === "gp" ? "Gp" : "Team";
  const found = await client.query(`SELECT 1 FROM "${table}" WHERE "id" = $1 AND "organisationId" = $2`, [holder.id, holder.organisationId]);
  if (!found.rowCount) throw errors.notFound(holder.kind === "gp" ? "Médecin" : "Équipe");
  const expiresAt = new Date(now.getTime() + input.validDays * 86_400_000);
  expiresAt.setUTCMilliseconds(0);
  const { rows } = await client.query<{ id: string; purpose: LinkPurpose; expiresAt: Date }>(
    `INSERT INTO "GpLink" ("id", "organisationId", "gpId", "teamId", "purpose", "expiresAt", "createdById") VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6)
     RETURNING "id", "purpose", "expiresAt"`,
    [holder.organisationId, holder.kind === "gp" ? holder.id : null, holder.kind === "team" ? holder.id : null, input.purpose, expiresAt, actor.id],
  );
  const link = rows[0];
  await client.query(
    `INSERT INTO "AuditLog" ("organisationId", "actorUserId", "action", "targetType", "targetId", "ip", "details") VALUES ($1, $2, 'gplink.create', 'gplink', $3, $4, $5)`,
    [holder.organisationId, actor.id, link.id, actor.ip ?? null, { holder: holder.kind, holderId: holder.id, purpose: input.purpose, expiresAt }],
  );
  const token = signLink(link);
  return { id: link.id, purpose: link.purpose, expiresAt: link.expiresAt, token, url: `${env().PUBLIC_URL}/lien/${token}` };
}
