// npm run bench -- dialer: many virtual agents claiming, calling and recording outcomes on the
// real schema and code (claimNextPatient, startCall, recordOutcome), against pgbench (TPC-B-like)
// with the same number of database connections, on the same PostgreSQL, in the same run.
import { execFileSync, spawnSync } from "node:child_process";
import pg from "pg";
import { runMigrations } from "../scripts/prisma-migrate.ts";

export interface DialerBenchOptions {
  agents: number;
  seconds: number;
  connections: number;
  patients: number;
}

const PG = process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432";
const DB = "omt_bench_dialer";

function percentile(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: `${PG}/postgres` });
  await c.connect();
  await c.query(sql);
  await c.end();
}

export async function runDialerBench(o: DialerBenchOptions) {
  await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  const url = `${PG}/${DB}`;
  await runMigrations("deploy", url, undefined, true);
  process.env.DATABASE_URL = url;
  const { claimNextPatient } = await import("../server/dialer/claimNextPatient.ts");
  const { startCall } = await import("../server/dialer/startCall.ts");
  const { recordOutcome } = await import("../server/dialer/recordOutcome.ts");

  const pool = new pg.Pool({ connectionString: url, max: o.connections });
  const setup = await pool.connect();
  const org = (await setup.query(`INSERT INTO "Organisation" ("id", "kind", "name", "updatedAt") VALUES (gen_random_uuid(), 'CPAM', 'Banc', now()) RETURNING "id"`)).rows[0].id;
  const allDay = JSON.stringify(Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [["00:00", "23:59"]]])));
  const campaign = (await setup.query(
    `INSERT INTO "Campaign" ("id", "organisationId", "name", "type", "status", "callingWindows", "skipPublicHolidays", "maxAttempts", "updatedAt")
     VALUES (gen_random_uuid(), $1, 'Banc', 'ald_sans_mt', 'running', $2, false, 1000, now()) RETURNING "id"`, [org, allDay])).rows[0].id;
  await setup.query(
    `WITH p AS (INSERT INTO "Patient" ("id", "organisationId", "matchKey", "lastName", "birthDate", "phones", "inseeCode", "ald", "updatedAt")
       SELECT gen_random_uuid(), $1, 'b' || i, 'P' || i, DATE '1950-01-01', '[{"e164":"+33612345678","type":"mobile","country":"FR"}]', '42218', true, now()
       FROM generate_series(1, $3) i RETURNING "id")
     INSERT INTO "Enrolment" ("id", "campaignId", "patientId", "eligible", "priority", "priorityLabel", "dueAt", "updatedAt")
     SELECT gen_random_uuid(), $2, p."id", true, (random() * 3)::int, 'banc', now() - random() * interval '1 day', now() FROM p`,
    [org, campaign, o.patients]);
  const agents = (await setup.query<{ id: string }>(
    `INSERT INTO "User" ("id", "organisationId", "email", "name", "role", "passwordHash", "updatedAt")
     SELECT gen_random_uuid(), $1, 'agent' || i || '@banc.fr', 'Agent ' || i, 'agent', 'x', now() FROM generate_series(1, $2) i RETURNING "id"`,
    [org, o.agents])).rows.map((r) => ({ id: r.id, organisationId: org }));
  await setup.query("ANALYZE");
  setup.release();

  const { inTransaction } = await import("../server/pgPool.ts");
  const tx = <T>(fn: (c: pg.PoolClient) => Promise<T>) => inTransaction(fn, pool);
  const claimMs: number[] = [];
  const claimDbMs: number[] = [];
  const outcomes = ["no_answer", "busy", "voicemail", "reached"] as const;
  let claims = 0;
  let empty = 0;
  const end = Date.now() + o.seconds * 1000;
  const rssStart = process.memoryUsage().rss;
  await Promise.all(agents.map(async (agent, i) => {
    while (Date.now() < end) {
      const t0 = performance.now();
      const claim = await tx(async (c) => {
        const t1 = performance.now();
        const r = await claimNextPatient(c, agent);
        claimDbMs.push(performance.now() - t1);
        return r;
      });
      claimMs.push(performance.now() - t0);
      if (!claim) {
        empty += 1;
        continue;
      }
      claims += 1;
      const call = await tx((c) => startCall(c, agent, claim.enrolmentId));
      await tx((c) => recordOutcome(c, agent, call.attemptId, { outcome: outcomes[(claims + i) % outcomes.length] }));
    }
  }));
  const check = await pool.query(
    `SELECT (SELECT count(*) FROM (SELECT "heldBy" FROM "Enrolment" WHERE "dialState" = 'held' GROUP BY "heldBy" HAVING count(*) > 1) d)::int AS "doubleHolds",
            (SELECT count(*) FROM "CallAttempt" WHERE "outcome" IS NULL)::int AS "withoutOutcome",
            (SELECT count(*) FROM "CallAttempt")::int AS attempts`);
  await pool.end();
  claimMs.sort((a, b) => a - b);
  claimDbMs.sort((a, b) => a - b);

  // Baseline: pgbench TPC-B-like, same connections, same server, same duration.
  const pgbenchDb = "omt_bench_pgbench";
  await admin(`DROP DATABASE IF EXISTS "${pgbenchDb}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${pgbenchDb}"`);
  const host = new URL(PG);
  const args = ["-h", host.hostname, "-p", host.port || "5432", "-U", host.username || "postgres"];
  execFileSync("pgbench", [...args, "-i", "-s", "10", "-q", pgbenchDb], { stdio: "ignore" });
  const out = spawnSync("pgbench", [...args, "-c", String(o.connections), "-j", "2", "-T", String(o.seconds), pgbenchDb], { encoding: "utf8" }).stdout;
  const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? NaN);
  await admin(`DROP DATABASE IF EXISTS "${pgbenchDb}" WITH (FORCE)`);
  await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);

  const claimsPerSecond = claims / o.seconds;
  return {
    agents: o.agents, connections: o.connections, seconds: o.seconds, patients: o.patients,
    claims, claimsPerSecond, emptyClaims: empty,
    // with a connection in hand (the claim itself), and including the wait for a pooled connection
    claimP50Ms: percentile(claimDbMs, 50), claimP99Ms: percentile(claimDbMs, 99),
    claimWithPoolWaitP50Ms: percentile(claimMs, 50), claimWithPoolWaitP99Ms: percentile(claimMs, 99),
    transactionsPerSecond: (claims * 3 + empty) / o.seconds,
    pgbenchTps: tps, ratioToPgbench: claimsPerSecond / tps, transactionRatioToPgbench: (claims * 3 + empty) / o.seconds / tps,
    doubleHolds: check.rows[0].doubleHolds, attemptsWithoutOutcome: check.rows[0].withoutOutcome, attempts: check.rows[0].attempts,
    rssMb: Math.round(Math.max(rssStart, process.memoryUsage().rss) / 1048576),
  };
}

const arg = (args: string[], name: string, d: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? d);

/** The BENCHMARKS.md section. */
export async function dialerSection(args: string[]): Promise<string> {
  const r = await runDialerBench({ agents: arg(args, "agents", 500), seconds: arg(args, "seconds", 60), connections: arg(args, "connections", 50), patients: arg(args, "patients", 200_000) });
  const f = (n: number, d = 1) => n.toLocaleString("en-US", { maximumFractionDigits: d });
  return `## Dialer (\`npm run bench -- dialer\`)

${r.agents} virtual agents for ${r.seconds} s on ${r.patients.toLocaleString("en-US")} enrolled patients, ${r.connections} database connections. Each cycle is
the real code path in three transactions: \`claimNextPatient\` (hold), \`startCall\` (attempt), \`recordOutcome\` (outcome, next due time).
Baseline: \`pgbench\` TPC-B-like (scale 10), ${r.connections} clients, same PostgreSQL, same duration, same run.

| measure | value |
|---|---|
| claim → call → outcome cycles / s | ${f(r.claimsPerSecond)} |
| transactions / s (3 per cycle) | ${f(r.transactionsPerSecond)} |
| pgbench TPS (baseline) | ${f(r.pgbenchTps)} |
| ratio cycles / pgbench TPS | ${f(r.ratioToPgbench, 3)} (target ≥ 0.5) |
| ratio transactions / pgbench TPS | ${f(r.transactionRatioToPgbench, 3)} |
| claim p50 / p99, connection in hand | ${f(r.claimP50Ms)} ms / ${f(r.claimP99Ms)} ms (target p99 ≤ 10 ms) |
| claim p50 / p99, including the wait for a pooled connection | ${f(r.claimWithPoolWaitP50Ms)} ms / ${f(r.claimWithPoolWaitP99Ms)} ms |
| double holds | ${r.doubleHolds} (must be 0) |
| attempts without outcome | ${r.attemptsWithoutOutcome} of ${r.attempts} (must be 0) |
| peak RSS of the benchmark process | ${r.rssMb} MB |

Not measured yet: "ready → patient card on the socket" p99 (needs the socket fan-out benchmark of the console issue).`;
}

if (process.argv[1]?.endsWith("dialer.ts")) {
  console.log(await dialerSection(process.argv.slice(2)));
}
