import { z } from "zod";
import { defineRoute } from "../http/defineRoute.ts";
import { pgPool } from "../pgPool.ts";
import { loadTeamProfile } from "./teamProfile.ts";

export const teamProfileRoutes = [
  defineRoute({
    method: "get",
    path: "/teams/:id/profile",
    summary: "Profil de patientèle d'une équipe MSP : patients vus sans MT (nominatif, audité) et habitants sans MT alentour (comptes, petits effectifs masqués)",
    action: "team:profile",
    params: z.object({ id: z.uuid({ message: "identifiant d'équipe invalide" }) }),
    async handler({ req, auth, params }) {
      return { body: await loadTeamProfile(pgPool(), { organisationId: auth.user.organisation.id, userId: auth.user.id, ip: req.ip }, params.id) };
    },
  }),
];
