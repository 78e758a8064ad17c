// Runs before each test file, in its worker: point the process at this worker's database and
// a unique Redis prefix; make console.error fail the test (logs go through pino, silent here).
import { randomBytes } from "node:crypto";
import { afterAll, beforeEach, inject, vi } from "vitest";
import { urlOf, workerDb } from "./databases.ts";

process.env.NODE_ENV = "test";
process.env.DATABASE_URL = urlOf(workerDb(inject("testRunId"), process.env.VITEST_POOL_ID ?? "1"));
process.env.REDIS_PREFIX = `omt_test_${randomBytes(4).toString("hex")}`;
process.env.SESSION_SECRET ??= "test-secret-test-secret-test-secret-0000";

beforeEach(() => {
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    throw new Error(`console.error during a test: ${args.map(String).join(" ")}`);
  });
});

afterAll(async () => {
  const { closeDb } = await import("../../server/db.ts");
  await closeDb();
  const { closePgPool } = await import("../../server/pgPool.ts");
  await closePgPool();
  const { cleanRedisPrefix } = await import("../helpers/redis.ts");
  await cleanRedisPrefix(process.env.REDIS_PREFIX!);
});
