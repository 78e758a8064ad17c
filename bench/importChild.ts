// One product import as production runs it: the listing stored and detected (the web process's part,
// here), then processed exactly as the worker's import job does it, in a forked import process whose
// peak memory is reported (runImportInProcess).
import { createReadStream } from "node:fs";
import path from "node:path";

const [file, url] = process.argv.slice(2);
process.env.DATABASE_URL = url;
process.env.LOG_LEVEL = "silent";
const { db, closeDb } = await import("../server/db.ts");
const { closePgPool } = await import("../server/pgPool.ts");
const { acceptListing } = await import("../server/imports/acceptListing.ts");
const { runImportInProcess } = await import("../server/imports/runImportInProcess.ts");
const { importReport } = await import("../server/imports/importReport.ts");

const org = await db().organisation.create({ data: { kind: "CPAM", name: `Banc ${Date.now()}` } });
const campaign = await db().campaign.create({ data: { organisationId: org.id, name: "Banc import", type: "ald_sans_mt" } });
const started = performance.now();
const accepted = await acceptListing(db(), { organisationId: org.id, campaignId: campaign.id, kind: "patients" }, createReadStream(file), path.basename(file), { actorLabel: "bench" }, { acceptUnsure: true });
const stored = performance.now();
const { maxRssMb } = await runImportInProcess(accepted.importId);
const done = performance.now();
const report = await importReport(db(), accepted.importId);
console.log(JSON.stringify({ storeMs: stored - started, runMs: done - stored, totalMs: done - started, counts: report.counts, maxRssMb, storingRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
await closeDb();
await closePgPool();
