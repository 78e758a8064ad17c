// « Prêt » in each dial mode, through the console's routes: progressive starts the call by itself and answers the card
// with it; preview waits for « Appeler ». Either way the patient's identity is read, and audited, once per card shown.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgPool } from "../../server/pgPool.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { loginAs, startTestApp, type TestApp } from "../helpers/api.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const allDay = Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [["00:00", "24:00"]]]));

async function agentOfCampaign(dialMode: "preview" | "progressive") {
  const agent = await loginAs(t.app, "agent");
  const campaign = await makeCampaign(agent.user.organisationId, { status: "running" } as never);
  await pgPool().query(`UPDATE "Campaign" SET "callingWindows" = $2, "skipPublicHolidays" = false, "dialMode" = $3 WHERE "id" = $1`, [campaign.id, allDay, dialMode]);
  const [e] = await makeEnrolledPatients(agent.user.organisationId, campaign.id, 1);
  const post = (path: string, body: object = {}) => agent.agent.post(`/api/agent${path}`).set("x-csrf-token", agent.csrf).send(body);
  const attempts = async () => (await pgPool().query(`SELECT "id", "outcome" FROM "CallAttempt" WHERE "enrolmentId" = $1`, [e.id])).rows;
  const identityReads = async () => (await pgPool().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "AuditLog" WHERE "actorUserId" = $1 AND "action" = 'patient.identity.read' AND "targetId" = $2`, [agent.user.id, e.patientId])).rows[0].n;
  return { agent, e, post, attempts, identityReads };
}

describe("dial modes", () => {
  it("progressive: « Prêt » answers the card with its call already placed, one attempt, one audited read", async () => {
    const { e, post, attempts, identityReads } = await agentOfCampaign("progressive");
    const ready = await post("/status", { status: "ready" }).expect(200);
    expect(ready.body).toMatchObject({ state: { status: "busy" }, card: { enrolmentId: e.id, campaign: { dialMode: "progressive" } } });
    const [attempt] = await attempts();
    expect(ready.body.card.openAttempt).toMatchObject({ id: attempt.id, provider: "simulator" });
    expect(await attempts()).toHaveLength(1);
    expect(await identityReads()).toBe(1);
    // the console's automatic ask while the call is open changes nothing: no second attempt
    const again = await post("/status", { status: "ready", again: true }).expect(200);
    expect(again.body.card.openAttempt.id).toBe(attempt.id);
    expect(await attempts()).toHaveLength(1);
  });

  it("preview: « Prêt » answers the card without a call; « Appeler » places it without reading the identity again", async () => {
    const { e, post, attempts, identityReads } = await agentOfCampaign("preview");
    const ready = await post("/status", { status: "ready" }).expect(200);
    expect(ready.body.card).toMatchObject({ enrolmentId: e.id, openAttempt: null });
    expect(await attempts()).toHaveLength(0);
    expect(await identityReads()).toBe(1);
    const call = await post("/call").expect(201);
    expect(await attempts()).toEqual([{ id: call.body.attemptId, outcome: null }]);
    expect(await identityReads()).toBe(1);
    await post("/call").expect(409); // one open call per patient
    await post("/release").expect(409); // a call awaits its outcome: nothing to hand back
  });

  it("« Appeler » with no patient held: refused in French", async () => {
    const { post } = await agentOfCampaign("preview");
    expect((await post("/call").expect(409)).body.error).toEqual({ code: "no_patient", message: "Vous ne tenez aucun patient." });
  });
});
