// Test databases: one template migrated once per run, one copy per vitest worker.
import pg from "pg";

export const SERVER_URL = process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432";
export const TEMPLATE_DB = "omt_test_template";
export const WORKER_DBS = 4;
export const workerDb = (poolId: string | number) => `omt_test_w${poolId}`;
export const urlOf = (database: string) => `${SERVER_URL}/${database}`;

export async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: urlOf("postgres") });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function recreateFromTemplate(c: pg.Client, database: string, template = TEMPLATE_DB) {
  await c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await c.query(`CREATE DATABASE "${database}" TEMPLATE "${template}"`);
}
