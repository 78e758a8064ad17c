// Which agents work a campaign: those named, those of the teams named (including agents who join the team later), or,
// when the campaign names nobody, everyone. The claim hands out a campaign's patients to them only, and a callback
// cannot be given by the supervision to an agent who does not work its campaign.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { inTransaction, pgPool, withClient } from "../../server/pgPool.ts";
import { claimNextPatient } from "../../server/dialer/claimNextPatient.ts";
import { reassignCallback } from "../../server/live/superviseAgents.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { makeUser } from "../factories/organisations.ts";
import { loginAs, startTestApp, type LoggedIn, type TestApp } from "../helpers/api.ts";

const NOW = new Date("2026-11-24T10:00:00Z"); // a Tuesday, 11:00 in Paris: inside the default windows
let t: TestApp;
let coordinator: LoggedIn;
let admin: LoggedIn;

beforeAll(async () => {
  t = await startTestApp();
  coordinator = await loginAs(t.app, "coordinator");
  admin = await loginAs(t.app, "admin", coordinator.user.organisationId);
});
afterAll(() => t.close());

const orgId = () => coordinator.user.organisationId;
const putRules = (campaignId: string, body: object) => coordinator.agent.put(`/api/campaigns/${campaignId}/rules`).set("x-csrf-token", coordinator.csrf).send(body);
const claim = (agentId: string) => withClient((c) => claimNextPatient(c, { id: agentId, organisationId: orgId() }, NOW));
const setTeam = (userId: string, team: string | null) => admin.agent.patch(`/api/users/${userId}`).set("x-csrf-token", admin.csrf).send({ team });

describe("a campaign given to teams", () => {
  it("hands its patients to the agents of those teams only, including one who joins later", async () => {
    const [lyon, paris, named] = await Promise.all(["Lyon", "Paris", "nommé"].map((n) => makeUser(orgId(), "agent", { name: `Agent ${n}` })));
    expect((await setTeam(lyon.user.id, "  Plateau   de Lyon ")).body.team).toBe("Plateau de Lyon"); // spaces as typed
    await setTeam(paris.user.id, "Plateau de Paris").expect(200);

    const byTeam = await makeCampaign(orgId());
    const byName = await makeCampaign(orgId());
    await db().campaign.updateMany({ where: { id: { in: [byTeam.id, byName.id] } }, data: { status: "running" } });
    await makeEnrolledPatients(orgId(), byTeam.id, 3);
    await makeEnrolledPatients(orgId(), byName.id, 1);

    const unknown = await putRules(byTeam.id, { agentTeams: ["Plateau de Marseille"] }).expect(400);
    expect(unknown.body.error.message).toBe("Aucun agent de l'organisation n'est dans l'équipe « Plateau de Marseille ».");
    expect((await putRules(byTeam.id, { agentTeams: ["Plateau de Lyon "] }).expect(200)).body.agentTeams).toEqual(["Plateau de Lyon"]);
    await putRules(byName.id, { agentIds: [named.user.id] }).expect(200);
    const agents = await coordinator.agent.get("/api/agents").expect(200);
    expect(agents.body.find((a: { id: string }) => a.id === lyon.user.id).team).toBe("Plateau de Lyon");

    expect((await claim(lyon.user.id))?.campaignId).toBe(byTeam.id);
    expect(await claim(paris.user.id)).toBeNull(); // neither its team nor its name
    expect((await claim(named.user.id))?.campaignId).toBe(byName.id);

    await setTeam(paris.user.id, "Plateau de Lyon").expect(200); // moves to Lyon: works its campaigns at once
    expect((await claim(paris.user.id))?.campaignId).toBe(byTeam.id);
    await setTeam(named.user.id, null).expect(200);
  });

  it("a campaign that names nobody is worked by every agent; a callback goes only to an agent of its campaign", async () => {
    const open = await makeCampaign(orgId());
    await db().campaign.update({ where: { id: open.id }, data: { status: "running" } });
    const [anyone] = [await makeUser(orgId(), "agent", { name: "Agent quelconque" })];
    await makeEnrolledPatients(orgId(), open.id, 1);
    expect((await claim(anyone.user.id))?.campaignId).toBe(open.id);

    const closedToHim = await makeCampaign(orgId());
    const member = await makeUser(orgId(), "agent", { name: "Agent de l'équipe" });
    await setTeam(member.user.id, "Équipe des rappels").expect(200);
    await putRules(closedToHim.id, { agentTeams: ["Équipe des rappels"] }).expect(200);
    const [callback] = await makeEnrolledPatients(orgId(), closedToHim.id, 1);
    await pgPool().query(`UPDATE "Enrolment" SET "callbackAt" = $2, "callbackAgentId" = $3 WHERE "id" = $1`, [callback.id, NOW, member.user.id]);
    const supervisor = { id: coordinator.user.id, organisationId: orgId() };
    await expect(inTransaction((c) => reassignCallback(c, supervisor, callback.id, anyone.user.id)))
      .rejects.toMatchObject({ status: 409, userMessage: "Agent quelconque ne travaille pas sur cette campagne : choisissez un de ses agents, ou modifiez les agents de la campagne." });
    const other = await makeUser(orgId(), "agent", { name: "Autre agent de l'équipe" });
    await setTeam(other.user.id, "Équipe des rappels").expect(200);
    expect((await inTransaction((c) => reassignCallback(c, supervisor, callback.id, other.user.id))).callbackAgentId).toBe(other.user.id);
  });
});
