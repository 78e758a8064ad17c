import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { sessionIdOf } from "../../server/auth/sessions.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";
import { loginAs, startTestApp, type TestApp } from "../helpers/api.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const cookieOf = (res: request.Response) => [res.headers["set-cookie"]].flat().join(";");

describe("login", () => {
  it("opens a session stored in PostgreSQL with an httpOnly SameSite cookie, and audits it", async () => {
    const org = await makeOrganisation();
    const { user, password } = await makeUser(org.id, "coordinator");
    const res = await request(t.app).post("/api/auth/login").send({ email: user.email.toUpperCase(), password }).expect(200);
    expect(res.body.user).toMatchObject({ id: user.id, role: "coordinator", organisation: { id: org.id, kind: "CPTS" } });
    expect(res.body.csrfToken).toEqual(expect.any(String));
    const cookie = cookieOf(res);
    expect(cookie).toMatch(/omt_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const token = /omt_session=([^;]+)/.exec(cookie)![1];
    expect(await db().session.findUnique({ where: { id: sessionIdOf(token) } })).not.toBeNull();
    expect(await db().session.findUnique({ where: { id: token } })).toBeNull(); // only the keyed hash is stored
    const audit = await db().auditLog.findFirst({ where: { actorUserId: user.id, action: "auth.login" } });
    expect(audit).not.toBeNull();
  });

  it("answers the same 401 for a wrong password and an unknown user, writes no session, audits the failure", async () => {
    const org = await makeOrganisation();
    const { user } = await makeUser(org.id, "agent");
    const before = await db().session.count({ where: { userId: user.id } });
    const wrong = await request(t.app).post("/api/auth/login").send({ email: user.email, password: "pas-le-bon-mot-de-passe" }).expect(401);
    const unknown = await request(t.app).post("/api/auth/login").send({ email: "personne@nulle-part.fr", password: "x" }).expect(401);
    expect(wrong.body).toEqual({ error: { code: "invalid_credentials", message: "E-mail ou mot de passe incorrect." } });
    expect(unknown.body).toEqual(wrong.body);
    expect(cookieOf(wrong)).not.toMatch(/omt_session=/);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(before);
    expect(await db().auditLog.count({ where: { actorUserId: user.id, action: "auth.login_failed" } })).toBe(1);
  });

  it("refuses a deactivated user", async () => {
    const org = await makeOrganisation();
    const { user, password } = await makeUser(org.id, "agent", { active: false });
    await request(t.app).post("/api/auth/login").send({ email: user.email, password }).expect(401);
  });

  it("validates the body with a French message", async () => {
    const res = await request(t.app).post("/api/auth/login").send({ email: "pas-un-email" }).expect(400);
    expect(res.body.error.code).toBe("bad_request");
    expect(res.body.error.message).toMatch(/adresse e-mail invalide/);
  });

  it("limits login attempts per address and e-mail (429 in French)", async () => {
    const email = `limite-${Date.now()}@test.fr`;
    for (let i = 0; i < 10; i++) await request(t.app).post("/api/auth/login").send({ email, password: "x" }).expect(401);
    const res = await request(t.app).post("/api/auth/login").send({ email, password: "x" }).expect(429);
    expect(res.body.error).toEqual({ code: "too_many_attempts", message: "Trop de tentatives de connexion. Réessayez dans 15 minutes." });
    // the same address with spaces or capitals is the same account, and the same count
    for (const spelling of [` ${email}`, `  ${email}  `, email.toUpperCase()]) {
      await request(t.app).post("/api/auth/login").send({ email: spelling, password: "x" }).expect(429);
    }
  });

  it("counts failed attempts only: a script of the fund's IT that logs in often is not locked out", async () => {
    const password = "mot-de-passe-de-test-12";
    const { user } = await makeUser((await makeOrganisation()).id, "coordinator", { password });
    for (let i = 0; i < 12; i++) await request(t.app).post("/api/auth/login").send({ email: user.email, password }).expect(200);
    for (let i = 0; i < 9; i++) await request(t.app).post("/api/auth/login").send({ email: user.email, password: "x" }).expect(401);
    await request(t.app).post("/api/auth/login").send({ email: user.email, password }).expect(200);
    await request(t.app).post("/api/auth/login").send({ email: user.email, password: "x" }).expect(401); // the tenth failure
    await request(t.app).post("/api/auth/login").send({ email: user.email, password }).expect(429);
  });
});

describe("session, CSRF and logout", () => {
  it("returns the session's user and CSRF token", async () => {
    const me = await loginAs(t.app, "supervisor");
    const res = await me.agent.get("/api/auth/session").expect(200);
    expect(res.body).toMatchObject({ user: { id: me.user.id, role: "supervisor" }, csrfToken: me.csrf });
  });

  it("refuses a state-changing request without the CSRF token, and changes nothing", async () => {
    const me = await loginAs(t.app, "admin");
    const email = `sans-csrf-${Date.now()}@test.fr`;
    const res = await me.agent.post("/api/users").send({ email, name: "X", role: "agent", password: "un-mot-de-passe-long" }).expect(403);
    expect(res.body.error.code).toBe("csrf");
    await me.agent.post("/api/users").set("X-CSRF-Token", "faux").send({ email, name: "X", role: "agent", password: "un-mot-de-passe-long" }).expect(403);
    expect(await db().user.findUnique({ where: { email } })).toBeNull();
  });

  it("an active user's cookie is sent again as the session slides, so the browser keeps it past the login's expiry", async () => {
    const me = await loginAs(t.app, "agent");
    const quiet = await me.agent.get("/api/auth/session").expect(200);
    expect(cookieOf(quiet)).toBe(""); // touched a moment ago: nothing to renew
    await db().session.updateMany({ where: { userId: me.user.id }, data: { lastSeenAt: new Date(Date.now() - 6 * 60_000), expiresAt: new Date(Date.now() + 60_000) } });
    const res = await me.agent.get("/api/auth/session").expect(200);
    const renewed = cookieOf(res);
    expect(renewed).toMatch(new RegExp(`^${me.cookie}; Path=/; Expires=`));
    expect(renewed).toMatch(/HttpOnly; SameSite=Lax/);
    const expires = new Date(/Expires=([^;]+)/.exec(renewed)![1]).getTime();
    const stored = (await db().session.findFirst({ where: { userId: me.user.id } }))!.expiresAt.getTime();
    expect(Math.abs(expires - stored)).toBeLessThan(1000);
    expect(stored - Date.now()).toBeGreaterThan(60 * 60_000);
  });

  it("answers 401 session_expired for an expired session", async () => {
    const me = await loginAs(t.app, "agent");
    await db().session.updateMany({ where: { userId: me.user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await me.agent.get("/api/auth/session").expect(401);
    expect(res.body.error).toEqual({ code: "session_expired", message: "Votre session a expiré. Veuillez vous reconnecter." });
  });

  it("answers 401 without a cookie", async () => {
    const res = await request(t.app).get("/api/auth/session").expect(401);
    expect(res.body.error.code).toBe("unauthenticated");
  });

  it("logs out: deletes the session, clears the cookie, audits", async () => {
    const me = await loginAs(t.app, "agent");
    await me.agent.post("/api/auth/logout").set("X-CSRF-Token", me.csrf).expect(204);
    expect(await db().session.count({ where: { userId: me.user.id } })).toBe(0);
    await me.agent.get("/api/auth/session").expect(401);
    expect(await db().auditLog.count({ where: { actorUserId: me.user.id, action: "auth.logout" } })).toBe(1);
  });
});

describe("bad input", () => {
  it("malformed JSON → 400 JSON error", async () => {
    const res = await request(t.app).post("/api/auth/login").set("Content-Type", "application/json").send("{pas du json").expect(400);
    expect(res.body).toEqual({ error: { code: "bad_request", message: "Corps de requête JSON mal formé." } });
  });

  it("oversized body → 413 JSON error", async () => {
    const res = await request(t.app).post("/api/auth/login").send({ email: "a@b.fr", password: "x".repeat(200_000) }).expect(413);
    expect(res.body).toEqual({ error: { code: "payload_too_large", message: "Requête trop volumineuse." } });
  });

  it("unknown API route → 404 JSON error", async () => {
    const res = await request(t.app).get("/api/nexiste-pas").expect(404);
    expect(res.body.error.code).toBe("not_found");
  });

  it("sets security headers", async () => {
    const res = await request(t.app).get("/api/nexiste-pas");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(res.headers["x-powered-by"]).toBeUndefined();
  });
});
