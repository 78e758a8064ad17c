// With METRICS_TOKEN set, /metrics answers only to its bearer token: the queue depths and agent counts of a
// deployment without a proxy in front are not open to anyone who can reach the port.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";

const TOKEN = "jeton-de-supervision-0123456789";
process.env.METRICS_TOKEN = TOKEN; // read when the environment is first parsed, below
const { startTestApp } = await import("../helpers/api.ts");
let t: Awaited<ReturnType<typeof startTestApp>>;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  delete process.env.METRICS_TOKEN;
  await t.close();
});

describe("/metrics with METRICS_TOKEN", () => {
  it("refuses a request without the token, or with another one, in French", async () => {
    for (const auth of [undefined, "Bearer autre-jeton-0123456789xx", `Basic ${TOKEN}`]) {
      const req = request(t.app).get("/metrics");
      const res = await (auth ? req.set("authorization", auth) : req).expect(401);
      expect(res.body).toEqual({ error: { code: "metrics_token", message: "Jeton d'accès aux métriques absent ou invalide (METRICS_TOKEN)." } });
      expect(res.headers["www-authenticate"]).toMatch(/^Bearer/);
    }
  });

  it("answers the Prometheus text to the token", async () => {
    const res = await request(t.app).get("/metrics").set("authorization", `Bearer ${TOKEN}`).expect(200);
    expect(res.text).toMatch(/omt_http_request_duration_seconds_bucket/);
  });
});
