// A plain node-postgres pool for bulk work (imports, exports, COPY) where Prisma's per-row API is too slow.
import pg from "pg";
import { env } from "./env.ts";
import { logger } from "./logger.ts";

let pool: pg.Pool | undefined;

export function pgPool(): pg.Pool {
  if (!pool) {
    pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: 5, connectionTimeoutMillis: 5000 });
    // An idle connection dropped by the server (PostgreSQL restarted, failover) is an 'error' event on the
    // pool; unhandled, it ended the process. The pool discards that connection and opens a new one when asked.
    pool.on("error", (err) => logger.warn({ err: err.message }, "idle PostgreSQL connection lost"));
  }
  return pool;
}

export async function closePgPool() {
  await pool?.end();
  pool = undefined;
}

/** Runs fn in one transaction on a pooled connection (the process pool unless another is given). */
export async function inTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>, pool: pg.Pool = pgPool()): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Runs fn on a pooled connection outside any transaction: for domain functions whose statements are each their own transaction (the dialer's). */
export async function withClient<T>(fn: (client: pg.PoolClient) => Promise<T>, pool: pg.Pool = pgPool()): Promise<T> {
  const client = await pool.connect();
  try {
    return await fn(client);
  } finally {
    client.release();
  }
}

/**
 * Runs fn while this process holds PostgreSQL's session advisory lock on `key`, so that only one
 * process at a time runs it (the others wait; past `waitMs`, when given, PostgreSQL's 55P03 is thrown).
 */
export async function withAdvisoryLock<T>(key: string, fn: () => Promise<T>, { waitMs }: { waitMs?: number } = {}): Promise<T> {
  const lock = await pgPool().connect();
  try {
    if (waitMs) await lock.query(`SET lock_timeout = ${Math.round(waitMs)}`);
    try {
      await lock.query("SELECT pg_advisory_lock(hashtext($1))", [key]);
    } finally {
      if (waitMs) await lock.query("RESET lock_timeout");
    }
    try {
      return await fn();
    } finally {
      await lock.query("SELECT pg_advisory_unlock(hashtext($1))", [key]);
    }
  } finally {
    lock.release();
  }
}
