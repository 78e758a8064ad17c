// Telephony progress of an attempt, from the simulator or Twilio's status callbacks, through one
// path. Idempotent (a sequence number already applied is ignored) and order-tolerant: status only
// moves forward (a late "ringing" never overwrites "ended"), while a late "answered" still records
// who answered and when.
import type pg from "pg";

export const CALL_STATUS_RANK = { created: 0, ringing: 1, answered: 2, ended: 3 } as const;
export type CallStatus = keyof typeof CALL_STATUS_RANK;

export interface CallEvent {
  providerCallId: string;
  sequence: number;
  status: CallStatus;
  /** Answering-machine detection: human, machine, unknown. */
  answeredBy?: string | null;
  /** Provider's end reason: completed, no-answer, busy, failed, canceled. */
  endReason?: string | null;
  durationSeconds?: number | null;
  at: Date;
}

export async function applyCallEvent(client: pg.PoolClient | pg.Pool, event: CallEvent) {
  const { rows } = await client.query(
    `UPDATE "CallAttempt" SET
       "lastSequence" = GREATEST("lastSequence", $2),
       "appliedSequences" = array_append("appliedSequences", $2),
       "callStatus" = CASE WHEN $3::int > (CASE "callStatus" WHEN 'created' THEN 0 WHEN 'ringing' THEN 1 WHEN 'answered' THEN 2 ELSE 3 END) THEN $4 ELSE "callStatus" END,
       "answeredAt" = CASE WHEN $4 = 'answered' THEN COALESCE("answeredAt", $5) ELSE "answeredAt" END,
       "answeredBy" = COALESCE($6, "answeredBy"),
       "endedAt" = CASE WHEN $4 = 'ended' THEN COALESCE("endedAt", $5) ELSE "endedAt" END,
       "durationSeconds" = COALESCE($7, "durationSeconds"),
       "endReason" = COALESCE($8, "endReason")
     WHERE "providerCallId" = $1 AND NOT ($2 = ANY("appliedSequences"))
     RETURNING "id", "agentId", "organisationId", "callStatus", "answeredBy", "endReason", "outcome"`,
    [event.providerCallId, event.sequence, CALL_STATUS_RANK[event.status], event.status, event.at, event.answeredBy ?? null, event.durationSeconds ?? null, event.endReason ?? null],
  );
  return (rows[0] as { id: string; agentId: string; organisationId: string; callStatus: CallStatus; answeredBy: string | null; endReason: string | null; outcome: string | null } | undefined) ?? null;
}
