import { env } from "../server/env.ts";
import { logger } from "../server/logger.ts";

/** Every queue of the product lives under this prefix (tests and installations sharing one Redis use their own). */
export const queuePrefix = () => `${env().REDIS_PREFIX}:bull`;

/** Connection errors (Redis down) go to the log as warnings: BullMQ would print them on the console otherwise. */
export function logErrors<T extends { name: string }>(q: T): T {
  (q as unknown as { on(e: "error", f: (err: Error) => void): void }).on("error", (err) => logger.warn({ queue: q.name, err: err.message }, "queue connection error"));
  return q;
}
