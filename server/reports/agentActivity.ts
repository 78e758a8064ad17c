// Per agent in one campaign: calls, reached, talk time, handle time, occupancy, orientations booked.
// Talk time: the provider's duration of answered calls. Handle time: from the attempt's creation to
// its outcome (dialling, talk and wrap-up). Occupancy: handle time over the agent's working span,
// the span of a day (the organisation's calendar day) being its first attempt to its last outcome (agent states are not kept as a history).
import type pg from "pg";
import { campaignZoneSql } from "../organisations/timeZone.ts";

export async function agentActivity(client: pg.PoolClient | pg.Pool, campaignId: string) {
  const { rows } = await client.query(
    `WITH a AS (
       SELECT "agentId", "outcome", "createdAt", "outcomeAt", "answeredAt", "durationSeconds",
              ("createdAt" AT TIME ZONE ${campaignZoneSql("$1::uuid")})::date AS day
       FROM "CallAttempt" WHERE "campaignId" = $1 AND "outcome" IS NOT NULL
     ), days AS (
       SELECT "agentId", extract(epoch FROM max("outcomeAt") - min("createdAt")) AS span FROM a GROUP BY "agentId", day
     ), calls AS (
       SELECT "agentId", count(*)::int AS calls, count(*) FILTER (WHERE "outcome" = 'reached')::int AS reached,
              COALESCE(sum("durationSeconds") FILTER (WHERE "answeredAt" IS NOT NULL), 0)::int AS "talkSeconds",
              COALESCE(round(sum(extract(epoch FROM "outcomeAt" - "createdAt"))), 0)::int AS "handleSeconds"
       FROM a GROUP BY "agentId"
     ), booked AS (
       SELECT "bookedById" AS "agentId", count(*)::int AS oriented FROM "Orientation" WHERE "campaignId" = $1 GROUP BY 1
     )
     SELECT COALESCE(c."agentId", b."agentId") AS "agentId", u."name", COALESCE(c.calls, 0) AS calls, COALESCE(c.reached, 0) AS reached,
            COALESCE(c."talkSeconds", 0) AS "talkSeconds", COALESCE(c."handleSeconds", 0) AS "handleSeconds",
            COALESCE((SELECT round(sum(span))::int FROM days d WHERE d."agentId" = c."agentId"), 0) AS "spanSeconds",
            COALESCE(b.oriented, 0) AS oriented
     FROM calls c FULL JOIN booked b ON b."agentId" = c."agentId"
     LEFT JOIN "User" u ON u."id" = COALESCE(c."agentId", b."agentId")
     ORDER BY calls DESC, u."name"`,
    [campaignId],
  );
  return rows.map((r) => ({
    agentId: r.agentId as string,
    name: (r.name as string | null) ?? "Agent supprimé",
    calls: r.calls as number,
    reached: r.reached as number,
    reachRate: r.calls ? Math.round((1000 * r.reached) / r.calls) / 10 : null,
    talkSeconds: r.talkSeconds as number,
    handleSeconds: r.handleSeconds as number,
    occupancy: r.spanSeconds ? Math.min(100, Math.round((1000 * r.handleSeconds) / r.spanSeconds) / 10) : null,
    oriented: r.oriented as number,
  }));
}
