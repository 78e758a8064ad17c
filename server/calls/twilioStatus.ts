// Twilio's status callbacks (and asynchronous answering-machine detection) → the same
// applyCallEvent as the simulator. Authenticated by X-Twilio-Signature (verifyTwilioSignature).
// A leg placed by TwiML (the softphone's <Dial><Number>) has a CallSid nobody knew in advance: its
// status URL names the attempt (?attempt=<id>, covered by the signature), and its first event binds it.
// In the bridged mode, the agent's own leg reports on ?attempt=<id>&leg=agent: answered → the patient is called.
import type pg from "pg";
import { applyCallEvent, type CallStatus } from "./applyCallEvent.ts";
import { twilioSignatureError, verifyTwilioSignature } from "./verifyTwilioSignature.ts";

const STATUS: Record<string, { status: CallStatus; endReason?: string }> = {
  queued: { status: "created" }, initiated: { status: "created" }, ringing: { status: "ringing" }, "in-progress": { status: "answered" },
  completed: { status: "ended", endReason: "completed" }, busy: { status: "ended", endReason: "busy" }, "no-answer": { status: "ended", endReason: "no-answer" },
  failed: { status: "ended", endReason: "failed" }, canceled: { status: "ended", endReason: "canceled" },
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type AppliedCall = NonNullable<Awaited<ReturnType<typeof applyCallEvent>>>;
export interface StatusResult {
  /** The attempt's new telephony state, to publish (null for a duplicate, stale or informative event). */
  applied: AppliedCall | null;
  /** Bridged mode: the agent picked up their phone; the patient's leg is to be placed now. */
  agentAnswered: string | null;
}

export function answeredByOf(value: string | undefined): string | null {
  if (!value) return null;
  if (value === "human") return "human";
  if (value.startsWith("machine") || value === "fax") return "machine";
  return "unknown";
}

/** Checks the signature, then applies the event. */
export async function handleTwilioStatus(client: pg.Pool, originalUrl: string, signature: string | undefined, params: Record<string, string>): Promise<StatusResult> {
  const callSid = params.CallSid;
  if (!callSid || !signature) throw twilioSignatureError();
  const query = new URL(originalUrl, "http://localhost").searchParams;
  const ref = query.get("attempt");
  const { rows } = await client.query<{ id: string; providerCallId: string | null; agentCallSid: string | null; twilioAuthTokenEnc: string | null }>(
    `SELECT a."id", a."providerCallId", a."agentCallSid", o."twilioAuthTokenEnc" FROM "CallAttempt" a JOIN "Organisation" o ON o."id" = a."organisationId"
     WHERE a."providerCallId" = $1 OR a."agentCallSid" = $1 OR a."id" = $2
     ORDER BY (a."providerCallId" IS NOT DISTINCT FROM $1 OR a."agentCallSid" IS NOT DISTINCT FROM $1) DESC LIMIT 1`,
    [callSid, ref && UUID.test(ref) ? ref : null]);
  const attempt = rows[0];
  verifyTwilioSignature(attempt?.twilioAuthTokenEnc, originalUrl, signature, params);
  const none: StatusResult = { applied: null, agentAnswered: null };

  const agentLeg = attempt.agentCallSid === callSid || (query.get("leg") === "agent" && attempt.providerCallId !== callSid);
  if (agentLeg) {
    if (attempt.agentCallSid !== null && attempt.agentCallSid !== callSid) return none; // another call: not this attempt's agent leg
    await client.query(`UPDATE "CallAttempt" SET "agentCallSid" = $2 WHERE "id" = $1 AND "agentCallSid" IS NULL`, [attempt.id, callSid]);
    if (params.CallStatus === "in-progress") return { applied: null, agentAnswered: attempt.id };
    const mapped = STATUS[params.CallStatus ?? ""];
    if (mapped?.status !== "ended") return none;
    // The agent's phone did not answer (or hung up) before the patient was called: the attempt ends there.
    const { rows: ended } = await client.query<AppliedCall>(
      `UPDATE "CallAttempt" SET "callStatus" = 'ended', "endReason" = $2, "endedAt" = COALESCE("endedAt", now())
       WHERE "id" = $1 AND "providerCallId" IS NULL AND "callStatus" <> 'ended'
       RETURNING "id", "agentId", "organisationId", "callStatus", "answeredBy", "endReason", "outcome"`,
      [attempt.id, `agent-${mapped.endReason}`]);
    return { applied: ended[0] ?? null, agentAnswered: null };
  }

  if (attempt.providerCallId === null) {
    await client.query(`UPDATE "CallAttempt" SET "providerCallId" = $2 WHERE "id" = $1 AND "providerCallId" IS NULL`, [attempt.id, callSid]);
  } else if (attempt.providerCallId !== callSid) {
    return none; // the attempt's patient leg is another call
  }
  const answeredBy = answeredByOf(params.AnsweredBy);
  const mapped = STATUS[params.CallStatus ?? ""];
  if (!mapped || params.SequenceNumber === undefined) {
    // Asynchronous AMD result: no sequence, only who answered.
    if (answeredBy) await client.query(`UPDATE "CallAttempt" SET "answeredBy" = $2 WHERE "providerCallId" = $1`, [callSid, answeredBy]);
    return none;
  }
  const applied = await applyCallEvent(client, {
    providerCallId: callSid,
    sequence: Number(params.SequenceNumber),
    status: mapped.status,
    endReason: mapped.endReason ?? null,
    answeredBy,
    durationSeconds: params.CallDuration ? Number(params.CallDuration) : null,
    at: params.Timestamp ? new Date(params.Timestamp) : new Date(),
  });
  return { applied, agentAnswered: null };
}
