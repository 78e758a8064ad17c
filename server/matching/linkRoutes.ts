// The pages a GP or team opens from its link: no account, the signed token is the credential.
import { z } from "zod";
import { defineRoute } from "../http/defineRoute.ts";
import { inTransaction } from "../pgPool.ts";
import { verifyGpLink } from "./verifyGpLink.ts";
import { loadHolderPage } from "./loadHolderPage.ts";
import { capacityInput, declareCapacity } from "./declareCapacity.ts";
import { answerOrientation } from "./answerOrientation.ts";
import { answerInput } from "./routes.ts";
import { ioOf, publish } from "../live/publish.ts";

const tokenParams = z.object({ token: z.string().max(200) });

export const linkRoutes = [
  defineRoute({
    method: "get",
    path: "/public/links/:token",
    summary: "Page du médecin ou de l'équipe ouverte par son lien (capacité, patients orientés avec consentement)",
    action: "public",
    params: tokenParams,
    async handler({ req, params }) {
      return { body: await inTransaction(async (c) => loadHolderPage(c, await verifyGpLink(c, params.token), { ip: req.ip })) };
    },
  }),
  defineRoute({
    method: "put",
    path: "/public/links/:token/capacity",
    summary: "Le médecin ou l'équipe déclare sa capacité (lien « capacité »)",
    action: "public",
    params: tokenParams,
    body: capacityInput,
    async handler({ req, params, body }) {
      const { organisationId, declared } = await inTransaction(async (c) => {
        const link = await verifyGpLink(c, params.token, "capacity");
        const holder = { kind: link.gpId ? ("gp" as const) : ("team" as const), id: (link.gpId ?? link.teamId)!, organisationId: link.organisationId };
        return { organisationId: link.organisationId, declared: await declareCapacity(c, holder, body, { userId: null, label: link.label, ip: req.ip }) };
      });
      publish.boardStale(ioOf(req), organisationId, "capacity");
      return { body: declared };
    },
  }),
  defineRoute({
    method: "post",
    path: "/public/links/:token/orientations/:id/answer",
    summary: "Le médecin ou l'équipe confirme ou refuse un patient orienté (lien « orientations »)",
    action: "public",
    params: tokenParams.extend({ id: z.uuid({ message: "identifiant invalide" }) }),
    body: answerInput,
    async handler({ req, params, body }) {
      const { organisationId, answered } = await inTransaction(async (c) => {
        const link = await verifyGpLink(c, params.token, "orientations");
        const who = { organisationId: link.organisationId, userId: null, label: link.label, holder: { gpId: link.gpId, teamId: link.teamId }, ip: req.ip };
        return { organisationId: link.organisationId, answered: await answerOrientation(c, who, params.id, body) };
      });
      publish.boardStale(ioOf(req), organisationId, "orientation");
      return { body: answered };
    },
  }),
];
