// Test databases: one template migrated once per run, one copy per vitest worker. Names carry a
// run id, so two runs on one machine (a developer's and CI's) never drop each other's databases.
import pg from "pg";

export const SERVER_URL = process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432";
export const WORKER_DBS = 4;
export const templateDb = (runId: string) => `omt_test_${runId}_template`;
export const workerDb = (runId: string, poolId: string | number) => `omt_test_${runId}_w${poolId}`;
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

export async function dropDatabase(c: pg.Client, database: string) {
  await c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
}
