import { z } from "zod";
import { db } from "../db.ts";
import { defineRoute } from "../http/defineRoute.ts";
import { inTransaction, pgPool } from "../pgPool.ts";
import { findCampaign } from "../campaigns/createCampaign.ts";
import { campaignIdParams } from "../campaigns/routes.ts";
import { CONSENT_PURPOSES, CONSENT_PURPOSE_LABELS } from "./defaultScript.ts";
import { currentConsents } from "./currentConsents.ts";
import { loadScript } from "./loadScript.ts";
import { recordConsent } from "./recordConsent.ts";
import { saveScriptVersion, scriptInput } from "./saveScriptVersion.ts";
import { findHeldEnrolment } from "../dialer/findHeldEnrolment.ts";
import { ioOf, publish } from "../live/publish.ts";

async function versionsOf(campaignId: string) {
  return (await pgPool().query(`SELECT "id", "version", "createdAt" FROM "ScriptVersion" WHERE "campaignId" = $1 ORDER BY "version" DESC`, [campaignId])).rows;
}

export const consentRoutes = [
  defineRoute({
    method: "get",
    path: "/campaigns/:id/script",
    summary: "Script d'appel en vigueur de la campagne et ses versions",
    action: "script:read",
    params: campaignIdParams,
    async handler({ auth, params }) {
      const campaign = await findCampaign(db(), auth.user.organisation.id, params.id);
      const current = await loadScript(pgPool(), campaign);
      return { body: { current, versions: await versionsOf(campaign.id), purposes: CONSENT_PURPOSE_LABELS } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/campaigns/:id/script",
    summary: "Nouvelle version du script d'appel (texte et questions de consentement)",
    action: "script:edit",
    params: campaignIdParams,
    body: scriptInput,
    async handler({ req, auth, params, body }) {
      const campaign = await findCampaign(db(), auth.user.organisation.id, params.id);
      const saved = await inTransaction((c) => saveScriptVersion(c, campaign, body, { id: auth.user.id, ip: req.ip }));
      return { status: 201, body: saved };
    },
  }),
  defineRoute({
    method: "get",
    path: "/agent/script",
    summary: "Script de la campagne du patient tenu et consentements en cours du patient",
    action: "dialer:work",
    async handler({ auth }) {
      const held = await findHeldEnrolment(pgPool(), { id: auth.user.id, organisationId: auth.user.organisation.id });
      return { body: { script: await loadScript(pgPool(), held.campaign), consents: await currentConsents(pgPool(), held.patientId), purposes: CONSENT_PURPOSE_LABELS } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/agent/consents",
    summary: "Enregistre la réponse du patient tenu à une question de consentement (ajout seulement)",
    action: "dialer:work",
    body: z.object({
      purpose: z.enum(CONSENT_PURPOSES, { message: "finalité inconnue" }),
      granted: z.boolean({ message: "accordé ou refusé attendu" }),
      channel: z.enum(["phone", "letter", "online"], { message: "canal inconnu" }).default("phone"),
      scriptVersionId: z.uuid({ message: "version de script invalide" }),
    }),
    async handler({ req, auth, body }) {
      const agent = { id: auth.user.id, organisationId: auth.user.organisation.id, name: auth.user.name };
      const saved = await inTransaction((c) => recordConsent(c, agent, body));
      publish.boardStale(ioOf(req), agent.organisationId, "consent");
      return { status: 201, body: { consent: saved, consents: await currentConsents(pgPool(), saved.patientId) } };
    },
  }),
];
