// An attempt with its outcome is a call the product has finished: recording "no answer" while it still rings, or a
// supervisor releasing the patient mid-call, hangs it up with the provider (here the simulator) at once, so a patient
// who picks up a moment later does not find nobody on the line, and no late event reaches the agent's next call.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { pgPool } from "../../server/pgPool.ts";
import { db } from "../../server/db.ts";
import { loginAs, startTestApp, type TestApp } from "../helpers/api.ts";
import { agentInCall as callWithAgent } from "../helpers/agentInCall.ts";

// A person answers every simulated call: none ends by itself (busy after 1 s…) before the test ends it.
vi.hoisted(() => {
  process.env.SIMULATOR_RATES = "1,0,0";
});

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const agentInCall = () => callWithAgent(t.app);

const callOf = async (attemptId: string) =>
  (await pgPool().query(`SELECT "callStatus", "endReason", "outcome" FROM "CallAttempt" WHERE "id" = $1`, [attemptId])).rows[0];

describe("the outcome ends the call", () => {
  it("« pas de réponse » recorded while it rings: the simulated call is hung up at once", async () => {
    const { agent, attemptId } = await agentInCall();
    await agent.agent.post(`/api/attempts/${attemptId}/outcome`).set("x-csrf-token", agent.csrf).send({ outcome: "no_answer" }).expect(200);
    // not hung up, it would still ring (a person answers every call here)
    expect(await callOf(attemptId)).toEqual({ callStatus: "ended", endReason: "completed", outcome: "no_answer" });
  });

  it("a supervisor's release mid-call hangs it up too", async () => {
    const { attemptId, enrolmentId, orgId } = await agentInCall();
    const sup = await loginAs(t.app, "supervisor", orgId);
    await sup.agent.post(`/api/supervision/holds/${enrolmentId}/release`).set("x-csrf-token", sup.csrf).expect(200);
    expect(await callOf(attemptId)).toEqual({ callStatus: "ended", endReason: "completed", outcome: "interrupted" });
  });

  it("an agent deactivated mid-call: the call ends « interrupted », the patient goes back at once, the agent is offline", async () => {
    const { agent, attemptId, enrolmentId, orgId } = await agentInCall();
    const admin = await loginAs(t.app, "admin", orgId);
    await admin.agent.patch(`/api/users/${agent.user.id}`).set("x-csrf-token", admin.csrf).send({ active: false }).expect(200);
    expect(await callOf(attemptId)).toEqual({ callStatus: "ended", endReason: "completed", outcome: "interrupted" });
    const { rows: [e] } = await pgPool().query(`SELECT "dialState", "heldBy" FROM "Enrolment" WHERE "id" = $1`, [enrolmentId]);
    expect(e).toEqual({ dialState: "waiting", heldBy: null });
    const { rows: [state] } = await pgPool().query(`SELECT "status" FROM "AgentState" WHERE "userId" = $1`, [agent.user.id]);
    expect(state.status).toBe("offline");
    await agent.agent.get("/api/agent/session").expect(401);
  });

  it("an agent who logs out mid-call (their last session): the same, instead of ringing on until the lease lapses", async () => {
    const { agent, attemptId, enrolmentId } = await agentInCall();
    await agent.agent.post("/api/auth/logout").set("x-csrf-token", agent.csrf).expect(204);
    expect(await callOf(attemptId)).toEqual({ callStatus: "ended", endReason: "completed", outcome: "interrupted" });
    const { rows: [e] } = await pgPool().query(`SELECT "dialState", "heldBy" FROM "Enrolment" WHERE "id" = $1`, [enrolmentId]);
    expect(e).toEqual({ dialState: "waiting", heldBy: null });
    const { rows: [state] } = await pgPool().query(`SELECT "status" FROM "AgentState" WHERE "userId" = $1`, [agent.user.id]);
    expect(state.status).toBe("offline");
  });

  it("an agent still signed in elsewhere keeps their call when one session logs out", async () => {
    const { agent, attemptId } = await agentInCall();
    // signed in on another computer too
    await db().session.create({ data: { id: `other-${agent.user.id}`, userId: agent.user.id, csrfToken: "x", expiresAt: new Date(Date.now() + 3_600_000) } });
    await agent.agent.post("/api/auth/logout").set("x-csrf-token", agent.csrf).expect(204);
    expect((await callOf(attemptId)).outcome).toBeNull();
  });
});
