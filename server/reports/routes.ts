// Reports (aggregates: coordinators and supervisors) and their exports; the list of oriented
// patients with identities (coordinators only, every identity logged).
import type { Response } from "express";
import type { AuthContext } from "../auth/sessions.ts";
import { z } from "zod";
import { db } from "../db.ts";
import { pgPool } from "../pgPool.ts";
import { errors } from "../errors.ts";
import { defineRoute } from "../http/defineRoute.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { findCampaign } from "../campaigns/createCampaign.ts";
import { campaignIdParams } from "../campaigns/routes.ts";
import { loadCampaignReport } from "./loadCampaignReport.ts";
import { territorialDiagnosis } from "./territorialDiagnosis.ts";
import { beforeAfter } from "./beforeAfter.ts";
import { beforeAfterTables, campaignReportTables, diagnosisTables, type ExportTable } from "./reportTables.ts";
import { writeCsvTable, writeXlsxTables } from "./writeTables.ts";
import { exportOrientations } from "./exportOrientations.ts";

const format = z.enum(["csv", "xlsx"], { message: "format : csv ou xlsx" }).default("xlsx");
const exportQuery = z.object({ format, table: z.string().max(40).optional() });
const day = z.iso.date({ message: "date au format AAAA-MM-JJ" });
const periodQuery = z.object({ from: day, to: day }).refine((p) => p.from <= p.to, { message: "la fin de la période doit suivre son début", path: ["to"] })
  .refine((p) => Date.parse(p.to) - Date.parse(p.from) <= 3 * 366 * 86_400_000, { message: "période de trois ans au plus", path: ["to"] });

const CONTENT_TYPES = { csv: "text/csv; charset=utf-8", xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" };

function attachment(res: Response, fileName: string, kind: "csv" | "xlsx") {
  res.attachment(`${fileName.replace(/[^\p{L}\p{N}.-]+/gu, "_")}.${kind}`); // accents kept (filename*, RFC 6266)
  res.setHeader("Content-Type", CONTENT_TYPES[kind]);
}

/** CSV: one table (`table`, default the first); XLSX: every table, one sheet each. */
async function sendTables(res: Response, fileName: string, tables: ExportTable[], query: z.infer<typeof exportQuery>, zone: string) {
  if (query.format === "csv") {
    const table = query.table ? tables.find((t) => t.key === query.table) : tables[0];
    if (!table) throw errors.badRequest(`Tableau inconnu : choisissez parmi ${tables.map((t) => t.key).join(", ")}.`);
    attachment(res, `${fileName}-${table.key}`, "csv");
    await writeCsvTable(res, table, zone);
  } else {
    attachment(res, fileName, "xlsx");
    await writeXlsxTables(res, tables, zone);
  }
  res.end();
}

/** Today's date (YYYY-MM-DD) in the organisation's time zone, for file names. */
const today = (auth: AuthContext) => new Intl.DateTimeFormat("en-CA", { timeZone: auth.user.organisation.timeZone }).format(new Date());

export const reportRoutes = [
  defineRoute({
    method: "get",
    path: "/campaigns/:id/report",
    summary: "Rapport de campagne : entonnoir, résultats par tentative, joignabilité par heure et jour, agents, médecins et équipes, communes, délais",
    action: "report:read",
    params: campaignIdParams,
    async handler({ auth, params }) {
      const campaign = await findCampaign(db(), auth.user.organisation.id, params.id);
      return { body: await loadCampaignReport(pgPool(), campaign) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/campaigns/:id/report/export",
    summary: "Rapport de campagne en XLSX (un onglet par tableau) ou en CSV (un tableau : table=funnel|outcomes|hours|weekdays|agents|holders|communes|delays)",
    action: "report:read",
    params: campaignIdParams,
    query: exportQuery,
    raw: true,
    async handler({ req, res, auth, params, query }) {
      const campaign = await findCampaign(db(), auth.user.organisation.id, params.id);
      const report = await loadCampaignReport(pgPool(), campaign);
      await writeAudit(db(), { action: "report.export", organisationId: campaign.organisationId, actorUserId: auth.user.id, ip: req.ip, targetType: "campaign", targetId: campaign.id, details: { report: "campaign", format: query.format, table: query.table ?? null } });
      await sendTables(res, `rapport-${campaign.name}-${today(auth)}`, campaignReportTables(report), query, auth.user.organisation.timeZone);
    },
  }),
  defineRoute({
    method: "get",
    path: "/campaigns/:id/report/orientations",
    summary: "Patients orientés par la campagne, avec leur identité, pour les médecins et équipes (CSV ou XLSX) ; chaque identité exportée est journalisée",
    action: "report:identities",
    params: campaignIdParams,
    query: z.object({
      format,
      holderId: z.uuid({ message: "identifiant de médecin ou d'équipe invalide" }).optional(),
      status: z.enum(["reserved", "confirmed", "declined", "expired", "cancelled"]).optional(),
    }),
    raw: true,
    async handler({ req, res, auth, params, query }) {
      const campaign = await findCampaign(db(), auth.user.organisation.id, params.id);
      await writeAudit(db(), { action: "orientation.export", organisationId: campaign.organisationId, actorUserId: auth.user.id, ip: req.ip, targetType: "campaign", targetId: campaign.id, details: { format: query.format, holderId: query.holderId ?? null, status: query.status ?? null } });
      attachment(res, `patients-orientes-${campaign.name}-${today(auth)}`, query.format);
      await exportOrientations(pgPool(), { organisationId: campaign.organisationId, campaignId: campaign.id, holderId: query.holderId, status: query.status, reader: { userId: auth.user.id, ip: req.ip }, zone: auth.user.organisation.timeZone }, query.format, res);
      res.end();
    },
  }),
  defineRoute({
    method: "get",
    path: "/reports/territory",
    summary: "Diagnostic territorial : par commune et au total, patients de 17 ans et plus sans médecin traitant (ALD, CSS, 70 ans et plus), médecins ayant de la place ; petits effectifs masqués",
    action: "report:read",
    async handler({ auth }) {
      return { body: await territorialDiagnosis(pgPool(), auth.user.organisation.id) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/reports/territory/export",
    summary: "Diagnostic territorial en XLSX ou CSV (table=communes|gp_ages)",
    action: "report:read",
    query: exportQuery,
    raw: true,
    async handler({ req, res, auth, query }) {
      const diagnosis = await territorialDiagnosis(pgPool(), auth.user.organisation.id);
      await writeAudit(db(), { action: "report.export", organisationId: auth.user.organisation.id, actorUserId: auth.user.id, ip: req.ip, details: { report: "territory", format: query.format, table: query.table ?? null } });
      await sendTables(res, `diagnostic-territorial-${today(auth)}`, diagnosisTables(diagnosis), query, auth.user.organisation.timeZone);
    },
  }),
  defineRoute({
    method: "get",
    path: "/reports/before-after",
    summary: "Bilan avant / après : patients orientés, confirmés et déclarés sur la période et la période précédente de même durée, par organisation et par MSP",
    action: "report:read",
    query: periodQuery,
    async handler({ auth, query }) {
      return { body: await beforeAfter(pgPool(), auth.user.organisation.id, query) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/reports/before-after/export",
    summary: "Bilan avant / après en XLSX ou CSV",
    action: "report:read",
    query: periodQuery.and(exportQuery),
    raw: true,
    async handler({ req, res, auth, query }) {
      const result = await beforeAfter(pgPool(), auth.user.organisation.id, query);
      await writeAudit(db(), { action: "report.export", organisationId: auth.user.organisation.id, actorUserId: auth.user.id, ip: req.ip, details: { report: "before_after", format: query.format, from: query.from, to: query.to } });
      await sendTables(res, `bilan-avant-apres-${query.from}-${query.to}`, beforeAfterTables(result), query, auth.user.organisation.timeZone);
    },
  }),
];
