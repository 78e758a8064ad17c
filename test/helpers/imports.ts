// Import tests through the API: the app with a real import worker, a listing sent as the console sends it, and its
// report once the import has settled.
import type { Express } from "express";
import { afterAll, beforeAll } from "vitest";
import { startWorker } from "../../queues/worker.ts";
import { startTestApp, type LoggedIn, type TestApp } from "./api.ts";

/** The in-process app and a real BullMQ import worker for one test file: started before its tests, closed after. */
export function useAppWithWorker(): { app: Express } {
  const ctx = {} as { app: Express };
  let started: TestApp | undefined;
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  beforeAll(async () => {
    started = await startTestApp();
    ctx.app = started.app;
    worker = await startWorker();
  });
  afterAll(async () => {
    await worker?.close();
    await started?.close();
  });
  return ctx;
}

/** POST of a file (its path, or its bytes with a name) into a campaign; the caller checks the status. */
export function uploadListing(me: LoggedIn, campaignId: string, file: string | Buffer, fileName?: string) {
  return me.agent.post(`/api/campaigns/${campaignId}/imports`).set("X-CSRF-Token", me.csrf).attach("file", file, fileName);
}

/** The import's report once it no longer runs: done, failed, or waiting for its column mapping. */
export async function importSettled(me: LoggedIn, importId: string) {
  for (;;) {
    const res = await me.agent.get(`/api/imports/${importId}`).expect(200);
    if (["done", "failed", "uploaded"].includes(res.body.status)) return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
}
