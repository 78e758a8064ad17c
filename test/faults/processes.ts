// The product as an operator runs it for a national drive: ROLE=web processes on their own ports,
// ROLE=worker processes, all on the suite's PostgreSQL and Redis, behind a round-robin proxy
// (like the reverse proxy of docker-compose.yml). Each process is `tsx server/start.ts`, in its
// own process group so kill -9 takes tsx and node together.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import type { Role } from "../../shared-types/events.ts";
import { freePort, type ClusterInfo } from "./cluster.ts";
import { startProxy, type Proxy } from "./proxy.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface ProductProcess {
  name: string;
  role: "web" | "worker";
  /** http://127.0.0.1:<port> for a web process */
  url: string;
  port: number;
  child: ChildProcess;
  /** kill -9 of the whole process group */
  kill(): Promise<void>;
  alive(): boolean;
}

export interface Deployment {
  database: string;
  databaseUrl: string;
  redisPrefix: string;
  /** The public address (the proxy): PUBLIC_URL of every web process, so Twilio signatures hold on all. */
  publicUrl: string;
  proxy: Proxy;
  webs: ProductProcess[];
  workers: ProductProcess[];
  users: Record<Role, { email: string; password: string }>;
  secret: string;
  startWeb(name: string): Promise<ProductProcess>;
  startWorker(name: string): Promise<ProductProcess>;
  /** A client on the deployment's database (closed by stop()). */
  db: pg.Pool;
  stop(): Promise<void>;
}

export async function startDeployment(cluster: ClusterInfo, extraEnv: Record<string, string> = {}, o: { webs?: number } = {}): Promise<Deployment> {
  const database = `omt_faults_${randomBytes(4).toString("hex")}`;
  const secret = randomBytes(24).toString("hex");
  const proxy = await startProxy();
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: "development",
    DEMO: "true",
    DATABASE_URL: `${cluster.pgUrl}/${database}`,
    REDIS_URL: cluster.redisUrl,
    REDIS_PREFIX: database,
    HOST: "127.0.0.1",
    PUBLIC_URL: proxy.url,
    SESSION_SECRET: secret,
    LOG_LEVEL: "info",
    ...extraEnv,
  };
  const users = {} as Deployment["users"];
  const all: ProductProcess[] = [];

  async function launch(name: string, role: "web" | "worker"): Promise<ProductProcess> {
    const port = role === "web" ? await freePort() : 0;
    const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), [path.join(ROOT, "server/start.ts")], {
      cwd: ROOT, env: { ...env, ROLE: role, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"], detached: true,
    });
    const log = createWriteStream(path.join(cluster.dir, `${database}-${name}.log`), { flags: "a" });
    let out = "";
    const onData = (d: Buffer) => {
      log.write(d);
      if (out.length < 200_000) out += d;
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    const readyMark = role === "web" ? "Console servie sur" : '"msg":"worker started"';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start in 180 s:\n${out.slice(-4000)}`)), 180_000);
      const check = () => {
        if (out.includes(readyMark)) {
          clearTimeout(timer);
          child.stdout!.off("data", check);
          child.off("exit", onExit);
          resolve();
        }
      };
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${code}):\n${out.slice(-4000)}`));
      };
      child.stdout!.on("data", check);
      child.once("exit", onExit);
    });
    for (const line of out.split("\n")) {
      const m = /^\s+(admin|coordinator|supervisor|agent)\s+(\S+@demo\.cpts\.fr)\s+(\S+)/.exec(line);
      if (m) users[m[1] as Role] = { email: m[2], password: m[3] };
    }
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const p: ProductProcess = {
      name, role, port, url: `http://127.0.0.1:${port}`, child,
      alive: () => child.exitCode === null && child.signalCode === null,
      async kill() {
        if (!p.alive()) return;
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // already gone
        }
        await exited;
        if (role === "web") proxy.remove(port);
      },
    };
    all.push(p);
    if (role === "web") proxy.add(port);
    return p;
  }

  const dep: Deployment = {
    database, databaseUrl: env.DATABASE_URL, redisPrefix: database, publicUrl: proxy.url, proxy, users, secret,
    webs: [], workers: [],
    db: new pg.Pool({ connectionString: env.DATABASE_URL, max: 4 }),
    async startWeb(name) {
      const p = await launch(name, "web");
      dep.webs.push(p);
      return p;
    },
    async startWorker(name) {
      const p = await launch(name, "worker");
      dep.workers.push(p);
      return p;
    },
    async stop() {
      await Promise.all(all.map((p) => p.kill()));
      await dep.db.end().catch(() => {});
      await proxy.close();
      const admin = new pg.Client({ connectionString: `${cluster.pgUrl}/postgres` });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.end();
    },
  };
  dep.db.on("error", () => {}); // PostgreSQL is stopped on purpose in some faults
  // The first web process migrates and seeds (advisory lock); the others start together.
  await dep.startWeb("web-a");
  await Promise.all([...Array.from({ length: (o.webs ?? 2) - 1 }, (_, i) => dep.startWeb(`web-${String.fromCharCode(98 + i)}`)), dep.startWorker("worker-1")]);
  return dep;
}
