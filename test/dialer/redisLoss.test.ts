// Rule 6: Redis can be lost mid-call; PostgreSQL holds the truth, so the call and its outcome
// go on, and the worker puts its schedules back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { startWorker } from "../../queues/worker.ts";
import { dialerQueue } from "../../queues/dialer.ts";
import { createWorkerConnection } from "../../server/redis.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { loginAs, startTestApp, type TestApp } from "../helpers/api.ts";
import { cleanRedisPrefix } from "../helpers/redis.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("Redis lost mid-call", () => {
  it("the agent's call and outcome go through; queues and schedules are rebuilt", async () => {
    const me = await loginAs(t.app, "agent");
    const campaign = await makeCampaign(me.user.organisationId, { status: "running", callingWindows: Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [["00:00", "23:59"]]])), skipPublicHolidays: false } as never);
    await makeEnrolledPatients(me.user.organisationId, campaign.id, 3);
    const worker = await startWorker();
    const ready = await me.agent.post("/api/agent/status").set("X-CSRF-Token", me.csrf).send({ status: "ready" }).expect(200);
    expect(ready.body.card.patient.lastName).toMatch(/^PATIENT/);
    // manual telephony for this organisation: no simulated events in flight
    await db().organisation.update({ where: { id: me.user.organisationId }, data: { telephonyProvider: "manual" } });
    const call = await me.agent.post("/api/agent/call").set("X-CSRF-Token", me.csrf).expect(201);

    await cleanRedisPrefix(process.env.REDIS_PREFIX!); // everything of this installation in Redis is gone
    const queue = dialerQueue(createWorkerConnection());
    expect(await queue.getJobSchedulers()).toEqual([]);

    await me.agent.post(`/api/attempts/${call.body.attemptId}/outcome`).set("X-CSRF-Token", me.csrf).send({ outcome: "voicemail" }).expect(200);
    const attempt = await db().callAttempt.findUniqueOrThrow({ where: { id: call.body.attemptId } });
    expect(attempt.outcome).toBe("voicemail");
    const next = await me.agent.post("/api/agent/status").set("X-CSRF-Token", me.csrf).send({ status: "ready" }).expect(200);
    expect(next.body.card.enrolmentId).not.toBe(ready.body.card.enrolmentId);

    await worker.close();
    const again = await startWorker(); // a worker (re)start rebuilds what Redis lost (running ones do it every minute)
    expect((await queue.getJobSchedulers()).map((s) => s.key)).toContain("sweep-holds");
    await again.close();
    await queue.close();
  });
});
