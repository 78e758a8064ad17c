// Twilio status callbacks: signature (the SDK against PUBLIC_URL), idempotence, any order.
import twilio from "twilio";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { env } from "../../server/env.ts";
import { pgPool } from "../../server/pgPool.ts";
import { encryptSecret, decryptSecret } from "../../server/calls/secrets.ts";
import { applyCallEvent, type CallEvent } from "../../server/calls/applyCallEvent.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";
import { startTestApp, type TestApp } from "../helpers/api.ts";

const AUTH_TOKEN = "twilio-auth-token-of-the-cpts";
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function makeAttempts(n: number) {
  const org = await makeOrganisation();
  await db().organisation.update({ where: { id: org.id }, data: { telephonyProvider: "twilio", twilioAccountSid: "AC123", twilioAuthTokenEnc: encryptSecret(AUTH_TOKEN) } });
  const campaign = await makeCampaign(org.id);
  const agent = await makeUser(org.id, "agent");
  const enrolments = await makeEnrolledPatients(org.id, campaign.id, n);
  const sids: string[] = [];
  for (const [i, e] of enrolments.entries()) {
    const sid = `CA${org.id.replace(/-/g, "").slice(0, 16)}${String(i).padStart(6, "0")}`;
    await pgPool().query(
      `INSERT INTO "CallAttempt" ("id", "enrolmentId", "campaignId", "organisationId", "agentId", "attemptNumber", "phone", "provider", "providerCallId")
       VALUES (gen_random_uuid(), $1, $2, $3, $4, 1, '+33612345678', 'twilio', $5)`, [e.id, campaign.id, org.id, agent.user.id, sid]);
    sids.push(sid);
  }
  return sids;
}

function signed(path: string, params: Record<string, string>, token = AUTH_TOKEN) {
  const url = new URL(`/api${path}`, env().PUBLIC_URL).toString();
  return twilio.getExpectedTwilioSignature(token, url, params);
}

describe("Twilio signature", () => {
  it("the SDK validates Twilio's documented example", () => {
    const params = { CallSid: "CA1234567890ABCDE", Caller: "+14158675310", Digits: "1234", From: "+14158675310", To: "+18005551212" };
    expect(twilio.validateRequest("12345", "GvWf1cFY/Q7PnoempGyD5oXAezc=", "https://mycompany.com/myapp.php?foo=1&bar=2", params)).toBe(true);
    expect(twilio.validateRequest("12345", "GvWf1cFY/Q7PnoempGyD5oXAezc=", "https://mycompany.com/myapp.php?foo=1&bar=3", params)).toBe(false);
  });

  it("credentials are stored encrypted", () => {
    const sealed = encryptSecret(AUTH_TOKEN);
    expect(sealed).not.toContain(AUTH_TOKEN);
    expect(decryptSecret(sealed)).toBe(AUTH_TOKEN);
  });

  it("accepts a signed callback, refuses a forged, unsigned or unknown one", async () => {
    const [sid] = await makeAttempts(1);
    const params = { CallSid: sid, CallStatus: "ringing", SequenceNumber: "1", AccountSid: "AC123" };
    const path = "/telephony/twilio/status";
    await request(t.app).post(`/api${path}`).type("form").set("X-Twilio-Signature", signed(path, params)).send(params).expect(204);
    expect((await db().callAttempt.findUniqueOrThrow({ where: { providerCallId: sid } })).callStatus).toBe("ringing");
    const forged = { ...params, CallStatus: "completed", SequenceNumber: "2" };
    const res = await request(t.app).post(`/api${path}`).type("form").set("X-Twilio-Signature", signed(path, params)).send(forged).expect(403);
    expect(res.body.error).toEqual({ code: "twilio_signature", message: "Requête Twilio non authentifiée." });
    await request(t.app).post(`/api${path}`).type("form").send(forged).expect(403);
    await request(t.app).post(`/api${path}`).type("form").set("X-Twilio-Signature", signed(path, forged, "another-token")).send(forged).expect(403);
    expect((await db().callAttempt.findUniqueOrThrow({ where: { providerCallId: sid } })).callStatus).toBe("ringing");
  });
});

describe("status events: duplicated and shuffled", () => {
  it("2,000 events (200 calls × 5 statuses × 2 copies) in random order end in the right final state, once", async () => {
    const sids = await makeAttempts(200);
    const events: CallEvent[] = [];
    const at = new Date();
    sids.forEach((sid, i) => {
      const human = i % 2 === 0;
      const seq: Omit<CallEvent, "providerCallId">[] = [
        { sequence: 0, status: "created", at },
        { sequence: 1, status: "ringing", at },
        { sequence: 2, status: "answered", answeredBy: human ? "human" : "machine", at },
        { sequence: 3, status: "ended", endReason: "completed", durationSeconds: human ? 120 : 20, at },
        { sequence: 4, status: "ended", endReason: "completed", durationSeconds: human ? 120 : 20, at },
      ];
      for (const e of seq) events.push({ ...e, providerCallId: sid }, { ...e, providerCallId: sid });
    });
    for (let i = events.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [events[i], events[j]] = [events[j], events[i]];
    }
    await Promise.all(Array.from({ length: 8 }, async (_, lane) => {
      for (let i = lane; i < events.length; i += 8) await applyCallEvent(pgPool(), events[i]);
    }));
    const rows = await db().callAttempt.findMany({ where: { providerCallId: { in: sids } } });
    expect(rows).toHaveLength(200);
    expect(rows.every((r) => r.callStatus === "ended" && r.lastSequence === 4 && r.endReason === "completed")).toBe(true);
    expect(rows.filter((r) => r.answeredBy === "human")).toHaveLength(100);
    expect(rows.every((r) => r.answeredAt !== null && r.endedAt !== null)).toBe(true);
    // telephony events never write an outcome: that stays the agent's (or the sweeper's) one write
    expect(rows.every((r) => r.outcome === null)).toBe(true);
  });
});
