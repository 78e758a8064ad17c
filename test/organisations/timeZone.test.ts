// An organisation lives in its own time zone: an overseas fund's "today", its hours and its calendar days are its own,
// not Paris's. Two instants half an hour either side of midnight in Martinique tell the zones apart at any hour of
// the run: Paris's day holds both or neither of them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { pgPool } from "../../server/pgPool.ts";
import { frenchDate, wallClock } from "../../server/reports/writeTables.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { makeUser } from "../factories/organisations.ts";
import { makeStories } from "../factories/reports.ts";
import { loginAs, startTestApp, type TestApp } from "../helpers/api.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const ZONE = "America/Martinique";
const midnight = DateTime.now().setZone(ZONE).startOf("day");
const beforeMidnight = midnight.minus({ minutes: 30 }).toJSDate(); // yesterday in Martinique
const afterMidnight = midnight.plus({ minutes: 30 }).toJSDate(); // today in Martinique, at 0 h

async function overseasOrganisation() {
  const admin = await loginAs(t.app, "admin");
  await admin.agent.put("/api/organisation/time-zone").set("x-csrf-token", admin.csrf).send({ timeZone: ZONE }).expect(200, { timeZone: ZONE });
  return admin;
}

describe("the organisation's time zone", () => {
  it("the supervisor's board counts the organisation's own day and hours", async () => {
    const admin = await overseasOrganisation();
    const orgId = admin.user.organisationId;
    const sup = await loginAs(t.app, "supervisor", orgId);
    const agent = (await makeUser(orgId, "agent")).user;
    const campaign = await makeCampaign(orgId);
    await makeStories(orgId, campaign.id, [
      { inseeCode: "97209", attempts: [{ outcome: "no_answer", agentId: agent.id, at: beforeMidnight }] },
      { inseeCode: "97209", attempts: [{ outcome: "no_answer", agentId: agent.id, at: afterMidnight }] },
    ]);
    const board = (await sup.agent.get("/api/supervision/board").expect(200)).body;
    expect(board.agents.find((a: { userId: string }) => a.userId === agent.id)).toMatchObject({ callsToday: 1 });
    expect(board.outcomesByHour).toEqual([{ hour: 0, outcome: "no_answer", n: 1 }]);
    const agents = (await sup.agent.get("/api/supervision/agents").expect(200)).body;
    expect(agents.find((a: { userId: string }) => a.userId === agent.id)).toMatchObject({ callsToday: 1 });
  });

  it("the audit log's days are the organisation's calendar days", async () => {
    const admin = await overseasOrganisation();
    const orgId = admin.user.organisationId;
    for (const at of [beforeMidnight, afterMidnight]) {
      await pgPool().query(`INSERT INTO "AuditLog" ("organisationId", "action", "actorLabel", "at") VALUES ($1, 'patient.export', 'test', $2)`, [orgId, at]);
    }
    const today = midnight.toISODate();
    const page = (await admin.agent.get(`/api/privacy/audit?action=patient.export&from=${today}&to=${today}`).expect(200)).body;
    expect(page.items.map((e: { at: string }) => e.at)).toEqual([afterMidnight.toISOString()]);
  });

  it("exports write the organisation's wall-clock time", () => {
    const at = new Date("2026-12-01T03:30:00Z");
    expect(frenchDate(at, ZONE, true)).toBe("30/11/2026 23:30");
    expect(frenchDate(at, "Europe/Paris", true)).toBe("01/12/2026 04:30");
    expect(wallClock(at, "Indian/Reunion").toISOString()).toBe("2026-12-01T07:30:00.000Z");
  });

  it("admins set it among France's zones, logged; the session carries it", async () => {
    const admin = await loginAs(t.app, "admin");
    expect((await admin.agent.get("/api/organisation/time-zone").expect(200)).body).toEqual({ timeZone: "Europe/Paris" });
    const bad = await admin.agent.put("/api/organisation/time-zone").set("x-csrf-token", admin.csrf).send({ timeZone: "Europe/London" }).expect(400);
    expect(bad.body.error.message).toMatch(/fuseau horaire inconnu/);
    await admin.agent.put("/api/organisation/time-zone").set("x-csrf-token", admin.csrf).send({ timeZone: "Indian/Reunion" }).expect(200);
    expect((await admin.agent.get("/api/auth/session").expect(200)).body.user.organisation.timeZone).toBe("Indian/Reunion");
    const { rows } = await pgPool().query(`SELECT "actorUserId", "details" FROM "AuditLog" WHERE "organisationId" = $1 AND "action" = 'organisation.time_zone'`, [admin.user.organisationId]);
    expect(rows).toEqual([{ actorUserId: admin.user.id, details: { before: "Europe/Paris", timeZone: "Indian/Reunion" } }]);
    const coordinator = await loginAs(t.app, "coordinator", admin.user.organisationId);
    await coordinator.agent.put("/api/organisation/time-zone").set("x-csrf-token", coordinator.csrf).send({ timeZone: "Europe/Paris" }).expect(403);
    await expect(pgPool().query(`UPDATE "Organisation" SET "timeZone" = 'Mars/Olympus' WHERE "id" = $1`, [admin.user.organisationId])).rejects.toThrow(/Organisation_timeZone_known/);
  });

  it("a new organisation takes the zone of its territory when it has one, else Paris, unless one is chosen", async () => {
    const admin = await loginAs(t.app, "admin");
    const create = async (name: string, territory: string[], timeZone?: string) =>
      (await admin.agent.post("/api/organisations").set("x-csrf-token", admin.csrf)
        .send({ kind: "CPTS", name, territory, timeZone, admin: { name: "Admin", email: `admin-${name.replace(/\W/g, "").toLowerCase()}@test.fr`, password: "mot-de-passe-de-test-12" } })
        .expect(201)).body.organisation.timeZone;
    const tag = Date.now().toString(36);
    expect(await create(`CPTS Nord Réunion ${tag}`, ["97411", "97418"])).toBe("Indian/Reunion");
    expect(await create(`CPTS mixte ${tag}`, ["97411", "42218"])).toBe("Europe/Paris");
    expect(await create(`CPTS Cayenne ${tag}`, [], "America/Cayenne")).toBe("America/Cayenne");
  });
});
