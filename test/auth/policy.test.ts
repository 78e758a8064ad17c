// Walks every API route × every role and checks the status the policy promises.
// A new route must be added to EXPECTED, or this test fails: authorisation is never implicit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../shared-types/events.ts";
import { ROLES } from "../../server/auth/policy.ts";
import { apiRoutes } from "../../server/http/routes.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";
import { makeCampaign, makeUploadedImport } from "../factories/campaigns.ts";
import { loginAs, startTestApp, type LoggedIn, type TestApp } from "../helpers/api.ts";

type Expect = Record<Role, number>;
const only = (allowed: Role[], ok: number, denied = 403): Expect =>
  Object.fromEntries(ROLES.map((r) => [r, allowed.includes(r) ? ok : denied])) as Expect;
const all = (status: number): Expect => only([...ROLES], status);

const NO_ID = "00000000-0000-4000-8000-000000000000";

/** Request each route makes (valid input where the role is allowed), and the status per role. */
const EXPECTED: Record<string, { expect: Expect; body?: (ctx: Ctx) => unknown; path?: (ctx: Ctx) => string }> = {
  "POST /auth/login": { expect: all(400), body: () => ({}) },
  "GET /auth/session": { expect: all(200) },
  "POST /auth/logout": { expect: all(204) },
  "GET /organisations": { expect: only(["admin"], 200) },
  "POST /organisations": {
    expect: only(["admin"], 201),
    body: (c) => ({ kind: "MSA", name: `MSA ${c.unique}`, territory: ["2A004"], admin: { email: `adm-${c.unique}@msa.fr`, name: "Adm", password: "mot-de-passe-solide" } }),
  },
  "GET /organisation/time-zone": { expect: only(["admin"], 200) },
  "PUT /organisation/time-zone": { expect: only(["admin"], 200), body: () => ({ timeZone: "Europe/Paris" }) },
  "GET /organisation/telephony": { expect: only(["admin"], 200) },
  "PUT /organisation/telephony": { expect: only(["admin"], 200), body: () => ({ provider: "manual" }) },
  "POST /organisation/telephony/test-call": { expect: only(["admin"], 200), body: () => ({ to: "06 12 34 56 78" }) },
  "GET /users": { expect: only(["admin"], 200) },
  "POST /users": { expect: only(["admin"], 201), body: (c) => ({ email: `u-${c.unique}@test.fr`, name: "U", role: "agent", password: "mot-de-passe-solide" }) },
  "PATCH /users/:id": { expect: only(["admin"], 200), path: (c) => `/users/${c.colleagueId}`, body: () => ({ name: "Nouveau nom" }) },
  "GET /campaigns": { expect: all(200) },
  "GET /agents": { expect: only(["coordinator"], 200) },
  "POST /campaigns": { expect: only(["coordinator"], 201), body: (c) => ({ name: `Campagne ${c.unique}`, type: "ald-sans-mt" }) },
  "GET /campaigns/:id": { expect: all(200), path: (c) => `/campaigns/${c.campaignId}` },
  "POST /campaigns/:id/imports": { expect: only(["coordinator"], 400), path: (c) => `/campaigns/${c.campaignId}/imports`, body: () => ({}) },
  "POST /rosters/imports": { expect: only(["coordinator"], 400), body: () => ({}) },
  "GET /gps": { expect: only(["coordinator", "supervisor"], 200) },
  "GET /campaigns/:id/imports": { expect: only(["coordinator", "supervisor"], 200), path: (c) => `/campaigns/${c.campaignId}/imports` },
  "GET /rosters/imports": { expect: only(["coordinator", "supervisor"], 200) },
  "GET /import-mappings": { expect: only(["coordinator"], 200), path: () => "/import-mappings?kind=patients" },
  "DELETE /import-mappings/:id": { expect: only(["coordinator"], 404), path: () => `/import-mappings/${NO_ID}` },
  "GET /imports/:id": { expect: only(["coordinator", "supervisor"], 200), path: (c) => `/imports/${c.importId}` },
  "PUT /imports/:id/header": { expect: only(["coordinator"], 400), path: (c) => `/imports/${c.importId}/header`, body: () => ({ line: 0 }) },
  "PUT /imports/:id/mapping": { expect: only(["coordinator"], 400), path: (c) => `/imports/${c.importId}/mapping`, body: () => ({ mapping: { lastName: 0 } }) },
  "GET /imports/:id/rejections.csv": { expect: only(["coordinator"], 200), path: (c) => `/imports/${c.importId}/rejections.csv` },
  "GET /campaigns/:id/patients": { expect: only(["coordinator"], 200), path: (c) => `/campaigns/${c.campaignId}/patients` },
  "GET /audit": { expect: only(["admin"], 200) },
  "GET /agent/session": { expect: only(["agent"], 200) },
  "POST /agent/status": { expect: only(["agent"], 200), body: () => ({ status: "paused", pauseReason: "break" }) },
  "POST /agent/heartbeat": { expect: only(["agent"], 200) },
  "POST /agent/call": { expect: only(["agent"], 409) },
  "POST /agent/hangup": { expect: only(["agent"], 204) },
  "POST /agent/release": { expect: only(["agent"], 409) },
  "GET /attempts/:id": { expect: only(["agent"], 404), path: () => `/attempts/${NO_ID}` },
  "POST /attempts/:id/outcome": { expect: only(["agent"], 404), path: () => "/attempts/00000000-0000-4000-8000-000000000000/outcome", body: () => ({ outcome: "busy" }) },
  "GET /agent/callbacks": { expect: only(["agent"], 200) },
  "GET /supervision/agents": { expect: only(["admin", "supervisor", "coordinator"], 200) },
  "POST /telephony/twilio/status": { expect: all(403), body: () => ({ CallSid: "CAunknown", CallStatus: "ringing", SequenceNumber: "0" }) },
  "PUT /campaigns/:id/rules": { expect: only(["coordinator"], 200), path: (c) => `/campaigns/${c.campaignId}/rules`, body: () => ({ maxAttempts: 5 }) },
  "POST /campaigns/:id/status": { expect: only(["coordinator", "supervisor"], 200), path: (c) => `/campaigns/${c.campaignId}/status`, body: () => ({ status: "paused" }) },
  // Reports and privacy (issue 8)
  "GET /campaigns/:id/report": { expect: only(["coordinator", "supervisor"], 200), path: (c) => `/campaigns/${c.campaignId}/report` },
  "GET /campaigns/:id/report/export": { expect: only(["coordinator", "supervisor"], 200), path: (c) => `/campaigns/${c.campaignId}/report/export?format=csv` },
  "GET /campaigns/:id/report/orientations": { expect: only(["coordinator"], 200), path: (c) => `/campaigns/${c.campaignId}/report/orientations?format=csv` },
  "GET /reports/territory": { expect: only(["coordinator", "supervisor"], 200) },
  "GET /reports/territory/export": { expect: only(["coordinator", "supervisor"], 200) },
  "GET /reports/before-after": { expect: only(["coordinator", "supervisor"], 200), path: () => "/reports/before-after?from=2026-01-01&to=2026-06-30" },
  "GET /reports/before-after/export": { expect: only(["coordinator", "supervisor"], 200), path: () => "/reports/before-after/export?from=2026-01-01&to=2026-06-30" },
  "GET /privacy/patients": { expect: only(["coordinator"], 200), path: () => "/privacy/patients?q=PATIENT" },
  "GET /privacy/patients/:id/record": { expect: only(["coordinator"], 404), path: () => "/privacy/patients/00000000-0000-4000-8000-000000000000/record" },
  "POST /privacy/patients/:id/erase": { expect: only(["coordinator"], 404), path: () => "/privacy/patients/00000000-0000-4000-8000-000000000000/erase", body: () => ({ confirm: true, note: "demande écrite" }) },
  "GET /organisation/retention": { expect: only(["admin"], 200) },
  "PUT /organisation/retention": { expect: only(["admin"], 200), body: () => ({ months: 24 }) },
  "POST /organisation/retention/run": { expect: only(["admin"], 200) },
  "GET /privacy/audit": { expect: only(["admin"], 200) },
  "GET /privacy/audit/export": { expect: only(["admin"], 200) },
  // Twilio softphone and bridged calls; why a patient is not called
  "POST /telephony/twilio/voice": { expect: all(403), body: () => ({ CallSid: "CAunknown", From: `client:${NO_ID}`, AccountSid: "AC123" }) }, // unsigned
  "GET /agent/telephony": { expect: only(["agent"], 200) },
  "GET /agent/softphone-token": { expect: only(["agent"], 409) }, // the organisation is on the simulator
  "GET /campaigns/:id/why-not-called": { expect: only(["coordinator", "supervisor"], 404), path: (c) => `/campaigns/${c.campaignId}/why-not-called?patient=${NO_ID}` },
  "GET /campaigns/:id/patient-search": { expect: only(["coordinator"], 200), path: (c) => `/campaigns/${c.campaignId}/patient-search?q=Dupont` },
  // Declarations, team profile, opposition register (coordinator only)
  "GET /declarations/pending": { expect: only(["coordinator"], 200) },
  "POST /declarations/batches": { expect: only(["coordinator"], 409) }, // nothing pending in this organisation
  "GET /declarations/batches": { expect: only(["coordinator"], 200) },
  "GET /declarations/batches/:id/file": { expect: only(["coordinator"], 404), path: () => "/declarations/batches/00000000-0000-4000-8000-000000000000/file" },
  "POST /declarations/answers": { expect: only(["coordinator"], 400), body: () => ({}) },
  "GET /teams/:id/profile": { expect: only(["coordinator"], 404), path: () => "/teams/00000000-0000-4000-8000-000000000000/profile" },
  "GET /oppositions": { expect: only(["coordinator"], 200) },
  "POST /oppositions": { expect: only(["coordinator"], 404), body: () => ({ patientId: "00000000-0000-4000-8000-000000000000" }) },
  "POST /oppositions/imports": { expect: only(["coordinator"], 400), body: () => ({}) },
  "GET /supervision/board": { expect: only(["admin", "supervisor", "coordinator"], 200) },
  "POST /supervision/agents/:id/pause": { expect: only(["supervisor"], 404), path: () => `/supervision/agents/${NO_ID}/pause` },
  "POST /supervision/holds/:id/release": { expect: only(["supervisor"], 404), path: () => `/supervision/holds/${NO_ID}/release` },
  "POST /supervision/callbacks/:id/reassign": { expect: only(["supervisor"], 404), path: () => `/supervision/callbacks/${NO_ID}/reassign`, body: () => ({ agentId: null }) },
  // consent and matching
  "GET /campaigns/:id/script": { expect: only(["coordinator", "supervisor"], 200), path: (c) => `/campaigns/${c.campaignId}/script` },
  "POST /campaigns/:id/script": {
    expect: only(["coordinator"], 201), path: (c) => `/campaigns/${c.campaignId}/script`,
    body: (c) => ({ body: `Bonjour, script ${c.unique}.`, questions: { contact: "Question de contact ?", share_identity: "Question de partage ?", mt_declaration: "Question de déclaration ?" } }),
  },
  "GET /agent/script": { expect: only(["agent"], 409) },
  "POST /agent/consents": { expect: only(["agent"], 409), body: () => ({ purpose: "contact", granted: true, scriptVersionId: NO_ID }) },
  "GET /agent/proposals": { expect: only(["agent"], 409) },
  "POST /agent/orientations": { expect: only(["agent"], 409), body: () => ({ kind: "gp", id: NO_ID }) },
  "GET /teams": { expect: only(["coordinator", "supervisor"], 200) },
  "PUT /gps/:id/capacity": { expect: only(["coordinator"], 404), path: () => `/gps/${NO_ID}/capacity`, body: () => ({ acceptsNew: true, capacity: 3, acceptsAld: true }) },
  "PUT /teams/:id/capacity": { expect: only(["coordinator"], 404), path: () => `/teams/${NO_ID}/capacity`, body: () => ({ acceptsNew: true, capacity: 3, acceptsAld: true }) },
  "POST /links": { expect: only(["coordinator"], 404), body: () => ({ kind: "gp", id: NO_ID, purpose: "capacity" }) },
  "GET /links": { expect: only(["coordinator"], 200) },
  "POST /links/:id/send": { expect: only(["coordinator"], 409), path: () => `/links/${NO_ID}/send`, body: () => ({}) },
  "POST /links/:id/revoke": { expect: only(["coordinator"], 404), path: () => `/links/${NO_ID}/revoke` },
  "GET /orientations": { expect: only(["coordinator", "supervisor"], 200) },
  "POST /orientations/:id/answer": { expect: only(["coordinator"], 404), path: () => `/orientations/${NO_ID}/answer`, body: () => ({ decision: "confirm" }) },
  "GET /public/links/:token": { expect: all(404), path: () => "/public/links/faux-jeton" },
  "PUT /public/links/:token/capacity": { expect: all(404), path: () => "/public/links/faux-jeton/capacity", body: () => ({ acceptsNew: true, capacity: 3, acceptsAld: true }) },
  "POST /public/links/:token/orientations/:id/answer": { expect: all(404), path: () => `/public/links/faux-jeton/orientations/${NO_ID}/answer`, body: () => ({ decision: "confirm" }) },
};

interface Ctx {
  unique: string;
  colleagueId: string;
  campaignId: string;
  importId: string;
}

let t: TestApp;
let orgId: string;
let colleagueId: string;
let campaignId: string;
let importId: string;
beforeAll(async () => {
  t = await startTestApp();
  orgId = (await makeOrganisation()).id;
  colleagueId = (await makeUser(orgId, "agent")).user.id;
  campaignId = (await makeCampaign(orgId)).id;
  importId = (await makeUploadedImport(orgId, campaignId)).id;
});
afterAll(() => t.close());

describe("route × role policy", () => {
  it("every route has an expectation", () => {
    const keys = apiRoutes.map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(keys.filter((k) => !(k in EXPECTED))).toEqual([]);
    expect(Object.keys(EXPECTED).filter((k) => !keys.includes(k))).toEqual([]);
  });

  for (const role of ROLES) {
    it(`${role}: each route answers the expected status`, async () => {
      const got: Record<string, number> = {};
      const want: Record<string, number> = {};
      let me: LoggedIn = await loginAs(t.app, role, orgId);
      for (const route of apiRoutes) {
        const key = `${route.method.toUpperCase()} ${route.path}`;
        const spec = EXPECTED[key];
        const ctx = { unique: `${role}-${Math.random().toString(36).slice(2, 8)}`, colleagueId, campaignId, importId };
        const path = `/api${spec.path ? spec.path(ctx) : route.path}`;
        let req = me.agent[route.method](path).set("X-CSRF-Token", me.csrf);
        if (spec.body) req = req.send(spec.body(ctx) as object);
        got[key] = (await req).status;
        if (key === "POST /auth/logout" || key === "POST /auth/login") me = await loginAs(t.app, role, orgId);
        want[key] = spec.expect[role];
      }
      expect(got).toEqual(want);
    });
  }

  it("without a session every protected route answers 401", async () => {
    const { default: request } = await import("supertest");
    for (const route of apiRoutes.filter((r) => r.action !== "public")) {
      const res = await request(t.app)[route.method](`/api${route.path.replace(":id", campaignId)}`);
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
    }
  });
});

describe("organisation isolation", () => {
  it("an admin sees and changes only the users of their own organisation", async () => {
    const other = await makeOrganisation({ kind: "CPAM" });
    const stranger = await makeUser(other.id, "agent");
    const me = await loginAs(t.app, "admin", orgId);
    const list = await me.agent.get("/api/users").expect(200);
    expect(list.body.every((u: { organisationId: string }) => u.organisationId === orgId)).toBe(true);
    expect(list.body.map((u: { id: string }) => u.id)).not.toContain(stranger.user.id);
    await me.agent.patch(`/api/users/${stranger.user.id}`).set("X-CSRF-Token", me.csrf).send({ role: "admin" }).expect(404);
  });

  it("campaigns and audit entries are those of the organisation only", async () => {
    const { db } = await import("../../server/db.ts");
    const other = await makeOrganisation();
    await db().campaign.create({ data: { organisationId: other.id, name: "Autre", type: "ald_sans_mt" } });
    const me = await loginAs(t.app, "admin", orgId);
    const campaigns = await me.agent.get("/api/campaigns").expect(200);
    expect(campaigns.body.every((c: { organisationId: string }) => c.organisationId === orgId)).toBe(true);
    const audit = await me.agent.get("/api/audit").expect(200);
    expect(audit.body.length).toBeGreaterThan(0);
    expect(audit.body.every((a: { organisationId: string }) => a.organisationId === orgId)).toBe(true);
  });
});
