// The Voice URL of the organisation's TwiML App: Twilio asks it what to do with a call from the
// browser softphone (From = "client:<agent id>", the identity of the Access Token). Signed like every
// Twilio webhook; answers TwiML that dials the patient with the status callbacks of the existing
// pipeline (applyCallEvent), or says in French why not and hangs up.
import twilio from "twilio";
import type pg from "pg";
import { env } from "../env.ts";
import { inTransaction } from "../pgPool.ts";
import { answerSoftphoneCall } from "./answerSoftphoneCall.ts";
import { twilioSignatureError, verifyTwilioSignature } from "./verifyTwilioSignature.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FRENCH = { language: "fr-FR" as const };

/** Where an attempt's patient leg reports its progress (the attempt id is covered by the signature). */
export const statusCallbackOf = (attemptId: string, leg?: "agent") =>
  new URL(`/api/telephony/twilio/status?attempt=${attemptId}${leg ? `&leg=${leg}` : ""}`, env().PUBLIC_URL).toString();

export function refusalTwiml(message: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(FRENCH, `Appel non passé. ${message}`);
  response.hangup();
  return response.toString();
}

export async function handleTwilioVoice(pool: pg.Pool, originalUrl: string, signature: string | undefined, params: Record<string, string>): Promise<string> {
  const identity = (params.From ?? params.Caller ?? "").replace(/^client:/, "");
  if (!signature || !params.CallSid || !UUID.test(identity)) throw twilioSignatureError();
  const { rows } = await pool.query<{
    id: string; organisationId: string; role: string; active: boolean; telephonyProvider: string; twilioAgentLeg: string;
    twilioAccountSid: string | null; twilioAuthTokenEnc: string | null; twilioCallerId: string | null;
  }>(
    `SELECT u."id", u."organisationId", u."role", u."active", o."telephonyProvider", o."twilioAgentLeg", o."twilioAccountSid", o."twilioAuthTokenEnc", o."twilioCallerId"
     FROM "User" u JOIN "Organisation" o ON o."id" = u."organisationId" WHERE u."id" = $1`, [identity]);
  const agent = rows[0];
  verifyTwilioSignature(agent?.twilioAuthTokenEnc, originalUrl, signature, params);
  if (params.AccountSid !== agent.twilioAccountSid) throw twilioSignatureError();

  if (!agent.active || agent.role !== "agent") return refusalTwiml("Ce compte ne peut pas appeler de patient.");
  if (agent.telephonyProvider !== "twilio" || agent.twilioAgentLeg !== "softphone" || !agent.twilioCallerId) {
    return refusalTwiml("Le softphone n'est pas activé pour votre organisation.");
  }
  const attemptId = params.attemptId && UUID.test(params.attemptId) ? params.attemptId : null;
  const answer = await inTransaction((c) => answerSoftphoneCall(c, { id: agent.id, organisationId: agent.organisationId }, { callSid: params.CallSid, attemptId }), pool);
  if ("refuse" in answer) return refusalTwiml(answer.refuse);

  const callback = statusCallbackOf(answer.dial.attemptId);
  const response = new twilio.twiml.VoiceResponse();
  const dial = response.dial({ callerId: agent.twilioCallerId, answerOnBridge: true, timeout: 30 });
  dial.number({
    statusCallback: callback,
    statusCallbackEvent: ["initiated", "ringing", "answered", "completed"],
    statusCallbackMethod: "POST",
    machineDetection: "Enable",
    amdStatusCallback: callback,
    amdStatusCallbackMethod: "POST",
  }, answer.dial.phone);
  return response.toString();
}
