// The BullMQ queues in bull-board, for admins only (GET /api/admin/queues). Same session and policy
// as every API route (authOf + assertCan from buildRouter/policy.ts). Read-only: retrying or removing
// jobs is not offered (a job is safe to run twice, but the dashboard is for watching; its actions would
// also bypass the CSRF check of state-changing requests, so anything but GET/HEAD is refused).
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import { Router, type NextFunction, type Request, type Response } from "express";
import { assertCan } from "../auth/policy.ts";
import { env } from "../env.ts";
import { AppError, errors } from "../errors.ts";
import { authOf } from "./buildRouter.ts";

export const QUEUE_DASHBOARD_PATH = "/admin/queues";

/** The queues hold every organisation's jobs: only the installation's own admins watch them (QUEUE_DASHBOARD_ADMINS). */
export function mayWatchQueues(email: string, listed = env().QUEUE_DASHBOARD_ADMINS, production = env().NODE_ENV === "production"): boolean {
  return listed ? listed.includes(email.toLowerCase()) : !production;
}

async function adminOnly(req: Request, _res: Response, next: NextFunction) {
  const auth = await authOf(req);
  if (!auth) throw errors.unauthenticated();
  assertCan(auth.user.role, "queues:monitor");
  if (!mayWatchQueues(auth.user.email)) {
    throw new AppError("forbidden", 403, "Le tableau des files montre les travaux de toutes les organisations : il est réservé aux administrateurs de l'installation (QUEUE_DASHBOARD_ADMINS).");
  }
  if (req.method !== "GET" && req.method !== "HEAD") throw new AppError("read_only", 405, "Le tableau des files est en lecture seule.");
  next();
}

/** The router to mount at /api/admin/queues. */
export function queueDashboard(queues: Queue[]): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(`/api${QUEUE_DASHBOARD_PATH}`);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: "Files BullMQ", hideDocsLink: true } },
  });
  const router = Router();
  router.use(adminOnly, adapter.getRouter());
  return router;
}
