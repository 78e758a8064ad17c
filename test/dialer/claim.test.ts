// Rule 1 with real concurrency: hundreds of agents claiming at once on the real database.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimNextPatient } from "../../server/dialer/claimNextPatient.ts";
import { inTransaction, withClient } from "../../server/pgPool.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";
import { db } from "../../server/db.ts";

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 60 });
});
afterAll(() => pool.end());

// A working day inside the default windows (Tuesday 24 November 2026, 11:00 in Paris).
const TUESDAY_11H = new Date("2026-11-24T10:00:00Z");

function claimAs(agent: { id: string; organisationId: string }, now = TUESDAY_11H) {
  return withClient((client) => claimNextPatient(client, agent, now), pool);
}

describe("claimNextPatient", () => {
  it("300 agents claiming at once on 200 due patients: 200 holds, no patient twice, no agent twice", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id, { status: "running" } as never);
    await makeEnrolledPatients(org.id, campaign.id, 200);
    const agents = await Promise.all(Array.from({ length: 300 }, async () => ({ id: (await makeUser(org.id, "agent")).user.id, organisationId: org.id })));
    const claims = await Promise.all(agents.map((a) => claimAs(a)));
    const got = claims.filter((c) => c !== null).map((c) => c!.enrolmentId);
    expect(got).toHaveLength(200);
    expect(new Set(got).size).toBe(200);
    const held = await db().enrolment.findMany({ where: { campaignId: campaign.id }, select: { dialState: true, heldBy: true } });
    expect(held.every((e) => e.dialState === "held")).toBe(true);
    expect(new Set(held.map((e) => e.heldBy)).size).toBe(200);
    // claiming again returns the patient already held, never a second one
    const again = await claimAs(agents[0]);
    const firstHeld = await db().enrolment.findFirst({ where: { heldBy: agents[0].id } });
    expect(again?.enrolmentId ?? null).toBe(firstHeld?.id ?? null);
  });

  it("hands patients by priority, then due time; none from a paused campaign, none opposed", async () => {
    const org = await makeOrganisation();
    const running = await makeCampaign(org.id, { status: "running" } as never);
    const paused = await makeCampaign(org.id, { status: "paused" } as never);
    await makeEnrolledPatients(org.id, paused.id, 3);
    await makeEnrolledPatients(org.id, running.id, 2, { optOut: true });
    const [low] = await makeEnrolledPatients(org.id, running.id, 1, { priority: 3 });
    const [high] = await makeEnrolledPatients(org.id, running.id, 1, { priority: 0 });
    const agent = { id: (await makeUser(org.id, "agent")).user.id, organisationId: org.id };
    expect((await claimAs(agent))!.enrolmentId).toBe(high.id);
    const other = { id: (await makeUser(org.id, "agent")).user.id, organisationId: org.id };
    expect((await claimAs(other))!.enrolmentId).toBe(low.id);
    const third = { id: (await makeUser(org.id, "agent")).user.id, organisationId: org.id };
    expect(await claimAs(third)).toBeNull();
  });

  it("rule 4: outside the windows nobody is called; the patient comes back when the window opens, in its own time zone", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id, { status: "running" } as never);
    const [paris] = await makeEnrolledPatients(org.id, campaign.id, 1, { inseeCode: "42218" });
    const agent = { id: (await makeUser(org.id, "agent")).user.id, organisationId: org.id };
    const sunday = new Date("2026-11-29T10:00:00Z"); // Sunday 11:00 in Paris
    expect(await claimAs(agent, sunday)).toBeNull();
    const moved = await db().enrolment.findUniqueOrThrow({ where: { id: paris.id } });
    expect(moved.dueAt.toISOString()).toBe("2026-11-30T09:00:00.000Z"); // Monday 10:00 Paris
    // 13:30 in Paris is the lunch break…
    const lunch = new Date("2026-11-30T12:30:00Z");
    await db().enrolment.update({ where: { id: paris.id }, data: { dueAt: new Date("2026-11-30T09:00:00Z") } });
    expect(await claimAs(agent, lunch)).toBeNull();
    // …and Réunion (UTC+4) is already at 19:00 when Paris is at 16:00, so at 21:00 there it is closed
    const [reunion] = await makeEnrolledPatients(org.id, campaign.id, 1, { inseeCode: "97411", phones: [{ e164: "+262692123456", type: "mobile", country: "RE" }] });
    const parisAt18 = new Date("2026-11-30T17:00:00Z"); // 18:00 Paris = 21:00 Réunion
    const claim = await claimAs(agent, parisAt18);
    expect(claim?.enrolmentId).toBe(paris.id);
    expect((await db().enrolment.findUniqueOrThrow({ where: { id: reunion.id } })).dialState).toBe("waiting");
  });

  it("no call on a public holiday (Christmas), nor on Good Friday in Alsace-Moselle only", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id, { status: "running" } as never);
    await makeEnrolledPatients(org.id, campaign.id, 1, { inseeCode: "67482" }); // Strasbourg
    const agent = { id: (await makeUser(org.id, "agent")).user.id, organisationId: org.id };
    expect(await claimAs(agent, new Date("2026-12-25T10:00:00Z"))).toBeNull();
    const goodFriday = new Date("2027-03-26T10:00:00Z");
    await db().enrolment.updateMany({ where: { campaignId: campaign.id }, data: { dueAt: new Date("2027-03-26T09:00:00Z") } });
    expect(await claimAs(agent, goodFriday)).toBeNull();
    const [lyon] = await makeEnrolledPatients(org.id, campaign.id, 1, { inseeCode: "69381", dueAt: new Date("2027-03-26T09:00:00Z") });
    expect((await claimAs(agent, goodFriday))?.enrolmentId).toBe(lyon.id);
  });

  it("a requested callback goes first to its agent, even outside the windows; after the grace period, to anyone", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id, { status: "running" } as never);
    const asked = { id: (await makeUser(org.id, "agent")).user.id, organisationId: org.id };
    const other = { id: (await makeUser(org.id, "agent")).user.id, organisationId: org.id };
    const [p] = await makeEnrolledPatients(org.id, campaign.id, 1);
    const saturdayEvening = new Date("2026-11-28T20:30:00Z"); // Saturday 21:30 Paris: outside windows
    await db().enrolment.update({ where: { id: p.id }, data: { callbackAt: saturdayEvening, callbackAgentId: asked.id, dueAt: saturdayEvening } });
    expect(await claimAs(other, new Date(saturdayEvening.getTime() + 60_000))).toBeNull(); // within the 15 min grace: reserved
    expect((await claimAs(asked, new Date(saturdayEvening.getTime() + 60_000)))?.enrolmentId).toBe(p.id);
    await db().enrolment.update({ where: { id: p.id }, data: { dialState: "waiting", heldBy: null } });
    expect((await claimAs(other, new Date(saturdayEvening.getTime() + 16 * 60_000)))?.enrolmentId).toBe(p.id);
  });
});
