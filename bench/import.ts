// npm run bench -- import: a generated messy listing imported end to end (upload into PostgreSQL,
// detection, parsing, normalisation, merge, eligibility, history), against `psql \copy` of the
// same rows into a bare table, on the same PostgreSQL, in the same run.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { runMigrations } from "../scripts/prisma-migrate.ts";
import { encodeCpam, generateListing, LISTING_HEADER } from "../server/seed/demoListing.ts";

const PG = process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432";
const DB = "omt_bench_import";
const arg = (args: string[], name: string, d: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? d);

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: `${PG}/postgres` });
  await c.connect();
  await c.query(sql);
  await c.end();
}

export async function importSection(args: string[]): Promise<string> {
  const rows = arg(args, "rows", 500_000);
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
  const r = JSON.parse(out.trim().split("\n").pop()!) as { storeMs: number; runMs: number; totalMs: number; counts: Record<string, number>; maxRssMb: number };
  await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  rmSync(dir, { recursive: true, force: true });

  const copyRate = rows / (copyMs / 1000);
  const importRate = rows / (r.totalMs / 1000);
  const f = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d });
  return `## Listing import (\`npm run bench -- import\`)

A generated CPAM-like listing (\`;\`, Windows-1252, CRLF) of ${f(rows)} rows (${f(megabytes, 1)} MB) with the usual traps (1 % without a valid
phone, 1 % impossible dates, 2 % duplicates, a footer), imported end to end by the product in its own process: upload into
PostgreSQL, detection, parsing and normalisation (phones to E.164, communes, dates, flags), merge, eligibility and priority,
history, rejections, in checkpointed batches. Baseline: \`psql \\copy\` of the same rows into a bare table of text columns.

| measure | value |
|---|---|
| product import, rows / s | ${f(importRate)} (${f(r.totalMs / 1000, 1)} s: storing ${f(r.storeMs / 1000, 1)} s, processing ${f(r.runMs / 1000, 1)} s) |
| \`psql \\copy\`, rows / s (baseline) | ${f(copyRate)} (${f(copyMs / 1000, 1)} s) |
| ratio import / COPY | ${f(importRate / copyRate, 3)} (target ≥ 0.333) |
| peak RSS of the import process | ${r.maxRssMb} MB (target < 300 MB) |
| report | ${Object.entries(r.counts).map(([k, v]) => `${k} ${f(v)}`).join(", ")} |`;
}

if (process.argv[1]?.endsWith("import.ts")) console.log(await importSection(process.argv.slice(2)));
