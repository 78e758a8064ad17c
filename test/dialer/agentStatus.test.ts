// An agent's own state stays true to what they hold: no pause nor going offline during a call; a pause with an
// undialled patient hands the patient back; « Prêt » while holding one (another tab) keeps it and stays busy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgPool, withClient } from "../../server/pgPool.ts";
import { claimNextPatient } from "../../server/dialer/claimNextPatient.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { loginAs, startTestApp, type TestApp } from "../helpers/api.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const allDay = Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [["00:00", "24:00"]]]));

async function agentHolding() {
  const agent = await loginAs(t.app, "agent");
  const campaign = await makeCampaign(agent.user.organisationId, { status: "running" } as never);
  await pgPool().query(`UPDATE "Campaign" SET "callingWindows" = $2, "skipPublicHolidays" = false WHERE "id" = $1`, [campaign.id, allDay]);
  const [e] = await makeEnrolledPatients(agent.user.organisationId, campaign.id, 1);
  const ready = await agent.agent.post("/api/agent/status").set("x-csrf-token", agent.csrf).send({ status: "ready" }).expect(200);
  expect(ready.body).toMatchObject({ state: { status: "busy" }, card: { enrolmentId: e.id } });
  const status = (body: object) => agent.agent.post("/api/agent/status").set("x-csrf-token", agent.csrf).send(body);
  const enrolment = async () => (await pgPool().query(`SELECT "dialState", "heldBy" FROM "Enrolment" WHERE "id" = $1`, [e.id])).rows[0];
  return { agent, status, enrolment, e };
}

describe("an agent's own state", () => {
  it("« Prêt » again while holding a patient keeps the patient, and the agent busy", async () => {
    const { status, enrolment, agent } = await agentHolding();
    const again = await status({ status: "ready" }).expect(200);
    expect(again.body).toMatchObject({ state: { status: "busy" }, card: { patient: expect.any(Object) } });
    expect(await enrolment()).toEqual({ dialState: "held", heldBy: agent.user.id });
  });

  it("a pause with a patient not yet called hands the patient back", async () => {
    const { status, enrolment } = await agentHolding();
    const paused = await status({ status: "paused", pauseReason: "break" }).expect(200);
    expect(paused.body).toMatchObject({ state: { status: "paused", pauseReason: "break" }, card: null });
    expect(await enrolment()).toEqual({ dialState: "waiting", heldBy: null });
  });

  it("the console's automatic ask (« again ») after a pause leaves the agent paused and claims nobody; while ready, it claims", async () => {
    const { status, enrolment, e } = await agentHolding();
    await status({ status: "paused", pauseReason: "break" }).expect(200);
    const stale = await status({ status: "ready", again: true }).expect(200);
    expect(stale.body).toMatchObject({ state: { status: "paused", pauseReason: "break" }, card: null, noPatient: null });
    expect(await enrolment()).toEqual({ dialState: "waiting", heldBy: null });
    await status({ status: "offline" }).expect(200);
    expect((await status({ status: "ready", again: true }).expect(200)).body.state.status).toBe("offline");
    // ready with nobody due, then the patient comes due: the ask claims them as « Prêt » does
    await pgPool().query(`UPDATE "Enrolment" SET "dueAt" = now() + interval '1 hour' WHERE "id" = $1`, [e.id]);
    expect((await status({ status: "ready" }).expect(200)).body).toMatchObject({ state: { status: "ready" }, card: null });
    await pgPool().query(`UPDATE "Enrolment" SET "dueAt" = now() - interval '1 minute' WHERE "id" = $1`, [e.id]);
    expect((await status({ status: "ready", again: true }).expect(200)).body).toMatchObject({ state: { status: "busy" }, card: { enrolmentId: e.id } });
    expect((await status({ status: "paused", again: true }).expect(400)).body.error.message).toMatch(/« again » ne vaut que pour « ready »/);
  });

  it("a pause committed while a claim is on its way: the claim waits for it and hands the agent nobody", async () => {
    const { status, enrolment, agent } = await agentHolding();
    await status({ status: "offline" }).expect(200); // the patient handed back
    await pgPool().query(`UPDATE "AgentState" SET "status" = 'ready', "pauseReason" = NULL WHERE "userId" = $1`, [agent.user.id]);
    const pausing = await pgPool().connect();
    try {
      await pausing.query("BEGIN");
      await pausing.query(`UPDATE "AgentState" SET "status" = 'paused', "pauseReason" = 'break' WHERE "userId" = $1`, [agent.user.id]);
      const claiming = await pgPool().connect();
      try {
        const pid = (await claiming.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid;
        const claim = claimNextPatient(claiming, { id: agent.user.id, organisationId: agent.user.organisationId });
        // the claim is under way, waiting for the pause's lock on the agent's state
        for (let waiting = false; !waiting;) {
          await new Promise((r) => setTimeout(r, 10));
          waiting = (await pgPool().query(`SELECT wait_event_type = 'Lock' AS w FROM pg_stat_activity WHERE pid = $1`, [pid])).rows[0]?.w === true;
        }
        await pausing.query("COMMIT");
        expect(await claim).toBeNull();
      } finally {
        claiming.release();
      }
    } finally {
      pausing.release();
    }
    expect(await enrolment()).toEqual({ dialState: "waiting", heldBy: null });
    expect((await pgPool().query(`SELECT "status" FROM "AgentState" WHERE "userId" = $1`, [agent.user.id])).rows[0].status).toBe("paused");
    expect(await withClient((c) => claimNextPatient(c, { id: agent.user.id, organisationId: agent.user.organisationId }))).toBeNull();
  });

  it("an agent reads where their call stands (its outcome and who recorded it); another agent's call is not found", async () => {
    const { agent } = await agentHolding();
    const call = (await agent.agent.post("/api/agent/call").set("x-csrf-token", agent.csrf).expect(201)).body;
    expect((await agent.agent.get(`/api/attempts/${call.attemptId}`).expect(200)).body).toEqual({ id: call.attemptId, outcome: null, outcomeLabel: null, recordedBy: null });
    await agent.agent.post(`/api/attempts/${call.attemptId}/outcome`).set("x-csrf-token", agent.csrf).send({ outcome: "busy" }).expect(200);
    expect((await agent.agent.get(`/api/attempts/${call.attemptId}`).expect(200)).body).toEqual({ id: call.attemptId, outcome: "busy", outcomeLabel: "Occupé", recordedBy: "agent" });
    const colleague = await loginAs(t.app, "agent", agent.user.organisationId);
    await colleague.agent.get(`/api/attempts/${call.attemptId}`).expect(404);
  });

  it("no pause nor going offline during a call: refused in French, nothing changed", async () => {
    const { status, enrolment, agent } = await agentHolding();
    await agent.agent.post("/api/agent/call").set("x-csrf-token", agent.csrf).expect(201);
    for (const body of [{ status: "paused", pauseReason: "training" }, { status: "offline" }, { status: "ready" }]) {
      expect((await status(body).expect(409)).body.error.message).toBe("Vous êtes en appel : notez d'abord le résultat de l'appel.");
    }
    expect(await enrolment()).toEqual({ dialState: "held", heldBy: agent.user.id });
    const { rows: [state] } = await pgPool().query(`SELECT "status" FROM "AgentState" WHERE "userId" = $1`, [agent.user.id]);
    expect(state.status).toBe("busy");
  });
});
