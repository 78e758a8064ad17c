// Sessions live in PostgreSQL (they survive a Redis flush). The cookie holds a random token;
// the table holds only its HMAC, keyed by SESSION_SECRET.
import { createHmac, randomBytes } from "node:crypto";
import type { Role, SessionUser } from "../../shared-types/events.ts";
import type pg from "pg";
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

// One statement, asked by every request and socket connection: the session, its user and organisation, and the slide
// of its expiry when the last one is older than TOUCH_AFTER_MS (an unknown, expired or deactivated session slides nothing).
// $1 session id, $2 now, $3 slide when last seen before, $4 new expiry.
const FIND_SQL = `WITH found AS (SELECT s."id", s."csrfToken", s."expiresAt", s."lastSeenAt", u."id" AS "userId", u."email", u."name", u."role",
       o."id" AS "organisationId", o."name" AS "organisationName", o."kind" AS "organisationKind", o."timeZone"
     FROM "Session" s JOIN "User" u ON u."id" = s."userId" JOIN "Organisation" o ON o."id" = u."organisationId"
     WHERE s."id" = $1 AND u."active" AND s."expiresAt" > $2),
   touch AS (UPDATE "Session" t SET "lastSeenAt" = $2, "expiresAt" = $4 FROM found f WHERE t."id" = f."id" AND f."lastSeenAt" < $3 RETURNING t."expiresAt")
 SELECT found.*, (SELECT "expiresAt" FROM touch) AS "renewedUntil" FROM found`;

interface SessionRow {
  id: string; csrfToken: string; userId: string; email: string; name: string; role: Role;
  organisationId: string; organisationName: string; organisationKind: SessionUser["organisation"]["kind"]; timeZone: string; renewedUntil: Date | null;
}

/** The session of a cookie token, or null when unknown, expired, or the user is deactivated. Slides the expiry. */
export async function findSession(client: pg.Pool | pg.PoolClient, token: string | undefined, now = new Date()): Promise<AuthContext | null> {
  if (!token) return null;
  const { rows: [row] } = await client.query<SessionRow>({
    name: "session-find",
    text: FIND_SQL,
    values: [sessionIdOf(token), now, new Date(now.getTime() - TOUCH_AFTER_MS), new Date(now.getTime() + env().SESSION_TTL_HOURS * 3_600_000)],
  });
  if (!row) return null;
  return {
    sessionId: row.id,
    csrfToken: row.csrfToken,
    renewedUntil: row.renewedUntil ?? undefined,
    user: {
      id: row.userId,
      email: row.email,
      name: row.name,
      role: row.role,
      organisation: { id: row.organisationId, name: row.organisationName, kind: row.organisationKind, timeZone: organisationZone(row.timeZone) },
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
