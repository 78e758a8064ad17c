// Queue "housekeeping": periodic clean-ups of PostgreSQL state. Jobs are idempotent.
import { Queue, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { purgeExpiredSessions } from "../server/auth/sessions.ts";
import { db } from "../server/db.ts";
import { logger } from "../server/logger.ts";
import { logErrors, queuePrefix } from "./queueOptions.ts";

export const HOUSEKEEPING = "housekeeping";

export type HousekeepingJob = { name: "purge-expired-sessions"; data: Record<string, never> };

export const housekeepingSchedules = [{ id: "purge-expired-sessions", every: 60 * 60_000 }] as const;

export function housekeepingQueue(connection: Redis) {
  return logErrors(new Queue<HousekeepingJob["data"], unknown, HousekeepingJob["name"]>(HOUSEKEEPING, { connection, prefix: queuePrefix() }));
}

/** Idempotent: called at every worker start and after Redis comes back (a flush loses schedules; PostgreSQL loses nothing). */
export async function scheduleHousekeeping(queue: ReturnType<typeof housekeepingQueue>) {
  for (const s of housekeepingSchedules) {
    await queue.upsertJobScheduler(s.id, { every: s.every }, { name: s.id, data: {}, opts: { removeOnComplete: 100, removeOnFail: 500 } });
  }
}

export async function processHousekeeping(job: Job<HousekeepingJob["data"], unknown, HousekeepingJob["name"]>) {
  switch (job.name) {
    case "purge-expired-sessions": {
      const purged = await purgeExpiredSessions(db());
      logger.info({ purged }, "expired sessions purged");
      return { purged };
    }
  }
}

export function housekeepingWorker(connection: Redis) {
  return logErrors(new Worker(HOUSEKEEPING, processHousekeeping, { connection, prefix: queuePrefix(), concurrency: 1 }));
}
