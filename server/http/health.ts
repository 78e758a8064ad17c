import type { Redis } from "ioredis";
import { db } from "../db.ts";

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timeout ${ms} ms`)), ms).unref())]);
}

export async function checkHealth(redis: Redis) {
  const [postgres, redisCheck] = await Promise.allSettled([
    withTimeout(db().$queryRaw`SELECT 1`, 2000),
    withTimeout(redis.ping(), 2000),
  ]);
  const status = (r: PromiseSettledResult<unknown>) => (r.status === "fulfilled" ? "ok" : `indisponible (${(r.reason as Error).message})`);
  const checks = { postgresql: status(postgres), redis: status(redisCheck) };
  return { ok: postgres.status === "fulfilled" && redisCheck.status === "fulfilled", checks };
}
