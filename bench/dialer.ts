// npm run bench -- dialer: many virtual agents claiming, calling and recording outcomes on the
// real schema and code (claimNextPatient, startCall, recordOutcome), against pgbench (TPC-B-like)
// with the same number of database connections, on the same PostgreSQL, in the same run.
import { execFileSync, fork, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { runMigrations } from "../scripts/prisma-migrate.ts";

export interface DialerBenchOptions {
  agents: number;
  seconds: number;
  connections: number;
  patients: number;
  /** Agents of the "ready → card" part (each a socket.io connection and an HTTP client on a real web app). */
  webAgents: number;
  webSeconds: number;
  /** Mean pause of a web agent after each outcome (0: back-to-back, the saturation figure). */
  webThinkMs: number;
  /** The worker's queue upkeep (0: off, to see what it saves). */
  upkeep: boolean;
}

const PG = process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432";
const DB = "omt_bench_dialer";

function percentile(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

/** CPU time (user + system, ms) of these processes so far, from /proc (PostgreSQL runs on this machine). */
function cpuMsOf(pids: number[]) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(f[11]) + Number(f[12]);
    } catch { /* gone */ }
  }
  return ticks * 10; // CLK_TCK = 100
}

async function admin(sql: string) {
  await adminRows(sql);
}
async function adminRows<R extends pg.QueryResultRow>(sql: string): Promise<R[]> {
  const c = new pg.Client({ connectionString: `${PG}/postgres` });
  await c.connect();
  const { rows } = await c.query<R>(sql);
  await c.end();
  return rows;
}

export async function runDialerBench(o: DialerBenchOptions) {
  await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  const url = `${PG}/${DB}`;
  await runMigrations("deploy", url, undefined, true);
  process.env.DATABASE_URL = url;
  // Read once by server/env.ts, before the first server module is loaded. The simulator runs 50 times
  // faster than life so that every call's events (ringing, answered, ended) land during the run.
  process.env.REDIS_PREFIX ??= `omtbench${process.pid}`;
  process.env.LOG_LEVEL ??= "warn";
  process.env.SIMULATOR_SPEED ??= "0.02";
  const { claimNextPatient } = await import("../server/dialer/claimNextPatient.ts");
  const { startCall } = await import("../server/dialer/startCall.ts");
  const { recordOutcome } = await import("../server/dialer/recordOutcome.ts");

  const pool = new pg.Pool({ connectionString: url, max: o.connections, idleTimeoutMillis: 0 });
  // Every statement sent, BEGIN and COMMIT included: the round trips of a cycle.
  let roundTrips = 0;
  pool.on("connect", (c) => {
    const query = c.query.bind(c) as (...a: unknown[]) => unknown;
    (c as unknown as { query: (...a: unknown[]) => unknown }).query = (...a: unknown[]) => { roundTrips += 1; return query(...a); };
  });
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

  const { withClient } = await import("../server/pgPool.ts");
  const tx = <T>(fn: (c: pg.PoolClient) => Promise<T>) => withClient(fn, pool);
  const claimMs: number[] = [];
  const claimDbMs: number[] = [];
  const outcomes = ["no_answer", "busy", "voicemail", "reached"] as const;
  let claims = 0;
  let empty = 0;
  const rssStart = process.memoryUsage().rss;
  // The CPU a cycle costs: the benchmark process (500 agent loops, the pg driver) and its PostgreSQL backends.
  const held = await Promise.all(Array.from({ length: o.connections }, () => pool.connect()));
  const backends = await Promise.all(held.map(async (c) => (await c.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid));
  for (const c of held) c.release();
  // The dialer worker's queue upkeep, on its schedule (queues/dialer.ts), on a connection of its own:
  // its VACUUM's CPU is counted with the backends'.
  const { vacuumQueueIfDead } = await import("../server/dialer/queueUpkeep.ts");
  const { SWEEP_EVERY_MS } = await import("../queues/dialer.ts");
  const upkeepClient = new pg.Client({ connectionString: url });
  await upkeepClient.connect();
  const upkeepPid = (await upkeepClient.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid;
  let vacuums = 0;
  const upkeep = setInterval(() => {
    if (!o.upkeep) return;
    vacuumQueueIfDead(upkeepClient as unknown as pg.PoolClient).then((dead) => { if (dead) vacuums += 1; }, (err) => console.error(String(err)));
  }, SWEEP_EVERY_MS);
  backends.push(upkeepPid);
  const blocks = async () => Number((await adminRows<{ b: string }>(`SELECT blks_hit + blks_read AS b FROM pg_stat_database WHERE datname = '${DB}'`))[0].b);
  const blocks0 = await blocks();
  // Both measured phases start right after a checkpoint: a timed one (every 5 min) falling inside one phase and not the
  // other made that phase write a full-page image at the first change of every page it touched after it.
  await admin("CHECKPOINT");
  roundTrips = 0;
  const cpu0 = { node: process.cpuUsage(), pg: cpuMsOf(backends) };
  const end = Date.now() + o.seconds * 1000;
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
  const cpuNode = process.cpuUsage(cpu0.node);
  const cycleCpu = { nodeMs: (cpuNode.user + cpuNode.system) / 1000, pgMs: cpuMsOf(backends) - cpu0.pg, roundTrips };
  clearInterval(upkeep);
  await upkeepClient.end();
  await new Promise((r) => setTimeout(r, 1100)); // the backends' block counts reach pg_stat_database within a second
  const blocksPerCycle = (await blocks() - blocks0) / Math.max(1, claims);
  const check = await pool.query(
    `SELECT (SELECT count(*) FROM (SELECT "heldBy" FROM "Enrolment" WHERE "dialState" = 'held' GROUP BY "heldBy" HAVING count(*) > 1) d)::int AS "doubleHolds",
            (SELECT count(*) FROM "CallAttempt" WHERE "outcome" IS NULL)::int AS "withoutOutcome",
            (SELECT count(*) FROM "CallAttempt")::int AS attempts`);
  // HOT updates: an update that changes no indexed column and finds room on its page touches no index.
  const hot = (await pool.query<{ relname: string; upd: string; hot: string }>(
    `SELECT relname, n_tup_upd AS upd, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE relname IN ('Enrolment', 'AgentState', 'CallAttempt') ORDER BY relname`)).rows
    .map((r) => `${r.relname} ${Number(r.hot).toLocaleString("en-US")} of ${Number(r.upd).toLocaleString("en-US")}`).join(", ");
  const web = o.webAgents > 0 ? await runReadyToCard(url, agents.slice(0, o.webAgents), o.webSeconds, o.webThinkMs) : null;
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
  await admin("CHECKPOINT");
  // CPU of pgbench and its backends, measured from 2 s into the run to 1 s before its end.
  const bench = spawn("pgbench", [...args, "-c", String(o.connections), "-j", "2", "-T", String(o.seconds), pgbenchDb]);
  let out = "";
  bench.stdout.on("data", (d) => (out += d));
  const done = new Promise((resolve) => bench.on("close", resolve));
  await new Promise((r) => setTimeout(r, 2000));
  const pgbenchPids = [bench.pid!, ...(await adminRows<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = '${pgbenchDb}' AND backend_type = 'client backend'`)).map((r) => r.pid)];
  const pgbenchCpu0 = cpuMsOf(pgbenchPids);
  const window0 = performance.now();
  await new Promise((r) => setTimeout(r, Math.max(1000, (o.seconds - 3) * 1000)));
  const pgbenchCpuMs = cpuMsOf(pgbenchPids) - pgbenchCpu0;
  const windowS = (performance.now() - window0) / 1000;
  await done;
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
    hotUpdates: hot, web,
    // per cycle: CPU of the benchmark process and of its backends, statements sent; per pgbench transaction: CPU of pgbench and its backends
    cycleNodeCpuMs: cycleCpu.nodeMs / Math.max(1, claims), cyclePgCpuMs: cycleCpu.pgMs / Math.max(1, claims), roundTripsPerCycle: cycleCpu.roundTrips / Math.max(1, claims),
    pgbenchCpuMsPerTx: pgbenchCpuMs / (tps * windowS), blocksPerCycle, vacuums,
    rssMb: Math.round(Math.max(rssStart, process.memoryUsage().rss) / 1048576),
  };
}

/** BENCH_WEB_CPU_PROF=<dir>: a V8 CPU profile of the web process, written there when it closes. */
const webProfileArgs = () => (process.env.BENCH_WEB_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_WEB_CPU_PROF}`] : []);

/** A web process of its own (bench/webProcess.ts): the product's, or the bare express baseline. */
async function startWebProcess(url: string, mode: "product" | "bare") {
  const child = fork(fileURLToPath(new URL("./webProcess.ts", import.meta.url)), [mode],
    { execArgv: [...webProfileArgs(), "--import", pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href], env: { ...process.env, DATABASE_URL: url } });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m) => resolve((m as { port: number }).port));
    child.once("exit", (code) => reject(new Error(`web process exited (${code})`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    /** Its CPU so far (ms), and the statements it has sent to PostgreSQL. */
    cpuMs: () => cpuMsOf([child.pid!]),
    statements: () => new Promise<number>((resolve) => {
      child.once("message", (m) => resolve((m as { statements: number }).statements));
      child.send("statements");
    }),
    async close() { child.send("close"); await exited; },
  };
}

type WebProcess = Awaited<ReturnType<typeof startWebProcess>>;
interface ConsoleClient { cookie: string; csrf: string }
const postAs = async (base: string, c: ConsoleClient, path: string, body: unknown = {}) => {
  const res = await fetch(`${base}/api${path}`, { method: "POST", headers: { cookie: c.cookie, "x-csrf-token": c.csrf, "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
};

/**
 * Each client loops `cycle` for `seconds` (false: no patient, asked again 100 ms later), then a pause of `thinkMs` on
 * average; starts spread over one pause. Counts cycles, empties, errors, and the server's CPU and statements over the loop.
 */
async function driveConsoles<C>(clients: C[], seconds: number, thinkMs: number, server: WebProcess, cycle: (c: C, i: number, n: number) => Promise<boolean>) {
  let cycles = 0;
  let empty = 0;
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  const cpu0 = server.cpuMs();
  const statements0 = await server.statements();
  await Promise.all(clients.map(async (c, i) => {
    if (thinkMs > 0) await new Promise((r) => setTimeout(r, thinkMs * 1.5 * Math.random()));
    while (Date.now() < end) {
      try {
        if (!(await cycle(c, i, cycles))) {
          empty += 1;
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        cycles += 1;
        if (thinkMs > 0) await new Promise((r) => setTimeout(r, thinkMs * (0.5 + Math.random())));
      } catch (err) {
        errors += 1;
        if (errors <= 3) console.error(String(err));
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }));
  const cpuMs = server.cpuMs() - cpu0;
  const statements = await server.statements() - statements0;
  return { cycles, cyclesPerSecond: cycles / seconds, empty, errors, serverCpuMsPerCycle: cpuMs / Math.max(1, cycles), statementsPerCycle: statements / Math.max(1, cycles) };
}

/**
 * "Ready → patient card": virtual agents on a real web process (startWeb: the HTTP API, socket.io and the web pool
 * of server/pgPool.ts, in a process of its own), each logged in (a session row, as the login route makes) with a
 * socket.io connection. Each loops like the console: POST /api/agent/status ready (the answer carries the card: that
 * is what AgentSpace.tsx shows), POST /api/agent/call, POST /api/attempts/:id/outcome. Timed from the request to the
 * HTTP answer with the card, and to the `dialer:assigned` event on the agent's socket. Baseline, right after: the same
 * clients posting the same three requests to a bare express process (a JSON body parsed, a small JSON answered).
 */
async function runReadyToCard(url: string, agents: { id: string }[], seconds: number, thinkMs: number) {
  const { io: connect } = await import("socket.io-client");
  const { createSession } = await import("../server/auth/sessions.ts");
  const { db, closeDb } = await import("../server/db.ts");
  const server = await startWebProcess(url, "product");
  const clients = await Promise.all(agents.map(async (a) => {
    const s = await createSession(db(), a.id, {});
    const cookie = `omt_session=${s.token}`;
    const socket = connect(server.base, { transports: ["websocket"], extraHeaders: { cookie }, reconnection: false });
    await new Promise<void>((resolve, reject) => { socket.once("session:ready", () => resolve()); socket.once("connect_error", reject); });
    return { cookie, csrf: s.csrfToken, socket };
  }));
  await closeDb();
  const cardMs: number[] = [];
  const socketMs: number[] = [];
  const outcomes = ["no_answer", "busy", "voicemail", "reached"] as const;
  const product = await driveConsoles(clients, seconds, thinkMs, server, async (c, i, n) => {
    const t0 = performance.now();
    const assigned = new Promise<number>((resolve) => c.socket.once("dialer:assigned", () => resolve(performance.now() - t0)));
    const ready = await postAs(server.base, c, "/agent/status", { status: "ready" });
    if (!ready.card) {
      c.socket.removeAllListeners("dialer:assigned");
      return false;
    }
    cardMs.push(performance.now() - t0);
    socketMs.push(await assigned);
    const call = await postAs(server.base, c, "/agent/call");
    await postAs(server.base, c, `/attempts/${call.attemptId}/outcome`, { outcome: outcomes[(n + i) % outcomes.length] });
    return true;
  });
  await new Promise((r) => setTimeout(r, 1500)); // the last simulated calls' events
  for (const c of clients) c.socket.disconnect();
  await server.close();

  const bare = await startWebProcess(url, "bare");
  const bareMs: number[] = [];
  const baseline = await driveConsoles(clients, seconds, thinkMs, bare, async (c) => {
    const t0 = performance.now();
    await postAs(bare.base, c, "/agent/status", { status: "ready" });
    bareMs.push(performance.now() - t0);
    const call = await postAs(bare.base, c, "/agent/call");
    await postAs(bare.base, c, `/attempts/${call.attemptId}/outcome`, { outcome: "no_answer" });
    return true;
  });
  await bare.close();
  for (const xs of [cardMs, socketMs, bareMs]) xs.sort((a, b) => a - b);
  return {
    agents: agents.length, seconds, thinkMs, ...product,
    cardP50Ms: percentile(cardMs, 50), cardP99Ms: percentile(cardMs, 99), socketP50Ms: percentile(socketMs, 50), socketP99Ms: percentile(socketMs, 99),
    bare: { ...baseline, readyP50Ms: percentile(bareMs, 50), readyP99Ms: percentile(bareMs, 99) },
  };
}

const arg = (args: string[], name: string, d: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? d);

/** The BENCHMARKS.md section. */
export async function dialerSection(args: string[]): Promise<string> {
  const r = await runDialerBench({ agents: arg(args, "agents", 500), seconds: arg(args, "seconds", 60), connections: arg(args, "connections", 10), patients: arg(args, "patients", 200_000),
    webAgents: arg(args, "web-agents", 100), webSeconds: arg(args, "web-seconds", arg(args, "seconds", 60)),
    webThinkMs: arg(args, "web-think-ms", 5000), upkeep: arg(args, "upkeep", 1) !== 0 });
  const SWEEP_EVERY_S = (await import("../queues/dialer.ts")).SWEEP_EVERY_MS / 1000;
  const f = (n: number, d = 1) => n.toLocaleString("en-US", { maximumFractionDigits: d });
  return `## Dialer (\`npm run bench -- dialer\`)

${r.agents} virtual agents for ${r.seconds} s on ${r.patients.toLocaleString("en-US")} enrolled patients, ${r.connections} database connections${r.connections === 10 ? " (the pools of two web processes, 5 each)" : ""}.
Each cycle is the real code path, three transactions: \`claimNextPatient\` (the hold: one statement),
\`startCall\` (the attempt: two), \`recordOutcome\` (the outcome and next due time: two).
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
| statements per cycle (BEGIN and COMMIT included) | ${f(r.roundTripsPerCycle)} (pgbench: 7 per transaction) |
| CPU per cycle: PostgreSQL backends + benchmark process | ${f(r.cyclePgCpuMs, 2)} ms + ${f(r.cycleNodeCpuMs, 2)} ms |
| CPU per pgbench transaction: backends + pgbench | ${f(r.pgbenchCpuMsPerTx, 2)} ms |
| buffers read per cycle (shared blocks hit or read, all statements) | ${f(r.blocksPerCycle, 0)} |
| queue upkeep (VACUUM of Enrolment, checked every ${SWEEP_EVERY_S} s) | ${r.vacuums} during the run |
| HOT updates (no index touched) | ${r.hotUpdates} |
| peak RSS of the benchmark process | ${r.rssMb} MB |
${r.web ? `
"Ready → patient card", through a real web process of its own (HTTP API + socket.io, its pool of 5 connections; the
virtual agents in the benchmark process), ${r.web.agents} agents each with a socket.io connection, looping like the console (ready → card, call, outcome${r.web.thinkMs ? `, then a pause of ${f(r.web.thinkMs / 1000)} s on average` : ", back to back"}) for ${r.web.seconds} s, after the run above:

| measure | value |
|---|---|
| ready → card in the HTTP answer (what the console shows) p50 / p99 | ${f(r.web.cardP50Ms)} ms / ${f(r.web.cardP99Ms)} ms (target p99 ≤ 100 ms) |
| ready → \`dialer:assigned\` on the agent's socket p50 / p99 | ${f(r.web.socketP50Ms)} ms / ${f(r.web.socketP99Ms)} ms |
| console cycles / s (ready, call, outcome) | ${f(r.web.cyclesPerSecond)} |
| CPU of the web process per console cycle | ${f(r.web.serverCpuMsPerCycle, 2)} ms |
| statements the web process sends per console cycle (the simulated calls' events included) | ${f(r.web.statementsPerCycle)} |
| ready without a patient / errors | ${r.web.empty} / ${r.web.errors} |
| baseline, bare express process, same clients and three POSTs: first POST p50 / p99 | ${f(r.web.bare.readyP50Ms)} ms / ${f(r.web.bare.readyP99Ms)} ms |
| baseline: cycles / s; CPU of its process per cycle | ${f(r.web.bare.cyclesPerSecond)}; ${f(r.web.bare.serverCpuMsPerCycle, 2)} ms |
` : ""}`;
}

if (process.argv[1]?.endsWith("dialer.ts")) {
  console.log(await dialerSection(process.argv.slice(2)));
}
