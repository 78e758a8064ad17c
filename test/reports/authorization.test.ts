// Every report and export is refused to the roles that must not see it, and to other organisations.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../shared-types/events.ts";
import { ROLES } from "../../server/auth/policy.ts";
import { pgPool } from "../../server/pgPool.ts";
import { loginAs, startTestApp, type TestApp } from "../helpers/api.ts";
import { makeOrganisation } from "../factories/organisations.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { makeStories } from "../factories/reports.ts";

let t: TestApp;
let orgId: string;
let campaignId: string;
let patientId: string;

beforeAll(async () => {
  t = await startTestApp();
  orgId = (await makeOrganisation({ territory: ["42218"] })).id;
  campaignId = (await makeCampaign(orgId)).id;
  [{ patientId }] = await makeStories(orgId, campaignId, Array.from({ length: 6 }, () => ({})));
});
afterAll(() => t.close());

type Req = { method: "get" | "post" | "put"; path: () => string; body?: object; allowed: Role[] };
const REPORTS: Req[] = [
  { method: "get", path: () => `/api/campaigns/${campaignId}/report`, allowed: ["coordinator", "supervisor"] },
  { method: "get", path: () => `/api/campaigns/${campaignId}/report/export?format=csv`, allowed: ["coordinator", "supervisor"] },
  { method: "get", path: () => `/api/campaigns/${campaignId}/report/export?format=xlsx`, allowed: ["coordinator", "supervisor"] },
  { method: "get", path: () => `/api/campaigns/${campaignId}/report/orientations?format=csv`, allowed: ["coordinator"] },
  { method: "get", path: () => `/api/campaigns/${campaignId}/report/orientations?format=xlsx`, allowed: ["coordinator"] },
  { method: "get", path: () => "/api/reports/territory", allowed: ["coordinator", "supervisor"] },
  { method: "get", path: () => "/api/reports/territory/export?format=csv", allowed: ["coordinator", "supervisor"] },
  { method: "get", path: () => "/api/reports/before-after?from=2026-01-01&to=2026-12-31", allowed: ["coordinator", "supervisor"] },
  { method: "get", path: () => "/api/reports/before-after/export?from=2026-01-01&to=2026-12-31", allowed: ["coordinator", "supervisor"] },
  { method: "get", path: () => "/api/privacy/patients?q=DUPONT", allowed: ["coordinator"] },
  { method: "get", path: () => `/api/privacy/patients/${patientId}/record`, allowed: ["coordinator"] },
  { method: "get", path: () => `/api/privacy/patients/${patientId}/record?format=csv`, allowed: ["coordinator"] },
  { method: "get", path: () => "/api/organisation/retention", allowed: ["admin"] },
  { method: "get", path: () => "/api/privacy/audit", allowed: ["admin"] },
  { method: "get", path: () => "/api/privacy/audit/export?format=csv", allowed: ["admin"] },
  { method: "get", path: () => "/api/privacy/audit/export?format=xlsx", allowed: ["admin"] },
];

describe("reports and exports: roles", () => {
  for (const role of ROLES) {
    it(`${role}: allowed where the policy says, 403 elsewhere, and nothing written before the refusal`, async () => {
      const me = await loginAs(t.app, role, orgId);
      const got: Record<string, number> = {};
      const want: Record<string, number> = {};
      for (const r of REPORTS) {
        got[r.path()] = (await me.agent[r.method](r.path()).set("X-CSRF-Token", me.csrf).send(r.body)).status;
        want[r.path()] = r.allowed.includes(role) ? 200 : 403;
      }
      expect(got).toEqual(want);
      if (role !== "coordinator") {
        const { rows } = await pgPool().query(`SELECT count(*)::int AS n FROM "AuditLog" WHERE "actorUserId" = $1 AND "action" IN ('patient.identity.read', 'orientation.export', 'patient.access_export')`, [me.user.id]);
        expect(rows[0].n).toBe(0);
      }
      const erase = await me.agent.post(`/api/privacy/patients/${patientId}/erase`).set("X-CSRF-Token", me.csrf).send({ confirm: true, note: "essai de rôle" });
      // the coordinator's walk erases the patient (200, once); every other role is refused before any lookup
      expect(erase.status).toBe(role === "coordinator" ? 200 : 403);
    });
  }
});

describe("reports and exports: other organisations", () => {
  it("a coordinator of another organisation gets 404 for this one's campaign and patient, and never its numbers", async () => {
    const other = await makeOrganisation({ territory: ["42218"] });
    const stranger = await loginAs(t.app, "coordinator", other.id);
    for (const path of [`/api/campaigns/${campaignId}/report`, `/api/campaigns/${campaignId}/report/export?format=csv`, `/api/campaigns/${campaignId}/report/orientations`,
      `/api/privacy/patients/${patientId}/record`, `/api/privacy/patients/${patientId}/record?format=csv`]) {
      expect((await stranger.agent.get(path)).status, path).toBe(404);
    }
    expect((await stranger.agent.post(`/api/privacy/patients/${patientId}/erase`).set("X-CSRF-Token", stranger.csrf).send({ confirm: true, note: "pas le mien" })).status).toBe(404);
    expect((await stranger.agent.get("/api/privacy/patients?q=DUPONT").expect(200)).body).toEqual([]);
    const territory = (await stranger.agent.get("/api/reports/territory").expect(200)).body;
    expect(territory.total.patients.noMt).toEqual({ count: 0, label: "0" });
    const supervisor = await loginAs(t.app, "supervisor", other.id);
    expect((await supervisor.agent.get(`/api/campaigns/${campaignId}/report`)).status).toBe(404);
  });

  it("an admin of another organisation sees none of this one's audit entries", async () => {
    const other = await makeOrganisation();
    const admin = await loginAs(t.app, "admin", other.id);
    const page = (await admin.agent.get(`/api/privacy/audit?patientId=${patientId}`).expect(200)).body;
    expect(page.items).toEqual([]);
    const all = (await admin.agent.get("/api/privacy/audit?limit=500").expect(200)).body;
    expect(all.items.every((e: { targetId: string | null }) => e.targetId !== patientId)).toBe(true);
    const csv = await admin.agent.get(`/api/privacy/audit/export?patientId=${patientId}`).expect(200);
    expect(csv.text.slice(1).trim().split("\r\n")).toHaveLength(1);
  });
});
