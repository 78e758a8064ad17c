// npm start: check services, migrate, seed the demo (demo mode), build the console if needed,
// then run the web server and/or the worker (ROLE=all|web|worker).
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

if (runsWeb) {
  const { buildConsole, consoleNeedsBuild } = await import("./buildConsole.ts");
  if (consoleNeedsBuild()) {
    logger.info("building the console…");
    await buildConsole();
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
