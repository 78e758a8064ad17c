// Sessions live in PostgreSQL (they survive a Redis flush). The cookie holds a random token;
// the table holds only its HMAC, keyed by SESSION_SECRET.
import { createHmac, randomBytes } from "node:crypto";
import type { Role, SessionUser } from "../../shared-types/events.ts";
import type { Tx } from "../db.ts";
import { env } from "../env.ts";
import { organisationZone } from "../organisations/timeZone.ts";

export const SESSION_COOKIE = "omt_session";
const TOUCH_AFTER_MS = 5 * 60_000;

export interface AuthContext {
  sessionId: string;
  csrfToken: string;
  user: SessionUser;
  /** Set when this request slid the session's expiry: the cookie is sent again with it (else the browser would drop
   * it at the login's expiry, however active the user). */
  renewedUntil?: Date;
}

export const cookieOptions = () => ({
  httpOnly: true,
  sameSite: "lax" as const,
  secure: env().PUBLIC_URL.startsWith("https://"),
  path: "/",
});

export function sessionIdOf(token: string): string {
  return createHmac("sha256", env().SESSION_SECRET).update(token).digest("base64url");
}

export async function createSession(tx: Tx, userId: string, meta: { ip?: string; userAgent?: string }) {
  const token = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(24).toString("base64url");
  const expiresAt = new Date(Date.now() + env().SESSION_TTL_HOURS * 3_600_000);
  const session = await tx.session.create({
    data: { id: sessionIdOf(token), userId, csrfToken, expiresAt, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 300) },
  });
  return { token, csrfToken, expiresAt: session.expiresAt, sessionId: session.id };
}

/** The session of a cookie token, or null when unknown, expired, or the user is deactivated. Slides the expiry. */
export async function findSession(tx: Tx, token: string | undefined): Promise<AuthContext | null> {
  if (!token) return null;
  const id = sessionIdOf(token);
  const row = await tx.session.findUnique({ where: { id }, include: { user: { include: { organisation: true } } } });
  if (!row || !row.user.active) return null;
  const now = Date.now();
  if (row.expiresAt.getTime() <= now) return null;
  let renewedUntil: Date | undefined;
  if (now - row.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
    renewedUntil = new Date(now + env().SESSION_TTL_HOURS * 3_600_000);
    await tx.session.update({ where: { id }, data: { lastSeenAt: new Date(now), expiresAt: renewedUntil } });
  }
  const { user } = row;
  return {
    sessionId: id,
    csrfToken: row.csrfToken,
    renewedUntil,
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role as Role,
      organisation: { id: user.organisation.id, name: user.organisation.name, kind: user.organisation.kind, timeZone: organisationZone(user.organisation.timeZone) },
    },
  };
}

export async function deleteSession(tx: Tx, sessionId: string) {
  await tx.session.deleteMany({ where: { id: sessionId } });
}

export async function purgeExpiredSessions(tx: Tx, now = new Date()): Promise<number> {
  const { count } = await tx.session.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
