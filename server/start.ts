// npm start: check services, migrate, seed the demo (demo mode), build the console if needed,
// then run the web server and/or the worker (ROLE=all|web|worker).
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { EnvError, env } from "./env.ts";
import { checkServices, ServiceUnreachable } from "./checkServices.ts";

function fail(message: string): never {
  console.error(`Arrêt : ${message}`);
  process.exit(1);
}

try {
  env();
  await checkServices();
} catch (err) {
  if (err instanceof EnvError || err instanceof ServiceUnreachable) fail(err.message);
  throw err;
}

const { logger } = await import("./logger.ts");
const { ROLE, DATABASE_URL, DEMO, NODE_ENV, PORT, HOST, PUBLIC_URL } = env();
const runsWeb = ROLE !== "worker";

if (runsWeb && process.env.MIGRATE_ON_START !== "false") {
  const { runMigrations } = await import("../scripts/prisma-migrate.ts");
  await runMigrations("deploy", DATABASE_URL, undefined, true);
  logger.info("database migrated");
}

const { db, closeDb } = await import("./db.ts");
const { closePgPool, pgPool } = await import("./pgPool.ts");
if (runsWeb) {
  const { storeCommunes } = await import("./geo/storeCommunes.ts");
  const stored = await storeCommunes(pgPool());
  if (stored) logger.info({ communes: stored }, "communes of France loaded");
}
if (runsWeb && DEMO && NODE_ENV !== "production") {
  const { seedDemo, formatDemoUsers } = await import("./seed/seedDemo.ts");
  const { users } = await seedDemo(db());
  console.log(formatDemoUsers(users));
}

const root = path.resolve(import.meta.dirname, "..");
/** The built console is missing, or older than a source file of it (after a pull, say). */
function consoleNeedsBuild(): boolean {
  const built = path.join(root, "client/dist/index.html");
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const sources = ["client/src", "client/index.html", "shared-types", "vite.config.ts"].map((p) => path.join(root, p));
  const newer = (p: string): boolean => {
    const s = statSync(p);
    return s.isDirectory() ? readdirSync(p).some((e) => newer(path.join(p, e))) : s.mtimeMs > builtAt;
  };
  return sources.some((p) => existsSync(p) && newer(p));
}
if (runsWeb && consoleNeedsBuild()) {
  logger.info("building the console…");
  const { build } = await import("vite");
  // Always the production bundle: Vite follows NODE_ENV, and `npm start` runs in development by default
  // (a development React is twice the size and much slower).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ configFile: path.join(root, "vite.config.ts"), logLevel: "warn", mode: "production" });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

const closers: (() => Promise<void>)[] = [];
if (runsWeb) {
  const { startWeb } = await import("./web.ts");
  const web = await startWeb({ port: PORT, host: HOST });
  closers.push(web.close);
  console.log(`Console servie sur ${PUBLIC_URL} (port ${web.port})`);
}
if (ROLE !== "web") {
  const { startWorker } = await import("../queues/worker.ts");
  const worker = await startWorker();
  closers.push(worker.close);
  logger.info("worker started");
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down");
  const force = setTimeout(() => process.exit(1), 10_000).unref();
  await Promise.allSettled(closers.map((c) => c()));
  await closeDb();
  await closePgPool();
  clearTimeout(force);
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
