// A simulated call whose process is gone (killed, or stopped before it could end its calls) rings for nobody: its
// timers died with it. The dialer's sweeper ends it, through applyCallEvent like any telephony event, with the reason
// PROCESS_GONE (« appel coupé : serveur redémarré »), so that the agent's console stops saying « Ça sonne… ». It writes
// no outcome (telephony never does: decision 004): the agent records it as after any call, or, if the agent is gone
// too, the lease lapses and the sweeper gives the one outcome « interrompu » (rule 3).
//
// Its process is gone when nobody holds its line (simulatorLine.ts): this transaction takes the line's lock itself, which
// only succeeds once the holding connection has closed. Right after PostgreSQL itself restarted, every line is free until
// its live process takes it again (in a second or so): calls are not judged in that time.
import type pg from "pg";
import { applyCallEvent } from "./applyCallEvent.ts";
import { lineOfCallSql, SIMULATOR_LINES_SQL } from "./simulatorLine.ts";
import { PROCESS_GONE } from "./telephony.ts";

/** After PostgreSQL started, the time its clients' processes have to take their lines again. */
export const LINES_RETAKEN_WITHIN_SECONDS = 30;

/** In a transaction (the lines' locks taken are held until it ends). Returns the calls ended, as applyCallEvent gives them. */
export async function endLostSimulatedCalls(client: pg.PoolClient, now = new Date()) {
  // Open attempts only (a few rows, on the partial index of open attempts): a call whose outcome is recorded is over.
  const { rows } = await client.query<{ providerCallId: string; lastSequence: number }>(
    `WITH open AS MATERIALIZED (SELECT a."providerCallId", a."lastSequence", ${lineOfCallSql(`a."providerCallId"`)} AS "line" FROM "CallAttempt" a
       WHERE a."outcome" IS NULL AND a."provider" = 'simulator' AND a."callStatus" <> 'ended' AND a."providerCallId" LIKE 'SIM-%'
         AND pg_postmaster_start_time() < $1::timestamptz - make_interval(secs => $2)),
     gone AS MATERIALIZED (SELECT l."line" FROM (SELECT DISTINCT "line" FROM open WHERE "line" IS NOT NULL) l WHERE pg_try_advisory_xact_lock(${SIMULATOR_LINES_SQL}, l."line"))
     SELECT o."providerCallId", o."lastSequence" FROM open o JOIN gone g ON g."line" = o."line"`,
    [now, LINES_RETAKEN_WITHIN_SECONDS],
  );
  const ended = [];
  for (const r of rows) {
    // the next sequence after the last one the dead process applied
    const applied = await applyCallEvent(client, { providerCallId: r.providerCallId, sequence: r.lastSequence + 1, status: "ended", endReason: PROCESS_GONE, at: now });
    if (applied) ended.push(applied);
  }
  return ended;
}
