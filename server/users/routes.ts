import { z } from "zod";
import { db } from "../db.ts";
import { defineRoute } from "../http/defineRoute.ts";
import { createUser, prepareUser } from "./createUser.ts";
import { preparePatch, updateUser } from "./updateUser.ts";
import { publicUser, userInput, userPatch } from "./schemas.ts";
import { stopAgentNow } from "../live/stopAgentNow.ts";
import { ioOf, publish } from "../live/publish.ts";

const idParams = z.object({ id: z.uuid({ message: "identifiant invalide" }) });

export const userRoutes = [
  defineRoute({
    method: "get",
    path: "/users",
    summary: "Utilisateurs de l'organisation",
    action: "user:list",
    async handler({ auth }) {
      const rows = await db().user.findMany({ where: { organisationId: auth.user.organisation.id }, orderBy: [{ role: "asc" }, { name: "asc" }] });
      return { body: rows.map(publicUser) };
    },
  }),
  defineRoute({
    method: "post",
    path: "/users",
    summary: "Crée un utilisateur dans l'organisation",
    action: "user:create",
    body: userInput,
    async handler({ req, body, auth }) {
      const prepared = await prepareUser(body);
      const user = await db().$transaction((tx) => createUser(tx, auth.user.organisation.id, prepared, { actorUserId: auth.user.id, ip: req.ip }));
      return { status: 201, body: user };
    },
  }),
  defineRoute({
    method: "patch",
    path: "/users/:id",
    summary: "Modifie un utilisateur (nom, rôle, mot de passe, activation, téléphone)",
    action: "user:update",
    params: idParams,
    body: userPatch,
    async handler({ req, body, params, auth }) {
      const prepared = await preparePatch(body);
      const { user, sessionsEnded } = await db().$transaction((tx) =>
        updateUser(tx, auth.user.organisation.id, params.id, prepared, { actorUserId: auth.user.id, ip: req.ip }),
      );
      if (sessionsEnded) publish.sessionsEnded(ioOf(req), user.id, sessionsEnded);
      if (body.active === false || (body.role && body.role !== "agent")) {
        await stopAgentNow(req, { id: user.id, organisationId: user.organisationId, name: user.name }, auth.user.id);
      }
      return { body: user };
    },
  }),
];
