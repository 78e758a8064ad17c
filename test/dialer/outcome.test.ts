// Rule 3: one outcome per attempt, durable, written once; and what each outcome does next.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { inTransaction, withClient } from "../../server/pgPool.ts";
import { claimNextPatient } from "../../server/dialer/claimNextPatient.ts";
import { startCall } from "../../server/dialer/startCall.ts";
import { recordOutcome, type OutcomeInput } from "../../server/dialer/recordOutcome.ts";
import { sweepExpiredHolds } from "../../server/dialer/sweepExpiredHolds.ts";
import { HOLD_LEASE_SECONDS } from "../../server/dialer/holdLease.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";

const T0 = new Date("2026-11-24T10:00:00Z"); // Tuesday 11:00 Paris
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
let orgId: string;
let campaignId: string;

beforeAll(async () => {
  orgId = (await makeOrganisation()).id;
  campaignId = (await makeCampaign(orgId, { status: "running" } as never)).id;
});
afterAll(() => undefined);

async function newAgent() {
  return { id: (await makeUser(orgId, "agent")).user.id, organisationId: orgId };
}

/** An agent takes a fresh patient, calls, and records `input` at minute `m`. */
async function callAndRecord(input: OutcomeInput, m = 0) {
  const agent = await newAgent();
  const [patient] = await makeEnrolledPatients(orgId, campaignId, 1, { dueAt: at(m - 1) });
  await db().enrolment.updateMany({ where: { campaignId, id: { not: patient.id }, dialState: "waiting" }, data: { dueAt: at(100_000) } });
  const claim = await withClient((c) => claimNextPatient(c, agent, at(m)));
  expect(claim?.enrolmentId).toBe(patient.id);
  const call = await withClient((c) => startCall(c, agent, patient.id, at(m)));
  const result = await withClient((c) => recordOutcome(c, agent, call.attemptId, input, at(m + 1)));
  return { agent, patient, call, result };
}

describe("recordOutcome", () => {
  it("no answer: retried after the campaign's delay; after two on one number, the other phone", async () => {
    const { agent, patient, call, result } = await callAndRecord({ outcome: "no_answer" });
    expect(call.phone).toBe("+33612345678");
    expect(result).toMatchObject({ dialState: "waiting", outcome: "no_answer" });
    expect(result.dueAt.getTime()).toBe(at(1 + 240).getTime());
    // second no-answer on the same number → rotation to the fixed line
    expect((await withClient((c) => claimNextPatient(c, agent, at(300))))?.enrolmentId).toBe(patient.id);
    const second = await withClient((c) => startCall(c, agent, patient.id, at(300)));
    expect(second.phone).toBe("+33612345678");
    await withClient((c) => recordOutcome(c, agent, second.attemptId, { outcome: "no_answer" }, at(301)));
    const nextMorning = 23 * 60; // 10:00 Paris the next day (20:01 today is past the last window)
    expect((await withClient((c) => claimNextPatient(c, agent, at(nextMorning))))?.enrolmentId).toBe(patient.id);
    const third = await withClient((c) => startCall(c, agent, patient.id, at(nextMorning)));
    expect(third.phone).toBe("+33477123456");
    expect(third.attemptNumber).toBe(3);
  });

  it("the outcome is written once: a second one is refused, and the database refuses a rewrite", async () => {
    const { agent, call, result } = await callAndRecord({ outcome: "busy" });
    await expect(withClient((c) => recordOutcome(c, agent, call.attemptId, { outcome: "reached" }))).rejects.toThrow("Le résultat de cet appel est déjà enregistré : « Occupé », par vous.");
    // the same outcome sent again by its agent (its answer was lost with the connection): answered as stored, nothing written
    const attemptsBefore = (await db().enrolment.findUniqueOrThrow({ where: { id: result.enrolmentId } })).attempts;
    const replay = await withClient((c) => recordOutcome(c, agent, call.attemptId, { outcome: "busy" }, at(5)));
    expect(replay).toMatchObject({ replayed: true, outcome: "busy", enrolmentId: result.enrolmentId, dialState: "waiting" });
    expect(replay.dueAt.getTime()).toBe(result.dueAt.getTime());
    expect((await db().enrolment.findUniqueOrThrow({ where: { id: result.enrolmentId } })).attempts).toBe(attemptsBefore);
    await expect(withClient((c) => recordOutcome(c, agent, call.attemptId, { outcome: "busy", comment: "autre chose" }))).rejects.toThrow(/déjà enregistré/);
    const colleague = { id: (await makeUser(agent.organisationId, "agent")).user.id, organisationId: agent.organisationId };
    await expect(withClient((c) => recordOutcome(c, colleague, call.attemptId, { outcome: "reached" }))).rejects.toThrow("Cet appel est celui d'un autre agent");
    await expect(db().$executeRaw`UPDATE "CallAttempt" SET "outcome" = 'reached' WHERE "id" = ${call.attemptId}::uuid`).rejects.toThrow(/already has its outcome/);
    expect((await db().callAttempt.findUniqueOrThrow({ where: { id: call.attemptId } })).outcome).toBe("busy");
  });

  it("has an MT / opposed / deceased end the patient's calls, and update the patient", async () => {
    const mt = await callAndRecord({ outcome: "has_mt" });
    expect(mt.result).toMatchObject({ dialState: "done", doneReason: "has_mt" });
    expect((await db().patient.findUniqueOrThrow({ where: { id: mt.patient.patientId } })).hasMt).toBe(true);
    const opposed = await callAndRecord({ outcome: "opposed" });
    expect(opposed.result.doneReason).toBe("opposed");
    expect((await db().patient.findUniqueOrThrow({ where: { id: opposed.patient.patientId } })).optOut).toBe(true);
  });

  it("callback: due at the asked time, reserved for the same agent; must be in the future", async () => {
    const when = at(60 * 24 * 5); // a Sunday, outside the windows: allowed for a requested callback
    const { agent, result } = await callAndRecord({ outcome: "callback", callbackAt: when });
    expect(result).toMatchObject({ dialState: "waiting" });
    const e = await db().enrolment.findUniqueOrThrow({ where: { id: result.enrolmentId } });
    expect(e.callbackAgentId).toBe(agent.id);
    expect(e.callbackAt?.toISOString()).toBe(when.toISOString());
    await expect(callAndRecord({ outcome: "callback", callbackAt: at(-5) })).rejects.toThrow("La date de rappel doit être dans le futur.");
    // within a year of the moment it is asked for (the clock of the outcome, here T0), not in 2099
    await expect(callAndRecord({ outcome: "callback", callbackAt: at(60 * 24 * 366) })).rejects.toThrow("La date de rappel doit être dans moins d'un an (vérifiez l'année).");
    expect((await callAndRecord({ outcome: "callback", callbackAt: at(60 * 24 * 364) })).result.dueAt.toISOString()).toBe(at(60 * 24 * 364).toISOString());
  });

  it("stops after the maximum attempts within the period", async () => {
    await db().campaign.update({ where: { id: campaignId }, data: { maxAttempts: 2 } });
    try {
      const { agent, patient, result } = await callAndRecord({ outcome: "busy" });
      expect(result.dialState).toBe("waiting");
      await withClient((c) => claimNextPatient(c, agent, at(40)));
      const second = await withClient((c) => startCall(c, agent, patient.id, at(40)));
      const last = await withClient((c) => recordOutcome(c, agent, second.attemptId, { outcome: "busy" }, at(41)));
      expect(last).toMatchObject({ dialState: "done", doneReason: "max_attempts" });
    } finally {
      await db().campaign.update({ where: { id: campaignId }, data: { maxAttempts: 4 } });
    }
  });

  it("'other' needs a comment; a wrong number is never dialled again", async () => {
    await expect(callAndRecord({ outcome: "other" })).rejects.toThrow(/commentaire/);
    const { agent, patient } = await callAndRecord({ outcome: "wrong_number" });
    await withClient((c) => claimNextPatient(c, agent, at(5)));
    const next = await withClient((c) => startCall(c, agent, patient.id, at(5)));
    expect(next.phone).toBe("+33477123456");
  });
});

describe("lapsed holds", () => {
  it("an agent who vanishes mid-call: the attempt gets exactly one outcome, 'interrupted', and the patient is due again at once", async () => {
    orgId = (await makeOrganisation()).id;
    campaignId = (await makeCampaign(orgId, { status: "running" } as never)).id;
    const agent = await newAgent();
    const [patient] = await makeEnrolledPatients(orgId, campaignId, 1, { dueAt: at(-1) });
    await db().enrolment.updateMany({ where: { campaignId, id: { not: patient.id }, dialState: "waiting" }, data: { dueAt: at(100_000) } });
    await withClient((c) => claimNextPatient(c, agent, at(0)));
    const call = await withClient((c) => startCall(c, agent, patient.id, at(0)));
    // not yet lapsed: nothing swept
    expect(await inTransaction((c) => sweepExpiredHolds(c, at(1)))).toEqual([]);
    const later = new Date(at(0).getTime() + (HOLD_LEASE_SECONDS + 1) * 1000);
    const swept = await inTransaction((c) => sweepExpiredHolds(c, later));
    expect(swept.map((s) => s.id)).toContain(patient.id);
    const attempts = await db().callAttempt.findMany({ where: { enrolmentId: patient.id } });
    expect(attempts.map((a) => a.outcome)).toEqual(["interrupted"]);
    const e = await db().enrolment.findUniqueOrThrow({ where: { id: patient.id } });
    expect(e).toMatchObject({ dialState: "waiting", heldBy: null });
    expect(e.dueAt.getTime()).toBeLessThanOrEqual(later.getTime());
    // sweeping again changes nothing; the late outcome from the vanished agent is refused
    expect(await inTransaction((c) => sweepExpiredHolds(c, later))).toEqual([]);
    await expect(withClient((c) => recordOutcome(c, agent, call.attemptId, { outcome: "reached" }, later))).rejects.toThrow("déjà enregistré : « Interrompu », par le système.");
    // and another agent gets the patient back
    const other = await newAgent();
    expect((await withClient((c) => claimNextPatient(c, other, later)))?.enrolmentId).toBe(patient.id);
  });
});
