// Sends a GP's or team's link by e-mail when an SMTP server is configured (SMTP_URL); otherwise the
// coordinator prints or copies it. The token is rebuilt from the stored link (it is a signature of
// the link's id, purpose and expiry), so a link can be sent again without keeping the token.
import type pg from "pg";
import nodemailer, { type Transporter } from "nodemailer";
import { AppError, errors } from "../errors.ts";
import { env } from "../env.ts";
import { signLink } from "./gpLinkToken.ts";

let transport: Transporter | null | undefined;
/** The SMTP transport of this process, or null when none is configured. */
export function mailer(): Transporter | null {
  if (transport === undefined) transport = env().SMTP_URL ? nodemailer.createTransport(env().SMTP_URL) : null;
  return transport;
}

const PURPOSE_TEXT = {
  capacity: "indiquer si vous prenez de nouveaux patients comme médecin traitant, combien, et si vous acceptez les patients en ALD",
  orientations: "voir les patients que nous vous orientons (avec leur accord) et confirmer ou refuser leur accueil",
} as const;

export async function sendGpLink(client: pg.PoolClient, who: { organisationId: string; userId: string; ip?: string }, linkId: string, to: string | null, send = mailer()) {
  if (!send) throw new AppError("smtp_not_configured", 409, "Aucun serveur d'envoi d'e-mails n'est configuré (SMTP_URL) : imprimez ou copiez le lien.");
  const { rows } = await client.query(
    `SELECT l."id", l."purpose", l."expiresAt", l."revokedAt", o."name" AS "organisation", o."timeZone", coalesce(g."email", t."email") AS "email",
            coalesce('Dr ' || g."lastName" || coalesce(' ' || g."firstName", ''), t."name") AS "holderName"
     FROM "GpLink" l JOIN "Organisation" o ON o."id" = l."organisationId" LEFT JOIN "Gp" g ON g."id" = l."gpId" LEFT JOIN "Team" t ON t."id" = l."teamId"
     WHERE l."id" = $1 AND l."organisationId" = $2`, [linkId, who.organisationId]);
  const link = rows[0];
  if (!link) throw errors.notFound("Lien");
  if (link.revokedAt || new Date(link.expiresAt) <= new Date()) throw new AppError("link_closed", 409, "Ce lien est désactivé ou expiré : créez-en un nouveau.");
  const recipient = (to ?? link.email)?.trim();
  if (!recipient) throw errors.badRequest("Aucune adresse e-mail connue pour ce médecin ou cette équipe : indiquez-en une.");
  const url = `${env().PUBLIC_URL}/lien/${signLink(link)}`;
  const until = new Date(link.expiresAt).toLocaleDateString("fr-FR", { timeZone: link.timeZone });
  await send.sendMail({
    from: env().SMTP_FROM,
    to: recipient,
    subject: `${link.organisation} — patients sans médecin traitant`,
    text: [
      `Bonjour ${link.holderName},`,
      "",
      `${link.organisation} aide les patients de votre territoire qui n'ont pas de médecin traitant à en trouver un.`,
      `Ce lien personnel vous permet de ${PURPOSE_TEXT[link.purpose as keyof typeof PURPOSE_TEXT]}, sans créer de compte :`,
      "",
      url,
      "",
      `Il est valable jusqu'au ${until}. Ne le transférez pas : il donne accès à des données de santé.`,
    ].join("\n"),
  });
  await client.query(
    `INSERT INTO "AuditLog" ("organisationId", "actorUserId", "action", "targetType", "targetId", "ip", "details") VALUES ($1, $2, 'gplink.send', 'gplink', $3, $4, $5)`,
    [who.organisationId, who.userId, linkId, who.ip ?? null, { to: recipient }]);
  return { sentTo: recipient as string };
}
