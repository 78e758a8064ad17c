// Queue "calls": Twilio call placement, rate-limited per the account's allowance (Twilio's default
// is one call per second), jobId = attempt id so a retry never places a second call.
import { Queue, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { env } from "../server/env.ts";
import { pgPool } from "../server/pgPool.ts";
import { twilioClientFor } from "../server/calls/twilioClient.ts";
import { logErrors, queuePrefix } from "./queueOptions.ts";

export const CALLS = "calls";
export type PlaceCallJob = { attemptId: string };

export function callsQueue(connection: Redis) {
  return logErrors(new Queue<PlaceCallJob>(CALLS, {
    connection, prefix: queuePrefix(),
    defaultJobOptions: { attempts: 3, backoff: { type: "exponential", delay: 1000 }, removeOnComplete: 1000, removeOnFail: 1000 },
  }));
}

export async function enqueueTwilioCall(queue: ReturnType<typeof callsQueue>, attemptId: string) {
  await queue.add("place-twilio-call", { attemptId }, { jobId: attemptId });
}

export async function placeTwilioCall(attemptId: string) {
  const { rows } = await pgPool().query(
    `SELECT a."id", a."phone", a."outcome", a."providerCallId", o."twilioAccountSid", o."twilioAuthTokenEnc", o."twilioCallerId"
     FROM "CallAttempt" a JOIN "Organisation" o ON o."id" = a."organisationId" WHERE a."id" = $1`, [attemptId]);
  const a = rows[0];
  if (!a) throw new UnrecoverableError(`attempt ${attemptId} not found`);
  if (a.providerCallId || a.outcome) return { skipped: true }; // placed already, or ended before its turn
  const callback = new URL("/api/telephony/twilio/status", env().PUBLIC_URL).toString();
  const call = await twilioClientFor(a).calls.create({
    to: a.phone,
    from: a.twilioCallerId,
    // The patient joins the attempt's conference, where the agent is (browser softphone or own phone),
    // so that a supervisor can later listen in.
    twiml: `<Response><Dial><Conference endConferenceOnExit="true">attempt-${a.id}</Conference></Dial></Response>`,
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
  return logErrors(new Worker<PlaceCallJob>(CALLS, (job) => placeTwilioCall(job.data.attemptId), {
    connection, prefix: queuePrefix(), concurrency: 4,
    limiter: { max: env().TWILIO_CALLS_PER_SECOND, duration: 1000 },
  }));
}
