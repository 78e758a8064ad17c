// The worker's way to run an import: in a process of its own (importProcess.ts), forked per job,
// with its own heap limit and without what the worker holds for its other queues (Prisma's query
// engine, BullMQ, the Redis connections): a worker is ~265 MB before its first row, an import
// process ~160 MB (Node and tsx 72, modules 43, the communes index 46). The job waits for the process and relays its progress.
import { fork } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ImportProcessMessage } from "./importProcess.ts";
import { ImportCannotRun, type ImportProgress } from "./runImport.ts";

/**
 * V8's old generation for one import. Its live heap stays near 38 MB (communes index 17 MB, two
 * batches in flight); without a limit V8 lets promoted batches pile up as garbage (578 MB on
 * 500,000 rows in the worker). A tight limit costs CPU in full collections (500,000 rows at 128 MB:
 * 125 instead of 20 without a limit, user CPU 15.8 s instead of 10.8 s); the bench at 128 MB:
 * 15,870 rows/s, 226 MB; at 192 MB: 18,953 rows/s, 215 MB.
 */
export const IMPORT_HEAP_MB = 192;

const ENTRY = fileURLToPath(new URL("./importProcess.ts", import.meta.url));
// The sources are TypeScript: the process loads them through tsx's loader, as `npm start` does.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

export function runImportInProcess(importId: string, onProgress?: (p: ImportProgress) => unknown): Promise<{ maxRssMb: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(ENTRY, [importId], { execArgv: ["--import", TSX_LOADER, `--max-old-space-size=${IMPORT_HEAP_MB}`] });
    let outcome: { ok: true; maxRssMb: number } | { ok: false; error: Error } | null = null;
    // Progress is relayed in order; if relaying fails (the job is gone from Redis, say), the import stops
    // as it did in the worker's own process: the error ends the job, the checkpoint stays.
    let relayed: Promise<unknown> = Promise.resolve();
    child.on("message", (m: ImportProcessMessage) => {
      if (m.type === "progress") {
        const { type: _type, ...progress } = m;
        relayed = relayed.then(() => onProgress?.(progress)).catch((err: Error) => {
          outcome ??= { ok: false, error: err };
          child.kill("SIGKILL");
        });
      } else if (m.type === "done") outcome ??= { ok: true, maxRssMb: m.maxRssMb };
      else outcome ??= { ok: false, error: m.cannotRun ? new ImportCannotRun(m.message) : new Error(m.message) };
    });
    child.once("error", (err) => {
      outcome ??= { ok: false, error: err };
      if (child.pid === undefined) reject(err); // never started: no exit event to wait for
    });
    child.once("exit", (code, signal) => {
      void relayed.then(() => {
        if (outcome?.ok && code === 0) resolve({ maxRssMb: outcome.maxRssMb });
        else reject(outcome && !outcome.ok ? outcome.error : new Error(`import process ended (${signal ?? `code ${code}`}) before the end of import ${importId}`));
      });
    });
  });
}
