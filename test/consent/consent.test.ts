// Consent is append-only and cites the script read; an opposition is honoured by every campaign of
// the organisation; a patient is held in one campaign at a time and not called twice for the same purpose.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction, pgPool, withClient } from "../../server/pgPool.ts";
import { claimNextPatient } from "../../server/dialer/claimNextPatient.ts";
import { startCall } from "../../server/dialer/startCall.ts";
import { recordOutcome } from "../../server/dialer/recordOutcome.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";
import { holdFor, openCallFor } from "../factories/matching.ts";
import { loginAs, startTestApp, type TestApp } from "../helpers/api.ts";

const TUESDAY_11H = new Date("2026-11-24T10:00:00Z");
let t: TestApp;
let pool: pg.Pool;
beforeAll(async () => {
  t = await startTestApp();
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 30 });
});
afterAll(async () => {
  await t.close();
  await pool.end();
});

describe("consent", () => {
  it("records each answer with who, when, how and the script version; a withdrawal is a new record; the database refuses rewrites", async () => {
    const agent = await loginAs(t.app, "agent");
    const coordinator = await loginAs(t.app, "coordinator", agent.user.organisationId);
    const campaign = await makeCampaign(agent.user.organisationId, { status: "running" } as never);
    const [e] = await makeEnrolledPatients(agent.user.organisationId, campaign.id, 1);
    await holdFor(e.id, agent.user.id);
    const say0 = (scriptVersionId: string) => agent.agent.post("/api/agent/consents").set("x-csrf-token", agent.csrf).send({ purpose: "share_identity", granted: true, channel: "phone", scriptVersionId });

    const first = await agent.agent.get("/api/agent/script").expect(200);
    // before any call: nothing to record
    expect((await say0(first.body.script.id).expect(409)).body.error.message).toBe("Appelez le patient avant d'enregistrer sa réponse : aucun appel n'est en cours avec lui.");
    const call = await openCallFor(e.id, agent.user.id);
    expect(first.body.script.version).toBe(1);
    expect(first.body.script.questions.share_identity).toMatch(/transmettions votre nom/);
    expect(first.body.consents).toEqual({});

    // the coordinator edits the script: version 2, the old one kept
    const edited = { body: "Bonjour, nouveau script de la campagne.", questions: { ...first.body.script.questions, mt_declaration: "Acceptez-vous que la caisse déclare ce médecin pour vous ?" } };
    const v2 = await coordinator.agent.post(`/api/campaigns/${campaign.id}/script`).set("x-csrf-token", coordinator.csrf).send(edited).expect(201);
    expect(v2.body.version).toBe(2);
    await coordinator.agent.post(`/api/campaigns/${campaign.id}/script`).set("x-csrf-token", coordinator.csrf).send(edited).expect(409);
    const versions = await coordinator.agent.get(`/api/campaigns/${campaign.id}/script`).expect(200);
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const script = (await agent.agent.get("/api/agent/script").expect(200)).body.script;
    const say = (purpose: string, granted: boolean) =>
      agent.agent.post("/api/agent/consents").set("x-csrf-token", agent.csrf).send({ purpose, granted, channel: "phone", scriptVersionId: script.id });
    await say("share_identity", true).expect(201);
    await say("mt_declaration", true).expect(201);
    const withdrawn = await say("mt_declaration", false).expect(201);
    expect(withdrawn.body.consents.mt_declaration).toMatchObject({ granted: false, scriptVersion: 2, channel: "phone" });
    expect(withdrawn.body.consents.share_identity).toMatchObject({ granted: true });
    // an unknown script version, an unknown purpose: clear 400s
    await agent.agent.post("/api/agent/consents").set("x-csrf-token", agent.csrf).send({ purpose: "share_identity", granted: true, scriptVersionId: "00000000-0000-4000-8000-000000000000" }).expect(400);
    const bad = await agent.agent.post("/api/agent/consents").set("x-csrf-token", agent.csrf).send({ purpose: "autre", granted: true, scriptVersionId: script.id }).expect(400);
    expect(bad.body.error.message).toMatch(/finalité inconnue/);

    const rows = (await pgPool().query(`SELECT "purpose", "granted", "recordedById", "attemptId" FROM "Consent" WHERE "patientId" = $1 ORDER BY "at"`, [e.patientId])).rows;
    expect(rows.map((r) => [r.purpose, r.granted])).toEqual([["share_identity", true], ["mt_declaration", true], ["mt_declaration", false]]);
    expect(rows.every((r) => r.recordedById === agent.user.id && r.attemptId === call.id)).toBe(true);
    await expect(pgPool().query(`UPDATE "Consent" SET "granted" = true WHERE "patientId" = $1`, [e.patientId])).rejects.toThrow(/append-only/);
    await expect(pgPool().query(`DELETE FROM "Consent" WHERE "patientId" = $1`, [e.patientId])).rejects.toThrow(/append-only/);
    await expect(pgPool().query(`TRUNCATE "Consent"`)).rejects.toThrow(/append-only/);
  });

  it("an agent who holds no patient can neither read the script nor record consent", async () => {
    const agent = await loginAs(t.app, "agent");
    await agent.agent.get("/api/agent/script").expect(409);
    await agent.agent.post("/api/agent/consents").set("x-csrf-token", agent.csrf).send({ purpose: "contact", granted: true, scriptVersionId: "00000000-0000-4000-8000-000000000000" }).expect(409);
  });
});

describe("opposition and one patient across campaigns", () => {
  it("'opposed' in one campaign puts the patient on the register: no campaign of the organisation calls them again", async () => {
    const org = await makeOrganisation();
    const a = await makeCampaign(org.id, { status: "running" } as never);
    const b = await makeCampaign(org.id, { status: "running", type: "regularisation" } as never);
    const [inA] = await makeEnrolledPatients(org.id, a.id, 1);
    await pgPool().query(`INSERT INTO "Enrolment" ("id", "campaignId", "patientId", "eligible", "priority", "priorityLabel", "dueAt", "updatedAt") VALUES (gen_random_uuid(), $1, $2, true, 0, 'x', '2026-01-01', now())`, [b.id, inA.patientId]);
    const agent = { id: (await makeUser(org.id, "agent")).user.id, organisationId: org.id };
    await pgPool().query(`UPDATE "Campaign" SET "agentIds" = ARRAY[$2]::text[] WHERE "id" = $1`, [b.id, "00000000-0000-4000-8000-000000000000"]); // b not for this agent yet
    expect((await withClient((c) => claimNextPatient(c, agent, TUESDAY_11H)))?.enrolmentId).toBe(inA.id);
    const call = await withClient((c) => startCall(c, agent, inA.id, TUESDAY_11H));
    await withClient((c) => recordOutcome(c, agent, call.attemptId, { outcome: "opposed", comment: "ne veut plus être appelé" }, TUESDAY_11H));
    const register = (await pgPool().query(`SELECT "source", "attemptId", "recordedById", "comment" FROM "Opposition" WHERE "patientId" = $1`, [inA.patientId])).rows;
    expect(register).toEqual([{ source: "call", attemptId: call.attemptId, recordedById: agent.id, comment: "ne veut plus être appelé" }]);
    await pgPool().query(`UPDATE "Campaign" SET "agentIds" = '{}' WHERE "id" = $1`, [b.id]);
    expect(await withClient((c) => claimNextPatient(c, agent, TUESDAY_11H))).toBeNull();
  });

  it("rule 1 across campaigns: 40 agents on two campaigns sharing 20 patients never hold one patient twice", async () => {
    const org = await makeOrganisation();
    const a = await makeCampaign(org.id, { status: "running" } as never);
    const b = await makeCampaign(org.id, { status: "running", type: "regularisation" } as never);
    const enrolled = await makeEnrolledPatients(org.id, a.id, 20);
    await pgPool().query(
      `INSERT INTO "Enrolment" ("id", "campaignId", "patientId", "eligible", "priority", "priorityLabel", "dueAt", "updatedAt")
       SELECT gen_random_uuid(), $1, p, true, 0, 'x', '2026-01-01', now() FROM unnest($2::uuid[]) AS p`, [b.id, enrolled.map((e) => e.patientId)]);
    const agents = await Promise.all(Array.from({ length: 40 }, async (_, i) => {
      const id = (await makeUser(org.id, "agent")).user.id;
      return { id, organisationId: org.id, campaign: i % 2 ? a.id : b.id };
    }));
    for (const c of [a, b]) await pgPool().query(`UPDATE "Campaign" SET "agentIds" = $2 WHERE "id" = $1`, [c.id, agents.filter((x) => x.campaign === c.id).map((x) => x.id)]);
    const claims = await Promise.all(agents.map((ag) => withClient((c) => claimNextPatient(c, ag, TUESDAY_11H), pool)));
    expect(claims.filter(Boolean)).toHaveLength(20);
    const held = (await pgPool().query(`SELECT "patientId", count(*)::int AS n FROM "Enrolment" WHERE "dialState" = 'held' AND "campaignId" = ANY($1::uuid[]) GROUP BY 1`, [[a.id, b.id]])).rows;
    expect(held).toHaveLength(20);
    expect(held.every((h) => h.n === 1)).toBe(true);
  });

  it("a patient reached in one campaign is not called again by another campaign of the same type, and the reason says so", async () => {
    const org = await makeOrganisation();
    const a = await makeCampaign(org.id, { status: "closed" } as never);
    const b = await makeCampaign(org.id, { status: "running" } as never);
    const [inB] = await makeEnrolledPatients(org.id, b.id, 1);
    await pgPool().query(`INSERT INTO "Enrolment" ("id", "campaignId", "patientId", "eligible", "priority", "priorityLabel", "dialState", "doneReason", "updatedAt") VALUES (gen_random_uuid(), $1, $2, true, 0, 'x', 'done', 'reached', now())`, [a.id, inB.patientId]);
    const agent = { id: (await makeUser(org.id, "agent")).user.id, organisationId: org.id };
    expect(await withClient((c) => claimNextPatient(c, agent, TUESDAY_11H))).toBeNull();
    expect((await pgPool().query(`SELECT "dialState", "doneReason" FROM "Enrolment" WHERE "id" = $1`, [inB.id])).rows[0]).toEqual({ dialState: "done", doneReason: "handled_elsewhere" });
  });
});
