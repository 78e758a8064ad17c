// An agent whose console has gone (browser closed while ready, on a break or in wrap-up, holding no patient)
// is marked offline once it has not been seen for as long as a hold's lease, as of the moment it was last
// seen: the supervisor's board does not show them ready all night, and occupancy stops counting their time.
// A console sends a heartbeat every 20 s; an agent holding a patient is left to the hold's own sweep
// (sweepExpiredHolds), which interrupts the call. Idempotent and safe in several processes.
import type pg from "pg";
import { HOLD_LEASE_SECONDS } from "./holdLease.ts";

export async function markAbsentAgentsOffline(client: pg.PoolClient | pg.Pool, now = new Date()) {
  const { rows } = await client.query<{ userId: string; organisationId: string }>(
    `WITH gone AS (UPDATE "AgentState" s SET "status" = 'offline', "pauseReason" = NULL, "since" = s."lastSeenAt"
         WHERE s."status" <> 'offline' AND s."lastSeenAt" < $1::timestamptz - make_interval(secs => $2)
           AND NOT EXISTS (SELECT 1 FROM "Enrolment" e WHERE e."heldBy" = s."userId")
         RETURNING s."userId", s."organisationId", s."lastSeenAt")
     INSERT INTO "AgentStateLog" ("userId", "organisationId", "status", "at")
     SELECT "userId", "organisationId", 'offline', "lastSeenAt" FROM gone RETURNING "userId", "organisationId"`,
    [now, HOLD_LEASE_SECONDS],
  );
  return rows;
}
