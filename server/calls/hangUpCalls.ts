// A call whose attempt has its outcome is over for the product: "Raccrocher", an outcome recorded while it
// still rings or talks, a supervisor's release and the sweeper's "interrupted" all end it with the provider.
// Twilio is reached from any process; the simulator's calls live in the process that placed them (its
// instance is given where there is one). The status callbacks then record the end as usual.
import type pg from "pg";
import { logger } from "../logger.ts";
import { hangUpTwilioCall } from "./hangUpTwilioCall.ts";
import type { Telephony } from "./telephony.ts";

/** A call as its attempt's row has it. */
export interface CallToEnd { id: string; provider: string; providerCallId: string | null; agentCallSid: string | null; callStatus: string }

/** Hangs up the live calls among these attempts (those not ended yet). */
export async function hangUpCalls(client: pg.Pool | pg.PoolClient, attemptIds: string[], simulator?: Telephony) {
  if (!attemptIds.length) return;
  const { rows } = await client.query<CallWithAccount>(
    `SELECT a."providerCallId", a."agentCallSid", a."provider", o."twilioAccountSid", o."twilioAuthTokenEnc"
     FROM "CallAttempt" a JOIN "Organisation" o ON o."id" = a."organisationId"
     WHERE a."id" = ANY($1::uuid[]) AND (a."providerCallId" IS NOT NULL OR a."agentCallSid" IS NOT NULL) AND a."callStatus" <> 'ended'`,
    [attemptIds],
  );
  for (const r of rows) await endCall(r, simulator);
}

/** Hangs up this call as a statement of the caller found it (the outcome's): looked up again only for Twilio's account. */
export async function hangUpFoundCall(client: pg.Pool | pg.PoolClient, call: CallToEnd, simulator?: Telephony) {
  if (call.callStatus === "ended" || (!call.providerCallId && !call.agentCallSid)) return;
  if (call.provider === "twilio") await hangUpCalls(client, [call.id], simulator);
  else await endCall({ ...call, twilioAccountSid: null, twilioAuthTokenEnc: null }, simulator);
}

type CallWithAccount = Omit<CallToEnd, "id" | "callStatus"> & { twilioAccountSid: string | null; twilioAuthTokenEnc: string | null };

async function endCall(r: CallWithAccount, simulator?: Telephony) {
  try {
    if (r.provider === "twilio") await hangUpTwilioCall(r, [r.agentCallSid, r.providerCallId]);
    else if (r.provider === "simulator" && r.providerCallId) await simulator?.hangUp(r.providerCallId);
  } catch (err) {
    logger.warn({ err: (err as Error).message, providerCallId: r.providerCallId }, "hang-up failed");
  }
}
