// A simulated call lives in the process that placed it. When that process is gone, its timers are gone: the call must
// not ring on the agent's card for ever. The sweeper ends it (call state « ended », reason process-gone, shown
// « appel coupé : serveur redémarré »), and its attempt still gets exactly one outcome: the agent's, or « interrompu »
// once the lease lapses (rule 3). A live process's calls are left alone, even after it lost and took back its line.
// (test/dialer/killMidCall.test.ts does the same with a real kill -9 of the server.)
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { inTransaction, pgPool } from "../../server/pgPool.ts";
import { endLostSimulatedCalls } from "../../server/calls/endLostSimulatedCalls.ts";
import { SIMULATOR_LINES_SQL } from "../../server/calls/simulatorLine.ts";
import { sweepExpiredHolds } from "../../server/dialer/sweepExpiredHolds.ts";
import { HOLD_LEASE_SECONDS } from "../../server/dialer/holdLease.ts";
import { startTestApp, type TestApp } from "../helpers/api.ts";
import { agentInCall } from "../helpers/agentInCall.ts";

// every simulated call is answered by a person and stays in flight until someone ends it (before env() is first read)
vi.hoisted(() => {
  process.env.SIMULATOR_RATES = "1,0,0";
  process.env.SIMULATOR_SPEED = "0.05";
});

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const callOf = async (attemptId: string) =>
  (await pgPool().query(`SELECT "providerCallId", "callStatus", "endReason", "outcome" FROM "CallAttempt" WHERE "id" = $1`, [attemptId])).rows[0];
const sweepLost = (now?: Date) => inTransaction((c) => endLostSimulatedCalls(c, now));
const outcomesOf = async (attemptId: string) =>
  (await pgPool().query(`SELECT "outcome", "outcomeBy" FROM "CallAttempt" WHERE "id" = $1`, [attemptId])).rows;
async function answered(attemptId: string) {
  await expect.poll(async () => (await callOf(attemptId)).callStatus, { timeout: 10_000 }).toBe("answered");
}
/** What a process killed mid-call leaves behind: the call on its line, and nobody holding the line any more. */
const leftByAGoneProcess = (attemptId: string) =>
  pgPool().query(`UPDATE "CallAttempt" SET "providerCallId" = regexp_replace("providerCallId", '^SIM-[0-9]+-', 'SIM-7-') WHERE "id" = $1`, [attemptId]);

describe("simulated calls of a process that is gone", () => {
  it("a live process's call is left ringing or talking, even after its line was cut and taken again", async () => {
    const { attemptId } = await agentInCall(t.app);
    await answered(attemptId);
    expect((await callOf(attemptId)).providerCallId).toMatch(/^SIM-\d+-/);
    expect(await sweepLost()).toEqual([]);
    // its line's connection killed from PostgreSQL's side (a network cut): the process takes it again within a second
    const line = Number(/^SIM-(\d+)-/.exec((await callOf(attemptId)).providerCallId)![1]);
    const killed = await pgPool().query(
      `SELECT pg_terminate_backend(l."pid") AS "done" FROM pg_locks l WHERE l."locktype" = 'advisory' AND l."classid" = (${SIMULATOR_LINES_SQL})::oid AND l."objid" = $1::oid`, [line]);
    expect(killed.rows).toEqual([{ done: true }]);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await sweepLost()).toEqual([]);
    expect(await callOf(attemptId)).toMatchObject({ callStatus: "answered", outcome: null });
  });

  it("ends it « coupé », with no outcome; the agent, still there, records the one outcome", async () => {
    const { agent, attemptId } = await agentInCall(t.app);
    await answered(attemptId);
    await leftByAGoneProcess(attemptId);
    const ended = await sweepLost();
    expect(ended.map((a) => [a.id, a.callStatus, a.endReason, a.outcome])).toEqual([[attemptId, "ended", "process-gone", null]]);
    expect(await sweepLost()).toEqual([]); // once
    // the agent's card (after their console reconnects) says the call ended, and why
    const session = await agent.agent.get("/api/agent/session").expect(200);
    expect(session.body.card.openAttempt).toMatchObject({ id: attemptId, callStatus: "ended", endReason: "process-gone" });
    await agent.agent.post(`/api/attempts/${attemptId}/outcome`).set("x-csrf-token", agent.csrf).send({ outcome: "no_answer" }).expect(200);
    // the lease sweep has nothing left to interrupt: still one outcome, the agent's
    await inTransaction((c) => sweepExpiredHolds(c, new Date(Date.now() + (HOLD_LEASE_SECONDS + 5) * 1000)));
    expect(await outcomesOf(attemptId)).toEqual([{ outcome: "no_answer", outcomeBy: agent.user.id }]);
  });

  it("the agent gone too: the lease lapses and the attempt gets « interrompu », once", async () => {
    const { attemptId } = await agentInCall(t.app);
    await answered(attemptId);
    await leftByAGoneProcess(attemptId);
    expect(await sweepLost()).toHaveLength(1);
    const later = new Date(Date.now() + (HOLD_LEASE_SECONDS + 5) * 1000);
    await inTransaction((c) => sweepExpiredHolds(c, later));
    await inTransaction((c) => sweepExpiredHolds(c, new Date(later.getTime() + 60_000)));
    expect(await outcomesOf(attemptId)).toEqual([{ outcome: "interrupted", outcomeBy: "system" }]);
    expect(await callOf(attemptId)).toMatchObject({ callStatus: "ended", endReason: "process-gone" });
  });

  it("not judged right after PostgreSQL restarted (every line is free until its process takes it again)", async () => {
    const { attemptId } = await agentInCall(t.app);
    await answered(attemptId);
    await leftByAGoneProcess(attemptId);
    const { rows: [{ started }] } = await pgPool().query(`SELECT pg_postmaster_start_time() AS "started"`);
    expect(await sweepLost(new Date(started.getTime() + 5_000))).toEqual([]);
    expect((await callOf(attemptId)).callStatus).toBe("answered");
    expect(await sweepLost()).toHaveLength(1);
  });

  it("a process that stops ends its own calls at once", async () => {
    const other = await startTestApp();
    const { attemptId } = await agentInCall(other.app);
    await answered(attemptId);
    await other.close();
    expect(await callOf(attemptId)).toMatchObject({ callStatus: "ended", endReason: "process-gone", outcome: null });
  });
});
