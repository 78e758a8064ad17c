// Queue "dialer": the sweeper that ends the simulated calls whose process is gone (their call state, not their
// outcome: server/calls/endLostSimulatedCalls.ts), ends lapsed holds (rule 3: an interrupted attempt still gets
// exactly one outcome, and its patient is due again at once), marks offline the agents whose console has
// gone (server/dialer/markAbsentAgentsOffline.ts), then the queue's upkeep (the dead
// entries claims leave at the head of the queues, server/dialer/queueUpkeep.ts). Runs every 10 s;
// idempotent.
import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { logger } from "../server/logger.ts";
import { inTransaction, pgPool, withClient } from "../server/pgPool.ts";
import { sweepExpiredHolds } from "../server/dialer/sweepExpiredHolds.ts";
import { liveEmitter } from "../server/live/liveEmitter.ts";
import { publish } from "../server/live/publish.ts";
import type { AgentStatus } from "../shared-types/events.ts";
import { markAbsentAgentsOffline } from "../server/dialer/markAbsentAgentsOffline.ts";
import { vacuumQueueIfDead } from "../server/dialer/queueUpkeep.ts";
import { hangUpCalls } from "../server/calls/hangUpCalls.ts";
import { endLostSimulatedCalls } from "../server/calls/endLostSimulatedCalls.ts";
import { logErrors, queuePrefix } from "./queueOptions.ts";

export const DIALER = "dialer";
export const SWEEP_EVERY_MS = 10_000;

export function dialerQueue(connection: Redis) {
  return logErrors(new Queue(DIALER, { connection, prefix: queuePrefix() }));
}

export async function scheduleDialer(queue: ReturnType<typeof dialerQueue>) {
  await queue.upsertJobScheduler("sweep-holds", { every: SWEEP_EVERY_MS }, { name: "sweep-holds", data: {}, opts: { removeOnComplete: 50, removeOnFail: 200 } });
}

/** One run of the job: lost simulated calls, lapsed holds, absent agents, then the queue's upkeep. */
export async function runDialerSweep() {
  // First, so that a call whose process and console are both gone ends « coupé » before its attempt is interrupted.
  const lost = await inTransaction((c) => endLostSimulatedCalls(c));
  if (lost.length) {
    logger.info({ calls: lost.length }, "simulated calls of a vanished process ended");
    const io = await liveEmitter();
    for (const a of lost) publish.callState(io, a.organisationId, { attemptId: a.id, agentId: a.agentId, callStatus: a.callStatus, answeredBy: a.answeredBy, endReason: a.endReason });
  }
  const swept = await inTransaction((c) => sweepExpiredHolds(c));
  if (swept.length) logger.info({ swept: swept.length }, "lapsed holds released, attempts interrupted");
  // a Twilio call left by a vanished console is ended (a simulated one ends with its own process or its timers)
  await hangUpCalls(pgPool(), swept.flatMap((s) => s.interruptedAttemptIds));
  const absent = await markAbsentAgentsOffline(pgPool());
  if (absent.length) logger.info({ agents: absent.length }, "agents without a console marked offline");
  await announceSweep(swept, absent.map((a) => a.userId));
  // The upkeep only speeds claims up: a failure (a database user that may not VACUUM) is logged, not retried.
  const vacuumed = await withClient((c) => vacuumQueueIfDead(c)).catch((err: Error) => {
    logger.warn({ err: err.message }, "dialer queue upkeep failed");
    return 0;
  });
  if (vacuumed) logger.debug({ deadRows: vacuumed }, "dialer queue vacuumed");
  return { lost: lost.length, swept: swept.length, offline: absent.length, vacuumed };
}

/** Committed: the consoles hear of it at once (the interrupted calls, the patients taken back, the agents' new states). */
async function announceSweep(swept: Awaited<ReturnType<typeof sweepExpiredHolds>>, absentAgentIds: string[]) {
  const agentIds = [...new Set([...swept.map((s) => s.heldBy), ...absentAgentIds])];
  if (!agentIds.length) return;
  const { rows: agents } = await pgPool().query<{ userId: string; organisationId: string; name: string; status: AgentStatus; pauseReason: string | null; since: Date }>(
    `SELECT s."userId", s."organisationId", u."name", s."status", s."pauseReason", s."since" FROM "AgentState" s JOIN "User" u ON u."id" = s."userId" WHERE s."userId" = ANY($1::uuid[])`,
    [agentIds],
  );
  const io = await liveEmitter();
  const at = new Date().toISOString();
  for (const s of swept) {
    const orgId = agents.find((a) => a.userId === s.heldBy)?.organisationId;
    if (!orgId) continue;
    for (const attemptId of s.interruptedAttemptIds) publish.outcome(io, orgId, { attemptId, agentId: s.heldBy, campaignId: s.campaignId, outcome: "interrupted", at });
    publish.released(io, s.heldBy, s.id, { lapsed: true });
  }
  for (const a of agents) publish.agentState(io, a.organisationId, { userId: a.userId, name: a.name, status: a.status, pauseReason: a.pauseReason, since: new Date(a.since).toISOString() });
}

export function dialerWorker(connection: Redis) {
  return logErrors(new Worker(DIALER, runDialerSweep, { connection, prefix: queuePrefix(), concurrency: 1 }));
}
