// Starts the real product for a browser test, as `npm start` does: fresh database
// (migrated and seeded by start.ts), built console, own Redis prefix, a free port.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import type { Role } from "../../shared-types/events.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PG = process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function dropDatabase(name: string) {
  const c = new pg.Client({ connectionString: `${PG}/postgres` });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.end();
}

export interface TestServer {
  url: string;
  databaseUrl: string;
  users: Record<Role, { email: string; password: string }>;
  /** kill -9 of the whole process group (tsx runs node as a child). */
  kill(): void;
  stop(): Promise<void>;
}

export async function startTestServer(extraEnv: Record<string, string> = {}): Promise<TestServer> {
  const database = `omt_e2e_${randomBytes(4).toString("hex")}`;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const secret = randomBytes(24).toString("hex");
  const env = {
    ...process.env,
    NODE_ENV: "development",
    DEMO: "true",
    DATABASE_URL: `${PG}/${database}`,
    REDIS_PREFIX: database,
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: url,
    SESSION_SECRET: secret,
    LOG_LEVEL: "warn",
    ...extraEnv,
  };
  const child: ChildProcess = spawn(path.join(ROOT, "node_modules/.bin/tsx"), [path.join(ROOT, "server/start.ts")], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 180 s:\n${out}`)), 180_000);
    child.stdout!.on("data", () => {
      if (out.includes("Console servie sur")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${out}`));
    });
  });
  const users = {} as TestServer["users"];
  for (const line of out.split("\n")) {
    const m = /^\s+(admin|coordinator|supervisor|agent)\s+(\S+@demo\.cpts\.fr)\s+(\S+)/.exec(line);
    if (m) users[m[1] as Role] = { email: m[2], password: m[3] };
  }
  return {
    url,
    databaseUrl: env.DATABASE_URL,
    users,
    kill() {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      await dropDatabase(database);
    },
  };
}
