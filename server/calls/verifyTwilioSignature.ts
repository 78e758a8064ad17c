// Every Twilio webhook (status callbacks, the softphone's voice URL) is authenticated the same way:
// X-Twilio-Signature, validated with the SDK against PUBLIC_URL (so it works behind a reverse proxy),
// with the organisation's auth token. Anything unverifiable gets the same 403: nothing to learn from probing.
import twilio from "twilio";
import { env } from "../env.ts";
import { AppError } from "../errors.ts";
import { decryptSecret } from "./secrets.ts";

export const twilioSignatureError = () => new AppError("twilio_signature", 403, "Requête Twilio non authentifiée.");

/** The public URL Twilio signed: PUBLIC_URL + the path and query the request arrived with. */
export const signedUrlOf = (originalUrl: string) => new URL(originalUrl, env().PUBLIC_URL).toString();

/** Throws the 403 unless the request is signed with this (encrypted) auth token. */
export function verifyTwilioSignature(authTokenEnc: string | null | undefined, originalUrl: string, signature: string | undefined, params: Record<string, string>): void {
  const token = authTokenEnc ? decryptSecret(authTokenEnc) : null;
  if (!token || !signature || !twilio.validateRequest(token, signature, signedUrlOf(originalUrl), params)) throw twilioSignatureError();
}
