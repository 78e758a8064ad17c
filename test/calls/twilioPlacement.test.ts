// Twilio call placement through the "calls" queue, against a local fake Twilio REST API (the SDK
// is pointed at it with TWILIO_API_BASE): the agent's own phone first, then the patient, both into
// a conference named after the attempt; credentials, parameters, rate limit, idempotence, hang-up.
import { createServer, type Server } from "node:http";
import twilio from "twilio";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const FAKE_PORT = vi.hoisted(() => {
  const port = 40_000 + Math.floor(Math.random() * 20_000);
  process.env.TWILIO_API_BASE = `http://127.0.0.1:${port}`;
  process.env.TWILIO_CALLS_PER_SECOND = "1";
  return port;
});

import { db } from "../../server/db.ts";
import { env } from "../../server/env.ts";
import { encryptSecret } from "../../server/calls/secrets.ts";
import { registerOpposition } from "../../server/consent/registerOpposition.ts";
import { createWorkerConnection } from "../../server/redis.ts";
import { callsQueue, callsWorker, enqueueTwilioCall } from "../../queues/calls.ts";
import { runDialerSweep } from "../../queues/dialer.ts";
import { inTransaction, pgPool } from "../../server/pgPool.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";
import { loginAs, startTestApp, type LoggedIn, type TestApp } from "../helpers/api.ts";

const ACCOUNT = "ACtest0000000000000000000000000000";
const AUTH_TOKEN = "secret-token";
const ALWAYS_OPEN = Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [["00:00", "24:00"]]]));

interface Received { at: number; path: string; auth: string; form: URLSearchParams; sid: string }
const received: Received[] = [];
let fake: Server;
let t: TestApp;
let worker: ReturnType<typeof callsWorker>;

beforeAll(async () => {
  fake = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const sid = `CAfake${String(received.length + 1).padStart(26, "0")}`;
      received.push({ at: Date.now(), path: req.url ?? "", auth: req.headers.authorization ?? "", form: new URLSearchParams(body), sid });
      res.writeHead(201, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ sid, status: "queued", to: new URLSearchParams(body).get("To") }));
    });
  });
  await new Promise<void>((resolve) => fake.listen(FAKE_PORT, "127.0.0.1", resolve));
  t = await startTestApp();
  worker = callsWorker(createWorkerConnection());
});
afterAll(async () => {
  await worker.close();
  await t.close();
  await new Promise<void>((resolve) => fake.close(() => resolve()));
});

async function bridgedOrg() {
  const org = await makeOrganisation();
  await db().organisation.update({
    where: { id: org.id },
    data: { telephonyProvider: "twilio", twilioAgentLeg: "agent_phone", twilioAccountSid: ACCOUNT, twilioAuthTokenEnc: encryptSecret(AUTH_TOKEN), twilioCallerId: "+33400000000" },
  });
  return org;
}

async function until<T>(fn: () => Promise<T | null | undefined | false>, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const requestTo = (to: string, after = 0) => until(async () => received.slice(after).find((r) => r.form.get("To") === to), `a call to ${to}`);

function twilioPost(path: string, params: Record<string, string>) {
  const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, new URL(path, env().PUBLIC_URL).toString(), params);
  return request(t.app).post(path).type("form").set("X-Twilio-Signature", signature).send(params);
}

/** A running campaign callable at any hour, an agent with their own phone holding one patient. */
async function agentHoldingPatient(phone: string | null = "+33698765432") {
  const org = await bridgedOrg();
  const campaign = await makeCampaign(org.id);
  await db().campaign.update({ where: { id: campaign.id }, data: { status: "running", callingWindows: ALWAYS_OPEN as never, skipPublicHolidays: false } });
  const [enrolment] = await makeEnrolledPatients(org.id, campaign.id, 1);
  const agent: LoggedIn = await loginAs(t.app, "agent", org.id);
  if (phone) await db().user.update({ where: { id: agent.user.id }, data: { phone } });
  await agent.agent.post("/api/agent/status").set("X-CSRF-Token", agent.csrf).send({ status: "ready" }).expect(200);
  return { org, campaign, enrolment, agent };
}

describe("Twilio bridged calls: the agent's own phone, then the patient, in the attempt's conference", () => {
  it("places each agent leg once, at one call per second", async () => {
    const org = await bridgedOrg();
    const campaign = await makeCampaign(org.id);
    const agent = await makeUser(org.id, "agent");
    await db().user.update({ where: { id: agent.user.id }, data: { phone: "+33698765432" } });
    const enrolments = await makeEnrolledPatients(org.id, campaign.id, 3);
    const attemptIds: string[] = [];
    for (const e of enrolments) {
      const { rows } = await pgPool().query<{ id: string }>(
        `INSERT INTO "CallAttempt" ("id", "enrolmentId", "campaignId", "organisationId", "agentId", "attemptNumber", "phone", "provider")
         VALUES (gen_random_uuid(), $1, $2, $3, $4, 1, '+33612345678', 'twilio') RETURNING "id"`, [e.id, campaign.id, org.id, agent.user.id]);
      attemptIds.push(rows[0].id);
    }
    const before = received.length;
    const queue = callsQueue(createWorkerConnection());
    for (const id of attemptIds) {
      await enqueueTwilioCall(queue, id);
      await enqueueTwilioCall(queue, id); // twice: same job id, one call
    }
    await until(async () => (await db().callAttempt.count({ where: { id: { in: attemptIds }, agentCallSid: { not: null } } })) === 3, "three agent legs");
    await queue.close();

    const mine = received.slice(before);
    expect(mine).toHaveLength(3);
    const first = mine[0];
    const attemptId = attemptIds.find((id) => first.form.get("Twiml")!.includes(`>${id}</Conference>`))!;
    expect(attemptId).toBeDefined();
    expect(first.path).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Calls.json`);
    expect(Buffer.from(first.auth.replace("Basic ", ""), "base64").toString()).toBe(`${ACCOUNT}:${AUTH_TOKEN}`);
    expect(first.form.get("To")).toBe("+33698765432");
    expect(first.form.get("From")).toBe("+33400000000");
    expect(first.form.get("StatusCallback")).toBe(new URL(`/api/telephony/twilio/status?attempt=${attemptId}&leg=agent`, env().PUBLIC_URL).toString());
    expect(first.form.getAll("StatusCallbackEvent")).toEqual(["answered", "completed"]);
    expect(first.form.get("MachineDetection")).toBeNull(); // the agent is no answering machine to detect
    expect(first.form.get("Twiml")).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Say language="fr-FR">Mise en relation avec le patient. Restez en ligne.</Say>`
      + `<Dial><Conference startConferenceOnEnter="true" endConferenceOnExit="true" beep="false" waitUrl="">${attemptId}</Conference></Dial></Response>`);
    // rate limit, one call per one-second window: three calls span at least two window boundaries (> 1 s)
    expect(mine[2].at - mine[0].at).toBeGreaterThanOrEqual(950);
  });

  it("from the console: agent's phone, then — once the agent picks up — the patient with AMD, into the same conference", async () => {
    const { agent, enrolment } = await agentHoldingPatient();
    const before = received.length;
    const started = await agent.agent.post("/api/agent/call").set("X-CSRF-Token", agent.csrf).expect(201);
    expect(started.body).toMatchObject({ provider: "twilio", agentLeg: "agent_phone", phone: "+33612345678" });
    const attemptId = started.body.attemptId as string;
    const agentLeg = await requestTo("+33698765432", before);
    expect(agentLeg.form.get("Twiml")).toContain(`>${attemptId}</Conference>`);
    await until(async () => (await db().callAttempt.findUnique({ where: { id: attemptId } }))?.agentCallSid === agentLeg.sid, "the agent leg's sid");

    // The agent answers (signed callback, twice: one patient leg only)
    const statusPath = `/api/telephony/twilio/status?attempt=${attemptId}&leg=agent`;
    const answered = { AccountSid: ACCOUNT, CallSid: agentLeg.sid, CallStatus: "in-progress", SequenceNumber: "1" };
    await twilioPost(statusPath, answered).expect(204);
    await twilioPost(statusPath, answered).expect(204);
    const patientLeg = await requestTo("+33612345678", before);
    expect(patientLeg.form.get("Twiml")).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Dial><Conference startConferenceOnEnter="true" endConferenceOnExit="true" beep="false" waitUrl="">${attemptId}</Conference></Dial></Response>`);
    expect(patientLeg.form.get("StatusCallback")).toBe(new URL(`/api/telephony/twilio/status?attempt=${attemptId}`, env().PUBLIC_URL).toString());
    expect(patientLeg.form.getAll("StatusCallbackEvent")).toEqual(["initiated", "ringing", "answered", "completed"]);
    expect(patientLeg.form.get("MachineDetection")).toBe("Enable");
    expect(patientLeg.form.get("AsyncAmd")).toBe("true");
    const attempt = await until(async () => {
      const a = await db().callAttempt.findUniqueOrThrow({ where: { id: attemptId } });
      return a.providerCallId ? a : null;
    }, "the patient leg's sid");
    expect(attempt).toMatchObject({ enrolmentId: enrolment.id, agentCallSid: agentLeg.sid, providerCallId: patientLeg.sid });
    await new Promise((r) => setTimeout(r, 1200)); // a second patient leg would be placed by now
    expect(received.slice(before).filter((r) => r.form.get("To") === "+33612345678")).toHaveLength(1);

    // The patient's progress goes through the existing pipeline
    const patientPath = `/api/telephony/twilio/status?attempt=${attemptId}`;
    await twilioPost(patientPath, { AccountSid: ACCOUNT, CallSid: patientLeg.sid, CallStatus: "ringing", SequenceNumber: "1" }).expect(204);
    expect((await db().callAttempt.findUniqueOrThrow({ where: { id: attemptId } })).callStatus).toBe("ringing");

    // "Raccrocher": both legs are ended through the REST API
    const beforeHangUp = received.length;
    await agent.agent.post("/api/agent/hangup").set("X-CSRF-Token", agent.csrf).expect(204);
    const hangUps = received.slice(beforeHangUp);
    expect(hangUps.map((r) => r.path).sort()).toEqual([agentLeg.sid, patientLeg.sid].map((sid) => `/2010-04-01/Accounts/${ACCOUNT}/Calls/${sid}.json`).sort());
    expect(hangUps.every((r) => r.form.get("Status") === "completed")).toBe(true);

    // The console vanishes (lease lapsed, no status callback came): the sweeper's "interrupted" ends the legs too
    await pgPool().query(`UPDATE "Enrolment" SET "heldUntil" = now() - interval '1 minute' WHERE "id" = $1`, [enrolment.id]);
    const beforeSweep = received.length;
    // (other files of this worker's database may have left lapsed holds too: this one is checked by its attempt below)
    expect((await runDialerSweep()).swept).toBeGreaterThanOrEqual(1);
    expect((await db().callAttempt.findUniqueOrThrow({ where: { id: attemptId } })).outcome).toBe("interrupted");
    expect(received.slice(beforeSweep).map((r) => [r.path, r.form.get("Status")]).sort()).toEqual(
      [agentLeg.sid, patientLeg.sid].map((sid) => [`/2010-04-01/Accounts/${ACCOUNT}/Calls/${sid}.json`, "completed"]).sort());
  });

  it("an outcome recorded while both legs are live hangs them up through the REST API", async () => {
    const { agent } = await agentHoldingPatient("+33698765430");
    const before = received.length;
    const attemptId = (await agent.agent.post("/api/agent/call").set("X-CSRF-Token", agent.csrf).expect(201)).body.attemptId as string;
    const agentLeg = await requestTo("+33698765430", before);
    await until(async () => (await db().callAttempt.findUnique({ where: { id: attemptId } }))?.agentCallSid === agentLeg.sid, "the agent leg's sid");
    await twilioPost(`/api/telephony/twilio/status?attempt=${attemptId}&leg=agent`, { AccountSid: ACCOUNT, CallSid: agentLeg.sid, CallStatus: "in-progress", SequenceNumber: "1" }).expect(204);
    const patientLeg = await requestTo("+33612345678", before);
    await until(async () => (await db().callAttempt.findUniqueOrThrow({ where: { id: attemptId } })).providerCallId === patientLeg.sid, "the patient leg's sid");

    const beforeOutcome = received.length;
    await agent.agent.post(`/api/attempts/${attemptId}/outcome`).set("X-CSRF-Token", agent.csrf).send({ outcome: "no_answer" }).expect(200);
    expect(received.slice(beforeOutcome).map((r) => [r.path, r.form.get("Status")]).sort()).toEqual(
      [agentLeg.sid, patientLeg.sid].map((sid) => [`/2010-04-01/Accounts/${ACCOUNT}/Calls/${sid}.json`, "completed"]).sort());
  });

  it("an agent who does not pick up ends the attempt there: the patient is never called", async () => {
    const { agent } = await agentHoldingPatient("+33698765431");
    const before = received.length;
    const attemptId = (await agent.agent.post("/api/agent/call").set("X-CSRF-Token", agent.csrf).expect(201)).body.attemptId as string;
    const agentLeg = await requestTo("+33698765431", before);
    await twilioPost(`/api/telephony/twilio/status?attempt=${attemptId}&leg=agent`, { AccountSid: ACCOUNT, CallSid: agentLeg.sid, CallStatus: "no-answer", SequenceNumber: "1" }).expect(204);
    expect(await db().callAttempt.findUniqueOrThrow({ where: { id: attemptId } })).toMatchObject({ callStatus: "ended", endReason: "agent-no-answer", providerCallId: null, outcome: null });
    await new Promise((r) => setTimeout(r, 1200));
    expect(received.slice(before).filter((r) => r.form.get("To") === "+33612345678")).toHaveLength(0);
  });

  it("rules are checked again when the patient is about to be dialled: the agent hears why, in French", async () => {
    const { org, agent, enrolment } = await agentHoldingPatient("+33698765430");
    const before = received.length;
    const attemptId = (await agent.agent.post("/api/agent/call").set("X-CSRF-Token", agent.csrf).expect(201)).body.attemptId as string;
    const agentLeg = await requestTo("+33698765430", before);
    await inTransaction((c) => registerOpposition(c, { organisationId: org.id, patientId: enrolment.patientId, source: "coordinator" }));
    await twilioPost(`/api/telephony/twilio/status?attempt=${attemptId}&leg=agent`, { AccountSid: ACCOUNT, CallSid: agentLeg.sid, CallStatus: "in-progress", SequenceNumber: "1" }).expect(204);
    const told = await until(async () => received.slice(before).find((r) => r.path.endsWith(`/Calls/${agentLeg.sid}.json`)), "the agent told");
    expect(told.form.get("Twiml")).toContain("<Say language=\"fr-FR\">Appel non passé. Ce patient s'est opposé aux appels : il ne doit pas être appelé.</Say><Hangup/>");
    expect(await db().callAttempt.findUniqueOrThrow({ where: { id: attemptId } })).toMatchObject({ callStatus: "ended", endReason: "not-callable", providerCallId: null });
    expect(received.slice(before).filter((r) => r.form.get("To") === "+33612345678")).toHaveLength(0);
  });

  it("an agent without a phone number cannot start a bridged call; the admin sets it, normalised to E.164", async () => {
    const { org, agent, enrolment } = await agentHoldingPatient(null);
    const refused = await agent.agent.post("/api/agent/call").set("X-CSRF-Token", agent.csrf).expect(409);
    expect(refused.body.error).toEqual({
      code: "agent_phone_missing",
      message: "Votre organisation vous appelle d'abord sur votre téléphone, mais votre numéro n'est pas renseigné : demandez à l'administrateur de l'ajouter.",
    });
    expect(await db().callAttempt.count({ where: { enrolmentId: enrolment.id } })).toBe(0);
    const admin = await loginAs(t.app, "admin", org.id);
    const patch = (phone: string | null) => admin.agent.patch(`/api/users/${agent.user.id}`).set("X-CSRF-Token", admin.csrf).send({ phone });
    expect((await patch("06 12").expect(400)).body.error.message).toBe("Données invalides : Téléphone de l'agent : un seul numéro de téléphone valide (06 12 34 56 78, +33 6 12 34 56 78…)");
    expect((await patch("0033 6 98 76 54 29").expect(200)).body.phone).toBe("+33698765429");
    const before = received.length;
    await agent.agent.post("/api/agent/call").set("X-CSRF-Token", agent.csrf).expect(201);
    await requestTo("+33698765429", before);
    expect((await patch(null).expect(200)).body.phone).toBeNull();
  });
});
