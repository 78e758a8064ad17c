// Queue "housekeeping": periodic clean-ups of PostgreSQL state. Jobs are idempotent.
import { Queue, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { purgeExpiredSessions } from "../server/auth/sessions.ts";
import { db } from "../server/db.ts";
import { logger } from "../server/logger.ts";
import { logErrors, queuePrefix } from "./queueOptions.ts";
import { inTransaction, pgPool } from "../server/pgPool.ts";
import { reassessBirthdays } from "../server/eligibility/reassessBirthdays.ts";
import { reorderQueues } from "../server/eligibility/reorderQueues.ts";
import { expireReservations } from "../server/matching/expireReservations.ts";
import { refreshLeavingTeams } from "../server/matching/refreshTeams.ts";

export const HOUSEKEEPING = "housekeeping";

export type HousekeepingJob = { name: "purge-expired-sessions" | "expire-reservations" | "reassess-birthdays" | "reorder-queues" | "refresh-team-pools"; data: Record<string, never> };

export const housekeepingSchedules = [
  { id: "purge-expired-sessions", every: 60 * 60_000 },
  /** Unanswered GP reservations past their delay free their place; the patient goes back to "to re-propose". */
  { id: "expire-reservations", every: 10 * 60_000 },
  /** Patients whose birthday it is: eligibility at 17, the 70+ priority, the age in the queue's label. */
  { id: "reassess-birthdays", every: 60 * 60_000 },
  /** Campaigns whose priority order changed: their patients still to call move to their new rank (also queued at once). */
  { id: "reorder-queues", every: 60_000 },
  /** MSP teams with a doctor whose end of activity comes near: that doctor's places leave the team's pool. */
  { id: "refresh-team-pools", every: 60 * 60_000 },
] as const;

export function housekeepingQueue(connection: Redis) {
  return logErrors(new Queue<HousekeepingJob["data"], unknown, HousekeepingJob["name"]>(HOUSEKEEPING, { connection, prefix: queuePrefix() }));
}

/** Idempotent: called at every worker start and after Redis comes back (a flush loses schedules; PostgreSQL loses nothing). */
export async function scheduleHousekeeping(queue: ReturnType<typeof housekeepingQueue>) {
  for (const s of housekeepingSchedules) {
    await queue.upsertJobScheduler(s.id, { every: s.every }, { name: s.id, data: {}, opts: { removeOnComplete: 100, removeOnFail: 500 } });
  }
}

/** After a priority order changed: the reordering now rather than at the next minute. Redis unavailable, the
 * schedule does it within the minute (the campaign's flag is in PostgreSQL). */
export async function reorderNow(services: { housekeeping: ReturnType<typeof housekeepingQueue> }) {
  await services.housekeeping.add("reorder-queues", {}, { removeOnComplete: 100, removeOnFail: 500 })
    .catch((err: unknown) => logger.warn({ err }, "reorder-queues not queued: the schedule will run it"));
}

export async function processHousekeeping(job: Job<HousekeepingJob["data"], unknown, HousekeepingJob["name"]>) {
  switch (job.name) {
    case "purge-expired-sessions": {
      const purged = await purgeExpiredSessions(db());
      logger.info({ purged }, "expired sessions purged");
      return { purged };
    }
    case "expire-reservations": {
      let expired = 0;
      for (let n = -1; n !== 0; expired += n) n = await inTransaction((c) => expireReservations(c));
      if (expired) logger.info({ expired }, "unanswered reservations expired");
      return { expired };
    }
    case "reorder-queues": {
      const moved = await reorderQueues(pgPool());
      if (moved) logger.info({ moved }, "patients moved to the rank of their campaign's new priority order");
      return { moved };
    }
    case "refresh-team-pools": {
      const teams = await inTransaction((c) => refreshLeavingTeams(c));
      if (teams) logger.info({ teams }, "team pools re-computed: a doctor's end of activity came near");
      return { teams };
    }
    case "reassess-birthdays": {
      const reassessed = await reassessBirthdays(pgPool());
      if (reassessed) logger.info({ reassessed }, "enrolments re-assessed on birthdays");
      return { reassessed };
    }
  }
}

export function housekeepingWorker(connection: Redis) {
  return logErrors(new Worker(HOUSEKEEPING, processHousekeeping, { connection, prefix: queuePrefix(), concurrency: 1 }));
}
