import request from "supertest";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/http/app.ts";
import { apiRoutes } from "../../server/http/routes.ts";
import { startTestApp, type TestApp } from "../helpers/api.ts";
import { runTs } from "../helpers/run.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("health, metrics, OpenAPI", () => {
  it("/healthz checks PostgreSQL and Redis", async () => {
    const res = await request(t.app).get("/healthz").expect(200);
    expect(res.body).toEqual({ ok: true, checks: { postgresql: "ok", redis: "ok" } });
  });

  it("/healthz answers 503 when Redis is unreachable", async () => {
    const dead = new Redis("redis://127.0.0.1:1", { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
    dead.on("error", () => {});
    const res = await request(createApp({ redis: dead })).get("/healthz").expect(503);
    expect(res.body.ok).toBe(false);
    expect(res.body.checks.postgresql).toBe("ok");
    expect(res.body.checks.redis).toMatch(/^indisponible/);
    dead.disconnect();
  });

  it("/metrics is Prometheus text", async () => {
    await request(t.app).get("/api/nexiste-pas");
    const res = await request(t.app).get("/metrics").expect(200);
    expect(res.text).toMatch(/omt_http_request_duration_seconds_bucket/);
    expect(res.text).toMatch(/omt_process_cpu_seconds_total/);
  });

  it("/api/openapi.json documents every route from the zod schemas", async () => {
    const res = await request(t.app).get("/api/openapi.json").expect(200);
    expect(res.body.openapi).toBe("3.1.0");
    for (const r of apiRoutes) {
      const p = `/api${r.path.replace(/:([A-Za-z_]+)/g, "{$1}")}`;
      expect(res.body.paths[p]?.[r.method], `${r.method} ${p}`).toBeDefined();
    }
    expect(res.body.paths["/api/users"].post.requestBody.content["application/json"].schema.required).toEqual(["email", "name", "role", "password"]);
    // Uploads are documented as the multipart form they are, and every change needs the CSRF header.
    for (const path of ["/api/campaigns/{id}/imports", "/api/rosters/imports", "/api/declarations/answers", "/api/oppositions/imports"]) {
      expect(res.body.paths[path].post.requestBody.content["multipart/form-data"].schema.required, path).toEqual(["file"]);
    }
    expect(res.body.paths["/api/users"].post.security).toEqual([{ session: [], csrf: [] }]);
    expect(res.body.paths["/api/users"].get.security).toEqual([{ session: [] }]);
    expect(res.body.components.securitySchemes.csrf).toMatchObject({ in: "header", name: "x-csrf-token" });
  });
});

describe("start-up when a service is unreachable", () => {
  it("stops with one line naming PostgreSQL and its address", async () => {
    const res = await runTs("server/start.ts", [], { env: { DATABASE_URL: "postgresql://postgres@127.0.0.1:1/x" } });
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
    expect(res.stderr).toMatch(/^Arrêt : PostgreSQL injoignable à 127\.0\.0\.1:1 /);
  });

  it("stops with one line naming Redis and its address", async () => {
    const res = await runTs("server/start.ts", [], { env: { REDIS_URL: "redis://127.0.0.1:2" } });
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
    expect(res.stderr).toMatch(/^Arrêt : Redis injoignable à 127\.0\.0\.1:2 /);
  });

  it("stops with one line on a bad variable", async () => {
    const res = await runTs("server/start.ts", [], { env: { PORT: "abc" } });
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toMatch(/^Arrêt : Configuration invalide — PORT: /);
  });
});
