// Input PostgreSQL would refuse is refused first, with a 4xx and a French message: NUL characters, cursors out of
// range, the same creation sent twice at once (a double click).
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { toAppError } from "../../server/errors.ts";
import { loginAs, startTestApp, type LoggedIn, type TestApp } from "../helpers/api.ts";

let t: TestApp;
let admin: LoggedIn;
beforeAll(async () => {
  t = await startTestApp();
  admin = await loginAs(t.app, "admin");
});
afterAll(() => t.close());

describe("bad input", () => {
  it("a NUL character anywhere: 400, nothing written", async () => {
    const before = await db().user.count();
    const res = await admin.agent.post("/api/users").set("X-CSRF-Token", admin.csrf)
      .send({ name: "Camille\u0000Test", email: "nul@test.fr", role: "agent", password: "un-mot-de-passe-solide" }).expect(400);
    expect(res.body.error.message).toMatch(/caractère nul/);
    await admin.agent.get("/api/privacy/audit?action=a%00").expect(400);
    expect(await db().user.count()).toBe(before);
  });

  it("a body that is not JSON is refused with 415, not read as empty; a plain HTML form cannot log in", async () => {
    const form = await request(t.app).post("/api/auth/login").type("form").send({ email: "admin@x.fr", password: "un-mot-de-passe" }).expect(415);
    expect(form.body.error.message).toBe("Envoyez le corps de la requête en JSON (Content-Type: application/json).");
    await admin.agent.post("/api/users").set("X-CSRF-Token", admin.csrf).set("Content-Type", "text/plain").send("name=x").expect(415);
  });

  it("an audit period that ends before it starts: 400, said", async () => {
    const res = await admin.agent.get("/api/privacy/audit?from=2026-03-31&to=2026-03-01").expect(400);
    expect(res.body.error.message).toMatch(/la date « du » doit précéder la date « au »/);
    await admin.agent.get("/api/privacy/audit/export?from=2026-03-31&to=2026-03-01").expect(400);
    await admin.agent.get("/api/privacy/audit?from=2026-03-01&to=2026-03-01").expect(200);
  });

  it("an audit cursor out of range or not a number: 400", async () => {
    for (const before of ["99999999999999999999999999", "-5", "abc"]) {
      for (const path of ["/api/audit", "/api/privacy/audit"]) {
        const res = await admin.agent.get(`${path}?before=${before}`);
        expect([path, before, res.status]).toEqual([path, before, 400]);
      }
    }
  });

  it("the same user created six times at once: one 201, the others 409, never a 500", async () => {
    const send = () => admin.agent.post("/api/users").set("X-CSRF-Token", admin.csrf)
      .send({ name: "Double Clic", email: `double-${Date.now()}@test.fr`.replace(/\d+/, "x"), role: "agent", password: "un-mot-de-passe-solide" });
    const statuses = (await Promise.all(Array.from({ length: 6 }, send))).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    // the race that gets past the existence check meets the unique constraint: a conflict, not an internal error
    for (const code of ["P2002", "23505"]) expect(toAppError(Object.assign(new Error("unique"), { code }))).toMatchObject({ status: 409, code: "conflict" });
  });
});
