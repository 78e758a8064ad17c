// Redis connections, one per purpose (CONVENTIONS.md): BullMQ workers block and must retry
// forever; producers in the web process must fail fast so an outage answers 503, not a hang.
import { Redis, type RedisOptions } from "ioredis";
import { env } from "./env.ts";

const base = (): RedisOptions => ({ connectionName: `omt-${process.pid}`, lazyConnect: false });

/** For BullMQ Worker and QueueEvents: blocking commands, never give up. */
export function createWorkerConnection(): Redis {
  return new Redis(env().REDIS_URL, { ...base(), maxRetriesPerRequest: null });
}

/** For producers (Queue.add), rate limits and health checks in the web process: fail fast when Redis is down. */
export function createProducerConnection(): Redis {
  return new Redis(env().REDIS_URL, {
    ...base(),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 2000,
  });
}

/** Resolves when the connection is ready (producers refuse commands before that). */
export function waitForRedis(redis: Redis, timeoutMs = 5000): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis pas prêt après ${timeoutMs} ms`)), timeoutMs);
    redis.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
