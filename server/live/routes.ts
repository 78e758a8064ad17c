import { defineRoute } from "../http/defineRoute.ts";
import { pgPool } from "../pgPool.ts";

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
                (SELECT count(*) FROM "CallAttempt" x WHERE x."agentId" = u."id" AND x."createdAt" >= date_trunc('day', now() AT TIME ZONE 'Europe/Paris') AT TIME ZONE 'Europe/Paris')::int AS "callsToday",
                (SELECT count(*) FROM "CallAttempt" x WHERE x."agentId" = u."id" AND x."outcome" = 'reached' AND x."createdAt" >= date_trunc('day', now() AT TIME ZONE 'Europe/Paris') AT TIME ZONE 'Europe/Paris')::int AS "reachedToday"
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
];
