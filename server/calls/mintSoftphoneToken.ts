// The browser softphone's Access Token: signed with the organisation's API Key, a Voice grant for
// its TwiML App (outgoing calls go to the signed voice webhook), identity = the agent's id (no name
// or e-mail leaves for Twilio). Incoming is allowed so the device can register and say at once
// whether it reaches Twilio; nothing routes calls to it.
import twilio from "twilio";
import type pg from "pg";
import { AppError } from "../errors.ts";
import { decryptSecret } from "./secrets.ts";

export const SOFTPHONE_TOKEN_TTL_SECONDS = 3600;

export async function mintSoftphoneToken(client: pg.Pool | pg.PoolClient, agent: { id: string; organisationId: string }, now = new Date()) {
  const { rows } = await client.query<{
    telephonyProvider: string; twilioAgentLeg: string; twilioAccountSid: string | null; twilioApiKeySid: string | null;
    twilioApiKeySecretEnc: string | null; twilioTwimlAppSid: string | null;
  }>(`SELECT "telephonyProvider", "twilioAgentLeg", "twilioAccountSid", "twilioApiKeySid", "twilioApiKeySecretEnc", "twilioTwimlAppSid" FROM "Organisation" WHERE "id" = $1`,
    [agent.organisationId]);
  const o = rows[0];
  if (!o || o.telephonyProvider !== "twilio") {
    throw new AppError("softphone_not_twilio", 409, "Le softphone n'existe qu'avec la téléphonie Twilio ; votre organisation utilise une autre téléphonie.");
  }
  if (o.twilioAgentLeg !== "softphone") {
    throw new AppError("softphone_agent_phone", 409, "Votre organisation vous met en relation par votre propre téléphone : pas de softphone dans le navigateur.");
  }
  if (!o.twilioAccountSid || !o.twilioApiKeySid || !o.twilioApiKeySecretEnc || !o.twilioTwimlAppSid) {
    throw new AppError("softphone_not_configured", 409, "Softphone non configuré : l'administrateur doit renseigner la clé API Twilio (SID et secret) et la TwiML App.");
  }
  const { AccessToken } = twilio.jwt;
  const token = new AccessToken(o.twilioAccountSid, o.twilioApiKeySid, decryptSecret(o.twilioApiKeySecretEnc), {
    identity: agent.id, ttl: SOFTPHONE_TOKEN_TTL_SECONDS,
  });
  token.addGrant(new AccessToken.VoiceGrant({ outgoingApplicationSid: o.twilioTwimlAppSid, incomingAllow: true }));
  return { token: token.toJwt(), identity: agent.id, expiresAt: new Date(now.getTime() + SOFTPHONE_TOKEN_TTL_SECONDS * 1000) };
}
