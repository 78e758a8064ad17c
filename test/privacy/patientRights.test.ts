// Right of access, right to erasure, the audit log viewer and its export, through the API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calendarDate } from "../../server/organisations/timeZone.ts";
import { pgPool } from "../../server/pgPool.ts";
import { ERASED_NAME } from "../../server/privacy/erasePatients.ts";
import { loginAs, startTestApp, type LoggedIn, type TestApp } from "../helpers/api.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { makeGp, holdFor } from "../factories/matching.ts";
import { makeImportWithSources, makeStories, parisWinter } from "../factories/reports.ts";

let t: TestApp;
let orgId: string;
let coordinator: LoggedIn;
let admin: LoggedIn;
let patientId: string;
let enrolmentId: string;
let agentId: string;

beforeAll(async () => {
  t = await startTestApp();
  orgId = (await makeOrganisation()).id;
  const campaign = await makeCampaign(orgId, { name: "Campagne droits" });
  await pgPool().query(`UPDATE "Campaign" SET "status" = 'running' WHERE "id" = $1`, [campaign.id]);
  agentId = (await makeUser(orgId, "agent", { name: "Agente Test" })).user.id;
  const gp = await makeGp(orgId, { lastName: "BERNARD" });
  const at = parisWinter("2026-03-03T10:00:00");
  const [s] = await makeStories(orgId, campaign.id, [{
    attempts: [{ outcome: "no_answer", agentId, at }, { outcome: "reached", agentId, at: new Date(at.getTime() + 86_400_000), durationSeconds: 80, comment: "rappeler le matin" }],
    consents: [{ purpose: "share_identity", granted: true, at }, { purpose: "mt_declaration", granted: true, at }],
    orientation: { status: "reserved", gpId: gp.id, bookedById: agentId, reservedAt: at },
  }]);
  ({ patientId, enrolmentId } = s);
  await pgPool().query(`UPDATE "Enrolment" SET "dialState" = 'waiting' WHERE "id" = $1`, [enrolmentId]);
  await makeImportWithSources(orgId, campaign.id, [patientId]);
  coordinator = await loginAs(t.app, "coordinator", orgId);
  admin = await loginAs(t.app, "admin", orgId);
});
afterAll(() => t.close());

describe("right of access", () => {
  it("finds the patient by name or fund identifier, every identity shown logged", async () => {
    const found = await coordinator.agent.get("/api/privacy/patients?q=dupont").expect(200);
    expect(found.body.map((p: { id: string }) => p.id)).toEqual([patientId]);
    const { rows } = await pgPool().query(`SELECT "details" FROM "AuditLog" WHERE "targetId" = $1 AND "action" = 'patient.identity.read' ORDER BY "id" DESC LIMIT 1`, [patientId]);
    expect(rows[0].details).toMatchObject({ via: "privacy_search" });
    expect((await coordinator.agent.get(`/api/privacy/patients?q=${patientId}`).expect(200)).body).toHaveLength(1);
    expect((await coordinator.agent.get("/api/privacy/patients?q=dupont&birthDate=1999-01-01").expect(200)).body).toHaveLength(0);
    // the full name as a request gives it, in either order
    for (const q of ["DUPONT0 Camille", "camille dupont"]) expect((await coordinator.agent.get(`/api/privacy/patients?q=${encodeURIComponent(q)}`).expect(200)).body.map((p: { id: string }) => p.id), q).toEqual([patientId]);
    expect((await coordinator.agent.get("/api/privacy/patients?q=camille%20martin").expect(200)).body).toHaveLength(0);
  });

  it("exports everything stored about the patient as JSON, audited", async () => {
    const res = await coordinator.agent.get(`/api/privacy/patients/${patientId}/record`).expect(200);
    const record = JSON.parse(res.text);
    expect(record.patient).toMatchObject({ id: patientId, lastName: "DUPONT0", firstName: "Camille", birthDate: "1950-06-15", address: "3 rue des Lilas" });
    expect(record.sources).toHaveLength(1);
    expect(record.enrolments).toHaveLength(1);
    expect(record.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(["no_answer", "reached"]);
    expect(record.consents.map((c: { purpose: string }) => c.purpose).sort()).toEqual(["mt_declaration", "share_identity"]);
    expect(record.orientations[0]).toMatchObject({ status: "reserved", holder: "BERNARD Test" });
    expect(record.audit.map((a: { action: string }) => a.action)).toContain("patient.identity.read");
    const { rows } = await pgPool().query(`SELECT "actorUserId" FROM "AuditLog" WHERE "targetId" = $1 AND "action" = 'patient.access_export'`, [patientId]);
    expect(rows.map((r) => r.actorUserId)).toEqual([coordinator.user.id]);
  });

  it("exports the same as CSV, one line per fact", async () => {
    const res = await coordinator.agent.get(`/api/privacy/patients/${patientId}/record?format=csv`).expect(200);
    expect(res.text.startsWith("\uFEFFRubrique;Date;Élément;Valeur\r\n")).toBe(true);
    expect(res.text).toContain("Identité;");
    expect(res.text).toMatch(/Consentement;03\/03\/2026 10:00;transmission de l'identité au médecin;accordé/);
    expect(res.text).toMatch(/Appel;04\/03\/2026 10:00;Campagne droits — tentative 2 \(Agente Test\);06 12 34 56 78, Joint, 80 s, rappeler le matin/);
    expect(res.text).toMatch(/Journal d'audit;[^;]+;Identité consultée par [^;]+;/);
    expect(res.text).not.toMatch(/patient\.identity\.read|"via"/);
    // what the listing said, in words (not the stored JSON)
    expect(res.text).toMatch(/Listing d'origine;[^;]+;listing\.csv ligne 2;nom : DUPONT, date de naissance : 01\/06\/1950, téléphones : 06 12 34 56 78, ALD : oui\r\n/);
    expect(res.text).not.toContain('{"');
  });
});

describe("right to erasure", () => {
  it("refuses while an agent holds the patient, then erases the identity and keeps the consent log", async () => {
    await holdFor(enrolmentId, agentId);
    await coordinator.agent.post(`/api/privacy/patients/${patientId}/erase`).set("X-CSRF-Token", coordinator.csrf).send({ confirm: true, note: "courrier du 2 mars" }).expect(409);
    await pgPool().query(`UPDATE "Enrolment" SET "dialState" = 'waiting', "heldBy" = NULL, "heldUntil" = NULL WHERE "id" = $1`, [enrolmentId]);
    await coordinator.agent.post(`/api/privacy/patients/${patientId}/erase`).set("X-CSRF-Token", coordinator.csrf).send({ note: "courrier" }).expect(400);
    await coordinator.agent.post(`/api/privacy/patients/${patientId}/erase`).set("X-CSRF-Token", coordinator.csrf).send({ confirm: true, note: "courrier du 2 mars" }).expect(200);

    const record = JSON.parse((await coordinator.agent.get(`/api/privacy/patients/${patientId}/record`).expect(200)).text);
    expect(record.patient).toMatchObject({ lastName: ERASED_NAME, firstName: null, address: null, phones: [], birthDate: "1950-01-01", inseeCode: "42218" });
    expect(record.patient.erasedAt).not.toBeNull();
    expect(record.sources).toEqual([]);
    expect((await pgPool().query(`SELECT count(*)::int AS n FROM "ImportRemark" r JOIN "Import" i ON i."id" = r."importId" WHERE i."organisationId" = $1`, [orgId])).rows[0].n).toBe(0);
    expect(record.attempts.map((a: { phone: string; comment: string | null }) => [a.phone, a.comment])).toEqual([["", null], ["", null]]);
    expect(record.consents).toHaveLength(2);
    expect(record.enrolments[0]).toMatchObject({ dialState: "done", doneReason: "erased" });
    expect(record.audit.find((a: { action: string }) => a.action === "patient.erased").details).toEqual({ reason: "request", note: "courrier du 2 mars" });
    await coordinator.agent.post(`/api/privacy/patients/${patientId}/erase`).set("X-CSRF-Token", coordinator.csrf).send({ confirm: true, note: "encore" }).expect(409);
  });
});

describe("retention settings", () => {
  it("the admin reads and changes the retention, runs it, and sees the run", async () => {
    expect((await admin.agent.get("/api/organisation/retention").expect(200)).body).toMatchObject({ months: 24, dueNow: 0 });
    await admin.agent.put("/api/organisation/retention").set("X-CSRF-Token", admin.csrf).send({ months: 0 }).expect(400);
    expect((await admin.agent.put("/api/organisation/retention").set("X-CSRF-Token", admin.csrf).send({ months: 12 }).expect(200)).body.months).toBe(12);
    expect((await admin.agent.post("/api/organisation/retention/run").set("X-CSRF-Token", admin.csrf).expect(200)).body).toMatchObject({ months: 12, erased: 0 });
    const settings = (await admin.agent.get("/api/organisation/retention").expect(200)).body;
    expect(settings.runs[0]).toMatchObject({ erased: 0, months: 12, actor: expect.any(String) });
    expect(settings.erasedTotal).toBe(1);
  });
});

describe("audit log viewer", () => {
  it("filters by patient, action, actor and dates; pages; exports (audited)", async () => {
    const byPatient = (await admin.agent.get(`/api/privacy/audit?patientId=${patientId}`).expect(200)).body;
    expect(byPatient.items.length).toBeGreaterThanOrEqual(4);
    expect(byPatient.items.every((e: { targetId: string }) => e.targetId === patientId)).toBe(true);
    expect(byPatient.actions).toContain("patient.erased");
    const erased = (await admin.agent.get(`/api/privacy/audit?action=patient.erased&actorUserId=${coordinator.user.id}`).expect(200)).body;
    expect(erased.items).toHaveLength(1);
    expect(erased.items[0]).toMatchObject({ actor: "Test coordinator", actorRole: "coordinator", targetId: patientId });
    const prefix = (await admin.agent.get(`/api/privacy/audit?action=patient.&patientId=${patientId}&limit=2`).expect(200)).body;
    expect(prefix.items).toHaveLength(2);
    const next = (await admin.agent.get(`/api/privacy/audit?action=patient.&patientId=${patientId}&limit=2&before=${prefix.nextBefore}`).expect(200)).body;
    expect(Number(next.items[0].id)).toBeLessThan(Number(prefix.items[1].id));
    expect((await admin.agent.get(`/api/privacy/audit?patientId=${patientId}&to=2020-01-01`).expect(200)).body.items).toEqual([]);
    const today = calendarDate(new Date(), "Europe/Paris"); // the organisation's day, which the filter reads (not UTC's: they differ before 01:00)
    expect((await admin.agent.get(`/api/privacy/audit?patientId=${patientId}&from=${today}&to=${today}`).expect(200)).body.items.length).toBe(byPatient.items.length);

    const csv = await admin.agent.get(`/api/privacy/audit/export?patientId=${patientId}`).expect(200);
    const lines = csv.text.slice(1).trim().split("\r\n");
    expect(lines[0]).toBe("Date;Action;Qui;Rôle actuel;Cible;Identifiant de la cible;Adresse IP;Détails;N°");
    expect(lines).toHaveLength(byPatient.items.length + 1);
    expect(lines[1]).toMatch(/^\d\d\/\d\d\/\d{4} \d\d:\d\d;/);
    // in words: the action, the role and the target by their French names, the details without JSON
    expect(lines.find((l) => l.includes(";Identité effacée;"))).toMatch(/;Identité effacée;[^;]+;Coordinateur;patient;[0-9a-f-]{36};[^;]*;(note : courrier du 2 mars, motif : demande du patient|motif : demande du patient, note : courrier du 2 mars);"=""\d+"""$/);
    expect(csv.text).not.toMatch(/patient\.erased|;coordinator;|\{"/);
    const { rows } = await pgPool().query(`SELECT "details" FROM "AuditLog" WHERE "organisationId" = $1 AND "action" = 'audit.export'`, [orgId]);
    expect(rows[0].details).toMatchObject({ format: "csv", patientId });
  });
});
