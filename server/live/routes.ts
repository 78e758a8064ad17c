import { z } from "zod";
import type { Request } from "express";
import { defineRoute } from "../http/defineRoute.ts";
import { inTransaction, pgPool } from "../pgPool.ts";
import type { AuthContext } from "../auth/sessions.ts";
import { loadSupervisionBoard } from "./loadSupervisionBoard.ts";
import { coalescedLoader } from "./coalescedLoader.ts";
import { organisationTodaySql } from "../organisations/timeZone.ts";

/** Midnight of the organisation's day ($1 the organisation). */
const TODAY = organisationTodaySql("$1::uuid");

/** One board per organisation at a time, shared by its supervisors (see coalescedLoader). */
const sharedBoard = coalescedLoader((organisationId) => loadSupervisionBoard(pgPool(), organisationId));
import { forceAgentPause, reassignCallback, releaseHeldPatient } from "./superviseAgents.ts";
import { ioOf, publish } from "./publish.ts";
import { hangUpCalls } from "../calls/hangUpCalls.ts";
import { servicesOf } from "../http/services.ts";

const idParams = z.object({ id: z.uuid({ message: "identifiant invalide" }) });
const supervisorOf = (req: Request, auth: AuthContext) => ({ id: auth.user.id, organisationId: auth.user.organisation.id, ip: req.ip });

export const liveRoutes = [
  defineRoute({
    method: "get",
    path: "/supervision/agents",
    summary: "Agents de l'organisation : état, depuis quand, appel en cours, appels et joints du jour",
    action: "live:presence",
    async handler({ auth }) {
      const { rows } = await pgPool().query(
        `SELECT u."id" AS "userId", u."name", COALESCE(s."status", 'offline') AS "status", s."pauseReason", COALESCE(s."since", u."createdAt") AS "since",
                a."id" AS "attemptId", a."callStatus", a."dialledAt",
                (SELECT count(*) FROM "CallAttempt" x WHERE x."agentId" = u."id" AND x."createdAt" >= ${TODAY})::int AS "callsToday",
                (SELECT count(*) FROM "CallAttempt" x WHERE x."agentId" = u."id" AND x."outcome" = 'reached' AND x."createdAt" >= ${TODAY})::int AS "reachedToday"
         FROM "User" u
         LEFT JOIN "AgentState" s ON s."userId" = u."id"
         LEFT JOIN "CallAttempt" a ON a."agentId" = u."id" AND a."outcome" IS NULL
         WHERE u."organisationId" = $1 AND u."role" = 'agent' AND u."active"
         ORDER BY u."name"`,
        [auth.user.organisation.id],
      );
      return { body: rows };
    },
  }),
  defineRoute({
    method: "get",
    path: "/supervision/board",
    summary: "Tableau de supervision en direct : agents, appels en cours, entonnoir des campagnes, résultats par heure, capacité, communes, rappels",
    action: "live:presence",
    async handler({ auth }) {
      return { body: await sharedBoard(auth.user.organisation.id) };
    },
  }),
  defineRoute({
    method: "post",
    path: "/supervision/agents/:id/pause",
    summary: "Impose une pause à un agent (le patient qu'il tient sans appel en cours est rendu) ; journalisé",
    action: "supervision:act",
    params: idParams,
    async handler({ req, auth, params }) {
      const done = await inTransaction((c) => forceAgentPause(c, supervisorOf(req, auth), params.id));
      publish.agentState(ioOf(req), auth.user.organisation.id, { userId: params.id, name: done.agent.name, status: "paused", pauseReason: "supervisor", since: new Date(done.state.since).toISOString() });
      if (done.released) publish.released(ioOf(req), params.id, done.released.enrolmentId);
      return { body: { state: done.state, released: done.released } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/supervision/holds/:id/release",
    summary: "Libère un patient tenu trop longtemps (l'appel ouvert reçoit le résultat « interrompu ») ; journalisé",
    action: "supervision:act",
    params: idParams,
    async handler({ req, auth, params }) {
      const released = await inTransaction((c) => releaseHeldPatient(c, supervisorOf(req, auth), params.id));
      if (released.interruptedAttemptId) await hangUpCalls(pgPool(), [released.interruptedAttemptId], servicesOf(req).telephony.simulator);
      publish.agentState(ioOf(req), auth.user.organisation.id, { userId: released.agentId, name: released.agent.name, status: "paused", pauseReason: "supervisor", since: new Date(released.state.since).toISOString() });
      publish.released(ioOf(req), released.agentId, released.enrolmentId);
      return { body: released };
    },
  }),
  defineRoute({
    method: "post",
    path: "/supervision/callbacks/:id/reassign",
    summary: "Confie un rappel à un autre agent (ou à tous les agents de la campagne) ; journalisé",
    action: "supervision:act",
    params: idParams,
    body: z.object({ agentId: z.uuid({ message: "agent invalide" }).nullable() }),
    async handler({ req, auth, params, body }) {
      const { previousAgentId, ...callback } = await inTransaction((c) => reassignCallback(c, supervisorOf(req, auth), params.id, body.agentId));
      publish.callbacksChanged(ioOf(req), [previousAgentId, callback.callbackAgentId]);
      publish.boardStale(ioOf(req), auth.user.organisation.id, "callback");
      return { body: callback };
    },
  }),
];
