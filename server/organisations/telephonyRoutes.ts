import { z } from "zod";
import { db } from "../db.ts";
import { errors } from "../errors.ts";
import { defineRoute } from "../http/defineRoute.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { encryptSecret } from "../calls/secrets.ts";

const settings = z.object({
  provider: z.enum(["simulator", "manual", "twilio"]),
  twilioAccountSid: z.string().regex(/^AC[0-9a-f]{32}$/i, "Account SID Twilio : AC suivi de 32 caractères hexadécimaux").optional(),
  twilioAuthToken: z.string().min(16, "jeton d'authentification Twilio trop court").max(200).optional(),
  twilioCallerId: z.string().regex(/^\+\d{8,15}$/, "numéro appelant au format E.164 (+33…)").optional(),
  twilioTwimlAppSid: z.string().regex(/^AP[0-9a-f]{32}$/i, "TwiML App SID : AP suivi de 32 caractères hexadécimaux").optional(),
});

const view = (o: { telephonyProvider: string; twilioAccountSid: string | null; twilioAuthTokenEnc: string | null; twilioCallerId: string | null; twilioTwimlAppSid: string | null }) => ({
  provider: o.telephonyProvider, twilioAccountSid: o.twilioAccountSid, twilioAuthTokenSet: Boolean(o.twilioAuthTokenEnc), twilioCallerId: o.twilioCallerId, twilioTwimlAppSid: o.twilioTwimlAppSid,
});

export const telephonySettingsRoutes = [
  defineRoute({
    method: "get",
    path: "/organisation/telephony",
    summary: "Téléphonie de l'organisation (le jeton Twilio n'est jamais renvoyé)",
    action: "telephony:configure",
    async handler({ auth }) {
      return { body: view(await db().organisation.findUniqueOrThrow({ where: { id: auth.user.organisation.id } })) };
    },
  }),
  defineRoute({
    method: "put",
    path: "/organisation/telephony",
    summary: "Choisit le fournisseur de téléphonie (simulateur, manuel, Twilio) et les identifiants Twilio",
    action: "telephony:configure",
    body: settings,
    async handler({ req, auth, body }) {
      const current = await db().organisation.findUniqueOrThrow({ where: { id: auth.user.organisation.id } });
      const next = {
        telephonyProvider: body.provider,
        twilioAccountSid: body.twilioAccountSid ?? current.twilioAccountSid,
        twilioAuthTokenEnc: body.twilioAuthToken ? encryptSecret(body.twilioAuthToken) : current.twilioAuthTokenEnc,
        twilioCallerId: body.twilioCallerId ?? current.twilioCallerId,
        twilioTwimlAppSid: body.twilioTwimlAppSid ?? current.twilioTwimlAppSid,
      };
      if (body.provider === "twilio" && (!next.twilioAccountSid || !next.twilioAuthTokenEnc || !next.twilioCallerId)) {
        throw errors.badRequest("Pour Twilio, indiquez l'Account SID, le jeton d'authentification et le numéro appelant.");
      }
      const updated = await db().$transaction(async (tx) => {
        const o = await tx.organisation.update({ where: { id: current.id }, data: next });
        await writeAudit(tx, { action: "organisation.telephony", organisationId: current.id, actorUserId: auth.user.id, ip: req.ip, details: { provider: body.provider, tokenChanged: Boolean(body.twilioAuthToken) } });
        return o;
      });
      return { body: view(updated) };
    },
  }),
];
