import { z } from "zod";
import { db } from "../db.ts";
import { errors } from "../errors.ts";
import { defineRoute } from "../http/defineRoute.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { encryptSecret } from "../calls/secrets.ts";
import { placeTestCall, testCallInput } from "../calls/placeTestCall.ts";

const settings = z.object({
  provider: z.enum(["simulator", "manual", "twilio"]).meta({ title: "Fournisseur" }),
  twilioAccountSid: z.string().regex(/^AC[0-9a-f]{32}$/i, "Account SID Twilio : AC suivi de 32 caractères hexadécimaux").meta({ title: "Account SID" }).optional(),
  twilioAuthToken: z.string().min(16, "jeton d'authentification Twilio trop court").max(200).meta({ title: "Jeton d'authentification" }).optional(),
  twilioCallerId: z.string().regex(/^\+\d{8,15}$/, "numéro appelant au format E.164 (+33…)").meta({ title: "Numéro appelant" }).optional(),
  twilioTwimlAppSid: z.string().regex(/^AP[0-9a-f]{32}$/i, "TwiML App SID : AP suivi de 32 caractères hexadécimaux").meta({ title: "TwiML App SID" }).optional(),
  /** The API Key that signs the softphone's Access Tokens (Twilio console > API keys). */
  twilioApiKeySid: z.string().regex(/^SK[0-9a-f]{32}$/i, "SID de clé API Twilio : SK suivi de 32 caractères hexadécimaux").meta({ title: "Clé API (SID)" }).optional(),
  twilioApiKeySecret: z.string().min(16, "secret de clé API Twilio trop court").max(200).meta({ title: "Clé API (secret)" }).optional(),
  /** softphone: the agent calls from the browser; agent_phone: Twilio calls the agent's own phone, then bridges the patient. */
  twilioAgentLeg: z.enum(["softphone", "agent_phone"], { message: "mise en relation : softphone ou agent_phone" }).meta({ title: "Mise en relation" }).optional(),
});

const view = (o: {
  telephonyProvider: string; twilioAccountSid: string | null; twilioAuthTokenEnc: string | null; twilioCallerId: string | null; twilioTwimlAppSid: string | null;
  twilioApiKeySid: string | null; twilioApiKeySecretEnc: string | null; twilioAgentLeg: string;
}) => ({
  provider: o.telephonyProvider, twilioAccountSid: o.twilioAccountSid, twilioAuthTokenSet: Boolean(o.twilioAuthTokenEnc), twilioCallerId: o.twilioCallerId, twilioTwimlAppSid: o.twilioTwimlAppSid,
  twilioApiKeySid: o.twilioApiKeySid, twilioApiKeySecretSet: Boolean(o.twilioApiKeySecretEnc), twilioAgentLeg: o.twilioAgentLeg,
});

export const telephonySettingsRoutes = [
  defineRoute({
    method: "get",
    path: "/organisation/telephony",
    summary: "Téléphonie de l'organisation (le jeton Twilio et le secret de clé API ne sont jamais renvoyés)",
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
        twilioApiKeySid: body.twilioApiKeySid ?? current.twilioApiKeySid,
        twilioApiKeySecretEnc: body.twilioApiKeySecret ? encryptSecret(body.twilioApiKeySecret) : current.twilioApiKeySecretEnc,
        twilioAgentLeg: body.twilioAgentLeg ?? current.twilioAgentLeg,
      };
      if (body.provider === "twilio" && (!next.twilioAccountSid || !next.twilioAuthTokenEnc || !next.twilioCallerId)) {
        throw errors.badRequest("Pour Twilio, indiquez l'Account SID, le jeton d'authentification et le numéro appelant.");
      }
      if (body.provider === "twilio" && next.twilioAgentLeg === "softphone" && (!next.twilioApiKeySid || !next.twilioApiKeySecretEnc || !next.twilioTwimlAppSid)) {
        throw errors.badRequest("Pour le softphone Twilio, indiquez aussi la clé API (SID et secret) et la TwiML App, ou choisissez la mise en relation par le téléphone de l'agent.");
      }
      const updated = await db().$transaction(async (tx) => {
        const o = await tx.organisation.update({ where: { id: current.id }, data: next });
        await writeAudit(tx, { action: "organisation.telephony", organisationId: current.id, actorUserId: auth.user.id, ip: req.ip, details: { provider: body.provider, agentLeg: next.twilioAgentLeg, tokenChanged: Boolean(body.twilioAuthToken), apiKeySecretChanged: Boolean(body.twilioApiKeySecret) } });
        return o;
      });
      return { body: view(updated) };
    },
  }),
  defineRoute({
    method: "post",
    path: "/organisation/telephony/test-call",
    summary: "Appel de test : Twilio appelle le numéro indiqué et lit un court message (journalisé)",
    action: "telephony:configure",
    body: testCallInput,
    async handler({ req, auth, body }) {
      const result = await placeTestCall(auth.user.organisation.id, body);
      await db().$transaction((tx) => writeAudit(tx, { action: "organisation.telephony.test_call", organisationId: auth.user.organisation.id, actorUserId: auth.user.id, ip: req.ip, details: { to: result.to, placed: result.placed } }));
      return { body: result };
    },
  }),
];
