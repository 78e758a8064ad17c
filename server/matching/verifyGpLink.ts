// Opens a GP or team link: signature, purpose, expiry, revocation. Any failure is a clear French
// message and no data at all.
import type pg from "pg";
import { AppError } from "../errors.ts";
import { parseLinkToken, signatureMatches } from "./gpLinkToken.ts";
import type { LinkPurpose } from "./createGpLink.ts";

export interface OpenLink {
  id: string;
  organisationId: string;
  organisationName: string;
  gpId: string | null;
  teamId: string | null;
  purpose: LinkPurpose;
  expiresAt: Date;
  /** Who answers, as written in the audit log. */
  label: string;
}

const INVALID = () => new AppError("link_invalid", 404, "Ce lien n'est pas valide. Vérifiez qu'il a été recopié en entier, ou demandez un nouveau lien à votre CPTS ou à votre caisse.");

export async function verifyGpLink(client: pg.PoolClient | pg.Pool, token: string, purpose?: LinkPurpose, now = new Date()): Promise<OpenLink> {
  const parsed = parseLinkToken(token);
  if (!parsed) throw INVALID();
  const { rows } = await client.query(
    `SELECT l."id", l."organisationId", o."name" AS "organisationName", o."timeZone", l."gpId", l."teamId", l."purpose", l."expiresAt", l."revokedAt",
            coalesce('Dr ' || g."lastName" || ' (RPPS ' || g."rpps" || ')', 'Équipe ' || t."name") AS "label"
     FROM "GpLink" l JOIN "Organisation" o ON o."id" = l."organisationId" LEFT JOIN "Gp" g ON g."id" = l."gpId" LEFT JOIN "Team" t ON t."id" = l."teamId"
     WHERE l."id" = $1`,
    [parsed.id],
  );
  const link = rows[0];
  if (!link || !signatureMatches(token, link)) throw INVALID();
  if (purpose && link.purpose !== purpose) throw INVALID();
  if (link.revokedAt) throw new AppError("link_revoked", 410, "Ce lien a été désactivé par la coordination. Demandez un nouveau lien à votre CPTS ou à votre caisse.");
  if (new Date(link.expiresAt) <= now) {
    const day = new Date(link.expiresAt).toLocaleDateString("fr-FR", { timeZone: link.timeZone });
    throw new AppError("link_expired", 410, `Ce lien a expiré le ${day}. Demandez un nouveau lien à votre CPTS ou à votre caisse.`);
  }
  await client.query(`UPDATE "GpLink" SET "lastUsedAt" = $2 WHERE "id" = $1`, [link.id, now]);
  const { revokedAt: _r, ...open } = link;
  return { ...open, label: `lien médecin — ${link.label}` };
}
