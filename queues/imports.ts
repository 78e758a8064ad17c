// Queue "imports": one job per uploaded listing (jobId = import id, so enqueuing twice runs it once).
// Each job runs its import in a process of its own (runImportInProcess), which dies with the worker.
// A job killed mid-way is retried by BullMQ (stalled-job detection) and resumes from the import's checkpoint.
import { Queue, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { db } from "../server/db.ts";
import { importReport } from "../server/imports/importReport.ts";
import { markImportFailed } from "../server/imports/markImportFailed.ts";
import { ImportCannotRun } from "../server/imports/runImport.ts";
import { runImportInProcess } from "../server/imports/runImportInProcess.ts";
import { logErrors, queuePrefix } from "./queueOptions.ts";

export const IMPORTS = "imports";
export type ImportJob = { importId: string };

export function importsQueue(connection: Redis) {
  return logErrors(new Queue<ImportJob>(IMPORTS, {
    connection,
    prefix: queuePrefix(),
    defaultJobOptions: { attempts: 5, backoff: { type: "exponential", delay: 2000 }, removeOnComplete: 1000, removeOnFail: 1000 },
  }));
}

export async function enqueueImport(queue: ReturnType<typeof importsQueue>, importId: string) {
  await queue.add("import", { importId }, { jobId: importId });
}

export function importsWorker(connection: Redis) {
  return logErrors(new Worker<ImportJob>(IMPORTS, async (job) => {
    try {
      await runImportInProcess(job.data.importId, (p) => job.updateProgress({ ...p }));
      return await importReport(db(), job.data.importId);
    } catch (err) {
      const last = err instanceof ImportCannotRun || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (last) await markImportFailed(job.data.importId);
      throw err instanceof ImportCannotRun ? new UnrecoverableError(err.message) : err;
    }
  }, {
    connection,
    prefix: queuePrefix(),
    concurrency: 2,
    lockDuration: 60_000,
  }));
}

/** Rebuilds the queue from PostgreSQL (after a Redis flush or restart): every import not finished gets its job back. */
export async function requeueUnfinishedImports(queue: ReturnType<typeof importsQueue>) {
  const unfinished = await db().import.findMany({ where: { status: { in: ["queued", "running"] } }, select: { id: true } });
  for (const { id } of unfinished) await enqueueImport(queue, id);
  return unfinished.length;
}
