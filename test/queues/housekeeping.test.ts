import { QueueEvents } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { createWorkerConnection } from "../../server/redis.ts";
import { startWorker } from "../../queues/worker.ts";
import { HOUSEKEEPING, housekeepingQueue } from "../../queues/housekeeping.ts";
import { queuePrefix } from "../../queues/queueOptions.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";
import { cleanRedisPrefix } from "../helpers/redis.ts";

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
});

describe("housekeeping queue (real BullMQ on Redis)", () => {
  it("the worker schedules the purge, runs it, purges only expired sessions, and reschedules after the keys are lost", async () => {
    const org = await makeOrganisation();
    const { user } = await makeUser(org.id, "agent");
    await db().session.createMany({
      data: [
        { id: `expired-${user.id}`, userId: user.id, csrfToken: "x", expiresAt: new Date(Date.now() - 60_000) },
        { id: `live-${user.id}`, userId: user.id, csrfToken: "x", expiresAt: new Date(Date.now() + 3_600_000) },
      ],
    });

    const connection = createWorkerConnection();
    const queue = housekeepingQueue(connection);
    const events = new QueueEvents(HOUSEKEEPING, { connection: createWorkerConnection(), prefix: queuePrefix() });
    closers.push(async () => {
      await events.close();
      await queue.close();
      connection.disconnect();
    });
    await events.waitUntilReady();
    const completed = new Promise<unknown>((resolve) => events.once("completed", ({ returnvalue }) => resolve(returnvalue)));

    const worker = await startWorker();
    closers.push(worker.close);
    expect((await queue.getJobSchedulers()).map((s) => s.key)).toContain("purge-expired-sessions");
    const result = (await completed) as { purged: number };
    expect(result.purged).toBeGreaterThanOrEqual(1);
    expect(await db().session.findUnique({ where: { id: `expired-${user.id}` } })).toBeNull();
    expect(await db().session.findUnique({ where: { id: `live-${user.id}` } })).not.toBeNull();

    // Redis loses everything of this installation (as FLUSHALL would): a new worker start puts the schedule back.
    await worker.close();
    closers.pop();
    await cleanRedisPrefix(process.env.REDIS_PREFIX!);
    expect(await queue.getJobSchedulers()).toEqual([]);
    const again = await startWorker();
    closers.push(again.close);
    expect((await queue.getJobSchedulers()).map((s) => s.key)).toContain("purge-expired-sessions");
  });
});
