// Prometheus metrics on /metrics (one set per web process; scrape every process). Besides Node's own:
// HTTP durations, ready → patient card (the claim as an agent lives it), Twilio webhook lag, and, read
// at each scrape, the depth of every BullMQ queue and the agents by state (from PostgreSQL, so every
// process reports the same figures: take them from one).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Queue } from "bullmq";
import type pg from "pg";
import { logger } from "../logger.ts";

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "omt_" });

export const httpDuration = new Histogram({
  name: "omt_http_request_duration_seconds",
  help: "HTTP request duration by route and status",
  labelNames: ["method", "route", "status"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const readyToCard = new Histogram({
  name: "omt_dialer_ready_to_card_seconds",
  help: "An agent goes ready → the next patient's card is answered (claim in PostgreSQL, and the call start in progressive mode)",
  labelNames: ["result"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const twilioWebhookLag = new Histogram({
  name: "omt_twilio_webhook_lag_seconds",
  help: "Twilio status callbacks: arrival time minus the event's Timestamp (Twilio's clock, one-second resolution)",
  buckets: [0.5, 1, 2, 5, 10, 30, 60, 300],
  registers: [registry],
});

export const twilioCallbacks = new Counter({
  name: "omt_twilio_status_callbacks_total",
  help: "Twilio status callbacks received, by effect (applied, ignored: duplicate/stale/informative)",
  labelNames: ["effect"] as const,
  registers: [registry],
});

/** Records one Twilio status callback: its lag (when Twilio gave a Timestamp) and whether it changed the call. */
export function observeTwilioCallback(timestamp: string | undefined, applied: boolean) {
  twilioCallbacks.inc({ effect: applied ? "applied" : "ignored" });
  const at = timestamp ? Date.parse(timestamp) : NaN;
  if (Number.isFinite(at)) twilioWebhookLag.observe(Math.max(0, (Date.now() - at) / 1000));
}

/** What the scrape-time gauges read: the process's queues and its PostgreSQL pool (set by createApp). */
interface Sources {
  queues: Queue[];
  pool: () => pg.Pool;
  sockets: () => number;
}
let sources: Sources | undefined;
export function setMetricSources(s: Sources) {
  sources = s;
}

const JOB_STATES = ["waiting", "active", "delayed", "prioritized", "waiting-children", "failed", "completed"] as const;
const withTimeout = <T>(p: Promise<T>, ms = 1500) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timeout ${ms} ms`)), ms).unref())]);

new Gauge({
  name: "omt_queue_jobs",
  help: "BullMQ jobs by queue and state (absent while Redis is unreachable)",
  labelNames: ["queue", "state"] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const q of sources?.queues ?? []) {
      try {
        const counts = await withTimeout(q.getJobCounts(...JOB_STATES));
        for (const state of JOB_STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
      } catch (err) {
        logger.debug({ err: (err as Error).message, queue: q.name }, "queue depth not read");
      }
    }
  },
});

new Gauge({
  name: "omt_agents",
  help: "Agents by state, every organisation (from PostgreSQL; absent while it is unreachable)",
  labelNames: ["status"] as const,
  registers: [registry],
  async collect() {
    this.reset();
    if (!sources) return;
    try {
      const { rows } = await withTimeout(sources.pool().query<{ status: string; n: number }>(`SELECT "status", count(*)::int AS n FROM "AgentState" GROUP BY "status"`));
      for (const r of rows) this.set({ status: r.status }, r.n);
    } catch (err) {
      logger.debug({ err: (err as Error).message }, "agent states not read");
    }
  },
});

new Gauge({
  name: "omt_socket_connections",
  help: "socket.io connections open on this web process",
  registers: [registry],
  collect() {
    this.set(sources?.sockets() ?? 0);
  },
});
