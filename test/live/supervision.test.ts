// The supervisor's board adds up from the database, and the supervisor's actions keep the rules:
// a released patient's open attempt gets exactly one outcome; every action is in the audit log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction, pgPool, withClient } from "../../server/pgPool.ts";
import { claimNextPatient } from "../../server/dialer/claimNextPatient.ts";
import { startCall } from "../../server/dialer/startCall.ts";
import { recordOutcome } from "../../server/dialer/recordOutcome.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { makeUser } from "../factories/organisations.ts";
import { loginAs, startTestApp, type TestApp } from "../helpers/api.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const NOW = new Date();
const auditOf = async (action: string, targetId: string) =>
  (await pgPool().query(`SELECT "actorUserId" FROM "AuditLog" WHERE "action" = $1 AND "targetId" = $2`, [action, targetId])).rows;

describe("supervision", () => {
  it("the board counts calls, reached, handle time and the funnel; occupancy from time ready and time in calls", async () => {
    const sup = await loginAs(t.app, "supervisor");
    const orgId = sup.user.organisationId;
    const allDay = Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [["00:00", "23:59"]]]));
    const campaign = await makeCampaign(orgId, { status: "running" } as never);
    await pgPool().query(`UPDATE "Campaign" SET "callingWindows" = $2, "skipPublicHolidays" = false WHERE "id" = $1`, [campaign.id, allDay]);
    await makeEnrolledPatients(orgId, campaign.id, 5);
    const agent = await loginAs(t.app, "agent", orgId);
    await agent.agent.post("/api/agent/status").set("x-csrf-token", agent.csrf).send({ status: "ready" }).expect(200);
    const session = (await agent.agent.get("/api/agent/session").expect(200)).body;
    const call = await agent.agent.post("/api/agent/call").set("x-csrf-token", agent.csrf).expect(201);
    await agent.agent.post(`/api/attempts/${call.body.attemptId}/outcome`).set("x-csrf-token", agent.csrf).send({ outcome: "reached" }).expect(200);
    expect(session.card).not.toBeNull();

    const board = (await sup.agent.get("/api/supervision/board").expect(200)).body;
    const row = board.agents.find((a: { userId: string }) => a.userId === agent.user.id);
    expect(row).toMatchObject({ callsToday: 1, reachedToday: 1, status: "wrap_up" });
    expect(row.handleSeconds).toBeGreaterThanOrEqual(0);
    expect(row.occupancy).toBeGreaterThan(0);
    expect(row.occupancy).toBeLessThanOrEqual(1);
    const live = board.campaigns.find((c: { id: string }) => c.id === campaign.id);
    expect(live.funnel).toMatchObject({ imported: 5, eligible: 5, called: 1, reached: 1, oriented: 0 });
    expect(board.outcomesByHour.reduce((s: number, r: { n: number }) => s + r.n, 0)).toBe(1);
    expect(JSON.stringify(board)).not.toMatch(/PATIENT\d/); // no patient identity on the board
    // an agent may not read it
    await agent.agent.get("/api/supervision/board").expect(403);
  });

  it("releasing a patient held too long ends its open call with one 'interrupted' outcome and puts the patient back; logged", async () => {
    const sup = await loginAs(t.app, "supervisor");
    const orgId = sup.user.organisationId;
    const campaign = await makeCampaign(orgId, { status: "running" } as never);
    const [e] = await makeEnrolledPatients(orgId, campaign.id, 1);
    const agent = { id: (await makeUser(orgId, "agent")).user.id, organisationId: orgId };
    const TUESDAY = new Date("2026-11-24T10:00:00Z");
    await withClient((c) => claimNextPatient(c, agent, TUESDAY));
    const call = await withClient((c) => startCall(c, agent, e.id, TUESDAY));
    await sup.agent.post(`/api/supervision/holds/${e.id}/release`).set("x-csrf-token", sup.csrf).expect(200);
    const attempt = (await pgPool().query(`SELECT "outcome", "outcomeBy" FROM "CallAttempt" WHERE "id" = $1`, [call.attemptId])).rows[0];
    expect(attempt).toEqual({ outcome: "interrupted", outcomeBy: sup.user.id });
    expect((await pgPool().query(`SELECT "dialState", "heldBy" FROM "Enrolment" WHERE "id" = $1`, [e.id])).rows[0]).toEqual({ dialState: "waiting", heldBy: null });
    // the agent left without a patient waits in a pause, not "busy" with nobody
    expect((await pgPool().query(`SELECT "status", "pauseReason" FROM "AgentState" WHERE "userId" = $1`, [agent.id])).rows[0]).toEqual({ status: "paused", pauseReason: "supervisor" });
    // the agent's late outcome is refused: still exactly one
    await expect(withClient((c) => recordOutcome(c, agent, call.attemptId, { outcome: "reached" }))).rejects.toThrow(/déjà enregistré/);
    await sup.agent.post(`/api/supervision/holds/${e.id}/release`).set("x-csrf-token", sup.csrf).expect(409);
    expect(await auditOf("supervision.release_patient", e.id)).toEqual([{ actorUserId: sup.user.id }]);
  });

  it("forcing a pause refuses an agent in a call, and pauses one between calls, logged; callbacks can be given to another agent", async () => {
    const sup = await loginAs(t.app, "supervisor");
    const orgId = sup.user.organisationId;
    const campaign = await makeCampaign(orgId, { status: "running" } as never);
    const [e, f] = await makeEnrolledPatients(orgId, campaign.id, 2);
    const agent = { id: (await makeUser(orgId, "agent")).user.id, organisationId: orgId };
    const other = (await makeUser(orgId, "agent")).user;
    const TUESDAY = new Date("2026-11-24T10:00:00Z");
    const claim = await withClient((c) => claimNextPatient(c, agent, TUESDAY));
    const call = await withClient((c) => startCall(c, agent, claim!.enrolmentId, TUESDAY));
    const refused = await sup.agent.post(`/api/supervision/agents/${agent.id}/pause`).set("x-csrf-token", sup.csrf).expect(409);
    expect(refused.body.error.message).toMatch(/est en appel/);
    await withClient((c) => recordOutcome(c, agent, call.attemptId, { outcome: "callback", callbackAt: new Date(Date.now() + 3_600_000) }, NOW));
    await sup.agent.post(`/api/supervision/agents/${agent.id}/pause`).set("x-csrf-token", sup.csrf).expect(200);
    expect((await pgPool().query(`SELECT "status", "pauseReason" FROM "AgentState" WHERE "userId" = $1`, [agent.id])).rows[0]).toEqual({ status: "paused", pauseReason: "supervisor" });
    expect(await auditOf("supervision.pause_agent", agent.id)).toHaveLength(1);
    const callbackId = claim!.enrolmentId;
    expect([e.id, f.id]).toContain(callbackId);
    await sup.agent.post(`/api/supervision/callbacks/${callbackId}/reassign`).set("x-csrf-token", sup.csrf).send({ agentId: other.id }).expect(200);
    expect((await pgPool().query(`SELECT "callbackAgentId" FROM "Enrolment" WHERE "id" = $1`, [callbackId])).rows[0].callbackAgentId).toBe(other.id);
    // another organisation's supervisor can do none of it
    const stranger = await loginAs(t.app, "supervisor");
    await stranger.agent.post(`/api/supervision/callbacks/${callbackId}/reassign`).set("x-csrf-token", stranger.csrf).send({ agentId: null }).expect(404);
    await stranger.agent.post(`/api/supervision/agents/${agent.id}/pause`).set("x-csrf-token", stranger.csrf).expect(404);
  });

  it("pausing a campaign gives back the patients held without a call (their agents ready again); a call in progress keeps its patient", async () => {
    const coordinator = await loginAs(t.app, "coordinator");
    const orgId = coordinator.user.organisationId;
    const allDay = Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [["00:00", "23:59"]]]));
    const campaign = await makeCampaign(orgId, { status: "running" } as never);
    await pgPool().query(`UPDATE "Campaign" SET "callingWindows" = $2, "skipPublicHolidays" = false WHERE "id" = $1`, [campaign.id, allDay]);
    await makeEnrolledPatients(orgId, campaign.id, 2);
    const [idle, calling] = [await loginAs(t.app, "agent", orgId), await loginAs(t.app, "agent", orgId)];
    for (const a of [idle, calling]) await a.agent.post("/api/agent/status").set("x-csrf-token", a.csrf).send({ status: "ready" }).expect(200);
    const call = await calling.agent.post("/api/agent/call").set("x-csrf-token", calling.csrf).expect(201);
    const heldBy = async (agentId: string) => (await pgPool().query(`SELECT count(*)::int AS n FROM "Enrolment" WHERE "heldBy" = $1`, [agentId])).rows[0].n;
    expect([await heldBy(idle.user.id), await heldBy(calling.user.id)]).toEqual([1, 1]);

    await coordinator.agent.post(`/api/campaigns/${campaign.id}/status`).set("x-csrf-token", coordinator.csrf).send({ status: "paused" }).expect(200);
    expect([await heldBy(idle.user.id), await heldBy(calling.user.id)]).toEqual([0, 1]);
    expect((await idle.agent.get("/api/agent/session").expect(200)).body).toMatchObject({ card: null, state: { status: "ready" } });
    // the call in progress still gets its outcome
    await calling.agent.post(`/api/attempts/${call.body.attemptId}/outcome`).set("x-csrf-token", calling.csrf).send({ outcome: "no_answer" }).expect(200);
  });
});
