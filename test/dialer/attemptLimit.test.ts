// No call beyond the attempt limit: calls that rang and were then interrupted (a console that vanished, a supervisor's
// release) count; a limit lowered by the coordinator holds from the next claim; an interrupted attempt that never left
// (the provider had not placed it) does not count.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { inTransaction, pgPool, withClient } from "../../server/pgPool.ts";
import { claimNextPatient } from "../../server/dialer/claimNextPatient.ts";
import { startCall } from "../../server/dialer/startCall.ts";
import { recordOutcome } from "../../server/dialer/recordOutcome.ts";
import { sweepExpiredHolds } from "../../server/dialer/sweepExpiredHolds.ts";
import { setAgentStatus } from "../../server/dialer/setAgentStatus.ts";
import { assertCallable, loadDialFacts } from "../../server/dialer/checkCallable.ts";
import { explainNotCalled } from "../../server/dialer/explainNotCalled.ts";
import { HOLD_LEASE_SECONDS } from "../../server/dialer/holdLease.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";

const T0 = new Date("2026-11-24T10:00:00Z"); // Tuesday 11:00 Paris
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const lapsed = (m: number) => new Date(at(m).getTime() + (HOLD_LEASE_SECONDS + 1) * 1000);
let orgId: string;

beforeAll(async () => {
  orgId = (await makeOrganisation()).id;
});

/** A running campaign of one patient, and an agent. */
async function onePatient(maxAttempts: number) {
  const campaign = await makeCampaign(orgId);
  await db().campaign.update({ where: { id: campaign.id }, data: { status: "running", maxAttempts } });
  const [patient] = await makeEnrolledPatients(orgId, campaign.id, 1, { dueAt: at(-1) });
  const agent = { id: (await makeUser(orgId, "agent")).user.id, organisationId: orgId };
  return { campaign, patient, agent };
}

/** The agent back at their console after the sweeper took them offline: « Prêt » again. */
const backReady = (agent: { id: string; organisationId: string }, now: Date) => setAgentStatus(pgPool(), agent, "ready", null, now);

const stateOf = async (id: string) => (await pgPool().query(`SELECT "dialState", "doneReason" FROM "Enrolment" WHERE "id" = $1`, [id])).rows[0];

describe("the attempt limit", () => {
  it("counts a call that rang and was interrupted: at the limit, the patient is not handed out again", async () => {
    const { patient, agent } = await onePatient(2);
    for (const m of [0, 10]) {
      expect((await withClient((c) => claimNextPatient(c, agent, at(m))))?.enrolmentId).toBe(patient.id);
      const call = await withClient((c) => startCall(c, agent, patient.id, at(m)));
      await pgPool().query(`UPDATE "CallAttempt" SET "callStatus" = 'ringing' WHERE "id" = $1`, [call.attemptId]); // the provider said it rang
      expect((await inTransaction((c) => sweepExpiredHolds(c, lapsed(m)))).map((s) => s.id)).toContain(patient.id); // the console vanished
      await backReady(agent, lapsed(m));
    }
    expect(await withClient((c) => claimNextPatient(c, agent, at(20)))).toBeNull();
    expect(await stateOf(patient.id)).toEqual({ dialState: "done", doneReason: "max_attempts" });
    expect((await pgPool().query(`SELECT "status" FROM "AgentState" WHERE "userId" = $1`, [agent.id])).rows[0].status).not.toBe("busy");
  });

  it("does not count an interrupted attempt that never rang", async () => {
    const { patient, agent } = await onePatient(1);
    expect((await withClient((c) => claimNextPatient(c, agent, at(0))))?.enrolmentId).toBe(patient.id);
    await withClient((c) => startCall(c, agent, patient.id, at(0))); // no event from the provider: still « created »
    await inTransaction((c) => sweepExpiredHolds(c, lapsed(0)));
    await backReady(agent, lapsed(0));
    expect((await withClient((c) => claimNextPatient(c, agent, at(10))))?.enrolmentId).toBe(patient.id);
  });

  it("holds a limit lowered since the last call, at the claim and at the moment of dialling", async () => {
    const { campaign, patient, agent } = await onePatient(4);
    for (const m of [0, 245]) {
      expect((await withClient((c) => claimNextPatient(c, agent, at(m))))?.enrolmentId).toBe(patient.id);
      const call = await withClient((c) => startCall(c, agent, patient.id, at(m)));
      await withClient((c) => recordOutcome(c, agent, call.attemptId, { outcome: "no_answer" }, at(m + 1)));
    }
    // Held, then the coordinator lowers the limit to the two calls already made: no third call.
    expect((await withClient((c) => claimNextPatient(c, agent, at(490))))?.enrolmentId).toBe(patient.id);
    await db().campaign.update({ where: { id: campaign.id }, data: { maxAttempts: 2 } });
    const facts = (await withClient((c) => loadDialFacts(c, { enrolmentId: patient.id }, { lock: false })))!;
    expect(() => assertCallable(facts, agent.id, at(490))).toThrow("Nombre maximal de tentatives atteint (2 en 30 jours) : pas d'appel.");
    await expect(withClient((c) => startCall(c, agent, patient.id, at(490)))).rejects.toThrow(/Nombre maximal de tentatives atteint/);
    // Released (the agent pauses): the next claim ends the patient's calls instead of handing them out.
    await pgPool().query(`UPDATE "Enrolment" SET "dialState" = 'waiting', "heldBy" = NULL, "heldUntil" = NULL WHERE "id" = $1`, [patient.id]);
    const why = await explainNotCalled(pgPool(), { organisationId: orgId, campaignId: campaign.id }, patient.id, at(491));
    expect(why.reasons.map((r) => r.code)).toContain("attempt_limit");
    expect(await withClient((c) => claimNextPatient(c, agent, at(491)))).toBeNull();
    expect(await stateOf(patient.id)).toEqual({ dialState: "done", doneReason: "max_attempts" });
  });
});
