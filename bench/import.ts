// npm run bench -- import: a generated messy listing imported end to end (upload into PostgreSQL,
// detection, parsing, normalisation, merge, eligibility, history), against `psql \copy` of the
// same rows into a bare table, on the same PostgreSQL, in the same run.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { runMigrations } from "../scripts/prisma-migrate.ts";
import { encodeCpam, generateListing, LISTING_HEADER } from "../server/seed/demoListing.ts";

const PG = process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432";
const DB = process.env.BENCH_IMPORT_DB ?? "omt_bench_import";
const TABLES = ["Patient", "PatientSource", "Enrolment", "Opposition", "ImportRejection"]; // what an import writes, parents first
const arg = (args: string[], name: string, d: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? d);

function psql(url: string, ...args: string[]) {
  const u = new URL(url);
  return execFileSync("psql", ["-h", u.hostname, "-p", u.port || "5432", "-U", u.username || "postgres", "-d", u.pathname.slice(1), "-q", "-X", "-v", "ON_ERROR_STOP=1", ...args], { encoding: "utf8" });
}

/**
 * The fairer baseline: the rows the import wrote (patients, history, enrolments, oppositions,
 * rejections), exported, then loaded by `psql \copy` in one transaction into copies of the same
 * tables with the same keys, indexes (the dialer's partial ones included), checks, triggers and
 * foreign keys. What PostgreSQL needs to store the result, without the parsing, the merging and
 * the checkpoints.
 */
async function copyIntoSameTables(url: string, dir: string): Promise<{ ms: number; rows: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query("CREATE SCHEMA fair");
  const load: string[] = [];
  let rows = 0;
  for (const t of TABLES) {
    await c.query(`CREATE TABLE fair."${t}" (LIKE public."${t}" INCLUDING ALL)`);
    const file = path.join(dir, `${t}.copy`);
    psql(url, "-c", `\\copy (SELECT * FROM public."${t}") TO '${file}'`);
    load.push(`\\copy fair."${t}" FROM '${file}'`);
    rows += Number((await c.query(`SELECT count(*) AS n FROM public."${t}"`)).rows[0].n);
  }
  const names = TABLES.map((t) => `'"${t}"'`).join(", ");
  const fks = await c.query<{ t: string; name: string; def: string }>(
    `SELECT conrelid::regclass::text AS t, conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text IN (${names})`,
  );
  for (const fk of fks.rows) {
    const def = fk.def.replace(/REFERENCES ("?\w+"?)\(/, (_m, ref: string) => `REFERENCES ${TABLES.includes(ref.replaceAll('"', "")) ? "fair" : "public"}.${ref}(`);
    await c.query(`ALTER TABLE fair.${fk.t} ADD CONSTRAINT "${fk.name}" ${def}`);
  }
  const triggers = await c.query<{ def: string }>(`SELECT pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE NOT tgisinternal AND tgrelid::regclass::text IN (${names})`);
  for (const tr of triggers.rows) await c.query(tr.def.replace(/ ON public\./, " ON fair."));
  await c.end();
  const t0 = performance.now();
  psql(url, "-1", ...load.flatMap((l) => ["-c", l]));
  return { ms: performance.now() - t0, rows };
}

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: `${PG}/postgres` });
  await c.connect();
  await c.query(sql);
  await c.end();
}

export async function importSection(args: string[]): Promise<string> {
  const rows = arg(args, "rows", 500_000);
  const loadBefore = loadavg();
  const dir = mkdtempSync(path.join(tmpdir(), "omt-bench-"));
  const listing = generateListing(rows, 500);
  const file = path.join(dir, "listing.csv");
  writeFileSync(file, encodeCpam(listing.text));
  // COPY takes the same rows, without the fund's footer line (COPY cannot skip it).
  const copyFile = path.join(dir, "copy.csv");
  writeFileSync(copyFile, encodeCpam(listing.text.replace(/TOTAL;\d+\r\n$/, "")));
  const megabytes = statSync(file).size / 1048576;

  await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  const url = `${PG}/${DB}`;
  await runMigrations("deploy", url, undefined, true);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`CREATE TABLE bare (${LISTING_HEADER.split(";").map((h) => `"${h}" text`).join(", ")})`);
  await c.end();
  const host = new URL(PG);
  const t0 = performance.now();
  execFileSync("psql", ["-h", host.hostname, "-p", host.port || "5432", "-U", host.username || "postgres", "-d", DB, "-q", "-c",
    `\\copy bare FROM '${copyFile}' WITH (FORMAT csv, DELIMITER ';', HEADER, ENCODING 'WIN1252')`]);
  const copyMs = performance.now() - t0;

  const out = execFileSync(path.join(import.meta.dirname, "../node_modules/.bin/tsx"), [path.join(import.meta.dirname, "importChild.ts"), file, url], { encoding: "utf8", maxBuffer: 1 << 20 });
  const r = JSON.parse(out.trim().split("\n").pop()!) as { storeMs: number; runMs: number; totalMs: number; counts: Record<string, number>; maxRssMb: number; storingRssMb: number };
  const same = await copyIntoSameTables(url, dir);
  await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  rmSync(dir, { recursive: true, force: true });

  const copyRate = rows / (copyMs / 1000);
  const importRate = rows / (r.totalMs / 1000);
  const sameRate = rows / (same.ms / 1000);
  const f = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d });
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(" / ");
  const loadAfter = loadavg();
  return `## Listing import (\`npm run bench -- import\`)

A generated CPAM-like listing (\`;\`, Windows-1252, CRLF) of ${f(rows)} rows (${f(megabytes, 1)} MB) with the usual traps (1 % without a valid
phone, 1 % impossible dates, 2 % duplicates, a footer), imported end to end by the product: upload into PostgreSQL and
detection (the web process's part, in the bench's child), then parsing and normalisation (phones to E.164, communes, dates,
flags), merge, eligibility and priority, history, rejections, in checkpointed batches, in the import process the worker's job
forks (\`runImportInProcess\`, the same call as \`queues/imports.ts\`). Baseline (the issue's): \`psql \\copy\` of the same rows
into a bare table of text columns. Fairer baseline, same run: \`psql \\copy\`, in one transaction, of the rows the import wrote (${f(same.rows)} rows of
patients, history, enrolments, oppositions, rejections) into copies of the same tables with the same keys, indexes (the dialer's
partial ones included), checks, triggers and foreign keys; its rate is counted in listing rows.

| measure | value |
|---|---|
| product import, rows / s | ${f(importRate)} (${f(r.totalMs / 1000, 1)} s: storing ${f(r.storeMs / 1000, 1)} s, processing ${f(r.runMs / 1000, 1)} s) |
| \`psql \\copy\`, rows / s (baseline) | ${f(copyRate)} (${f(copyMs / 1000, 1)} s) |
| ratio import / COPY | ${f(importRate / copyRate, 3)} (target ≥ 0.333) |
| \`psql \\copy\` of the stored result into the same tables, listing rows / s (fairer baseline) | ${f(sameRate)} (${f(same.ms / 1000, 1)} s) |
| ratio import / COPY into the same tables | ${f(importRate / sameRate, 3)} |
| peak RSS of the import process (forked by the worker's job) | ${r.maxRssMb} MB (target < 300 MB) |
| peak RSS of the storing process (upload and detection, with Prisma) | ${r.storingRssMb} MB |
| report | ${Object.entries(r.counts).map(([k, v]) => `${k} ${f(v)}`).join(", ")} |
| load average of the machine (1 / 5 / 15 min), before / after | ${load(loadBefore)} → ${load(loadAfter)} |`;
}

if (process.argv[1]?.endsWith("import.ts")) console.log(await importSection(process.argv.slice(2)));
