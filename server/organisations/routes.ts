import { db } from "../db.ts";
import { defineRoute } from "../http/defineRoute.ts";
import { createOrganisation } from "./createOrganisation.ts";
import { organisationInput } from "./schemas.ts";
import { createUser, prepareUser } from "../users/createUser.ts";
import { userInput } from "../users/schemas.ts";

const newOrganisation = organisationInput.extend({
  /** The first administrator of the new organisation: without one, nobody could manage it. */
  admin: userInput.omit({ role: true }),
});

export const organisationRoutes = [
  defineRoute({
    method: "get",
    path: "/organisations",
    summary: "Liste des organisations (administrateurs)",
    action: "organisation:list",
    async handler() {
      const rows = await db().organisation.findMany({ orderBy: { name: "asc" }, include: { _count: { select: { users: true } } } });
      return { body: rows.map((o) => ({ id: o.id, kind: o.kind, name: o.name, territory: o.territory, users: o._count.users, createdAt: o.createdAt })) };
    },
  }),
  defineRoute({
    method: "post",
    path: "/organisations",
    summary: "Crée une organisation et son premier administrateur",
    action: "organisation:create",
    body: newOrganisation,
    async handler({ req, body, auth }) {
      const { admin, ...org } = body;
      const prepared = await prepareUser({ ...admin, role: "admin" });
      const actor = { actorUserId: auth.user.id, ip: req.ip };
      const result = await db().$transaction(async (tx) => {
        const organisation = await createOrganisation(tx, org, actor);
        const firstAdmin = await createUser(tx, organisation.id, prepared, actor);
        return { organisation, admin: firstAdmin };
      });
      return { status: 201, body: result };
    },
  }),
];
