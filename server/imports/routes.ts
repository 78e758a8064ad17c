import { z } from "zod";
import { db } from "../db.ts";
import { errors, isRedisDown } from "../errors.ts";
import { logger } from "../logger.ts";
import { defineRoute } from "../http/defineRoute.ts";
import { readUpload } from "../http/readUpload.ts";
import { servicesOf, type Services } from "../http/services.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { findCampaign, findCampaignForListing } from "../campaigns/createCampaign.ts";
import { campaignIdParams } from "../campaigns/routes.ts";
import { enqueueImport } from "../../queues/imports.ts";
import { confirmMapping, prepareImport, type Mapping } from "./prepareImport.ts";
import { acceptListing, type ListingTarget } from "./acceptListing.ts";
import type { Request } from "express";
import type { AuthContext } from "../auth/sessions.ts";
import { can } from "../auth/policy.ts";
import { importReport } from "./importReport.ts";
import { writeRejectionsCsv } from "./writeRejectionsCsv.ts";
import { exportPatients } from "./exportPatients.ts";
import { listImports } from "./listImports.ts";

const importIdParams = z.object({ id: z.uuid({ message: "identifiant d'import invalide" }) });
const importPageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).meta({ title: "Nombre d'imports" }),
  before: z.uuid({ message: "curseur invalide (l'identifiant du dernier import de la page précédente)" }).optional().meta({ title: "Plus anciens que l'import" }),
});

/** An import's report as the caller may read it: the listing's rows (preview, rejected rows' CSV) for « import:rows » only. */
const reportFor = (auth: AuthContext, importId: string) => importReport(db(), importId, { withRows: can(auth.user.role, "import:rows") });

/**
 * Redis down before anything is written: 503 and nothing stored or changed, so that a retry does the
 * work once (the request's body is drained first, the client then reads the answer).
 */
function requireQueues(req: Request): Services {
  const services = servicesOf(req);
  if (services.redis.status !== "ready") {
    req.resume();
    throw errors.unavailable("Redis");
  }
  return services;
}

/** The import is queued in PostgreSQL already: a job lost with Redis is put back when it returns (requeueUnfinishedImports). */
async function queueImport(services: Services, importId: string) {
  await enqueueImport(services.imports, importId).catch((err: unknown) => {
    if (!isRedisDown(err as Error)) throw err;
    logger.warn({ importId }, "import stored but not queued (Redis down): queued again when Redis returns");
  });
}

/** The uploaded file, stored and detected; queued at once when nothing needs the coordinator's eye. */
async function receiveListing(req: Request, auth: AuthContext, target: ListingTarget) {
  const services = requireQueues(req);
  const accepted = await readUpload(req, (file, fileName) => acceptListing(db(), target, file, fileName, { actorUserId: auth.user.id, ip: req.ip }));
  if (accepted.ready) await queueImport(services, accepted.importId);
  return reportFor(auth, accepted.importId);
}

async function findImport(organisationId: string, id: string) {
  const found = await db().import.findUnique({ where: { id } });
  if (!found || found.organisationId !== organisationId) throw errors.notFound("Import");
  return found;
}

export const importRoutes = [
  defineRoute({
    method: "post",
    path: "/campaigns/:id/imports",
    summary: "Dépose un listing de patients (multipart, champ « file ») ; 202 avec l'identifiant de l'import",
    upload: true,
    action: "import:create",
    params: campaignIdParams,
    async handler({ req, auth, params }) {
      const campaign = await findCampaignForListing(db(), auth.user.organisation.id, params.id).catch((err: unknown) => {
        req.resume(); // the file is drained, so the client reads the answer
        throw err;
      });
      return { status: 202, body: await receiveListing(req, auth, { organisationId: campaign.organisationId, campaignId: campaign.id, kind: "patients" }) };
    },
  }),
  defineRoute({
    method: "post",
    path: "/rosters/imports",
    summary: "Dépose un annuaire de médecins (multipart, champ « file ») ; 202 avec l'identifiant de l'import",
    upload: true,
    action: "import:create",
    async handler({ req, auth }) {
      return { status: 202, body: await receiveListing(req, auth, { organisationId: auth.user.organisation.id, campaignId: null, kind: "gps" }) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/campaigns/:id/imports",
    summary: "Listings déposés dans la campagne, les plus récents d'abord (?before=<id du dernier> : les plus anciens)",
    action: "import:read",
    params: campaignIdParams,
    query: importPageQuery,
    async handler({ auth, params, query }) {
      const campaign = await findCampaign(db(), auth.user.organisation.id, params.id);
      return { body: await listImports(db(), { organisationId: campaign.organisationId, kind: "patients", campaignId: campaign.id }, query) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/rosters/imports",
    summary: "Annuaires de médecins déposés pour l'organisation, les plus récents d'abord (?before=<id du dernier> : les plus anciens)",
    action: "import:read",
    query: importPageQuery,
    async handler({ auth, query }) {
      return { body: await listImports(db(), { organisationId: auth.user.organisation.id, kind: "gps", campaignId: null }, query) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/imports/:id",
    summary: "État et compte rendu d'un import",
    action: "import:read",
    params: importIdParams,
    async handler({ auth, params }) {
      await findImport(auth.user.organisation.id, params.id);
      return { body: await reportFor(auth, params.id) };
    },
  }),
  defineRoute({
    method: "put",
    path: "/imports/:id/header",
    summary: "Choisit la ligne d'en-tête d'un import qui attend sa correspondance (parmi les premières lignes de la feuille) ; l'aperçu et la correspondance proposée suivent",
    action: "import:create",
    params: importIdParams,
    body: z.object({ line: z.number({ message: "numéro de ligne attendu" }).int({ message: "numéro de ligne attendu" }).min(1, { message: "numéro de ligne attendu" }).meta({ title: "Ligne d'en-tête" }) }),
    async handler({ auth, params, body }) {
      const found = await findImport(auth.user.organisation.id, params.id);
      await prepareImport(db(), found.id, { headerLine: body.line }); // refused once the import is launched
      return { body: await reportFor(auth, found.id) };
    },
  }),
  defineRoute({
    method: "put",
    path: "/imports/:id/mapping",
    summary: "Corrige la correspondance des colonnes puis lance l'import (option : l'enregistrer pour l'organisation)",
    action: "import:create",
    params: importIdParams,
    body: z.object({
      mapping: z.record(z.string(), z.union([z.number().int().min(0), z.array(z.number().int().min(0))])),
      save: z.boolean().default(false),
    }),
    async handler({ req, auth, params, body }) {
      const services = requireQueues(req);
      const found = await findImport(auth.user.organisation.id, params.id);
      // An import left waiting and finished later (from « Imports précédents »): its campaign may have closed since.
      if (found.campaignId) await findCampaignForListing(db(), found.organisationId, found.campaignId);
      await confirmMapping(db(), found.id, body.mapping as Mapping, body.save && { by: { userId: auth.user.id, ip: req.ip } });
      await queueImport(services, found.id);
      return { status: 202, body: await reportFor(auth, found.id) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/imports/:id/rejections.csv",
    summary: "Lignes rejetées (colonnes d'origine, NIR masqué, + motif), en CSV pour la caisse ; chaque téléchargement est journalisé",
    action: "import:rows",
    params: importIdParams,
    raw: true,
    async handler({ req, res, auth, params }) {
      const found = await findImport(auth.user.organisation.id, params.id);
      // Identities leave the console: audited before the first byte, with how many rows the file holds.
      const count = await db().importRejection.count({ where: { importId: found.id } });
      await writeAudit(db(), {
        action: "import.rejections_export", organisationId: found.organisationId, actorUserId: auth.user.id, ip: req.ip, targetType: "import", targetId: found.id,
        details: { fileName: found.fileName, campaignId: found.campaignId, count },
      });
      res.attachment(`rejets-${found.fileName.replace(/\.(csv|tsv|txt|xlsx)$/i, "")}.csv`);
      res.setHeader("Content-Type", "text/csv; charset=utf-8");
      await writeRejectionsCsv(db(), found.id, res);
      res.end();
    },
  }),
  defineRoute({
    method: "get",
    path: "/campaigns/:id/patients",
    summary: "Export des patients de la campagne tels qu'enregistrés (format=json|csv)",
    action: "patient:export",
    params: campaignIdParams,
    query: z.object({ format: z.enum(["json", "csv"]).default("json") }),
    raw: true,
    async handler({ req, res, auth, params, query }) {
      const campaign = await findCampaign(db(), auth.user.organisation.id, params.id);
      await writeAudit(db(), { action: "patient.export", organisationId: campaign.organisationId, actorUserId: auth.user.id, ip: req.ip, targetType: "campaign", targetId: campaign.id, details: { format: query.format } });
      if (query.format === "csv") res.attachment(`patients-${campaign.id}.csv`);
      res.setHeader("Content-Type", query.format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8");
      await exportPatients(campaign.id, query.format, res, { organisationId: campaign.organisationId, actorUserId: auth.user.id, ip: req.ip });
      res.end();
    },
  }),
];
