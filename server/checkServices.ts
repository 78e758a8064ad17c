// Before anything else: can we reach PostgreSQL and Redis? If not, one clear line and exit.
import pg from "pg";
import { Redis } from "ioredis";
import { env } from "./env.ts";

export class ServiceUnreachable extends Error {}

const where = (url: string) => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol.startsWith("redis") ? 6379 : 5432)}`;
};

export async function checkServices(): Promise<void> {
  const dbUrl = new URL(env().DATABASE_URL);
  dbUrl.pathname = "/postgres"; // the database itself may not exist yet: migrations create it
  const client = new pg.Client({ connectionString: dbUrl.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (err) {
    throw new ServiceUnreachable(`PostgreSQL injoignable à ${where(env().DATABASE_URL)} (${(err as Error).message || (err as { code?: string }).code})`);
  } finally {
    await client.end().catch(() => {});
  }
  const redis = new Redis(env().REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null, enableOfflineQueue: false });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new ServiceUnreachable(`Redis injoignable à ${where(env().REDIS_URL)} (${(err as Error).message})`);
  } finally {
    redis.disconnect();
  }
}
