// "Raccrocher" on a Twilio call: ends the agent's leg (softphone call or own phone, which ends the
// conference) and the patient's leg. The status callbacks then record the end as usual.
import { logger } from "../logger.ts";
import { twilioClientFor } from "./twilioClient.ts";

export async function hangUpTwilioCall(org: { twilioAccountSid: string | null; twilioAuthTokenEnc: string | null }, sids: (string | null)[]) {
  const client = twilioClientFor(org);
  await Promise.all(sids.filter((s): s is string => Boolean(s)).map((sid) =>
    client.calls(sid).update({ status: "completed" }).catch((err: Error) => logger.warn({ err: err.message, sid }, "Twilio hang-up failed (call already ended?)"))));
}
