import { z } from "zod";
import { startOfTodaySql } from "../organisations/timeZone.ts";
import { timeZoneOf } from "../geo/timeZoneOf.ts";
import { db } from "../db.ts";
import { AppError, errors } from "../errors.ts";
import { defineRoute } from "../http/defineRoute.ts";
import { servicesOf } from "../http/services.ts";
import { inTransaction, pgPool, withClient } from "../pgPool.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { findCampaign } from "../campaigns/createCampaign.ts";
import { campaignIdParams } from "../campaigns/routes.ts";
import { ioOf, publish } from "../live/publish.ts";
import type { AuthContext } from "../auth/sessions.ts";
import type { Request } from "express";
import { claimNextPatient, type Claim } from "./claimNextPatient.ts";
import { OUTCOME_LABELS, OUTCOMES, rulesInput, type Outcome } from "./callingRules.ts";
import { callbackRefusal } from "../../shared-types/callbackLimits.ts";
import { reopenDeferredPatients } from "./reopenDeferredPatients.ts";
import { releaseCampaignHolds } from "./releaseCampaignHolds.ts";
import { loadPatientCard, assertHolding, type PatientCard } from "./loadPatientCard.ts";
import { recordOutcome } from "./recordOutcome.ts";
import { heartbeat, PAUSE_REASONS, setAgentStatus, type PauseReason } from "./setAgentStatus.ts";
import { changeAgentStatus, handBackHeldPatient } from "./changeAgentStatus.ts";
import { startCall } from "./startCall.ts";
import { explainNotCalled } from "./explainNotCalled.ts";
import { explainNoPatient, type NoPatientExplanation } from "./explainNoPatient.ts";
import { searchCampaignPatients } from "./searchCampaignPatients.ts";
import { enqueueTwilioCall } from "../../queues/calls.ts";
import { reorderNow } from "../../queues/housekeeping.ts";
import { hangUpCalls, hangUpFoundCall } from "../calls/hangUpCalls.ts";

const agentOf = (auth: AuthContext) => ({ id: auth.user.id, organisationId: auth.user.organisation.id });

function announceState(req: Request, auth: AuthContext, s: { status: string; pauseReason: string | null; since: Date }) {
  publish.agentState(ioOf(req), auth.user.organisation.id, {
    userId: auth.user.id, name: auth.user.name, status: s.status as never, pauseReason: s.pauseReason, since: new Date(s.since).toISOString(),
  });
}

/** Places the call with the organisation's provider, after the attempt is committed (null: the patient the agent holds). */
async function dial(req: Request, auth: AuthContext, enrolmentId: string | null) {
  const call = await withClient((c) => startCall(c, agentOf(auth), enrolmentId));
  if (call.provider === "twilio") {
    // Softphone: the browser places the call itself (the voice webhook dials the patient).
    // Own phone: the worker calls the agent, then the patient, at the account's allowed rate.
    // Progress arrives as signed webhooks either way.
    if (call.agentLeg === "agent_phone") await enqueueTwilioCall(servicesOf(req).calls, call.attemptId);
    return { ...call, providerCallId: null };
  }
  const placed = await servicesOf(req).telephony[call.provider].placeCall({ attemptId: call.attemptId, phone: call.phone });
  if (placed.providerCallId) await pgPool().query(`UPDATE "CallAttempt" SET "providerCallId" = $2 WHERE "id" = $1`, [call.attemptId, placed.providerCallId]);
  return { ...call, providerCallId: placed.providerCallId };
}

/** Ready: hand the agent the next patient (and, in progressive mode, start the call); nobody: why, asked only then.
 * The card is read once, after the call is placed: one read of the patient's identity, one audit row. */
async function nextPatient(req: Request, auth: AuthContext): Promise<{ claim: Claim; card: PatientCard; noPatient: null } | { claim: null; card: null; noPatient: NoPatientExplanation }> {
  const claim = await withClient((c) => claimNextPatient(c, agentOf(auth)));
  if (!claim) return { claim: null, card: null, noPatient: await explainNoPatient(pgPool(), agentOf(auth)) };
  publish.assigned(ioOf(req), auth.user.id, claim.enrolmentId);
  if (claim.dialMode === "progressive" && !claim.openCall) await dial(req, auth, claim.enrolmentId);
  return { claim, card: assertHolding(await loadPatientCard(pgPool(), agentOf(auth), { ip: req.ip })), noPatient: null };
}

const stateOf = async (userId: string) =>
  (await pgPool().query(`SELECT "status", "pauseReason", "since" FROM "AgentState" WHERE "userId" = $1`, [userId])).rows[0] ?? { status: "offline", pauseReason: null, since: new Date() };

export const dialerRoutes = [
  defineRoute({
    method: "get",
    path: "/agent/session",
    summary: "État de l'agent et patient tenu (fiche) s'il y en a un",
    action: "dialer:work",
    async handler({ req, auth }) {
      const card = await loadPatientCard(pgPool(), agentOf(auth), { ip: req.ip });
      return { body: { state: await stateOf(auth.user.id), card } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/agent/status",
    summary: "Prêt, en pause (avec motif) ou hors ligne ; « prêt » attribue le patient suivant, ou dit pourquoi il n'y en a pas",
    action: "dialer:work",
    body: z.object({
      status: z.enum(["ready", "paused", "offline"]),
      pauseReason: z.enum(Object.keys(PAUSE_REASONS) as [PauseReason, ...PauseReason[]]).optional(),
      /** The console asking the dialer again by itself while the agent is ready: an agent no longer ready (a pause
       * clicked while this request was on its way) is left as they are, not made ready again. */
      again: z.boolean().optional(),
    }).refine((b) => b.status !== "paused" || b.pauseReason, { message: "une pause demande un motif", path: ["pauseReason"] })
      .refine((b) => !b.again || b.status === "ready", { message: "« again » ne vaut que pour « ready »", path: ["again"] }),
    async handler({ req, auth, body }) {
      const asIs = async (state: Awaited<ReturnType<typeof stateOf>>) =>
        ({ body: { state, card: await loadPatientCard(pgPool(), agentOf(auth), { ip: req.ip }), noPatient: null } });
      let state: Awaited<ReturnType<typeof stateOf>>;
      if (body.again) {
        // Already ready, or left as they are: the claim itself hands nobody to an agent paused meanwhile.
        state = await stateOf(auth.user.id);
        if (state.status !== "ready") return asIs(state);
      } else {
        ({ state } = await changeAgentStatus(pgPool(), agentOf(auth), body.status, body.pauseReason ?? null));
        announceState(req, auth, state);
        if (body.status !== "ready" || state.status !== "ready") return asIs(state);
      }
      const { claim, ...next } = await nextPatient(req, auth);
      if (!claim) {
        const current = await stateOf(auth.user.id); // a pause that came before the claim: the agent as they now are
        return current.status === "ready" ? { body: { state: current, ...next } } : asIs(current);
      }
      // The claim made the agent busy… unless a concurrent « Prêt » (another tab) had claimed the patient: this one's
      // « ready » came after, and is not true.
      let busy = claim.agentState ?? await stateOf(auth.user.id);
      if (busy.status !== "busy") busy = await setAgentStatus(pgPool(), agentOf(auth), "busy", null);
      announceState(req, auth, busy);
      return { body: { state: busy, ...next } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/agent/heartbeat",
    summary: "Signe de vie de la console : prolonge l'attribution du patient tenu",
    action: "dialer:work",
    async handler({ auth }) {
      return { body: await heartbeat(pgPool(), auth.user.id) };
    },
  }),
  defineRoute({
    method: "post",
    path: "/agent/call",
    summary: "Appelle le patient tenu (simulateur, Twilio) ou ouvre l'appel manuel",
    action: "dialer:work",
    async handler({ req, auth }) {
      // The patient held, found by the call's own read of what dialling depends on: the card, and its audited read of
      // the identity, came with « Prêt ».
      const call = await dial(req, auth, null);
      return { status: 201, body: call };
    },
  }),
  defineRoute({
    method: "post",
    path: "/agent/hangup",
    summary: "Raccroche l'appel en cours",
    action: "dialer:work",
    async handler({ req, auth }) {
      const { rows } = await pgPool().query<{ id: string }>(`SELECT "id" FROM "CallAttempt" WHERE "agentId" = $1 AND "outcome" IS NULL`, [auth.user.id]);
      await hangUpCalls(pgPool(), rows.map((r) => r.id), servicesOf(req).telephony.simulator);
    },
  }),
  defineRoute({
    method: "post",
    path: "/agent/release",
    summary: "Rend le patient tenu sans l'appeler (il reste dû)",
    action: "dialer:work",
    async handler({ req, auth }) {
      if (!(await handBackHeldPatient(pgPool(), auth.user.id))) throw new AppError("cannot_release", 409, "Rien à rendre : aucun patient tenu, ou un appel attend son résultat.");
      const state = await setAgentStatus(pgPool(), agentOf(auth), "paused", "break");
      announceState(req, auth, state);
    },
  }),
  defineRoute({
    method: "post",
    path: "/attempts/:id/outcome",
    summary: "Enregistre le résultat d'un appel (une seule fois ; le même résultat renvoyé par son agent est répondu tel qu'enregistré, « replayed »)",
    action: "dialer:work",
    params: z.object({ id: z.uuid({ message: "identifiant d'appel invalide" }) }),
    body: z.object({
      outcome: z.enum(OUTCOMES, { message: "résultat inconnu" }),
      comment: z.string().trim().max(2000).optional(),
      callbackAt: z.iso.datetime({ offset: true, message: "date invalide (ISO 8601)" })
        .superRefine((at, ctx) => {
          const when = new Date(at);
          if (Number.isNaN(when.getTime())) return; // said above: not a date
          const refusal = callbackRefusal(when, new Date());
          if (refusal) ctx.addIssue({ code: "custom", message: refusal });
        })
        .meta({ title: "Date et heure du rappel" }).optional(),
    }),
    async handler({ req, auth, params, body }) {
      const { agentState, call, ...result } = await withClient((c) =>
        recordOutcome(c, agentOf(auth), params.id, { outcome: body.outcome, comment: body.comment ?? null, callbackAt: body.callbackAt ? new Date(body.callbackAt) : null }),
      );
      // the outcome ends the call: a patient who picks up after "no answer" is not left with nobody on the line (a
      // repeat looks the call up again: the first request may have stopped before its hang-up)
      const simulator = servicesOf(req).telephony.simulator;
      await (call ? hangUpFoundCall(pgPool(), call, simulator) : hangUpCalls(pgPool(), [params.id], simulator));
      if (!result.replayed) publish.outcome(ioOf(req), auth.user.organisation.id, { attemptId: params.id, agentId: auth.user.id, campaignId: result.campaignId, outcome: result.outcome, at: new Date().toISOString() });
      announceState(req, auth, agentState ?? await stateOf(auth.user.id));
      return { body: result };
    },
  }),
  defineRoute({
    method: "get",
    path: "/attempts/:id",
    summary: "Où en est un appel de l'agent : son résultat enregistré, et par qui (l'agent, le système, la supervision)",
    action: "dialer:work",
    params: z.object({ id: z.uuid({ message: "identifiant d'appel invalide" }) }),
    async handler({ auth, params }) {
      const { rows: [a] } = await pgPool().query<{ outcome: Outcome | null; outcomeBy: string | null }>(
        `SELECT "outcome", "outcomeBy" FROM "CallAttempt" WHERE "id" = $1 AND "agentId" = $2`, [params.id, auth.user.id]);
      if (!a) throw errors.notFound("Appel");
      const recordedBy = !a.outcome ? null : a.outcomeBy === auth.user.id ? "agent" : a.outcomeBy === "system" ? "system" : "supervisor";
      return { body: { id: params.id, outcome: a.outcome, outcomeLabel: a.outcome ? OUTCOME_LABELS[a.outcome] : null, recordedBy } };
    },
  }),
  defineRoute({
    method: "get",
    path: "/agent/callbacks",
    summary: "Rappels demandés à l'agent, dus aujourd'hui",
    action: "dialer:work",
    async handler({ auth }) {
      const { rows } = await pgPool().query<{ enrolmentId: string; callbackAt: Date; campaign: string; priorityLabel: string; inseeCode: string | null }>(
        `SELECT e."id" AS "enrolmentId", e."callbackAt", c."name" AS "campaign", e."priorityLabel", p."inseeCode"
         FROM "Enrolment" e JOIN "Campaign" c ON c."id" = e."campaignId" JOIN "Patient" p ON p."id" = e."patientId"
         WHERE e."callbackAgentId" = $1 AND e."dialState" = 'waiting' AND e."callbackAt" < ${startOfTodaySql("$2::text")} + interval '1 day'
         ORDER BY e."callbackAt"`, [auth.user.id, auth.user.organisation.timeZone]);
      // the patient's clock, on which they asked for the callback (the list shows the organisation's, and theirs where it differs)
      return { body: rows.map(({ inseeCode, ...r }) => ({ ...r, timeZone: timeZoneOf(inseeCode) })) };
    },
  }),
  defineRoute({
    method: "put",
    path: "/campaigns/:id/rules",
    summary: "Règles d'appel de la campagne (mode, plages, tentatives, délais, rotation, pause après un refus, agents et équipes, ordre de priorité)",
    action: "campaign:configure",
    params: campaignIdParams,
    body: rulesInput,
    async handler({ req, auth, params, body }) {
      const campaign = await findCampaign(db(), auth.user.organisation.id, params.id);
      if (body.agentIds?.length) {
        const agents = await db().user.count({ where: { id: { in: body.agentIds }, organisationId: campaign.organisationId, role: "agent" } });
        if (agents !== body.agentIds.length) throw errors.badRequest("Certains agents désignés n'appartiennent pas à l'organisation.");
      }
      if (body.agentTeams?.length) {
        const staffed = await db().user.groupBy({ by: ["team"], where: { organisationId: campaign.organisationId, role: "agent", team: { in: body.agentTeams } } });
        const empty = body.agentTeams.find((team) => !staffed.some((s) => s.team === team));
        if (empty !== undefined) throw errors.badRequest(`Aucun agent de l'organisation n'est dans l'équipe « ${empty} ».`);
      }
      // A new order: the patients still to call move to their new rank in the background (reorderQueues).
      const reorder = body.priorityOrder !== undefined && body.priorityOrder.join() !== campaign.priorityOrder.join();
      const updated = await db().$transaction(async (tx) => {
        const c = await tx.campaign.update({ where: { id: campaign.id }, data: { ...body, ...(reorder ? { reorderPending: true } : {}) } });
        await reopenDeferredPatients(tx, campaign.id);
        await writeAudit(tx, { action: "campaign.rules", organisationId: campaign.organisationId, actorUserId: auth.user.id, ip: req.ip, targetType: "campaign", targetId: campaign.id, details: JSON.parse(JSON.stringify(body)) });
        return c;
      });
      if (reorder) await reorderNow(servicesOf(req));
      return { body: updated };
    },
  }),
  defineRoute({
    method: "post",
    path: "/campaigns/:id/status",
    summary: "Démarre, met en pause ou clôture la campagne",
    action: "campaign:control",
    params: campaignIdParams,
    body: z.object({ status: z.enum(["running", "paused", "closed"]) }),
    async handler({ req, auth, params, body }) {
      const campaign = await findCampaign(db(), auth.user.organisation.id, params.id);
      if (campaign.status === "closed") throw new AppError("campaign_closed", 409, "Une campagne clôturée ne peut pas être rouverte.");
      const updated = await db().$transaction(async (tx) => {
        const c = await tx.campaign.update({ where: { id: campaign.id }, data: { status: body.status } });
        await writeAudit(tx, { action: `campaign.${body.status}`, organisationId: campaign.organisationId, actorUserId: auth.user.id, ip: req.ip, targetType: "campaign", targetId: campaign.id });
        return c;
      });
      // Committed: no claim hands out its patients any more; those held without a call go back, and everyone is told.
      const event = { campaignId: campaign.id, name: campaign.name, status: body.status };
      const released = body.status === "running" ? [] : await inTransaction((c) => releaseCampaignHolds(c, campaign));
      const agents = released.length ? await db().user.findMany({ where: { id: { in: released.map((r) => r.agentId) } }, select: { id: true, name: true } }) : [];
      for (const r of released) {
        publish.agentState(ioOf(req), campaign.organisationId, { userId: r.agentId, name: agents.find((a) => a.id === r.agentId)?.name ?? "", status: "ready", pauseReason: null, since: new Date(r.state.since).toISOString() });
        publish.released(ioOf(req), r.agentId, r.enrolmentId, { campaign: event });
      }
      publish.campaignStatus(ioOf(req), campaign.organisationId, event);
      return { body: updated };
    },
  }),
  defineRoute({
    method: "get",
    path: "/campaigns/:id/why-not-called",
    summary: "Pourquoi ce patient n'est pas appelé maintenant : toutes les raisons du dialer, en français (identifiant d'inscription ou de patient)",
    action: "dialer:explain",
    params: campaignIdParams,
    query: z.object({ patient: z.uuid({ message: "identifiant de patient invalide (colonne « Identifiant » de l'export)" }) }),
    async handler({ auth, params, query }) {
      const campaign = await findCampaign(db(), auth.user.organisation.id, params.id);
      return { body: await explainNotCalled(pgPool(), { organisationId: campaign.organisationId, campaignId: campaign.id }, query.patient) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/campaigns/:id/patient-search",
    summary: "Recherche d'un patient de la campagne par son nom (identités journalisées)",
    action: "patient:search",
    params: campaignIdParams,
    query: z.object({ q: z.string().trim().min(2, "au moins 2 caractères").max(100) }),
    async handler({ req, auth, params, query }) {
      const campaign = await findCampaign(db(), auth.user.organisation.id, params.id);
      return { body: await searchCampaignPatients(pgPool(), { organisationId: campaign.organisationId, campaignId: campaign.id }, query.q, { actorUserId: auth.user.id, ip: req.ip }) };
    },
  }),
];
