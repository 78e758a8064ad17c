// An agent stops working at once (their account deactivated or its role changed, their last session logged out): their
// patient goes back, an open call ends « interrompu » and is hung up with the provider, and the supervisors see them
// offline.
import type { Request } from "express";
import { hangUpCalls } from "../calls/hangUpCalls.ts";
import { servicesOf } from "../http/services.ts";
import { inTransaction, pgPool } from "../pgPool.ts";
import { ioOf, publish } from "./publish.ts";
import { stopAgentWork } from "./superviseAgents.ts";

export async function stopAgentNow(req: Request, agent: { id: string; organisationId: string; name: string }, by: string, why?: string) {
  const { released, wasWorking } = await inTransaction((c) => stopAgentWork(c, agent, by, new Date(), why));
  if (released?.interruptedAttemptId) await hangUpCalls(pgPool(), [released.interruptedAttemptId], servicesOf(req).telephony.simulator);
  if (wasWorking) publish.agentState(ioOf(req), agent.organisationId, { userId: agent.id, name: agent.name, status: "offline", pauseReason: null, since: new Date().toISOString() });
}
