import { Redis } from "ioredis";

/** Deletes every key of a test's prefix (never FLUSHALL: other test workers share this Redis). */
export async function cleanRedisPrefix(prefix: string) {
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
