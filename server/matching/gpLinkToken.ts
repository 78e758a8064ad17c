// GP and team links are signed: token = <link id>.<HMAC of id, purpose and expiry>. A forged or
// altered token fails the signature before any data is read; expiry and revocation are checked
// against the stored link.
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { env } from "../env.ts";

const key = () => Buffer.from(hkdfSync("sha256", env().SESSION_SECRET, "orientation-mt", "gp-links", 32));

export function signLink(link: { id: string; purpose: string; expiresAt: Date }): string {
  const mac = createHmac("sha256", key()).update(`${link.id}|${link.purpose}|${link.expiresAt.toISOString()}`).digest("base64url");
  return `${link.id}.${mac}`;
}

export function parseLinkToken(token: string): { id: string; mac: string } | null {
  const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { id: m[1], mac: m[2] } : null;
}

export function signatureMatches(token: string, link: { id: string; purpose: string; expiresAt: Date }): boolean {
  const expected = Buffer.from(signLink(link));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
