// The organisation's saved column mappings: listed as they will be applied, deleted by a coordinator (audited).
import { z } from "zod";
import { db } from "../db.ts";
import { defineRoute } from "../http/defineRoute.ts";
import { listImportMappings } from "./listImportMappings.ts";
import { deleteImportMapping } from "./deleteImportMapping.ts";

export const importMappingRoutes = [
  defineRoute({
    method: "get",
    path: "/import-mappings",
    summary: "Correspondances de colonnes enregistrées par l'organisation (kind=patients|gps) : en-tête → champ, appliquées sans question aux fichiers de mêmes en-têtes",
    action: "import:mappings",
    query: z.object({ kind: z.enum(["patients", "gps"], { message: "type attendu : patients ou gps" }).meta({ title: "Type de fichier" }) }),
    async handler({ auth, query }) {
      return { body: await listImportMappings(db(), auth.user.organisation.id, query.kind) };
    },
  }),
  defineRoute({
    method: "delete",
    path: "/import-mappings/:id",
    summary: "Supprime une correspondance enregistrée : le prochain fichier de mêmes en-têtes est détecté à nouveau (journalisé)",
    action: "import:mappings",
    params: z.object({ id: z.uuid({ message: "identifiant de correspondance invalide" }) }),
    async handler({ req, auth, params }) {
      await db().$transaction((tx) => deleteImportMapping(tx, auth.user.organisation.id, params.id, { actorUserId: auth.user.id, ip: req.ip }));
    },
  }),
];
