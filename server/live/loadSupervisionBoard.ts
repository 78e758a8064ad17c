// The supervisor's live board, from PostgreSQL: agents (state, time in state, current call, calls and
// reached today, average handle time, occupancy), calls in progress, the funnel of each open campaign,
// outcomes per hour today, GP and team capacity, activity per commune, pending callbacks.
// No patient identity: supervisors watch the work, not the people.
import type pg from "pg";
import { organisationZoneSql, startOfTodaySql } from "../organisations/timeZone.ts";
import { timeZoneOf } from "../geo/timeZoneOf.ts";
import { campaignFunnels, funnelByCommuneSql, FUNNEL_STAGES } from "../reports/campaignFunnel.ts";

// "Today" is the organisation's working day, in its time zone ($1 is the organisation in every statement).
const ZONE = organisationZoneSql("$1::uuid");
const TODAY = startOfTodaySql(ZONE);

const AGENTS_SQL = `
  WITH att AS (
    SELECT a."agentId", count(*)::int AS "callsToday", count(*) FILTER (WHERE a."outcome" = 'reached')::int AS "reachedToday",
      round(avg(extract(epoch FROM a."outcomeAt" - a."createdAt")) FILTER (WHERE a."outcome" IS NOT NULL AND a."outcome" <> 'interrupted'))::int AS "handleSeconds",
      sum(extract(epoch FROM coalesce(a."outcomeAt", now()) - greatest(a."createdAt", ${TODAY}))) AS "busySeconds"
    FROM "CallAttempt" a WHERE a."organisationId" = $1 AND a."createdAt" >= ${TODAY} - interval '1 hour' AND coalesce(a."outcomeAt", now()) >= ${TODAY}
    GROUP BY 1),
  log AS (
    SELECT l."userId", l."status", l."at", lead(l."at") OVER (PARTITION BY l."userId" ORDER BY l."at", l."id") AS "until"
    FROM "AgentStateLog" l WHERE l."organisationId" = $1 AND l."at" >= ${TODAY} - interval '2 days'),
  prod AS (
    SELECT "userId", sum(extract(epoch FROM coalesce("until", now()) - greatest("at", ${TODAY}))) AS "productionSeconds"
    FROM log WHERE "status" = 'ready' AND coalesce("until", now()) > ${TODAY} GROUP BY 1)
  SELECT u."id" AS "userId", u."name", coalesce(s."status", 'offline') AS "status", s."pauseReason", coalesce(s."since", u."createdAt") AS "since",
         o."id" AS "attemptId", o."callStatus", coalesce(o."answeredAt", o."dialledAt", o."createdAt") AS "callSince",
         e."id" AS "heldEnrolmentId", e."heldUntil", hc."name" AS "heldCampaign",
         coalesce(att."callsToday", 0) AS "callsToday", coalesce(att."reachedToday", 0) AS "reachedToday", att."handleSeconds",
         CASE WHEN prod."productionSeconds" > 0 THEN least(1, coalesce(att."busySeconds", 0) / prod."productionSeconds") END AS "occupancy"
  FROM "User" u
  LEFT JOIN "AgentState" s ON s."userId" = u."id"
  LEFT JOIN "CallAttempt" o ON o."agentId" = u."id" AND o."outcome" IS NULL
  LEFT JOIN "Enrolment" e ON e."heldBy" = u."id"
  LEFT JOIN "Campaign" hc ON hc."id" = e."campaignId"
  LEFT JOIN att ON att."agentId" = u."id"
  LEFT JOIN prod ON prod."userId" = u."id"
  WHERE u."organisationId" = $1 AND u."role" = 'agent' AND u."active"
  ORDER BY u."name"`;

export async function loadSupervisionBoard(client: pg.Pool | pg.PoolClient, organisationId: string) {
  const [agents, campaigns, outcomes, capacity, busiest, callbacks] = await Promise.all([
    client.query(AGENTS_SQL, [organisationId]),
    client.query(`SELECT "id", "name", "status", "type" FROM "Campaign" WHERE "organisationId" = $1 AND "status" IN ('running', 'paused') ORDER BY "name"`, [organisationId]),
    client.query(
      `SELECT extract(hour FROM a."outcomeAt" AT TIME ZONE ${ZONE})::int AS "hour", a."outcome", count(*)::int AS "n"
       FROM "CallAttempt" a WHERE a."organisationId" = $1 AND a."outcomeAt" >= ${TODAY} GROUP BY 1, 2 ORDER BY 1`, [organisationId]),
    client.query(
      `SELECT "kind", count(*)::int AS "holders", count(*) FILTER (WHERE "acceptsNew")::int AS "open",
              coalesce(sum(greatest("capacity" - "taken", 0)) FILTER (WHERE "acceptsNew"), 0)::int AS "placesLeft",
              count(*) FILTER (WHERE "acceptsNew" AND "taken" >= "capacity")::int AS "full", coalesce(sum("taken"), 0)::int AS "taken"
       FROM (SELECT 'gp' AS "kind", "acceptsNew", "capacity", "taken" FROM "Gp" WHERE "organisationId" = $1 AND "teamId" IS NULL
             UNION ALL SELECT 'team', "acceptsNew", "capacity", "taken" FROM "Team" WHERE "organisationId" = $1) h GROUP BY 1`, [organisationId]),
    client.query(
      `SELECT * FROM (SELECT 'gp' AS "kind", "id", 'Dr ' || "lastName" || coalesce(' ' || "firstName", '') AS "name", "capacity", "taken", "acceptsNew" FROM "Gp" WHERE "organisationId" = $1 AND "teamId" IS NULL AND "taken" > 0
                      UNION ALL SELECT 'team', "id", "name", "capacity", "taken", "acceptsNew" FROM "Team" WHERE "organisationId" = $1 AND "taken" > 0) h
       ORDER BY "taken" DESC, "name" LIMIT 10`, [organisationId]),
    client.query(
      `SELECT e."id" AS "enrolmentId", e."callbackAt", e."priorityLabel", c."name" AS "campaign", e."callbackAgentId", u."name" AS "agentName", p."inseeCode"
       FROM "Enrolment" e JOIN "Campaign" c ON c."id" = e."campaignId" JOIN "Patient" p ON p."id" = e."patientId" LEFT JOIN "User" u ON u."id" = e."callbackAgentId"
       WHERE c."organisationId" = $1 AND e."dialState" = 'waiting' AND e."callbackAt" IS NOT NULL ORDER BY e."callbackAt" LIMIT 100`, [organisationId]),
  ]);
  const ids = campaigns.rows.map((c) => c.id as string);
  const [funnels, communes] = await Promise.all([
    campaignFunnels(client, ids),
    ids.length
      ? client.query(`SELECT f."inseeCode", c."name" AS "communeName", f."imported", f."called", f."reached", f."oriented", f."confirmed"
                      FROM (${funnelByCommuneSql}) f LEFT JOIN "Commune" c ON c."inseeCode" = f."inseeCode" ORDER BY f."imported" DESC LIMIT 20`, [ids])
      : Promise.resolve({ rows: [] }),
  ]);
  return {
    at: new Date().toISOString(),
    agents: agents.rows.map((a) => ({ ...a, occupancy: a.occupancy === null ? null : Number(a.occupancy) })),
    campaigns: campaigns.rows.map((c) => ({ ...c, funnel: funnels.get(c.id) })),
    stages: FUNNEL_STAGES,
    outcomesByHour: outcomes.rows,
    capacity: capacity.rows,
    busiest: busiest.rows,
    communes: communes.rows,
    // the patient's clock (their commune's zone, no identity), on which they asked for the callback
    callbacks: callbacks.rows.map(({ inseeCode, ...c }) => ({ ...c, timeZone: timeZoneOf(inseeCode) })),
  };
}
export type SupervisionBoard = Awaited<ReturnType<typeof loadSupervisionBoard>>;
