// Privacy: the patient's rights of access and erasure (coordinators, who receive the requests), the
// retention setting and its runs (admins), the audit log viewer and its export (admins).
import { z } from "zod";
import { db } from "../db.ts";
import { inTransaction, pgPool } from "../pgPool.ts";
import { defineRoute } from "../http/defineRoute.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { findPatients } from "./findPatients.ts";
import { loadPatientRecord, writePatientRecord } from "./exportPatientRecord.ts";
import { erasePatients } from "./erasePatients.ts";
import { applyRetention } from "./applyRetention.ts";
import { loadRetentionSettings, RETENTION_MONTHS } from "./retentionSettings.ts";
import { updateOrganisationSetting } from "../organisations/updateOrganisationSetting.ts";
import { calendarDate } from "../organisations/timeZone.ts";
import { exportAuditLog, recentAuditActions, searchAuditLog } from "./searchAuditLog.ts";
import { errors } from "../errors.ts";

const patientParams = z.object({ id: z.uuid({ message: "identifiant de patient invalide" }) });
const day = z.iso.date({ message: "date au format AAAA-MM-JJ" });
const auditFilters = z.object({
  actorUserId: z.uuid({ message: "identifiant d'utilisateur invalide" }).meta({ title: "Qui" }).optional(),
  patientId: z.uuid({ message: "identifiant de patient invalide" }).meta({ title: "Patient" }).optional(),
  action: z.string().trim().min(1).max(80).meta({ title: "Action" }).optional(),
  from: day.meta({ title: "Du" }).optional(),
  to: day.meta({ title: "Au" }).optional(),
});
const fromBeforeTo = (f: { from?: string; to?: string }) => !f.from || !f.to || f.from <= f.to;
const FROM_AFTER_TO = { message: "la date « du » doit précéder la date « au »", path: ["from"] };

export const privacyRoutes = [
  defineRoute({
    method: "get",
    path: "/privacy/patients",
    summary: "Recherche du patient d'une demande d'accès ou d'effacement (identifiant, identifiant caisse ou début du nom ; date de naissance facultative)",
    action: "privacy:patient",
    query: z.object({ q: z.string().trim().min(2, "2 caractères au moins").max(100), birthDate: day.optional() }),
    async handler({ req, auth, query }) {
      return { body: await findPatients(pgPool(), { organisationId: auth.user.organisation.id, userId: auth.user.id, ip: req.ip }, query) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/privacy/patients/:id/record",
    summary: "Droit d'accès : tout ce qui est enregistré sur un patient (identité, listings, campagnes, appels, consentements, orientations, déclarations, journal), en JSON ou CSV",
    action: "privacy:patient",
    params: patientParams,
    query: z.object({ format: z.enum(["json", "csv"]).default("json") }),
    raw: true,
    async handler({ req, res, auth, params, query }) {
      const organisationId = auth.user.organisation.id;
      const record = await loadPatientRecord(pgPool(), organisationId, params.id);
      await writeAudit(db(), { action: "patient.access_export", organisationId, actorUserId: auth.user.id, ip: req.ip, targetType: "patient", targetId: params.id, details: { format: query.format } });
      res.attachment(`donnees-patient-${params.id}.${query.format}`);
      res.setHeader("Content-Type", query.format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8");
      await writePatientRecord(pgPool(), organisationId, record, query.format, res, auth.user.organisation.timeZone);
      res.end();
    },
  }),
  defineRoute({
    method: "post",
    path: "/privacy/patients/:id/erase",
    summary: "Droit à l'effacement : efface l'identité du patient (ce que la loi impose de garder reste : consentements, journal, comptes)",
    action: "privacy:patient",
    params: patientParams,
    body: z.object({
      confirm: z.literal(true, { message: "confirmez l'effacement" }),
      note: z.string().trim().min(3, "indiquez la demande (3 caractères au moins)").max(500),
    }),
    async handler({ req, auth, params, body }) {
      const organisationId = auth.user.organisation.id;
      const { rows } = await pgPool().query(`SELECT "erasedAt" FROM "Patient" WHERE "id" = $1 AND "organisationId" = $2`, [params.id, organisationId]);
      if (!rows[0]) throw errors.notFound("Patient");
      if (rows[0].erasedAt) throw errors.conflict("L'identité de ce patient est déjà effacée.");
      await inTransaction((c) => erasePatients(c, [params.id], { organisationId, reason: "request", actorUserId: auth.user.id, ip: req.ip, note: body.note }));
      return { body: { id: params.id, erased: true } };
    },
  }),
  defineRoute({
    method: "get",
    path: "/organisation/retention",
    summary: "Durée de conservation des identités après la clôture des campagnes, patients concernés aujourd'hui, dernières exécutions",
    action: "retention:configure",
    async handler({ auth }) {
      return { body: await loadRetentionSettings(pgPool(), auth.user.organisation.id) };
    },
  }),
  defineRoute({
    method: "put",
    path: "/organisation/retention",
    summary: "Change la durée de conservation (mois après la clôture de toutes les campagnes du patient)",
    action: "retention:configure",
    body: z.object({ months: z.number().int().min(RETENTION_MONTHS.min, "1 mois au moins").max(RETENTION_MONTHS.max, "120 mois au plus") }),
    async handler({ req, auth, body }) {
      await inTransaction((c) => updateOrganisationSetting(c, auth.user.organisation.id, "retentionMonths", body.months, { userId: auth.user.id, ip: req.ip }));
      return { body: await loadRetentionSettings(pgPool(), auth.user.organisation.id) };
    },
  }),
  defineRoute({
    method: "post",
    path: "/organisation/retention/run",
    summary: "Applique la politique de conservation maintenant (la tâche planifiée le fait chaque nuit) ; compte rendu",
    action: "retention:configure",
    async handler({ req, auth }) {
      return { body: await applyRetention(pgPool(), auth.user.organisation.id, { userId: auth.user.id, ip: req.ip }) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/privacy/audit",
    summary: "Journal d'audit filtré (qui, quel patient, action, dates), plus récent d'abord, par pages",
    action: "audit:read",
    query: auditFilters.extend({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      before: z.coerce.bigint().min(1n, "curseur invalide").max(9_223_372_036_854_775_807n, "curseur invalide").optional(),
    }).refine(fromBeforeTo, FROM_AFTER_TO),
    async handler({ auth, query }) {
      const { limit, before, ...filters } = query;
      const [page, actions] = await Promise.all([
        searchAuditLog(pgPool(), auth.user.organisation.id, filters, { limit, before }),
        recentAuditActions(pgPool(), auth.user.organisation.id),
      ]);
      return { body: { ...page, actions } };
    },
  }),
  defineRoute({
    method: "get",
    path: "/privacy/audit/export",
    summary: "Export du journal d'audit filtré (CSV ou XLSX) ; l'export est lui-même journalisé",
    action: "audit:export",
    query: auditFilters.extend({ format: z.enum(["csv", "xlsx"]).default("csv") }).refine(fromBeforeTo, FROM_AFTER_TO),
    raw: true,
    async handler({ req, res, auth, query }) {
      const { format, ...filters } = query;
      // the filters under names of their own (« to » is a test call's number in other entries)
      const { from: periodFrom, to: periodTo, action: filterAction, ...who } = filters;
      await writeAudit(db(), { action: "audit.export", organisationId: auth.user.organisation.id, actorUserId: auth.user.id, ip: req.ip, details: { format, ...who, filterAction, periodFrom, periodTo } });
      res.attachment(`journal-audit-${calendarDate(new Date(), auth.user.organisation.timeZone)}.${format}`);
      res.setHeader("Content-Type", format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      await exportAuditLog(pgPool(), auth.user.organisation.id, filters, format, res, auth.user.organisation.timeZone);
      res.end();
    },
  }),
];
