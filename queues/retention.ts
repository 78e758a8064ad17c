// Queue "retention": every night, each organisation's retention policy (server/privacy/applyRetention.ts).
// Idempotent: erased patients are skipped, deleted files stay deleted; a run cut short is finished by the next.
import { Queue, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { logger } from "../server/logger.ts";
import { pgPool } from "../server/pgPool.ts";
import { applyRetentionEverywhere } from "../server/privacy/applyRetention.ts";
import { logErrors, queuePrefix } from "./queueOptions.ts";

export const RETENTION = "retention";

export type RetentionJob = { name: "apply-retention"; data: Record<string, never> };

/** 02:30 Paris time, when nobody calls. */
export const retentionSchedule = { id: "apply-retention", pattern: "30 2 * * *", tz: "Europe/Paris" } as const;

export function retentionQueue(connection: Redis) {
  return logErrors(new Queue<RetentionJob["data"], unknown, RetentionJob["name"]>(RETENTION, { connection, prefix: queuePrefix() }));
}

/** Idempotent: called at every worker start and after Redis comes back. */
export async function scheduleRetention(queue: ReturnType<typeof retentionQueue>) {
  await queue.upsertJobScheduler(retentionSchedule.id, { pattern: retentionSchedule.pattern, tz: retentionSchedule.tz }, { name: retentionSchedule.id, data: {}, opts: { removeOnComplete: 30, removeOnFail: 100 } });
}

export async function processRetention(_job: Job<RetentionJob["data"], unknown, RetentionJob["name"]>) {
  const reports = await applyRetentionEverywhere(pgPool());
  const erased = reports.reduce((s, r) => s + r.erased, 0);
  logger.info({ organisations: reports.length, erased }, "retention applied");
  return { organisations: reports.length, erased };
}

export function retentionWorker(connection: Redis) {
  return logErrors(new Worker(RETENTION, processRetention, { connection, prefix: queuePrefix(), concurrency: 1 }));
}
