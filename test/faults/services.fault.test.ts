// Redis and PostgreSQL lost under a running drive (DESIGN.md rule 6): 20 agents work on two web
// processes while Redis is flushed, then stopped for 10 s and restarted empty, then PostgreSQL is
// stopped for 10 s (a crash: immediate shutdown). While a service is down the API answers 503 with a
// clear message; afterwards the same processes (never restarted) recover by themselves: queues,
// schedules and presence are rebuilt from PostgreSQL, consoles reconnect, nothing is lost or doubled.
import { get as httpGet } from "node:http";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { AgentStateEvent } from "../../shared-types/events.ts";
import { Client, makeAgents, newStats, runShift, sleep, VirtualAgent } from "./agents.ts";
import { makeCampaign, openDrive, uploadListing, waitImport } from "./campaign.ts";
import { redisCli, startPostgres, startRedis, stopPostgres, stopRedis } from "./cluster.ts";
import { doubleHolds, invariants } from "./invariants.ts";
import { startDeployment, type Deployment } from "./processes.ts";
import { recordFault } from "./report.ts";

const cluster = () => inject("cluster");
let dep: Deployment;
beforeAll(async () => {
  dep = await startDeployment(cluster(), { SIMULATOR_SPEED: "0.05" });
});
afterAll(async () => {
  // in case a failed assertion left them down
  for (const start of [() => startRedis(cluster()), () => startPostgres(cluster())]) {
    try {
      start();
    } catch {
      // already running
    }
  }
  await dep?.stop();
});

/**
 * `/healthz` of one web process, on a connection of its own (a kept-alive one the process is closing as it is reused
 * would fail the request without saying anything about the process); no answer within 5 s is status 0, with why and
 * after how long (a failed expectation shows it).
 */
async function health(url: string) {
  const started = Date.now();
  lastHealth = await new Promise((resolve) => {
    const req = httpGet(`${url}/healthz`, { agent: false, timeout: 5000 }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (d: string) => (text += d)).on("end", () => {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = { error: `not JSON: ${text.slice(0, 200)}` };
        }
        resolve({ url, status: res.statusCode, body, ms: Date.now() - started });
      });
    });
    req.on("timeout", () => req.destroy(new Error("no answer within 5 s")));
    req.on("error", (err) => resolve({ url, status: 0, body: { error: err.message }, ms: Date.now() - started }));
  });
  return lastHealth as { status: number; body: any; ms: number };
}

let lastHealth: unknown;
async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) {
      let clients = "";
      try {
        clients = redisCli(cluster(), "CLIENT", "LIST").split("\n").map((l) => /name=(\S*)/.exec(l)?.[1]).join(" ");
      } catch {
        // Redis down
      }
      throw new Error(`timed out waiting for ${what} (last health: ${JSON.stringify(lastHealth)}; redis clients: ${clients})`);
    }
    await sleep(everyMs);
  }
}

const outcomesSince = async (ids: string[], since: Date) =>
  (await dep.db.query(`SELECT count(*)::int AS n FROM "CallAttempt" WHERE "agentId" = ANY($1::uuid[]) AND "outcomeAt" > $2 AND "outcomeBy" <> 'system'`, [ids, since])).rows[0].n as number;

describe("Redis and PostgreSQL lost during a drive", () => {
  it("503 with a clear message while down, recovery without restarting any process, nothing lost or doubled", async () => {
    const [a, b] = dep.webs;
    const { admin, coordinator } = await openDrive(dep);
    await makeCampaign(coordinator, { name: "Pannes", patients: 3000, seed: 41, dialMode: "progressive" });
    const spare = await makeCampaign(coordinator, { name: "Listings pendant la panne", patients: 0, seed: 0, dialMode: "preview" });

    const supervisor = new Client(b.url);
    await supervisor.login(dep.users.supervisor.email, dep.users.supervisor.password);
    await supervisor.connect();
    const states: (AgentStateEvent & { receivedAt: number })[] = [];
    supervisor.socket!.on("agent:state", (e) => states.push({ ...e, receivedAt: Date.now() }));

    const accounts = await makeAgents(dep.publicUrl, admin, 20, "svc");
    const agents = accounts.map((_, i) => new VirtualAgent(i < 10 ? a.url : b.url));
    await Promise.all(agents.map((ag, i) => ag.login(accounts[i].email, accounts[i].password)));
    await Promise.all(agents.map((ag) => ag.connect(dep.publicUrl)));
    const ids = agents.map((ag) => ag.userId);
    const onA = new Set(ids.slice(0, 10));
    const stats = newStats();
    let stop = false;
    const shifts = agents.map((ag) => runShift(ag, stats, () => stop));
    await sleep(4000);

    // ---- Redis: FLUSHALL with an import in progress, then down for 10 s, then back empty
    const before = await uploadListing(coordinator, spare, 5000, 51);
    expect(before.status).toBe(202);
    expect(redisCli(cluster(), "FLUSHALL")).toBe("OK");
    await sleep(1000);
    stopRedis(cluster());
    const redisDownAt = new Date();
    await sleep(1500);
    const downHealth = await health(a.url);
    expect(downHealth.status, JSON.stringify(downHealth)).toBe(503);
    expect(downHealth.body.checks.redis).toMatch(/^indisponible/);
    const duringUpload = await uploadListing(coordinator, spare, 200, 52);
    expect(duringUpload.status).toBe(503);
    expect(duringUpload.body.error).toEqual({ code: "service_unavailable", message: "Service momentanément indisponible (Redis). Réessayez dans un instant." });
    const loginDuring = new Client(a.url);
    await loginDuring.login(dep.users.coordinator.email, dep.users.coordinator.password); // sessions are in PostgreSQL
    await sleep(Math.max(0, 10_000 - (Date.now() - redisDownAt.getTime())));
    const workedWithoutRedis = await outcomesSince(ids, redisDownAt);
    startRedis(cluster());
    const redisBackAt = Date.now();
    await waitFor("both web processes healthy", async () => (await health(a.url)).status === 200 && (await health(b.url)).status === 200, 30_000);
    const healthyAfter = Date.now() - redisBackAt;

    // schedules and queues rebuilt by the worker from PostgreSQL (upserts on reconnect)
    const redis = new Redis(cluster().redisUrl, { maxRetriesPerRequest: null });
    const queue = (name: string) => new Queue(name, { connection: redis, prefix: `${dep.redisPrefix}:bull` });
    const schedulers = await waitFor("schedules rebuilt", async () => {
      const keys = (await Promise.all(["dialer", "housekeeping", "retention"].map(async (n) => (await queue(n).getJobSchedulers()).map((s) => s.key)))).flat();
      return keys.includes("sweep-holds") && keys.length >= 3 ? keys : null;
    }, 70_000, 500);
    const flushedImport = await waitImport(coordinator, before.body.id, 120_000);
    expect(flushedImport.status).toBe("done");
    expect(flushedImport.counts.rows).toBe(5000);
    // the listing refused while Redis was down was not kept: its retry will be the only import of it
    const spareImports = (await dep.db.query(`SELECT count(*)::int AS n FROM "Import" WHERE "campaignId" = $1`, [spare])).rows[0].n as number;
    expect(spareImports).toBe(1);
    // the supervisor on B sees the agents of A again (the adapter resubscribed by itself)
    await waitFor("agent states from web A after the restart", async () => states.some((s) => s.receivedAt > redisBackAt && onA.has(s.userId)), 30_000);
    expect(agents.every((ag) => ag.socket!.connected)).toBe(true);
    await redis.quit();
    recordFault(
      "Redis FLUSHALL (import in progress), then Redis killed for 10 s and restarted empty",
      `while down: \`/healthz\` 503 (redis: indisponible), a new listing 503 « Service momentanément indisponible (Redis). Réessayez dans un instant. » and not kept (its retry is its only import), login still works, agents went on (${workedWithoutRedis} outcomes recorded without Redis); healthy ${(healthyAfter / 1000).toFixed(1)} s after the restart; schedules rebuilt (${schedulers.join(", ")}); the flushed import re-enqueued from PostgreSQL and done (5,000 rows); supervisor on B receives the agents of A again; consoles connected, no process restarted`,
    );

    // ---- PostgreSQL: crash (immediate stop) for 10 s
    await sleep(2000);
    stopPostgres(cluster(), "immediate");
    const pgDownAt = Date.now();
    await sleep(1500);
    const pgHealth = await health(b.url);
    expect(pgHealth.status, JSON.stringify(pgHealth)).toBe(503);
    expect(pgHealth.body.checks.postgresql).toMatch(/^indisponible/);
    const during = await agents[0].request("GET", "/agent/session", undefined, 10_000);
    expect(during.status).toBe(503);
    expect(during.body.error).toEqual({ code: "service_unavailable", message: "Service momentanément indisponible (base de données). Réessayez dans un instant." });
    await sleep(Math.max(0, 10_000 - (Date.now() - pgDownAt)));
    startPostgres(cluster());
    const pgBackAt = new Date();
    await waitFor("both web processes healthy", async () => (await health(a.url)).status === 200 && (await health(b.url)).status === 200, 60_000);
    const pgHealthyAfter = Date.now() - pgBackAt.getTime();
    await waitFor("agents working again", async () => (await outcomesSince(ids, pgBackAt)) >= 10, 60_000, 500);

    stop = true;
    await Promise.all(shifts);
    expect([...dep.webs, ...dep.workers].every((p) => p.alive())).toBe(true);
    const inv = await invariants(dep.db);
    expect(inv.withoutOutcome).toBe(0);
    expect(doubleHolds(inv)).toBe(0);
    const rows = (await dep.db.query(`SELECT "id", "outcome" FROM "CallAttempt" WHERE "agentId" = ANY($1::uuid[])`, [ids])).rows as { id: string; outcome: string }[];
    expect(rows.length).toBe(stats.attempts.size); // every attempt made is one the agents know (none lost, none made behind their back)
    expect(rows.filter((r) => stats.outcomes.has(r.id) && stats.outcomes.get(r.id) !== r.outcome)).toEqual([]);
    const agentStatuses = [...stats.messages].filter((m) => m.startsWith("503")).map((m) => m.trim());
    recordFault(
      "PostgreSQL crashed (immediate shutdown) for 10 s under the same drive",
      `while down: \`/healthz\` 503 (postgresql: indisponible), API 503 « Service momentanément indisponible (base de données). Réessayez dans un instant. »; healthy ${(pgHealthyAfter / 1000).toFixed(1)} s after the restart, same processes; over both faults ${rows.length} attempts, 0 without outcome, 0 double holds, each acknowledged outcome stored as sent (agents saw: ${[...new Set(agentStatuses)].join(" ; ") || "no 503"})`,
    );
    for (const ag of [...agents, supervisor]) ag.close();
  });
});
