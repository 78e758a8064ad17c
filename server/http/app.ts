// The express application: security headers, JSON API under /api, health, metrics, the built console.
import { existsSync } from "node:fs";
import path from "node:path";
import express, { type Express } from "express";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import { rateLimit } from "express-rate-limit";
import { RedisStore, type RedisReply } from "rate-limit-redis";
import type { Redis } from "ioredis";
import { randomUUID, timingSafeEqual } from "node:crypto";
import { env } from "../env.ts";
import { AppError, errorMiddleware, errors } from "../errors.ts";
import { httpLogSerializers, logger } from "../logger.ts";
import { buildRouter } from "./buildRouter.ts";
import { checkHealth } from "./health.ts";
import { httpDuration, readyToCard, registry, setMetricSources } from "./metrics.ts";
import { pgPool } from "../pgPool.ts";
import { QUEUE_DASHBOARD_PATH, queueDashboard } from "./queueDashboard.ts";
import type { Services } from "./services.ts";
import type { LiveServer } from "../live/socketServer.ts";
import { buildOpenApi } from "./openapi.ts";
import { apiRoutes } from "./routes.ts";
import { createServices } from "./services.ts";

export const CLIENT_DIST = path.resolve(import.meta.dirname, "../../client/dist");

/** /metrics is open unless METRICS_TOKEN is set; then the bearer token must match (compared in constant time). */
function metricsAllowed(authorization: string | undefined) {
  const token = env().METRICS_TOKEN;
  if (!token) return true;
  const expected = Buffer.from(`Bearer ${token}`);
  const given = Buffer.from(authorization ?? "");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function createApp({ redis }: { redis: Redis }): Express {
  const app = express();
  app.locals.services = createServices(redis, app);
  setMetricSources({ queues: (app.locals.services as Services).monitored, pool: pgPool, sockets: () => (app.get("io") as LiveServer | undefined)?.engine.clientsCount ?? 0 });
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback, linklocal, uniquelocal");
  app.use(pinoHttp({
    logger,
    genReqId: (req) => (req.headers["x-request-id"] as string) || randomUUID(),
    autoLogging: { ignore: (req) => req.url === "/healthz" },
    serializers: httpLogSerializers,
  }));
  // Twilio's browser softphone: signalling over wss, call insights to https://eventgw.twilio.com, ringtones from sdk.twilio.com.
  app.use(helmet({ contentSecurityPolicy: { directives: {
    "connect-src": ["'self'", "ws:", "wss:", "https://*.twilio.com"], "media-src": ["'self'", "https://sdk.twilio.com"], "upgrade-insecure-requests": null,
  } } }));
  app.use((req, res, next) => {
    const end = httpDuration.startTimer({ method: req.method });
    const started = performance.now();
    res.on("finish", () => {
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : "other";
      end({ route, status: res.statusCode });
      if (route === "/api/agent/status" && req.body?.status === "ready") {
        readyToCard.observe({ result: res.statusCode === 200 ? "ok" : "error" }, (performance.now() - started) / 1000);
      }
    });
    next();
  });

  app.get("/healthz", async (_req, res) => {
    const health = await checkHealth(redis);
    res.status(health.ok ? 200 : 503).json(health);
  });
  app.get("/metrics", async (req, res) => {
    if (!metricsAllowed(req.get("authorization"))) {
      res.set("WWW-Authenticate", 'Bearer realm="metrics"');
      throw new AppError("metrics_token", 401, "Jeton d'accès aux métriques absent ou invalide (METRICS_TOKEN).");
    }
    res.type(registry.contentType).send(await registry.metrics());
  });

  const api = express.Router();
  api.use(express.json({ limit: env().JSON_BODY_LIMIT }));
  // Form bodies for Twilio's webhooks only: a login or any other change sent by a plain HTML form from elsewhere is refused.
  api.use("/telephony/twilio", express.urlencoded({ extended: false, limit: "32kb" }));
  api.use(
    "/auth/login",
    rateLimit({
      windowMs: 15 * 60_000,
      limit: env().LOGIN_RATE_LIMIT,
      skipSuccessfulRequests: true, // failed attempts only (a fund's scripts log in often)
      standardHeaders: "draft-8",
      legacyHeaders: false,
      // the address as login reads it (trimmed, any case): « admin@x.fr » with spaces is the same account, and the same count
      keyGenerator: (req) => `${req.ip}|${String(req.body?.email ?? "").trim().toLowerCase()}`,
      // Redis is shared by every web process, so the limit holds across them. If Redis is down, login still works.
      store: new RedisStore({ prefix: `${env().REDIS_PREFIX}:rl:login:`, sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply> }),
      passOnStoreError: true,
      // Store errors (Redis down at start, for instance) go to pino; the store reloads its script when Redis is back.
      logger: { warn: (...args: unknown[]) => logger.warn({ args }, "rate limit"), error: (...args: unknown[]) => logger.warn({ args }, "rate limit store") },
      validate: { keyGeneratorIpFallback: false },
      handler: (_req, _res, next) => next(new AppError("too_many_attempts", 429, "Trop de tentatives de connexion. Réessayez dans 15 minutes.")),
    }),
  );
  api.get("/openapi.json", (_req, res) => {
    res.json(buildOpenApi(apiRoutes));
  });
  api.use(QUEUE_DASHBOARD_PATH, queueDashboard((app.locals.services as Services).monitored));
  api.use(buildRouter(apiRoutes));
  api.use((req) => {
    throw new AppError("not_found", 404, `Route inconnue : ${req.method} ${req.originalUrl}`);
  });
  app.use("/api", api);

  if (existsSync(CLIENT_DIST)) {
    app.use(express.static(CLIENT_DIST, { index: false, maxAge: "1h" }));
    app.get("/{*path}", (_req, res) => {
      res.sendFile(path.join(CLIENT_DIST, "index.html"));
    });
  } else {
    app.use((_req, _res, next) => next(errors.notFound("Console non construite (npm run build) :")));
  }
  app.use(errorMiddleware);
  return app;
}
