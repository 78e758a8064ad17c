// An in-process app with real PostgreSQL and Redis, and agents logged in as a role.
import request from "supertest";
import type { Express } from "express";
import type { Role } from "../../shared-types/events.ts";
import { createApp } from "../../server/http/app.ts";
import { closeServices, type Services } from "../../server/http/services.ts";
import { createProducerConnection, waitForRedis } from "../../server/redis.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";

export interface TestApp {
  app: Express;
  close(): Promise<void>;
}

export async function startTestApp(): Promise<TestApp> {
  const redis = createProducerConnection();
  await waitForRedis(redis);
  const app = createApp({ redis });
  return { app, close: () => closeServices(app.locals.services as Services) };
}

export interface LoggedIn {
  agent: ReturnType<typeof request.agent>;
  csrf: string;
  /** "omt_session=…", for clients other than the supertest agent (socket.io). */
  cookie: string;
  user: { id: string; email: string; organisationId: string; role: Role };
}

export async function loginAs(app: Express | string, role: Role, organisationId?: string): Promise<LoggedIn> {
  const orgId = organisationId ?? (await makeOrganisation()).id;
  const { user, password } = await makeUser(orgId, role);
  const agent = request.agent(app);
  const res = await agent.post("/api/auth/login").send({ email: user.email, password }).expect(200);
  const cookie = [res.headers["set-cookie"]].flat().map((c) => String(c).split(";")[0]).find((c) => c.startsWith("omt_session="))!;
  return { agent, csrf: res.body.csrfToken, cookie, user: { id: user.id, email: user.email, organisationId: orgId, role } };
}
