// socket.io: authenticated by the same PostgreSQL session as the API, joined to rooms by
// organisation and role, fanned out through Redis so several web processes act as one.
import type { Server as HttpServer } from "node:http";
import { parse as parseCookie } from "cookie";
import { Server, type Socket } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";
import type { ClientToServer, Role, ServerToClient, SessionEndReason } from "../../shared-types/events.ts";
import { can, ROLES } from "../auth/policy.ts";
import { findSession, SESSION_COOKIE, type AuthContext } from "../auth/sessions.ts";
import { env } from "../env.ts";
import { logger } from "../logger.ts";
import { heartbeat } from "../dialer/setAgentStatus.ts";
import { pgPool } from "../pgPool.ts";

export type LiveServer = Server<ClientToServer, ServerToClient, Record<string, never>, { auth: AuthContext }>;
type LiveSocket = Socket<ClientToServer, ServerToClient, Record<string, never>, { auth: AuthContext }>;

export const rooms = {
  organisation: (orgId: string) => `org:${orgId}`,
  role: (orgId: string, role: Role) => `org:${orgId}:role:${role}`,
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
};

/** The key of the fan-out channels: the adapter's, which the worker's emitter (liveEmitter.ts) publishes on too. */
export const fanOutKey = () => `${env().REDIS_PREFIX}:socket.io`;

/**
 * A Redis connection to publish live events on. Live events are ephemeral (consoles reload their state from
 * PostgreSQL when they reconnect), so while Redis is down publishes fail at once instead of piling up in memory.
 * Neither the adapter nor the emitter handles a failed publish: without the catch below, each one is an unhandled
 * rejection that ends the process (ioredis gives up after maxRetriesPerRequest, so any outage of ~20 s killed every
 * web process).
 */
export function fanOutPublisher(name: string): Redis {
  const pub = new Redis(env().REDIS_URL, { connectionName: `${name}-${process.pid}`, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  pub.on("error", (err) => logger.warn({ err: err.message }, "live events' redis connection"));
  const publish = pub.publish.bind(pub) as (channel: string, message: string) => Promise<number>;
  (pub as unknown as { publish: typeof publish }).publish = (channel, message) => {
    const sent = publish(channel, message);
    sent.catch((err: Error) => logger.warn({ err: err.message }, "live event not fanned out (Redis unavailable)"));
    return sent;
  };
  return pub;
}

export function createSocketServer(http: HttpServer): { io: LiveServer; close(): Promise<void> } {
  const pub = fanOutPublisher("omt-io-pub");
  const sub = new Redis(env().REDIS_URL, { connectionName: `omt-io-sub-${process.pid}` });
  sub.on("error", (err) => logger.warn({ err: err.message }, "socket.io redis adapter"));
  const io: LiveServer = new Server(http, {
    serveClient: false,
    adapter: createAdapter(pub, sub, { key: fanOutKey() }),
    // The cookie rides along from any page of the same site (a sibling port or subdomain): a browser's connection must
    // come from the console's own origin. Clients that are not browsers send no Origin.
    allowRequest: (req, done) => done(null, sameOrigin(req.headers.origin, req.headers.host)),
  });

  io.use(async (socket, next) => {
    try {
      const token = parseCookie(socket.handshake.headers.cookie ?? "")[SESSION_COOKIE];
      const auth = await findSession(pgPool(), token);
      if (!auth) return next(new Error("unauthenticated"));
      socket.data.auth = auth;
      next();
    } catch (err) {
      logger.warn({ err }, "socket auth failed");
      next(new Error("unavailable"));
    }
  });

  io.on("connection", async (socket: LiveSocket) => {
    const { user, sessionId } = socket.data.auth;
    const orgId = user.organisation.id;
    await socket.join([rooms.organisation(orgId), rooms.role(orgId, user.role), rooms.user(user.id), rooms.session(sessionId)]);
    socket.emit("session:ready", { user, serverTime: new Date().toISOString() });
    socket.on("agent:heartbeat", (ack) => {
      if (user.role !== "agent") return;
      heartbeat(pgPool(), user.id)
        .then((r) => typeof ack === "function" && ack(r))
        .catch((err) => logger.warn({ err }, "heartbeat failed"));
    });
    socket.on("ping", (ack) => {
      if (typeof ack === "function") ack(new Date().toISOString());
    });
    void broadcastPresence(io, orgId);
    socket.on("disconnect", () => void broadcastPresence(io, orgId));
  });

  return {
    io,
    async close() {
      await io.close();
      // quit() waits for the replies still due (disconnect() would reject them, unhandled, in the adapter)
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}

/** Counts connected users of an organisation by role (across every web process) and tells those allowed to see it. */
async function broadcastPresence(io: LiveServer, orgId: string) {
  try {
    const sockets = await io.in(rooms.organisation(orgId)).fetchSockets();
    const seen = new Set<string>();
    const counts = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<Role, number>;
    for (const s of sockets) {
      const u = s.data.auth.user;
      if (seen.has(u.id)) continue;
      seen.add(u.id);
      counts[u.role] += 1;
    }
    for (const role of ROLES) {
      if (can(role, "live:presence")) io.to(rooms.role(orgId, role)).emit("presence:counts", { organisationId: orgId, counts });
    }
  } catch (err) {
    logger.warn({ err }, "presence broadcast failed");
  }
}

/** Ends the live connections of one session (logout) or of every session of a user (account changed). */
export function endSessionSockets(io: LiveServer, room: string, reason: SessionEndReason) {
  io.to(room).emit("session:ended", { reason });
  io.in(room).disconnectSockets(true);
}

/** The console's origins: the public address, and the address the request reached (a direct connection, tests). */
export function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true;
  const allowed = new Set([new URL(env().PUBLIC_URL).origin, ...(host ? [`http://${host}`, `https://${host}`] : [])]);
  return allowed.has(origin);
}
