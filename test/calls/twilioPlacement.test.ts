// Twilio call placement through the "calls" queue, against a local fake Twilio REST API
// (the SDK is pointed at it with TWILIO_API_BASE): credentials, parameters, rate limit, idempotence.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const FAKE_PORT = vi.hoisted(() => {
  const port = 40_000 + Math.floor(Math.random() * 20_000);
  process.env.TWILIO_API_BASE = `http://127.0.0.1:${port}`;
  process.env.TWILIO_CALLS_PER_SECOND = "1";
  return port;
});

import { db } from "../../server/db.ts";
import { encryptSecret } from "../../server/calls/secrets.ts";
import { createWorkerConnection } from "../../server/redis.ts";
import { callsQueue, callsWorker, enqueueTwilioCall } from "../../queues/calls.ts";
import { pgPool } from "../../server/pgPool.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";

interface Received { at: number; path: string; auth: string; form: URLSearchParams }
const received: Received[] = [];
let fake: Server;

beforeAll(async () => {
  fake = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      received.push({ at: Date.now(), path: req.url ?? "", auth: req.headers.authorization ?? "", form: new URLSearchParams(body) });
      res.writeHead(201, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ sid: `CAfake${received.length.toString().padStart(26, "0")}`, status: "queued", to: new URLSearchParams(body).get("To") }));
    });
  });
  await new Promise<void>((resolve) => fake.listen(FAKE_PORT, "127.0.0.1", resolve));
});
afterAll(() => new Promise<void>((resolve) => fake.close(() => resolve())));

describe("Twilio call placement", () => {
  it("places each attempt once, with the status callback and AMD, at one call per second", async () => {
    const org = await makeOrganisation();
    await db().organisation.update({
      where: { id: org.id },
      data: { telephonyProvider: "twilio", twilioAccountSid: "ACtest0000000000000000000000000000", twilioAuthTokenEnc: encryptSecret("secret-token"), twilioCallerId: "+33400000000" },
    });
    const campaign = await makeCampaign(org.id);
    const agent = await makeUser(org.id, "agent");
    const enrolments = await makeEnrolledPatients(org.id, campaign.id, 3);
    const attemptIds: string[] = [];
    for (const e of enrolments) {
      const { rows } = await pgPool().query<{ id: string }>(
        `INSERT INTO "CallAttempt" ("id", "enrolmentId", "campaignId", "organisationId", "agentId", "attemptNumber", "phone", "provider")
         VALUES (gen_random_uuid(), $1, $2, $3, $4, 1, '+33612345678', 'twilio') RETURNING "id"`, [e.id, campaign.id, org.id, agent.user.id]);
      attemptIds.push(rows[0].id);
    }
    const queue = callsQueue(createWorkerConnection());
    for (const id of attemptIds) {
      await enqueueTwilioCall(queue, id);
      await enqueueTwilioCall(queue, id); // twice: same job id, one call
    }
    const worker = callsWorker(createWorkerConnection());
    for (;;) {
      const placed = await db().callAttempt.count({ where: { id: { in: attemptIds }, providerCallId: { not: null } } });
      if (placed === 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await worker.close();
    await queue.close();

    expect(received).toHaveLength(3);
    const first = received[0];
    expect(first.path).toBe("/2010-04-01/Accounts/ACtest0000000000000000000000000000/Calls.json");
    expect(Buffer.from(first.auth.replace("Basic ", ""), "base64").toString()).toBe("ACtest0000000000000000000000000000:secret-token");
    expect(first.form.get("To")).toBe("+33612345678");
    expect(first.form.get("From")).toBe("+33400000000");
    expect(first.form.get("StatusCallback")).toMatch(/\/api\/telephony\/twilio\/status$/);
    expect(first.form.getAll("StatusCallbackEvent")).toEqual(["initiated", "ringing", "answered", "completed"]);
    expect(first.form.get("MachineDetection")).toBe("Enable");
    expect(first.form.get("AsyncAmd")).toBe("true");
    expect(first.form.get("Twiml")).toMatch(/<Conference[^>]*>attempt-/);
    // rate limit, one call per one-second window: three calls span at least two window boundaries (> 1 s)
    expect(received[2].at - received[0].at).toBeGreaterThanOrEqual(950);
  });
});
