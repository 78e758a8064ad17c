// Rule 3 with a real process: the web server is killed (-9) while calls are in flight. Every
// attempt still ends with exactly one outcome ("interrupted" by the sweeper) and its patient is
// due again; nothing is held by a dead agent. The simulated calls, whose timers died with the process, end too
// (« appel coupé : serveur redémarré »), while the process lived they were left alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import pg from "pg";
import { sweepExpiredHolds } from "../../server/dialer/sweepExpiredHolds.ts";
import { endLostSimulatedCalls } from "../../server/calls/endLostSimulatedCalls.ts";
import { inTransaction } from "../../server/pgPool.ts";
import { HOLD_LEASE_SECONDS } from "../../server/dialer/holdLease.ts";
import { startTestServer, type TestServer } from "../e2e/startServer.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ SIMULATOR_SPEED: "1", SIMULATOR_RATES: "1,0,0" });
});
afterAll(async () => {
  await server?.stop();
});

describe("web process killed mid-call", () => {
  it("leaves no attempt without an outcome once the sweeper has run, and no patient held", async () => {
    const agents = [];
    // the demo agent and 9 more agents of the same organisation, each in a call
    const db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
    const login = async (email: string, password: string) => {
      const agent = request.agent(server.url);
      const res = await agent.post("/api/auth/login").send({ email, password }).expect(200);
      return { agent, csrf: res.body.csrfToken as string };
    };
    agents.push(await login(server.users.agent.email, server.users.agent.password));
    const admin = await login(server.users.admin.email, server.users.admin.password);
    for (let i = 0; i < 9; i++) {
      const email = `agent${i}-${Date.now()}@demo.cpts.fr`;
      await admin.agent.post("/api/users").set("X-CSRF-Token", admin.csrf).send({ email, name: `Agent ${i}`, role: "agent", password: "mot-de-passe-agent" }).expect(201);
      agents.push(await login(email, "mot-de-passe-agent"));
    }
    for (const a of agents) {
      const ready = await a.agent.post("/api/agent/status").set("X-CSRF-Token", a.csrf).send({ status: "ready" }).expect(200);
      expect(ready.body.card).not.toBeNull();
      await a.agent.post("/api/agent/call").set("X-CSRF-Token", a.csrf).expect(201);
    }
    const open = await db.query(`SELECT count(*)::int AS n FROM "CallAttempt" WHERE "outcome" IS NULL`);
    expect(open.rows[0].n).toBe(10);
    const pool = new pg.Pool({ connectionString: server.databaseUrl, max: 1 });
    const inTx = <T>(fn: (c: pg.PoolClient) => Promise<T>) => inTransaction(fn, pool);
    // the server lives: its calls ring on
    expect(await inTx((c) => endLostSimulatedCalls(c))).toEqual([]);

    server.kill();

    // Its calls' timers are gone: the sweeper ends them (as soon as PostgreSQL has seen the process's connection close),
    // without an outcome.
    const lost: Awaited<ReturnType<typeof endLostSimulatedCalls>> = [];
    for (let tries = 0; lost.length < 10 && tries < 50; tries++) {
      lost.push(...await inTx((c) => endLostSimulatedCalls(c)));
      if (lost.length < 10) await new Promise((r) => setTimeout(r, 200));
    }
    expect(lost.map((a) => [a.callStatus, a.endReason, a.outcome])).toEqual(Array(10).fill(["ended", "process-gone", null]));
    const ended = await db.query(`SELECT count(*)::int AS n FROM "CallAttempt" WHERE "callStatus" = 'ended' AND "endReason" = 'process-gone' AND "outcome" IS NULL`);
    expect(ended.rows[0].n).toBe(10);

    // The sweeper (any worker, here this process) runs once the leases have lapsed.
    const later = new Date(Date.now() + (HOLD_LEASE_SECONDS + 5) * 1000);
    const swept = await inTx((c) => sweepExpiredHolds(c, later));
    await pool.end();
    expect(swept).toHaveLength(10);
    const after = await db.query(`SELECT "outcome", count(*)::int AS n FROM "CallAttempt" GROUP BY 1`);
    expect(after.rows).toEqual([{ outcome: "interrupted", n: 10 }]);
    const held = await db.query(`SELECT count(*)::int AS n FROM "Enrolment" WHERE "dialState" = 'held'`);
    expect(held.rows[0].n).toBe(0);
    const due = await db.query(`SELECT count(*)::int AS n FROM "Enrolment" WHERE "lastOutcome" = 'interrupted' AND "dueAt" <= $1`, [later]);
    expect(due.rows[0].n).toBe(10);
    await db.end();
  });
});
