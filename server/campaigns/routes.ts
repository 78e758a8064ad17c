import { z } from "zod";
import { db } from "../db.ts";
import { defineRoute } from "../http/defineRoute.ts";
import { createCampaign, findCampaign } from "./createCampaign.ts";
import { campaignInput } from "./schemas.ts";

export const campaignIdParams = z.object({ id: z.uuid({ message: "identifiant de campagne invalide" }) });

export const campaignRoutes = [
  defineRoute({
    method: "get",
    path: "/agents",
    summary: "Agents actifs de l'organisation et leur équipe (pour choisir ceux d'une campagne)",
    action: "campaign:configure",
    async handler({ auth }) {
      const rows = await db().user.findMany({ where: { organisationId: auth.user.organisation.id, role: "agent", active: true }, select: { id: true, name: true, team: true }, orderBy: { name: "asc" } });
      return { body: rows };
    },
  }),
  defineRoute({
    method: "get",
    path: "/campaigns",
    summary: "Campagnes de l'organisation",
    action: "campaign:list",
    query: z.object({ status: z.enum(["draft", "running", "paused", "closed"]).optional() }),
    async handler({ auth, query }) {
      const rows = await db().campaign.findMany({
        where: { organisationId: auth.user.organisation.id, ...(query.status ? { status: query.status } : {}) },
        orderBy: { createdAt: "desc" },
      });
      return { body: rows };
    },
  }),
  defineRoute({
    method: "post",
    path: "/campaigns",
    summary: "Crée une campagne",
    action: "campaign:create",
    body: campaignInput,
    async handler({ req, auth, body }) {
      const campaign = await db().$transaction((tx) => createCampaign(tx, auth.user.organisation.id, body, { actorUserId: auth.user.id, ip: req.ip }));
      return { status: 201, body: campaign };
    },
  }),
  defineRoute({
    method: "get",
    path: "/campaigns/:id",
    summary: "Une campagne, avec ses effectifs (importés, éligibles)",
    action: "campaign:list",
    params: campaignIdParams,
    async handler({ auth, params }) {
      const campaign = await findCampaign(db(), auth.user.organisation.id, params.id);
      const [enrolled, eligible] = await Promise.all([
        db().enrolment.count({ where: { campaignId: campaign.id } }),
        db().enrolment.count({ where: { campaignId: campaign.id, eligible: true } }),
      ]);
      return { body: { ...campaign, counts: { enrolled, eligible } } };
    },
  }),
];
