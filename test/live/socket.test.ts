import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientToServer, ServerToClient } from "../../shared-types/events.ts";
import { startWeb } from "../../server/web.ts";
import { loginAs } from "../helpers/api.ts";
import { makeOrganisation } from "../factories/organisations.ts";

let web: Awaited<ReturnType<typeof startWeb>>;
let url: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  web = await startWeb({ port: 0, host: "127.0.0.1" });
  url = `http://127.0.0.1:${web.port}`;
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
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
});
