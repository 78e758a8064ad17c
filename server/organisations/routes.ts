import { z } from "zod";
import { db } from "../db.ts";
import { defineRoute } from "../http/defineRoute.ts";
import { createOrganisation } from "./createOrganisation.ts";
import { organisationInput } from "./schemas.ts";
import { createUser, prepareUser } from "../users/createUser.ts";
import { userInput } from "../users/schemas.ts";
import { inTransaction } from "../pgPool.ts";
import { timeZoneInput } from "./timeZone.ts";
import { updateOrganisationSetting } from "./updateOrganisationSetting.ts";

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
      return { body: rows.map((o) => ({ id: o.id, kind: o.kind, name: o.name, territory: o.territory, timeZone: o.timeZone, users: o._count.users, createdAt: o.createdAt })) };
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
  defineRoute({
    method: "get",
    path: "/organisation/time-zone",
    summary: "Fuseau horaire de l'organisation (journée de travail, jours et heures des rapports, dates des exports)",
    action: "organisation:configure",
    async handler({ auth }) {
      return { body: { timeZone: auth.user.organisation.timeZone } };
    },
  }),
  defineRoute({
    method: "put",
    path: "/organisation/time-zone",
    summary: "Change le fuseau horaire de l'organisation ; journalisé",
    action: "organisation:configure",
    body: z.object({ timeZone: timeZoneInput }),
    async handler({ req, auth, body }) {
      await inTransaction((c) => updateOrganisationSetting(c, auth.user.organisation.id, "timeZone", body.timeZone, { userId: auth.user.id, ip: req.ip }));
      return { body: { timeZone: body.timeZone } };
    },
  }),
];
