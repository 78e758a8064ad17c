// The background worker: every queue's processor and schedules. Run inside `npm start`
// (ROLE=all) or alone (ROLE=worker); several workers can share one Redis.
import { createWorkerConnection } from "../server/redis.ts";
import { logger } from "../server/logger.ts";
import { closeLiveEmitter } from "../server/live/liveEmitter.ts";
import { housekeepingQueue, housekeepingWorker, scheduleHousekeeping } from "./housekeeping.ts";
import { importsQueue, importsWorker, requeueUnfinishedImports } from "./imports.ts";
import { dialerQueue, dialerWorker, scheduleDialer } from "./dialer.ts";
import { callsWorker } from "./calls.ts";
import { retentionQueue, retentionWorker, scheduleRetention } from "./retention.ts";

export async function startWorker() {
  const workerConnection = createWorkerConnection();
  const producer = createWorkerConnection();
  const queue = housekeepingQueue(producer);
  const imports = importsQueue(producer);
  const dialer = dialerQueue(producer);
  const retention = retentionQueue(producer);
  const workers = [housekeepingWorker(workerConnection), importsWorker(workerConnection), dialerWorker(workerConnection), callsWorker(workerConnection), retentionWorker(workerConnection)];
  for (const w of workers) w.on("failed", (job, err) => logger.error({ queue: w.name, job: job?.id, err }, "job failed"));

  // Redis holds nothing PostgreSQL cannot give back: schedules and unfinished imports are put back here.
  const schedule = () =>
    Promise.all([scheduleHousekeeping(queue), scheduleDialer(dialer), requeueUnfinishedImports(imports), scheduleRetention(retention)]).catch((err) =>
      logger.warn({ err: err.message }, "scheduling failed; retried on reconnect"),
    );
  await schedule();
  // After a Redis restart or FLUSHALL, put the schedules back (upserting is idempotent).
  const reschedule = setInterval(schedule, 60_000).unref();
  producer.on("ready", schedule);

  return {
    async close() {
      clearInterval(reschedule);
      await Promise.all(workers.map((w) => w.close()));
      await queue.close();
      await imports.close();
      await dialer.close();
      await retention.close();
      workerConnection.disconnect();
      producer.disconnect();
      closeLiveEmitter();
    },
  };
}

