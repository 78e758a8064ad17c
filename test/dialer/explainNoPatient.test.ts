// "Prêt", and nobody: the console says why, in French, from PostgreSQL — and each explanation agrees with what the claim
// did at the same moment (it returned nothing just before).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { pgPool, withClient } from "../../server/pgPool.ts";
import { claimNextPatient } from "../../server/dialer/claimNextPatient.ts";
import { explainNoPatient } from "../../server/dialer/explainNoPatient.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";
import { loginAs, startTestApp, type TestApp } from "../helpers/api.ts";

const TUESDAY_11H = new Date("2026-11-24T10:00:00Z"); // inside the default windows (Paris)
const TUESDAY_21H30 = new Date("2026-11-24T20:30:00Z"); // after the last one (20:00)
const WEDNESDAY_10H = new Date("2026-11-25T09:00:00Z");

type Agent = { id: string; organisationId: string };
async function setUp(status: "running" | "paused" = "running") {
  const org = await makeOrganisation();
  const campaign = await makeCampaign(org.id, { name: "Plateau nord" });
  await db().campaign.update({ where: { id: campaign.id }, data: { status } });
  const agent: Agent = { id: (await makeUser(org.id, "agent", { name: "Camille Agent" })).user.id, organisationId: org.id };
  return { org, campaign, agent };
}
/** The claim first (it must find nobody), then the explanation at the same moment. */
async function nobody(agent: Agent, now: Date) {
  expect(await withClient((c) => claimNextPatient(c, agent, now))).toBeNull();
  return explainNoPatient(pgPool(), agent, now);
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("explainNoPatient", () => {
  it("no campaign running: none at all, or the agent's own campaign paused", async () => {
    const { campaign, agent } = await setUp("paused");
    expect(await nobody(agent, TUESDAY_11H)).toEqual({
      code: "no_running_campaign", nextPossibleAt: null,
      reasons: [{ code: "no_running_campaign", campaign: null, at: null, text: "Aucune campagne n'est en cours : votre campagne « Plateau nord » est en pause." }],
    });
    await db().campaign.update({ where: { id: campaign.id }, data: { status: "closed" } });
    expect((await nobody(agent, TUESDAY_11H)).reasons.map((r) => r.text)).toEqual(["Aucune campagne n'est en cours dans votre organisation."]);
  });

  it("campaigns run, but for other agents or teams (campaignAgents.ts's definition)", async () => {
    const { org, campaign, agent } = await setUp();
    await makeEnrolledPatients(org.id, campaign.id, 2);
    const other = await makeUser(org.id, "agent");
    await db().campaign.update({ where: { id: campaign.id }, data: { agentIds: [other.user.id] } });
    expect(await nobody(agent, TUESDAY_11H)).toMatchObject({
      code: "not_on_campaign",
      reasons: [{ text: "La campagne en cours, « Plateau nord », est confiée à d'autres agents ou équipes (vous n'êtes dans aucune équipe) : demandez à la coordination de vous y ajouter." }],
    });
    const second = await makeCampaign(org.id, { name: "Plateau sud" });
    await db().campaign.update({ where: { id: second.id }, data: { status: "running", agentTeams: ["Équipe sud"] } });
    await db().user.update({ where: { id: agent.id }, data: { team: "Équipe nord" } });
    expect((await nobody(agent, TUESDAY_11H)).reasons.map((r) => r.text)).toEqual([
      "Les campagnes en cours (« Plateau nord », « Plateau sud ») sont confiées à d'autres agents ou équipes (votre équipe, « Équipe nord », n'y figure pas) : demandez à la coordination de vous y ajouter.",
    ]);
    // named in it: the agent gets its patients
    await db().campaign.update({ where: { id: second.id }, data: { agentTeams: ["Équipe nord"] } });
    await makeEnrolledPatients(org.id, second.id, 1);
    expect((await withClient((c) => claimNextPatient(c, agent, TUESDAY_11H)))?.campaignId).toBe(second.id);
  });

  it("outside the calling hours: when the next window opens, on the patient's clock — before and after a claim put the patients off", async () => {
    const { org, campaign, agent } = await setUp();
    await makeEnrolledPatients(org.id, campaign.id, 3);
    const text = "Plages d'appel fermées maintenant : hors des plages d'appel : 21:30 (heure de Paris) ; prochaine plage : mercredi 25/11/2026 à 10:00 (heure de Paris).";
    // looked at before any claim: the patients are due, the window is closed
    expect(await explainNoPatient(pgPool(), agent, TUESDAY_21H30)).toEqual({
      code: "outside_window", nextPossibleAt: WEDNESDAY_10H,
      reasons: [{ code: "outside_window", campaign: { id: campaign.id, name: "Plateau nord" }, at: WEDNESDAY_10H, text }],
    });
    // the claim hands them back, due at the opening: the reason is still the window, not « not due »
    expect(await nobody(agent, TUESDAY_21H30)).toMatchObject({ code: "outside_window", nextPossibleAt: WEDNESDAY_10H, reasons: [{ text }] });
    expect((await withClient((c) => claimNextPatient(c, agent, WEDNESDAY_10H)))?.campaignId).toBe(campaign.id);

    // a patient in La Réunion: their own clock (UTC+4), their own window
    const reunion = await setUp();
    await makeEnrolledPatients(reunion.org.id, reunion.campaign.id, 1, { inseeCode: "97411" });
    expect((await nobody(reunion.agent, new Date("2026-11-24T17:00:00Z"))).reasons[0]).toMatchObject({
      code: "outside_window",
      text: "Plages d'appel fermées maintenant : hors des plages d'appel : 21:00 (heure locale, La Réunion) ; prochaine plage : mercredi 25/11/2026 à 10:00 (heure locale, La Réunion).",
      at: new Date("2026-11-25T06:00:00Z"),
    });
  });

  it("patients remain, none due yet: the next due time (a retry, a callback reserved for another agent)", async () => {
    const { org, campaign, agent } = await setUp();
    await makeEnrolledPatients(org.id, campaign.id, 2, { dueAt: new Date("2026-11-24T14:00:00Z") }); // 15:00 in Paris
    expect(await nobody(agent, TUESDAY_11H)).toMatchObject({
      code: "not_due", nextPossibleAt: new Date("2026-11-24T14:00:00Z"),
      reasons: [{ text: "Des patients restent à appeler, mais aucun n'est dû avant le mardi 24/11/2026 à 15:00 (heure de Paris)." }],
    });
    // a callback asked for 12:00, reserved for an hour to the agent who noted it
    await db().campaign.update({ where: { id: campaign.id }, data: { callbackGraceMinutes: 60 } });
    const noted = await makeUser(org.id, "agent", { name: "Dominique Agent" });
    const [cb] = await makeEnrolledPatients(org.id, campaign.id, 1);
    const noon = new Date("2026-11-24T11:00:00Z");
    await db().enrolment.update({ where: { id: cb.id }, data: { dueAt: noon, callbackAt: noon, callbackAgentId: noted.user.id } });
    const free = new Date("2026-11-24T12:00:00Z");
    expect(await nobody(agent, TUESDAY_11H)).toMatchObject({
      code: "not_due", nextPossibleAt: free,
      reasons: [{ text: "Des patients restent à appeler, mais aucun n'est dû avant le mardi 24/11/2026 à 13:00 (heure de Paris) (un rappel réservé jusque-là à Dominique Agent)." }],
    });
    expect((await withClient((c) => claimNextPatient(c, agent, free)))?.enrolmentId).toBe(cb.id);
  });

  it("every patient left is with another agent; then none left at all", async () => {
    const { org, campaign, agent } = await setUp();
    const [only] = await makeEnrolledPatients(org.id, campaign.id, 1);
    const other: Agent = { id: (await makeUser(org.id, "agent")).user.id, organisationId: org.id };
    expect((await withClient((c) => claimNextPatient(c, other, TUESDAY_11H)))?.enrolmentId).toBe(only.id);
    expect(await nobody(agent, TUESDAY_11H)).toMatchObject({
      code: "held_by_others", nextPossibleAt: null,
      reasons: [{ text: "Le dernier patient à appeler est en ce moment avec un autre agent : s'il n'est pas joint, il reviendra dans la file." }],
    });
    await db().enrolment.update({ where: { id: only.id }, data: { dialState: "done", doneReason: "reached", heldBy: null, heldUntil: null } });
    const [ineligible] = await makeEnrolledPatients(org.id, campaign.id, 1);
    await db().enrolment.update({ where: { id: ineligible.id }, data: { eligible: false, ineligibleReason: "moins de 17 ans" } });
    expect(await nobody(agent, TUESDAY_11H)).toMatchObject({
      code: "none_left",
      reasons: [{ code: "none_left", text: "Plus aucun patient éligible à appeler : tous ont été traités, ou ne sont pas éligibles." }],
    });
  });

  it("several campaigns: one line each, the one that hands out a patient first decides", async () => {
    const { org, agent } = await setUp();
    const later = await makeCampaign(org.id, { name: "Plateau ouest" });
    await db().campaign.update({ where: { id: later.id }, data: { status: "running" } });
    await makeEnrolledPatients(org.id, later.id, 1, { dueAt: new Date("2026-11-24T13:00:00Z") });
    const x = await nobody(agent, TUESDAY_11H);
    expect(x).toMatchObject({ code: "not_due", nextPossibleAt: new Date("2026-11-24T13:00:00Z") });
    expect(x.reasons.map((r) => [r.campaign?.name, r.code])).toEqual([["Plateau nord", "none_left"], ["Plateau ouest", "not_due"]]);
  });

  it("comes with the answer to « Prêt » when the claim finds nobody, and only then", async () => {
    const agent = await loginAs(t.app, "agent");
    const ready = await agent.agent.post("/api/agent/status").set("x-csrf-token", agent.csrf).send({ status: "ready" }).expect(200);
    expect(ready.body).toMatchObject({
      state: { status: "ready" }, card: null,
      noPatient: { code: "no_running_campaign", reasons: [{ text: "Aucune campagne n'est en cours dans votre organisation." }] },
    });
    const paused = await agent.agent.post("/api/agent/status").set("x-csrf-token", agent.csrf).send({ status: "paused", pauseReason: "break" }).expect(200);
    expect(paused.body).toMatchObject({ state: { status: "paused" }, card: null, noPatient: null });
  });
});
