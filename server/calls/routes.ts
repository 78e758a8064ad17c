import { z } from "zod";
import { defineRoute } from "../http/defineRoute.ts";
import { ioOf, publish } from "../live/publish.ts";
import { pgPool } from "../pgPool.ts";
import { handleTwilioStatus } from "./twilioStatus.ts";

export const telephonyRoutes = [
  defineRoute({
    method: "post",
    path: "/telephony/twilio/status",
    summary: "Rappels d'état des appels Twilio (signés X-Twilio-Signature ; idempotents, ordre indifférent)",
    action: "public",
    body: z.record(z.string(), z.string()),
    async handler({ req, body }) {
      const applied = await handleTwilioStatus(pgPool(), req.originalUrl, req.get("x-twilio-signature"), body);
      if (applied) {
        publish.callState(ioOf(req), applied.organisationId, {
          attemptId: applied.id, agentId: applied.agentId, callStatus: applied.callStatus, answeredBy: applied.answeredBy, endReason: applied.endReason,
        });
      }
    },
  }),
];
