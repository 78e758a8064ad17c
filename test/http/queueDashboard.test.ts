// The admins' queue dashboard (bull-board, read-only) and the operational metrics on /metrics.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../shared-types/events.ts";
import { makeOrganisation } from "../factories/organisations.ts";
import { loginAs, startTestApp, type TestApp } from "../helpers/api.ts";
import { mayWatchQueues } from "../../server/http/queueDashboard.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("queue dashboard", () => {
  it("needs a session, and the admin role", async () => {
    await request(t.app).get("/api/admin/queues").expect(401);
    const org = await makeOrganisation();
    for (const role of ["coordinator", "supervisor", "agent"] as Role[]) {
      const me = await loginAs(t.app, role, org.id);
      const res = await me.agent.get("/api/admin/queues").expect(403);
      expect(res.body.error.code).toBe("forbidden");
      await me.agent.get("/api/admin/queues/api/queues").expect(403);
    }
  });

  it("is for the installation's own admins only: the queues carry every organisation's jobs", async () => {
    expect(mayWatchQueues("dsi@caisse.fr", ["dsi@caisse.fr"], true)).toBe(true);
    expect(mayWatchQueues("DSI@caisse.fr", ["dsi@caisse.fr"], false)).toBe(true);
    expect(mayWatchQueues("admin@cpts.fr", ["dsi@caisse.fr"], false)).toBe(false); // an organisation's admin, not listed
    expect(mayWatchQueues("admin@cpts.fr", undefined, true)).toBe(false); // production, nobody listed
    expect(mayWatchQueues("admin@cpts.fr", undefined, false)).toBe(true); // the demo
  });

  it("shows every queue of the product to an admin, read-only", async () => {
    const admin = await loginAs(t.app, "admin");
    const page = await admin.agent.get("/api/admin/queues").expect(200);
    expect(page.text).toContain('<base href="/api/admin/queues/"');
    const api = await admin.agent.get("/api/admin/queues/api/queues").expect(200);
    const names = (api.body.queues as { name: string; readOnlyMode: boolean }[]).map((q) => q.name).sort();
    expect(names).toEqual(["calls", "dialer", "housekeeping", "imports", "retention"]);
    expect((api.body.queues as { readOnlyMode: boolean }[]).every((q) => q.readOnlyMode)).toBe(true);
    const retry = await admin.agent.put("/api/admin/queues/api/queues/imports/retry/failed").set("X-CSRF-Token", admin.csrf).expect(405);
    expect(retry.body.error.message).toBe("Le tableau des files est en lecture seule.");
  });
});

describe("/metrics", () => {
  it("exposes queue depths, agents by state, ready → card and Twilio webhook lag", async () => {
    const me = await loginAs(t.app, "agent");
    await me.agent.post("/api/agent/status").set("X-CSRF-Token", me.csrf).send({ status: "ready" }).expect(200);
    const text = (await request(t.app).get("/metrics").expect(200)).text;
    expect(text).toMatch(/omt_queue_jobs\{queue="imports",state="waiting"\} \d+/);
    expect(text).toMatch(/omt_agents\{status="ready"\} [1-9]/);
    expect(text).toMatch(/omt_dialer_ready_to_card_seconds_count\{result="ok"\} [1-9]/);
    expect(text).toContain("omt_twilio_webhook_lag_seconds");
    expect(text).toContain("omt_socket_connections");
  });
});
