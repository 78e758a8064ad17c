// Twilio's status callbacks (and asynchronous answering-machine detection) → the same
// applyCallEvent as the simulator. Authenticated by X-Twilio-Signature, validated with the SDK
// against PUBLIC_URL (so it works behind a reverse proxy), with the organisation's auth token.
import twilio from "twilio";
import type pg from "pg";
import { env } from "../env.ts";
import { AppError } from "../errors.ts";
import { applyCallEvent, type CallStatus } from "./applyCallEvent.ts";
import { decryptSecret } from "./secrets.ts";

const STATUS: Record<string, { status: CallStatus; endReason?: string }> = {
  queued: { status: "created" }, initiated: { status: "created" }, ringing: { status: "ringing" }, "in-progress": { status: "answered" },
  completed: { status: "ended", endReason: "completed" }, busy: { status: "ended", endReason: "busy" }, "no-answer": { status: "ended", endReason: "no-answer" },
  failed: { status: "ended", endReason: "failed" }, canceled: { status: "ended", endReason: "canceled" },
};

export function answeredByOf(value: string | undefined): string | null {
  if (!value) return null;
  if (value === "human") return "human";
  if (value.startsWith("machine") || value === "fax") return "machine";
  return "unknown";
}

/** Checks the signature, then applies the event. Returns the applied row (null for a duplicate or stale event). */
export async function handleTwilioStatus(client: pg.Pool, originalUrl: string, signature: string | undefined, params: Record<string, string>) {
  const callSid = params.CallSid;
  if (!callSid || !signature) throw new AppError("twilio_signature", 403, "Requête Twilio non authentifiée.");
  const { rows } = await client.query<{ id: string; twilioAuthTokenEnc: string | null }>(
    `SELECT a."id", o."twilioAuthTokenEnc" FROM "CallAttempt" a JOIN "Organisation" o ON o."id" = a."organisationId" WHERE a."providerCallId" = $1`, [callSid]);
  const token = rows[0]?.twilioAuthTokenEnc ? decryptSecret(rows[0].twilioAuthTokenEnc) : null;
  // An unknown call gets the same answer as a bad signature: nothing to learn from probing.
  if (!token || !twilio.validateRequest(token, signature, new URL(originalUrl, env().PUBLIC_URL).toString(), params)) {
    throw new AppError("twilio_signature", 403, "Requête Twilio non authentifiée.");
  }
  const answeredBy = answeredByOf(params.AnsweredBy);
  const mapped = STATUS[params.CallStatus ?? ""];
  if (!mapped || params.SequenceNumber === undefined) {
    // Asynchronous AMD result: no sequence, only who answered.
    if (answeredBy) await client.query(`UPDATE "CallAttempt" SET "answeredBy" = $2 WHERE "providerCallId" = $1`, [callSid, answeredBy]);
    return null;
  }
  return applyCallEvent(client, {
    providerCallId: callSid,
    sequence: Number(params.SequenceNumber),
    status: mapped.status,
    endReason: mapped.endReason ?? null,
    answeredBy,
    durationSeconds: params.CallDuration ? Number(params.CallDuration) : null,
    at: params.Timestamp ? new Date(params.Timestamp) : new Date(),
  });
}
