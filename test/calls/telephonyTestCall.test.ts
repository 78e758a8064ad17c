// The admin's test call: Twilio asked (a local fake Twilio REST API) to call the number with a French message.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const FAKE_PORT = vi.hoisted(() => {
  const port = 40_000 + Math.floor(Math.random() * 20_000);
  process.env.TWILIO_API_BASE = `http://127.0.0.1:${port}`;
  return port;
});

import { db } from "../../server/db.ts";
import { encryptSecret } from "../../server/calls/secrets.ts";
import { loginAs, startTestApp, type TestApp } from "../helpers/api.ts";

const received: { path: string; auth: string; form: URLSearchParams }[] = [];
let status = 201;
let fake: Server;
let t: TestApp;
beforeAll(async () => {
  fake = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      received.push({ path: req.url ?? "", auth: req.headers.authorization ?? "", form: new URLSearchParams(body) });
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(status === 201 ? { sid: "CAtest0000000000000000000000000001", status: "queued" } : { code: 20003, message: "Authenticate", status }));
    });
  });
  await new Promise<void>((resolve) => fake.listen(FAKE_PORT, "127.0.0.1", resolve));
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => fake.close(() => resolve()));
});

describe("test call", () => {
  it("the simulator places no real call and says so; Twilio is asked to call the number with a French message; a refused token is explained", async () => {
    const admin = await loginAs(t.app, "admin");
    const simulated = await admin.agent.post("/api/organisation/telephony/test-call").set("x-csrf-token", admin.csrf).send({ to: "06 12 34 56 78" }).expect(200);
    expect(simulated.body).toMatchObject({ provider: "simulator", placed: false, to: "+33612345678" });
    expect(received).toHaveLength(0);

    await db().organisation.update({
      where: { id: admin.user.organisationId },
      data: { telephonyProvider: "twilio", twilioAgentLeg: "agent_phone", twilioAccountSid: "ACtest0000000000000000000000000000", twilioAuthTokenEnc: encryptSecret("secret-token"), twilioCallerId: "+33400000000" },
    });
    const placed = await admin.agent.post("/api/organisation/telephony/test-call").set("x-csrf-token", admin.csrf).send({ to: "0692 12 34 56" }).expect(200);
    expect(placed.body).toMatchObject({ provider: "twilio", placed: true, to: "+262692123456", callSid: "CAtest0000000000000000000000000001" });
    const call = received.at(-1)!;
    expect(call.path).toBe("/2010-04-01/Accounts/ACtest0000000000000000000000000000/Calls.json");
    expect(call.auth).toBe(`Basic ${Buffer.from("ACtest0000000000000000000000000000:secret-token").toString("base64")}`);
    expect(call.form.get("To")).toBe("+262692123456");
    expect(call.form.get("From")).toBe("+33400000000");
    expect(call.form.get("Twiml")).toMatch(/<Say language="fr-FR">Bonjour\. Ceci est un appel de test/);

    status = 401;
    const refused = await admin.agent.post("/api/organisation/telephony/test-call").set("x-csrf-token", admin.csrf).send({ to: "0612345678" }).expect(502);
    expect(refused.body.error.message).toBe("Twilio a refusé l'appel de test : identifiants Twilio refusés (Account SID ou jeton).");
    const bad = await admin.agent.post("/api/organisation/telephony/test-call").set("x-csrf-token", admin.csrf).send({ to: "12 34" }).expect(400);
    expect(bad.body.error.message).toMatch(/numéro/);
    // two numbers, one of them not a number: refused, not half called
    await admin.agent.post("/api/organisation/telephony/test-call").set("x-csrf-token", admin.csrf).send({ to: "06 12 34 56 78 / 12345" }).expect(400);

    // Twilio not reachable at all: said as such, not as Twilio's refusal
    await new Promise<void>((resolve) => fake.close(() => resolve()));
    fake.closeAllConnections?.();
    const unreachable = await admin.agent.post("/api/organisation/telephony/test-call").set("x-csrf-token", admin.csrf).send({ to: "0612345678" }).expect(502);
    expect(unreachable.body.error.message).toMatch(/^Twilio est injoignable depuis le serveur \(réseau, DNS ou proxy : ECONNREFUSED\) : aucun appel n'a été passé\.$/);
    fake.listen(FAKE_PORT, "127.0.0.1");
  });
});
