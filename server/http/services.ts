// What route handlers need beyond the database: the Redis producer, the queues they feed, telephony.
import type { Express, Request } from "express";
import type { Redis } from "ioredis";
import type { Queue } from "bullmq";
import { importsQueue } from "../../queues/imports.ts";
import { callsQueue } from "../../queues/calls.ts";
import { dialerQueue } from "../../queues/dialer.ts";
import { housekeepingQueue } from "../../queues/housekeeping.ts";
import { retentionQueue } from "../../queues/retention.ts";
import { manualTelephony, simulatorTelephony, type Telephony } from "../calls/telephony.ts";
import { publish } from "../live/publish.ts";
import type { LiveServer } from "../live/socketServer.ts";

export interface Services {
  redis: Redis;
  imports: ReturnType<typeof importsQueue>;
  calls: ReturnType<typeof callsQueue>;
  housekeeping: ReturnType<typeof housekeepingQueue>;
  telephony: Record<"simulator" | "manual", Telephony>;
  /** Every queue of the product, on the producer connection: depths for /metrics, the admins' dashboard. */
  monitored: Queue[];
}

export function createServices(redis: Redis, app: Express): Services {
  const io = () => app.get("io") as LiveServer | undefined;
  const simulator = simulatorTelephony((applied) =>
    publish.callState(io(), applied.organisationId, {
      attemptId: applied.id, agentId: applied.agentId, callStatus: applied.callStatus, answeredBy: applied.answeredBy, endReason: applied.endReason,
    }),
  );
  const imports = importsQueue(redis);
  const calls = callsQueue(redis);
  const housekeeping = housekeepingQueue(redis);
  const monitored = [imports, calls, dialerQueue(redis), housekeeping, retentionQueue(redis)] as Queue[];
  return { redis, imports, calls, housekeeping, telephony: { simulator, manual: manualTelephony }, monitored };
}

export function servicesOf(req: Request): Services {
  return req.app.locals.services as Services;
}

/** Closes the queues before their Redis connection, so no command is left hanging on a closed socket. */
export async function closeServices(services: Services) {
  await services.telephony.simulator.close?.().catch(() => undefined); // its calls end with the process (it needs PostgreSQL)
  await Promise.allSettled(services.monitored.map((q) => q.close()));
  await services.redis.quit().catch(() => services.redis.disconnect());
}
