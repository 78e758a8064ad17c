// Queue "calls": Twilio call placement for the bridged mode (the agent's own phone, then the patient,
// in a conference named after the attempt, so a supervisor can later join it), rate-limited per the
// account's allowance (Twilio's default is one call per second). Idempotent: job id = attempt id
// (agent leg) or attempt id + "-patient", and a leg already placed is never placed again.
// The browser softphone needs no job: the browser's own call asks the voice webhook (server/calls/twilioVoice.ts).
import { Queue, UnrecoverableError, Worker } from "bullmq";
import twilio from "twilio";
import type { Redis } from "ioredis";
import { env } from "../server/env.ts";
import { AppError } from "../server/errors.ts";
import { logger } from "../server/logger.ts";
import { inTransaction, pgPool } from "../server/pgPool.ts";
import { twilioClientFor } from "../server/calls/twilioClient.ts";
import { refusalTwiml, statusCallbackOf } from "../server/calls/twilioVoice.ts";
import { assertCallable, loadDialFacts } from "../server/dialer/checkCallable.ts";
import { logErrors, queuePrefix } from "./queueOptions.ts";

export const CALLS = "calls";
export type PlaceCallJob = { attemptId: string; leg?: "agent" | "patient" };

export function callsQueue(connection: Redis) {
  return logErrors(new Queue<PlaceCallJob>(CALLS, {
    connection, prefix: queuePrefix(),
    defaultJobOptions: { attempts: 3, backoff: { type: "exponential", delay: 1000 }, removeOnComplete: 1000, removeOnFail: 1000 },
  }));
}

/** First leg of a bridged call: the agent's own phone. */
export async function enqueueTwilioCall(queue: ReturnType<typeof callsQueue>, attemptId: string) {
  await queue.add("place-agent-leg", { attemptId, leg: "agent" }, { jobId: attemptId });
}

/** Second leg, once the agent has picked up: the patient. */
export async function enqueuePatientLeg(queue: ReturnType<typeof callsQueue>, attemptId: string) {
  await queue.add("place-patient-leg", { attemptId, leg: "patient" }, { jobId: `${attemptId}-patient` });
}

/** The attempt's conference: named after the attempt, ended when the agent or the patient leaves. */
function conferenceTwiml(attemptId: string, greeting?: string) {
  const response = new twilio.twiml.VoiceResponse();
  if (greeting) response.say({ language: "fr-FR" }, greeting);
  response.dial().conference({ startConferenceOnEnter: true, endConferenceOnExit: true, beep: "false", waitUrl: "" }, attemptId);
  return response.toString();
}

const ATTEMPT_SQL = `SELECT a."id", a."enrolmentId", a."agentId", a."phone", a."outcome", a."providerCallId", a."agentCallSid", a."callStatus",
    u."phone" AS "agentPhone", o."twilioAccountSid", o."twilioAuthTokenEnc", o."twilioCallerId"
  FROM "CallAttempt" a JOIN "Organisation" o ON o."id" = a."organisationId" JOIN "User" u ON u."id" = a."agentId" WHERE a."id" = $1`;

async function loadAttempt(attemptId: string) {
  const a = (await pgPool().query(ATTEMPT_SQL, [attemptId])).rows[0];
  if (!a) throw new UnrecoverableError(`attempt ${attemptId} not found`);
  return a;
}

export async function placeAgentLeg(attemptId: string) {
  const a = await loadAttempt(attemptId);
  if (a.agentCallSid || a.providerCallId || a.outcome || a.callStatus === "ended") return { skipped: true };
  if (!a.agentPhone) throw new UnrecoverableError(`agent of attempt ${attemptId} has no phone`);
  const call = await twilioClientFor(a).calls.create({
    to: a.agentPhone,
    from: a.twilioCallerId,
    twiml: conferenceTwiml(a.id, "Mise en relation avec le patient. Restez en ligne."),
    statusCallback: statusCallbackOf(a.id, "agent"),
    statusCallbackEvent: ["answered", "completed"],
    statusCallbackMethod: "POST",
    timeout: 30,
  });
  await pgPool().query(`UPDATE "CallAttempt" SET "agentCallSid" = $2 WHERE "id" = $1 AND "agentCallSid" IS NULL`, [a.id, call.sid]);
  return { sid: call.sid };
}

export async function placePatientLeg(attemptId: string) {
  const a = await loadAttempt(attemptId);
  if (a.providerCallId || a.outcome || a.callStatus === "ended") return { skipped: true };
  const client = twilioClientFor(a);
  // The agent picked up: rules 4 and 5 are checked again at the moment the patient is dialled.
  const refusal = await inTransaction(async (c) => {
    const facts = await loadDialFacts(c, { enrolmentId: a.enrolmentId });
    try {
      if (!facts) throw new AppError("not_held", 409, "Ce patient ne vous est plus attribué.");
      assertCallable(facts, a.agentId, new Date());
      return null;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      await c.query(`UPDATE "CallAttempt" SET "callStatus" = 'ended', "endReason" = 'not-callable', "endedAt" = now() WHERE "id" = $1 AND "providerCallId" IS NULL`, [a.id]);
      return err.userMessage;
    }
  });
  if (refusal) {
    // The agent hears why, in French, and the call ends.
    if (a.agentCallSid) await client.calls(a.agentCallSid).update({ twiml: refusalTwiml(refusal) }).catch((err) => logger.warn({ err: err.message, attemptId }, "agent leg not told"));
    return { refused: refusal };
  }
  const callback = statusCallbackOf(a.id);
  const call = await client.calls.create({
    to: a.phone,
    from: a.twilioCallerId,
    twiml: conferenceTwiml(a.id),
    statusCallback: callback,
    statusCallbackEvent: ["initiated", "ringing", "answered", "completed"],
    statusCallbackMethod: "POST",
    machineDetection: "Enable",
    asyncAmd: "true",
    asyncAmdStatusCallback: callback,
  });
  await pgPool().query(`UPDATE "CallAttempt" SET "providerCallId" = $2 WHERE "id" = $1 AND "providerCallId" IS NULL`, [a.id, call.sid]);
  return { sid: call.sid };
}

export function callsWorker(connection: Redis) {
  return logErrors(new Worker<PlaceCallJob>(CALLS, (job) => (job.data.leg === "patient" ? placePatientLeg(job.data.attemptId) : placeAgentLeg(job.data.attemptId)), {
    connection, prefix: queuePrefix(), concurrency: 4,
    limiter: { max: env().TWILIO_CALLS_PER_SECOND, duration: 1000 },
  }));
}
