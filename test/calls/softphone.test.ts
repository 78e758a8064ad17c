// The Twilio browser softphone: the Access Token route, and the TwiML App's voice webhook (signed
// X-Twilio-Signature, validated with the SDK against PUBLIC_URL) that dials the held patient or
// refuses in French with the dialer's own checks (rules 4 and 5). No network: Twilio is not reachable here.
import { createHmac } from "node:crypto";
import twilio from "twilio";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { env } from "../../server/env.ts";
import { encryptSecret } from "../../server/calls/secrets.ts";
import { registerOpposition } from "../../server/consent/registerOpposition.ts";
import { inTransaction } from "../../server/pgPool.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { makeOrganisation } from "../factories/organisations.ts";
import { loginAs, startTestApp, type LoggedIn, type TestApp } from "../helpers/api.ts";

const AUTH_TOKEN = "twilio-auth-token-of-the-cpts";
const ACCOUNT = `AC${"a".repeat(32)}`;
const APP = `AP${"b".repeat(32)}`;
const API_KEY = `SK${"c".repeat(32)}`;
const API_SECRET = "api-key-secret-of-the-cpts";
const ALWAYS_OPEN = Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [["00:00", "24:00"]]]));
const VOICE = "/api/telephony/twilio/voice";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function softphoneOrg(settings: Record<string, unknown> = {}) {
  const org = await makeOrganisation();
  await db().organisation.update({
    where: { id: org.id },
    data: {
      telephonyProvider: "twilio", twilioAccountSid: ACCOUNT, twilioAuthTokenEnc: encryptSecret(AUTH_TOKEN), twilioCallerId: "+33400000000",
      twilioTwimlAppSid: APP, twilioApiKeySid: API_KEY, twilioApiKeySecretEnc: encryptSecret(API_SECRET), ...settings,
    },
  });
  return org;
}

/** A running campaign callable at any hour, one patient, and an agent holding them. */
async function agentHoldingPatient(windows: unknown = ALWAYS_OPEN) {
  const org = await softphoneOrg();
  const campaign = await makeCampaign(org.id);
  await db().campaign.update({ where: { id: campaign.id }, data: { status: "running", callingWindows: windows as never, skipPublicHolidays: false } });
  const [enrolment] = await makeEnrolledPatients(org.id, campaign.id, 1);
  const agent = await loginAs(t.app, "agent", org.id);
  const ready = await agent.agent.post("/api/agent/status").set("X-CSRF-Token", agent.csrf).send({ status: "ready" }).expect(200);
  expect(ready.body.card.enrolmentId).toBe(enrolment.id);
  return { org, campaign, enrolment, agent };
}

let callSeq = 0;
const callSid = () => `CA${String(++callSeq).padStart(32, "0")}`;

function browserCall(agent: LoggedIn, extra: Record<string, string> = {}) {
  return { AccountSid: ACCOUNT, ApplicationSid: APP, CallSid: callSid(), From: `client:${agent.user.id}`, Caller: `client:${agent.user.id}`, To: "", Direction: "inbound", CallStatus: "ringing", ...extra };
}

function post(path: string, params: Record<string, string>, signature: string | null) {
  const req = request(t.app).post(path).type("form");
  return (signature === null ? req : req.set("X-Twilio-Signature", signature)).send(params);
}
const sign = (path: string, params: Record<string, string>, token = AUTH_TOKEN) => twilio.getExpectedTwilioSignature(token, new URL(path, env().PUBLIC_URL).toString(), params);
const voice = (params: Record<string, string>) => post(VOICE, params, sign(VOICE, params));

function decodeJwt(token: string) {
  const [header, payload, signature] = token.split(".");
  const json = (s: string) => JSON.parse(Buffer.from(s, "base64url").toString());
  return { header: json(header), payload: json(payload), signature, signed: `${header}.${payload}` };
}

describe("GET /api/agent/softphone-token", () => {
  it("mints a Voice Access Token: the organisation's API Key and TwiML App, identity = the agent", async () => {
    const org = await softphoneOrg();
    const agent = await loginAs(t.app, "agent", org.id);
    const res = await agent.agent.get("/api/agent/softphone-token").expect(200);
    expect(res.body.identity).toBe(agent.user.id);
    const jwt = decodeJwt(res.body.token);
    expect(jwt.header).toMatchObject({ alg: "HS256", cty: "twilio-fpa;v=1" });
    expect(jwt.payload).toMatchObject({ iss: API_KEY, sub: ACCOUNT, grants: { identity: agent.user.id, voice: { outgoing: { application_sid: APP } } } });
    expect(jwt.payload.exp - jwt.payload.iat).toBe(3600);
    // signed with the API Key's secret (kept encrypted at rest)
    expect(createHmac("sha256", API_SECRET).update(jwt.signed).digest("base64url")).toBe(jwt.signature);
  });

  it("answers a clear French 409 when the organisation has no Twilio softphone", async () => {
    const simulator = await loginAs(t.app, "agent", (await makeOrganisation()).id);
    expect((await simulator.agent.get("/api/agent/softphone-token").expect(409)).body.error).toEqual({
      code: "softphone_not_twilio", message: "Le softphone n'existe qu'avec la téléphonie Twilio ; votre organisation utilise une autre téléphonie.",
    });
    const unconfigured = await loginAs(t.app, "agent", (await softphoneOrg({ twilioApiKeySid: null, twilioApiKeySecretEnc: null })).id);
    expect((await unconfigured.agent.get("/api/agent/softphone-token").expect(409)).body.error.message)
      .toBe("Softphone non configuré : l'administrateur doit renseigner la clé API Twilio (SID et secret) et la TwiML App.");
    const ownPhone = await loginAs(t.app, "agent", (await softphoneOrg({ twilioAgentLeg: "agent_phone" })).id);
    expect((await ownPhone.agent.get("/api/agent/softphone-token").expect(409)).body.error.code).toBe("softphone_agent_phone");
  });

  it("the admin sets the API Key; its secret is stored encrypted and never returned", async () => {
    const org = await softphoneOrg({ twilioApiKeySid: null, twilioApiKeySecretEnc: null });
    const admin = await loginAs(t.app, "admin", org.id);
    const put = (body: object) => admin.agent.put("/api/organisation/telephony").set("X-CSRF-Token", admin.csrf).send(body);
    const refused = await put({ provider: "twilio" }).expect(400);
    expect(refused.body.error.message).toMatch(/^Pour le softphone Twilio, indiquez aussi la clé API/);
    expect((await put({ provider: "twilio", twilioApiKeySid: "SK123" }).expect(400)).body.error.message).toMatch(/SID de clé API Twilio : SK suivi de 32 caractères/);
    const saved = await put({ provider: "twilio", twilioApiKeySid: API_KEY, twilioApiKeySecret: API_SECRET }).expect(200);
    expect(saved.body).toMatchObject({ provider: "twilio", twilioApiKeySid: API_KEY, twilioApiKeySecretSet: true, twilioAgentLeg: "softphone" });
    expect(JSON.stringify(saved.body)).not.toContain(API_SECRET);
    const stored = await db().organisation.findUniqueOrThrow({ where: { id: org.id } });
    expect(stored.twilioApiKeySecretEnc).not.toContain(API_SECRET);
    const agent = await loginAs(t.app, "agent", org.id);
    await agent.agent.get("/api/agent/softphone-token").expect(200);
  });
});

describe("POST /api/telephony/twilio/voice (the TwiML App's Voice URL)", () => {
  it("dials the patient's current phone with the status callbacks of the existing pipeline", async () => {
    const { agent, enrolment } = await agentHoldingPatient();
    // "Appeler" in the console: the attempt is created, nothing is queued (the browser places the call)
    const started = await agent.agent.post("/api/agent/call").set("X-CSRF-Token", agent.csrf).expect(201);
    expect(started.body).toMatchObject({ provider: "twilio", agentLeg: "softphone", phone: "+33612345678" });
    const attemptId = started.body.attemptId as string;

    const params = browserCall(agent, { attemptId });
    const res = await voice(params).expect(200);
    expect(res.headers["content-type"]).toMatch(/^text\/xml/);
    const callback = new URL(`/api/telephony/twilio/status?attempt=${attemptId}`, env().PUBLIC_URL).toString();
    expect(res.text).toContain(`<Dial callerId="+33400000000" answerOnBridge="true" timeout="30">`);
    expect(res.text).toContain(`<Number statusCallback="${callback}" statusCallbackEvent="initiated ringing answered completed" statusCallbackMethod="POST"`);
    expect(res.text).toMatch(/machineDetection="Enable"[^>]*>\+33612345678<\/Number><\/Dial><\/Response>$/);
    const attempt = await db().callAttempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(attempt).toMatchObject({ enrolmentId: enrolment.id, agentCallSid: params.CallSid, providerCallId: null, provider: "twilio" });

    // The patient's leg reports on the signed URL naming the attempt: its first event binds its CallSid.
    const statusPath = `/api/telephony/twilio/status?attempt=${attemptId}`;
    const ringing = { AccountSid: ACCOUNT, CallSid: callSid(), ParentCallSid: params.CallSid, CallStatus: "ringing", SequenceNumber: "1", CallbackSource: "call-progress-events" };
    await post(statusPath, ringing, sign(statusPath, ringing)).expect(204);
    // the same event for another attempt's URL is a forgery: the signature covers the query
    await post(`/api/telephony/twilio/status?attempt=${enrolment.id}`, ringing, sign(statusPath, ringing)).expect(403);
    const bound = await db().callAttempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(bound).toMatchObject({ providerCallId: ringing.CallSid, callStatus: "ringing" });
    const answered = { ...ringing, CallStatus: "in-progress", SequenceNumber: "2" };
    await post(statusPath, answered, sign(statusPath, answered)).expect(204);
    expect((await db().callAttempt.findUniqueOrThrow({ where: { id: attemptId } })).callStatus).toBe("answered");
  });

  it("without an attempt, the softphone's call starts one through the dialer; a replay never dials twice", async () => {
    const { agent, enrolment } = await agentHoldingPatient();
    const first = browserCall(agent);
    expect((await voice(first).expect(200)).text).toContain(">+33612345678</Number>");
    const attempts = await db().callAttempt.findMany({ where: { enrolmentId: enrolment.id } });
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ agentCallSid: first.CallSid, attemptNumber: 1 });
    // Twilio asking again for the same call gets the same dial; another browser call is refused
    expect((await voice(first).expect(200)).text).toContain("<Number");
    const second = await voice(browserCall(agent, { attemptId: attempts[0].id })).expect(200);
    expect(second.text).toBe(refusal("Cet appel a déjà été passé : notez son résultat avant d'appeler de nouveau."));
    expect(await db().callAttempt.count({ where: { enrolmentId: enrolment.id } })).toBe(1);
  });

  it("accepts only Twilio's signature: invalid, forged or missing signatures and unknown agents get 403", async () => {
    const { agent, enrolment } = await agentHoldingPatient();
    const params = browserCall(agent);
    const forbidden = { error: { code: "twilio_signature", message: "Requête Twilio non authentifiée." } };
    expect((await post(VOICE, params, sign(VOICE, params, "another-auth-token")).expect(403)).body).toEqual(forbidden);
    // forged: signed for one set of parameters, sent with another (another attempt, another caller)
    await post(VOICE, { ...params, attemptId: enrolment.id }, sign(VOICE, params)).expect(403);
    await post(VOICE, { ...params, To: "+33699999999" }, sign(VOICE, params)).expect(403);
    // signed against another URL (PUBLIC_URL is what Twilio signs)
    await post(VOICE, params, twilio.getExpectedTwilioSignature(AUTH_TOKEN, `https://elsewhere.example${VOICE}`, params)).expect(403);
    await post(VOICE, params, null).expect(403);
    const stranger = { ...params, From: "client:00000000-0000-4000-8000-000000000000", Caller: "client:00000000-0000-4000-8000-000000000000" };
    await post(VOICE, stranger, sign(VOICE, stranger)).expect(403);
    // the right token of another Twilio account than the organisation's
    const otherAccount = { ...params, AccountSid: `AC${"f".repeat(32)}` };
    await post(VOICE, otherAccount, sign(VOICE, otherAccount)).expect(403);
    expect(await db().callAttempt.count({ where: { enrolmentId: enrolment.id } })).toBe(0);
    await voice(params).expect(200);
    expect(await db().callAttempt.count({ where: { enrolmentId: enrolment.id } })).toBe(1);
  });

  it("refuses in French, with the dialer's own checks: no patient held, outside the windows (rule 4), opposed or without consent (rule 5)", async () => {
    const org = await softphoneOrg();
    const idle = await loginAs(t.app, "agent", org.id);
    expect((await voice(browserCall(idle)).expect(200)).text).toBe(refusal("Vous ne tenez aucun patient."));

    const closed = await agentHoldingPatient();
    await db().campaign.update({ where: { id: closed.campaign.id }, data: { callingWindows: {} } });
    const outside = await voice(browserCall(closed.agent)).expect(200);
    expect(outside.text).toBe(refusal("Appel impossible maintenant : aucune plage d'appel ouverte dans les deux semaines."));

    const opposed = await agentHoldingPatient();
    await inTransaction((c) => registerOpposition(c, { organisationId: opposed.org.id, patientId: opposed.enrolment.patientId, source: "coordinator" }));
    expect((await voice(browserCall(opposed.agent)).expect(200)).text).toBe(refusal("Ce patient s'est opposé aux appels : il ne doit pas être appelé."));

    const noConsent = await agentHoldingPatient();
    await db().campaign.update({ where: { id: noConsent.campaign.id }, data: { requiresContactConsent: true } });
    expect((await voice(browserCall(noConsent.agent)).expect(200)).text)
      .toBe(refusal("La campagne exige le consentement à être contacté, que ce patient n'a pas donné : pas d'appel."));

    const paused = await agentHoldingPatient();
    await db().campaign.update({ where: { id: paused.campaign.id }, data: { status: "paused" } });
    expect((await voice(browserCall(paused.agent)).expect(200)).text).toBe(refusal("La campagne n'est pas en cours : pas d'appel."));

    for (const c of [closed, opposed, noConsent, paused]) expect(await db().callAttempt.count({ where: { enrolmentId: c.enrolment.id } })).toBe(0);
  });

  it("an organisation on its agents' own phones does not dial from the browser", async () => {
    const { org, agent } = await agentHoldingPatient();
    await db().organisation.update({ where: { id: org.id }, data: { twilioAgentLeg: "agent_phone" } });
    expect((await voice(browserCall(agent)).expect(200)).text).toBe(refusal("Le softphone n'est pas activé pour votre organisation."));
  });
});

const refusal = (message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Response><Say language="fr-FR">Appel non passé. ${message}</Say><Hangup/></Response>`;
