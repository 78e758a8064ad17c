import { z } from "zod";
import { defineRoute } from "../http/defineRoute.ts";
import { servicesOf } from "../http/services.ts";
import { ioOf, publish } from "../live/publish.ts";
import { pgPool } from "../pgPool.ts";
import { observeTwilioCallback } from "../http/metrics.ts";
import { enqueuePatientLeg } from "../../queues/calls.ts";
import { mintSoftphoneToken } from "./mintSoftphoneToken.ts";
import { handleTwilioStatus } from "./twilioStatus.ts";
import { handleTwilioVoice } from "./twilioVoice.ts";

const twilioForm = z.record(z.string(), z.string());

export const telephonyRoutes = [
  defineRoute({
    method: "post",
    path: "/telephony/twilio/status",
    summary: "Rappels d'état des appels Twilio (signés X-Twilio-Signature ; idempotents, ordre indifférent)",
    action: "public",
    body: twilioForm,
    async handler({ req, body }) {
      const { applied, agentAnswered } = await handleTwilioStatus(pgPool(), req.originalUrl, req.get("x-twilio-signature"), body);
      observeTwilioCallback(body.Timestamp, applied !== null);
      // Bridged mode: the agent picked up their phone, now the patient is called (same rate-limited queue).
      if (agentAnswered) await enqueuePatientLeg(servicesOf(req).calls, agentAnswered);
      if (applied) {
        publish.callState(ioOf(req), applied.organisationId, {
          attemptId: applied.id, agentId: applied.agentId, callStatus: applied.callStatus, answeredBy: applied.answeredBy, endReason: applied.endReason,
        });
      }
    },
  }),
  defineRoute({
    method: "post",
    path: "/telephony/twilio/voice",
    summary: "Voice URL de la TwiML App du softphone (signée X-Twilio-Signature) : compose le numéro du patient tenu, ou refuse en français",
    action: "public",
    body: twilioForm,
    raw: true,
    async handler({ req, res, body }) {
      const twiml = await handleTwilioVoice(pgPool(), req.originalUrl, req.get("x-twilio-signature"), body);
      res.status(200).type("text/xml").send(twiml);
    },
  }),
  defineRoute({
    method: "get",
    path: "/agent/telephony",
    summary: "Comment l'agent est au téléphone : fournisseur, softphone ou son propre téléphone",
    action: "dialer:work",
    async handler({ auth }) {
      const { rows } = await pgPool().query<{ provider: string; agentLeg: string; agentPhone: string | null }>(
        `SELECT o."telephonyProvider" AS "provider", o."twilioAgentLeg" AS "agentLeg", u."phone" AS "agentPhone"
         FROM "User" u JOIN "Organisation" o ON o."id" = u."organisationId" WHERE u."id" = $1`, [auth.user.id]);
      const t = rows[0];
      return { body: { provider: t.provider, agentLeg: t.provider === "twilio" ? t.agentLeg : null, agentPhone: t.agentPhone } };
    },
  }),
  defineRoute({
    method: "get",
    path: "/agent/softphone-token",
    summary: "Jeton d'accès Twilio (Voice) du softphone de l'agent ; 409 si l'organisation n'utilise pas le softphone Twilio",
    action: "dialer:work",
    async handler({ auth }) {
      return { body: await mintSoftphoneToken(pgPool(), { id: auth.user.id, organisationId: auth.user.organisation.id }) };
    },
  }),
];
