import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientToServer, ServerToClient } from "../../shared-types/events.ts";
import { startWeb } from "../../server/web.ts";
import { loginAs } from "../helpers/api.ts";
import { makeOrganisation } from "../factories/organisations.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { pgPool } from "../../server/pgPool.ts";
import { runDialerSweep } from "../../queues/dialer.ts";
import { closeLiveEmitter } from "../../server/live/liveEmitter.ts";
import { makeGp } from "../factories/matching.ts";

let web: Awaited<ReturnType<typeof startWeb>>;
let url: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  web = await startWeb({ port: 0, host: "127.0.0.1" });
  url = `http://127.0.0.1:${web.port}`;
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  closeLiveEmitter();
  await web.close();
});

function open(cookie?: string): Socket<ServerToClient, ClientToServer> {
  const s: Socket<ServerToClient, ClientToServer> = connect(url, { transports: ["websocket"], extraHeaders: cookie ? { cookie } : {}, reconnection: false });
  sockets.push(s);
  return s;
}

async function sessionCookie(role: "agent" | "supervisor", orgId: string) {
  const me = await loginAs(url, role, orgId);
  return { me, cookie: me.cookie };
}

/** A running campaign open at every hour with one patient due, its organisation's supervisor and agent logged in. */
async function runningCampaignWithOnePatient() {
  const org = await makeOrganisation();
  const campaign = await makeCampaign(org.id);
  const allDay = Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [["00:00", "23:59"]]]));
  await pgPool().query(`UPDATE "Campaign" SET "status" = 'running', "callingWindows" = $2, "skipPublicHolidays" = false WHERE "id" = $1`, [campaign.id, allDay]);
  await makeEnrolledPatients(org.id, campaign.id, 1);
  return { supervisor: await sessionCookie("supervisor", org.id), agent: await sessionCookie("agent", org.id) };
}

describe("socket.io", () => {
  it("refuses a connection without a valid session", async () => {
    const s = open("omt_session=faux");
    const err = await new Promise<Error>((resolve) => s.on("connect_error", resolve));
    expect(err.message).toBe("unauthenticated");
  });

  it("refuses a browser connection from another origin, even with a valid session cookie", async () => {
    const org = await makeOrganisation();
    const supervisor = await sessionCookie("supervisor", org.id);
    const foreign: Socket<ServerToClient, ClientToServer> = connect(url, { transports: ["websocket"], extraHeaders: { cookie: supervisor.cookie, origin: "http://evil.example" }, reconnection: false });
    sockets.push(foreign);
    const err = await new Promise<Error>((resolve) => foreign.on("connect_error", resolve));
    expect(err.message).toMatch(/websocket error|xhr poll error|Forbidden/i);
    const own = open(supervisor.cookie);
    await new Promise((resolve) => own.on("session:ready", resolve));
  });

  it("authenticates by the session cookie, answers ping, and tells supervisors who is connected", async () => {
    const org = await makeOrganisation();
    const supervisor = await sessionCookie("supervisor", org.id);
    const sup = open(supervisor.cookie);
    const ready = await new Promise<Parameters<ServerToClient["session:ready"]>[0]>((resolve) => sup.on("session:ready", resolve));
    expect(ready.user).toMatchObject({ id: supervisor.me.user.id, role: "supervisor" });
    const serverTime = await sup.timeout(2000).emitWithAck("ping");
    expect(new Date(serverTime).getTime()).toBeGreaterThan(0);

    const counts = new Promise<Record<string, number>>((resolve) =>
      sup.on("presence:counts", (p) => {
        if (p.counts.agent === 1) resolve(p.counts);
      }),
    );
    const agent = await sessionCookie("agent", org.id);
    const ag = open(agent.cookie);
    await new Promise((resolve) => ag.on("session:ready", resolve));
    expect(await counts).toEqual({ admin: 0, coordinator: 0, supervisor: 1, agent: 1 });
  });

  it("logout ends the session's live connection", async () => {
    const org = await makeOrganisation();
    const agent = await sessionCookie("agent", org.id);
    const s = open(agent.cookie);
    await new Promise((resolve) => s.on("session:ready", resolve));
    const ended = new Promise((resolve) => s.on("session:ended", resolve));
    const gone = new Promise((resolve) => s.on("disconnect", resolve));
    await agent.me.agent.post("/api/auth/logout").set("X-CSRF-Token", agent.me.csrf).expect(204);
    expect(await ended).toEqual({ reason: "logout" });
    await gone;
  });

  it("an admin's change to an account ends every console of that user, saying why", async () => {
    const org = await makeOrganisation();
    const admin = await loginAs(url, "admin", org.id);
    const endedWith = async (patch: Record<string, unknown>) => {
      const agent = await sessionCookie("agent", org.id);
      const tabs = [open(agent.cookie), open(agent.cookie)];
      await Promise.all(tabs.map((t) => new Promise((resolve) => t.on("session:ready", resolve))));
      const ended = tabs.map((t) => new Promise((resolve) => t.on("session:ended", resolve)));
      await admin.agent.patch(`/api/users/${agent.me.user.id}`).set("X-CSRF-Token", admin.csrf).send(patch).expect(200);
      return Promise.all(ended);
    };
    expect(await endedWith({ password: "un-nouveau-mot-de-passe-42" })).toEqual([{ reason: "password_changed" }, { reason: "password_changed" }]);
    expect(await endedWith({ role: "supervisor" })).toEqual([{ reason: "role_changed" }, { reason: "role_changed" }]);
    expect(await endedWith({ active: false })).toEqual([{ reason: "deactivated" }, { reason: "deactivated" }]);
  });

  it("the supervisor hears the agent's states as PostgreSQL holds them: ready, busy with a patient, wrap-up after the outcome", async () => {
    const { supervisor, agent } = await runningCampaignWithOnePatient();
    const sup = open(supervisor.cookie);
    await new Promise((resolve) => sup.on("session:ready", resolve));
    const heard: { status: string; pauseReason: string | null; since: string }[] = [];
    sup.on("agent:state", (e) => e.userId === agent.me.user.id && heard.push({ status: e.status, pauseReason: e.pauseReason, since: e.since }));
    const stored = async () => (await pgPool().query(`SELECT "status", "pauseReason", "since" FROM "AgentState" WHERE "userId" = $1`, [agent.me.user.id])).rows
      .map((r) => ({ status: r.status, pauseReason: r.pauseReason, since: r.since.toISOString() }))[0];
    const post = (path: string, body: object = {}) => agent.me.agent.post(`/api${path}`).set("x-csrf-token", agent.me.csrf).send(body);
    const heardNext = async (n: number) => { while (heard.length < n) await new Promise((r) => setTimeout(r, 10)); return heard[n - 1]; };

    await post("/agent/status", { status: "ready" }).expect(200);
    expect((await heardNext(1)).status).toBe("ready");
    expect(await heardNext(2)).toEqual(await stored());
    expect(heard[1]).toMatchObject({ status: "busy", pauseReason: null });
    const call = (await post("/agent/call").expect(201)).body;
    await post(`/attempts/${call.attemptId}/outcome`, { outcome: "busy" }).expect(200);
    expect(await heardNext(3)).toEqual(await stored());
    expect(heard[2]).toMatchObject({ status: "wrap_up", pauseReason: null });
  });

  it("the board hears what changes outside a call's events: a consent, a booking, a callback given to another agent (and both agents)", async () => {
    const { supervisor, agent } = await runningCampaignWithOnePatient();
    const orgId = supervisor.me.user.organisationId;
    await makeGp(orgId, { inseeCode: "42218" });
    const sup = open(supervisor.cookie);
    await new Promise((resolve) => sup.on("session:ready", resolve));
    const stale: string[] = [];
    sup.on("board:stale", (e) => stale.push(e.reason));
    const heardStale = async (reason: string) => { while (!stale.includes(reason)) await new Promise((r) => setTimeout(r, 10)); };
    const post = (path: string, body: object = {}) => agent.me.agent.post(`/api${path}`).set("x-csrf-token", agent.me.csrf).send(body);

    await post("/agent/status", { status: "ready" }).expect(200);
    const call = (await post("/agent/call").expect(201)).body;
    const script = (await agent.me.agent.get("/api/agent/script").expect(200)).body.script;
    await post("/agent/consents", { purpose: "share_identity", granted: true, scriptVersionId: script.id }).expect(201);
    await heardStale("consent");
    const { candidates } = (await agent.me.agent.get("/api/agent/proposals").expect(200)).body;
    await post("/agent/orientations", { kind: candidates[0].kind, id: candidates[0].id }).expect(201);
    await heardStale("orientation");

    // the patient asks to be called back: a callback of this agent's, which the supervisor gives to another agent; both
    // consoles read their callbacks again
    await post(`/attempts/${call.attemptId}/outcome`, { outcome: "callback", callbackAt: new Date(Date.now() + 86_400_000).toISOString() }).expect(200);
    const other = await sessionCookie("agent", orgId);
    const { rows: [e] } = await pgPool().query<{ id: string }>(`SELECT "id" FROM "Enrolment" WHERE "callbackAgentId" = $1`, [agent.me.user.id]);
    const mine = open(agent.cookie);
    const theirs = open(other.cookie);
    await Promise.all([mine, theirs].map((s) => new Promise((resolve) => s.on("session:ready", resolve))));
    const told = Promise.all([mine, theirs].map((s) => new Promise((resolve) => s.on("callbacks:changed", resolve))));
    await supervisor.me.agent.post(`/api/supervision/callbacks/${e.id}/reassign`).set("x-csrf-token", supervisor.me.csrf).send({ agentId: other.me.user.id }).expect(200);
    await told;
    await heardStale("callback");
  });

  it("the worker's sweep is heard live: the interrupted call, the patient taken back, the agent offline", async () => {
    const { supervisor, agent } = await runningCampaignWithOnePatient();
    const [sup, mine] = [open(supervisor.cookie), open(agent.cookie)];
    await Promise.all([sup, mine].map((s) => new Promise((resolve) => s.on("session:ready", resolve))));
    await agent.me.agent.post("/api/agent/status").set("x-csrf-token", agent.me.csrf).send({ status: "ready" }).expect(200);
    const call = (await agent.me.agent.post("/api/agent/call").set("x-csrf-token", agent.me.csrf).expect(201)).body;
    // The console vanishes: no heartbeat for longer than the lease.
    const past = new Date(Date.now() - 10 * 60_000);
    await pgPool().query(`UPDATE "Enrolment" SET "heldUntil" = $2 WHERE "heldBy" = $1`, [agent.me.user.id, past]);
    await pgPool().query(`UPDATE "AgentState" SET "lastSeenAt" = $2 WHERE "userId" = $1`, [agent.me.user.id, past]);

    const outcome = new Promise((resolve) => sup.on("attempt:outcome", (e) => e.attemptId === call.attemptId && resolve(e)));
    const offline = new Promise((resolve) => sup.on("agent:state", (e) => e.userId === agent.me.user.id && e.status === "offline" && resolve(e)));
    const released = new Promise((resolve) => mine.on("dialer:released", resolve));
    await runDialerSweep(); // as the worker's job does, in another process than the web's
    expect(await outcome).toMatchObject({ agentId: agent.me.user.id, outcome: "interrupted" });
    expect(await offline).toMatchObject({ status: "offline" });
    expect(await released).toMatchObject({ lapsed: true });
  });
});
