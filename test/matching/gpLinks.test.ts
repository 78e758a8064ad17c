// GP and team links: signed, expiring, single-purpose, revocable; identity only with consent; every view audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { inTransaction, pgPool } from "../../server/pgPool.ts";
import { createGpLink } from "../../server/matching/createGpLink.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { holdFor, openCallFor, makeGp, makeTeam, recordConsentFor } from "../factories/matching.ts";
import { loginAs, startTestApp, type LoggedIn, type TestApp } from "../helpers/api.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function link(coordinator: LoggedIn, kind: "gp" | "team", id: string, purpose: "capacity" | "orientations") {
  const res = await coordinator.agent.post("/api/links").set("x-csrf-token", coordinator.csrf).send({ kind, id, purpose, validDays: 30 }).expect(201);
  expect(res.body.url).toMatch(/\/lien\/[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
  return res.body.token as string;
}

/** Two patients oriented to the GP; only the first agreed to share their identity. */
async function orientedPatients(orgId: string, gpId: string) {
  const campaign = await makeCampaign(orgId, { status: "running" } as never);
  const [shared, hidden] = await makeEnrolledPatients(orgId, campaign.id, 2);
  const agent = await loginAs(t.app, "agent", orgId);
  for (const e of [shared, hidden]) {
    await holdFor(e.id, agent.user.id);
    await openCallFor(e.id, agent.user.id);
    await recordConsentFor(orgId, e.patientId);
    await agent.agent.post("/api/agent/orientations").set("x-csrf-token", agent.csrf).send({ kind: "gp", id: gpId }).expect(201);
    await pgPool().query(`UPDATE "Enrolment" SET "dialState" = 'done', "doneReason" = 'reached', "heldBy" = NULL WHERE "id" = $1`, [e.id]);
  }
  await recordConsentFor(orgId, hidden.patientId, "share_identity", false, new Date(Date.now() + 1000)); // withdrawn afterwards
  return { shared, hidden };
}

describe("GP links", () => {
  it("a GP declares capacity through a capacity link, sees only the patients who consented, and confirms one; each view is audited", async () => {
    const coordinator = await loginAs(t.app, "coordinator");
    const orgId = coordinator.user.organisationId;
    const gp = await makeGp(orgId, { lastName: "BERNARD", capacity: 3 });
    const capacityToken = await link(coordinator, "gp", gp.id, "capacity");
    const page = await request(t.app).get(`/api/public/links/${capacityToken}`).expect(200);
    expect(page.body).toMatchObject({ purpose: "capacity", holder: { name: "Dr BERNARD Test", capacity: 3, taken: 0 }, orientations: [] });
    await request(t.app).put(`/api/public/links/${capacityToken}/capacity`).send({ acceptsNew: true, capacity: 12, acceptsAld: false }).expect(200);
    const bad = await request(t.app).put(`/api/public/links/${capacityToken}/capacity`).send({ acceptsNew: true, capacity: -1, acceptsAld: true }).expect(400);
    expect(bad.body.error.message).toMatch(/0 ou plus/);
    const declared = (await pgPool().query(`SELECT "capacity", "acceptsAld", "capacityDeclaredAt" FROM "Gp" WHERE "id" = $1`, [gp.id])).rows[0];
    expect(declared).toMatchObject({ capacity: 12, acceptsAld: false });
    expect(declared.capacityDeclaredAt).not.toBeNull();
    await pgPool().query(`UPDATE "Gp" SET "acceptsAld" = true WHERE "id" = $1`, [gp.id]);

    const { shared, hidden } = await orientedPatients(orgId, gp.id);
    const token = await link(coordinator, "gp", gp.id, "orientations");
    const before = Number((await pgPool().query(`SELECT count(*) AS n FROM "AuditLog" WHERE "action" = 'patient.identity.read' AND "details"->>'via' = 'gp_link'`)).rows[0].n);
    const list = await request(t.app).get(`/api/public/links/${token}`).expect(200);
    expect(list.body.orientations).toHaveLength(1);
    expect(list.body.orientations[0]).toMatchObject({ lastName: "PATIENT1", status: "reserved", communeName: "Saint-Étienne" });
    expect(list.body.withoutConsent).toBe(1);
    expect(JSON.stringify(list.body)).not.toContain(hidden.patientId);
    const audited = (await pgPool().query(`SELECT "targetId", "actorLabel" FROM "AuditLog" WHERE "action" = 'patient.identity.read' AND "details"->>'via' = 'gp_link' ORDER BY "id" DESC LIMIT 1`)).rows[0];
    expect(audited).toEqual({ targetId: shared.patientId, actorLabel: expect.stringMatching(/^lien médecin — Dr BERNARD/) });
    expect(Number((await pgPool().query(`SELECT count(*) AS n FROM "AuditLog" WHERE "action" = 'patient.identity.read' AND "details"->>'via' = 'gp_link'`)).rows[0].n)).toBe(before + 1);

    const id = list.body.orientations[0].id;
    await request(t.app).post(`/api/public/links/${token}/orientations/${id}/answer`).send({ decision: "confirm" }).expect(200);
    await request(t.app).post(`/api/public/links/${token}/orientations/${id}/answer`).send({ decision: "decline", reason: "non" }).expect(409);
    // single purpose: the capacity link cannot answer orientations, the orientations link cannot set capacity
    await request(t.app).post(`/api/public/links/${capacityToken}/orientations/${id}/answer`).send({ decision: "confirm" }).expect(404);
    await request(t.app).put(`/api/public/links/${token}/capacity`).send({ acceptsNew: true, capacity: 1, acceptsAld: true }).expect(404);
  });

  it("a forged, expired or revoked link gets a clear French message and no data", async () => {
    const coordinator = await loginAs(t.app, "coordinator");
    const orgId = coordinator.user.organisationId;
    const gp = await makeGp(orgId);
    const token = await link(coordinator, "gp", gp.id, "orientations");
    const forged = token.slice(0, -2) + (token.endsWith("AA") ? "BB" : "AA");
    for (const bad of [forged, "n-importe-quoi", token.replace(/^./, (c) => (c === "a" ? "b" : "a"))]) {
      const res = await request(t.app).get(`/api/public/links/${encodeURIComponent(bad)}`).expect(404);
      expect(res.body).toEqual({ error: { code: "link_invalid", message: expect.stringMatching(/Ce lien n'est pas valide/) } });
    }
    const old = await inTransaction((c) => createGpLink(c, { kind: "gp", id: gp.id, organisationId: orgId }, { purpose: "orientations", validDays: 30 }, { id: coordinator.user.id }, new Date(Date.now() - 31 * 86_400_000)));
    const expired = await request(t.app).get(`/api/public/links/${old.token}`).expect(410);
    expect(expired.body.error.message).toMatch(/^Ce lien a expiré le \d\d\/\d\d\/\d{4}\./);
    const list = await coordinator.agent.get("/api/links").expect(200);
    const linkId = list.body.find((l: { purpose: string; expiresAt: string }) => new Date(l.expiresAt) > new Date()).id;
    await coordinator.agent.post(`/api/links/${linkId}/revoke`).set("x-csrf-token", coordinator.csrf).expect(204);
    const revoked = await request(t.app).get(`/api/public/links/${token}`).expect(410);
    expect(revoked.body.error.message).toMatch(/désactivé/);
    expect(Object.keys(revoked.body)).toEqual(["error"]);
  });

  it("a team confirms through its link by naming the doctor; a coordinator may answer for a GP, and it is logged as such", async () => {
    const coordinator = await loginAs(t.app, "coordinator");
    const orgId = coordinator.user.organisationId;
    const team = await makeTeam(orgId, { name: "MSP Bellevue", capacity: 4 });
    const doctor = await makeGp(orgId, { teamId: team.id, lastName: "LEROY" });
    const campaign = await makeCampaign(orgId, { status: "running" } as never);
    const [e, f] = await makeEnrolledPatients(orgId, campaign.id, 2);
    const agent = await loginAs(t.app, "agent", orgId);
    for (const x of [e, f]) {
      await holdFor(x.id, agent.user.id);
      await openCallFor(x.id, agent.user.id);
      await recordConsentFor(orgId, x.patientId);
      await agent.agent.post("/api/agent/orientations").set("x-csrf-token", agent.csrf).send({ kind: "team", id: team.id }).expect(201);
      await pgPool().query(`UPDATE "Enrolment" SET "dialState" = 'done', "heldBy" = NULL WHERE "id" = $1`, [x.id]);
    }
    const token = await link(coordinator, "team", team.id, "orientations");
    const page = await request(t.app).get(`/api/public/links/${token}`).expect(200);
    expect(page.body.doctors).toEqual([{ id: doctor.id, rpps: doctor.rpps, name: "Dr LEROY Test", endOfActivity: null, takesNew: true }]);
    const [first, second] = page.body.orientations;
    await request(t.app).post(`/api/public/links/${token}/orientations/${first.id}/answer`).send({ decision: "confirm", assignedGpId: doctor.id }).expect(200);
    const onBehalf = await coordinator.agent.post(`/api/orientations/${second.id}/answer`).set("x-csrf-token", coordinator.csrf).send({ decision: "decline", reason: "hors secteur" }).expect(200);
    expect(onBehalf.body.status).toBe("declined");
    const audit = (await pgPool().query(`SELECT "actorUserId", "actorLabel", "details" FROM "AuditLog" WHERE "action" = 'orientation.decline' AND "targetId" = $1`, [second.id])).rows[0];
    expect(audit).toMatchObject({ actorUserId: coordinator.user.id, details: { onBehalf: true, reason: "hors secteur" } });
    expect((await pgPool().query(`SELECT "taken" FROM "Team" WHERE "id" = $1`, [team.id])).rows[0].taken).toBe(1);
    // another organisation's coordinator cannot see or answer it
    const stranger = await loginAs(t.app, "coordinator");
    await stranger.agent.post(`/api/orientations/${first.id}/answer`).set("x-csrf-token", stranger.csrf).send({ decision: "decline", reason: "hors secteur" }).expect(404);
    await stranger.agent.post("/api/links").set("x-csrf-token", stranger.csrf).send({ kind: "team", id: team.id, purpose: "capacity" }).expect(404);
  });
});
