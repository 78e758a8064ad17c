// The process one import runs in, forked by the worker for each import job (runImportInProcess.ts):
// node-postgres, the parsers and the communes only — no Prisma engine, no BullMQ, no other queue —
// under its own heap limit, so a 500,000-row listing stays well under 300 MB.
// Messages to the worker: progress after each committed batch, then done (with the peak RSS) or error.
// If the worker goes away (killed, restarted), this process stops too: the batch in flight rolls back
// and the job, resumed elsewhere, starts again from the checkpoint.
import { closePgPool } from "../pgPool.ts";
import { ImportCannotRun, runImport, type ImportProgress } from "./runImport.ts";

export type ImportProcessMessage =
  | ({ type: "progress" } & ImportProgress)
  | { type: "done"; maxRssMb: number }
  | { type: "error"; message: string; cannotRun: boolean };

const send = (message: ImportProcessMessage) => new Promise<void>((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));

process.on("disconnect", () => process.exit(1));

const importId = process.argv[2];
let exitCode = 0;
try {
  await runImport(importId, (p) => send({ type: "progress", ...p }));
  await send({ type: "done", maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) });
} catch (err) {
  exitCode = 1;
  await send({ type: "error", message: err instanceof Error ? err.message : String(err), cannotRun: err instanceof ImportCannotRun });
} finally {
  await closePgPool().catch(() => {});
}
process.exit(exitCode);
