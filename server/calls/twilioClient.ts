// The organisation's Twilio REST client. TWILIO_API_BASE redirects the SDK to another base URL
// (a local fake Twilio in tests, a regional edge or a proxy in production).
import twilio from "twilio";
import { env } from "../env.ts";
import { decryptSecret } from "./secrets.ts";
import type RequestClient from "twilio/lib/base/RequestClient.js";

type RequestOptions<T> = RequestClient.RequestOptions<T>;

class RedirectingClient extends twilio.RequestClient {
  constructor(private readonly base: string) {
    super();
  }
  override request<TData>(opts: RequestOptions<TData>) {
    return super.request<TData>({ ...opts, uri: opts.uri.replace(/^https:\/\/[^/]+/, this.base) });
  }
}

export function twilioClientFor(org: { twilioAccountSid: string | null; twilioAuthTokenEnc: string | null }) {
  if (!org.twilioAccountSid || !org.twilioAuthTokenEnc) throw new Error("Twilio account not configured for this organisation");
  const base = env().TWILIO_API_BASE;
  return twilio(org.twilioAccountSid, decryptSecret(org.twilioAuthTokenEnc), base ? { httpClient: new RedirectingClient(base) } : {});
}
