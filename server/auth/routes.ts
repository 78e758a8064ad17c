import { z } from "zod";
import { db } from "../db.ts";
import { pgPool } from "../pgPool.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { defineRoute } from "../http/defineRoute.ts";
import { ioOf } from "../live/publish.ts";
import { stopAgentNow } from "../live/stopAgentNow.ts";
import { endSessionSockets, rooms } from "../live/socketServer.ts";
import { verifyPassword } from "./password.ts";
import { cookieOptions, createSession, deleteSession, findSession, SESSION_COOKIE } from "./sessions.ts";

const loginBody = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email({ message: "adresse e-mail invalide" })),
  password: z.string().min(1, "mot de passe requis").max(200),
});

export const authRoutes = [
  defineRoute({
    method: "post",
    path: "/auth/login",
    summary: "Connexion par e-mail et mot de passe",
    action: "public",
    body: loginBody,
    async handler({ req, res, body }) {
      const user = await db().user.findUnique({ where: { email: body.email }, include: { organisation: true } });
      const ok = await verifyPassword(user?.active ? user.passwordHash : null, body.password);
      if (!ok || !user) {
        await writeAudit(db(), {
          action: "auth.login_failed",
          organisationId: user?.organisationId,
          actorUserId: user?.id,
          ip: req.ip,
          details: { email: body.email },
        });
        throw new AppError("invalid_credentials", 401, "E-mail ou mot de passe incorrect.");
      }
      const session = await db().$transaction(async (tx) => {
        const s = await createSession(tx, user.id, { ip: req.ip, userAgent: req.get("user-agent") });
        await writeAudit(tx, { action: "auth.login", organisationId: user.organisationId, actorUserId: user.id, ip: req.ip });
        return s;
      });
      res.cookie(SESSION_COOKIE, session.token, { ...cookieOptions(), expires: session.expiresAt });
      const auth = await findSession(pgPool(), session.token);
      return { body: { user: auth!.user, csrfToken: session.csrfToken } };
    },
  }),
  defineRoute({
    method: "get",
    path: "/auth/session",
    summary: "Utilisateur connecté et jeton CSRF",
    action: "session:read",
    async handler({ auth }) {
      return { body: { user: auth.user, csrfToken: auth.csrfToken } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/auth/logout",
    summary: "Déconnexion (supprime la session)",
    action: "session:read",
    async handler({ req, res, auth }) {
      await db().$transaction(async (tx) => {
        await deleteSession(tx, auth.sessionId);
        await writeAudit(tx, { action: "auth.logout", organisationId: auth.user.organisation.id, actorUserId: auth.user.id, ip: req.ip });
      });
      const io = ioOf(req);
      if (io) endSessionSockets(io, rooms.session(auth.sessionId), "logout");
      // An agent who leaves (their last session) stops working, as a deactivated one does: their patient goes back at
      // once and an open call ends « interrompu », instead of ringing on until the hold's lease lapses.
      if (auth.user.role === "agent" && !(await db().session.count({ where: { userId: auth.user.id, expiresAt: { gt: new Date() } } }))) {
        await stopAgentNow(req, { id: auth.user.id, organisationId: auth.user.organisation.id, name: auth.user.name }, auth.user.id, "déconnexion de l'agent");
      }
      res.clearCookie(SESSION_COOKIE, cookieOptions());
    },
  }),
];
