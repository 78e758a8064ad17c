// The fault suite's own services: a PostgreSQL cluster (initdb into a temp dir) and a redis-server,
// on free ports, so stopping them never disturbs the machine's shared PostgreSQL and Redis.
// Everything is driven by commands on known paths (pg_ctl, a pid file), so any test worker can
// stop and restart them while the global setup owns their lifetime.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, chmodSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

export interface ClusterInfo {
  dir: string;
  pgPort: number;
  redisPort: number;
  /** postgresql://postgres@127.0.0.1:<port> (append /<database>) */
  pgUrl: string;
  redisUrl: string;
  /** The run's table of injected faults, one JSON object a line. */
  reportFile: string;
}

/**
 * A free port below the ephemeral range (32768+ on Linux). A port picked from that range can be taken,
 * while its server is stopped, by a client's own outgoing connection to it (TCP self-connect: a
 * reconnecting ioredis did exactly that), and the server could not listen there again.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once("error", () => resolve(false));
      s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** initdb refuses to run as root: run PostgreSQL's tools as the `postgres` user then. */
function asPgUser(cmd: string, args: string[]) {
  const root = process.getuid?.() === 0;
  return root ? { cmd: "runuser", args: ["-u", "postgres", "--", cmd, ...args] } : { cmd, args };
}

function run(cmd: string, args: string[]) {
  const c = asPgUser(cmd, args);
  const r = spawnSync(c.cmd, c.args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

export async function createCluster(): Promise<ClusterInfo> {
  const dir = mkdtempSync(path.join(tmpdir(), "omt-faults-"));
  chmodSync(dir, 0o777);
  const [pgPort, redisPort] = [await freePort(), await freePort()];
  run(path.join(PG_BIN, "initdb"), ["-D", path.join(dir, "pg"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
  const info: ClusterInfo = {
    dir, pgPort, redisPort,
    pgUrl: `postgresql://postgres@127.0.0.1:${pgPort}`,
    redisUrl: `redis://127.0.0.1:${redisPort}`,
    reportFile: path.join(dir, "report.jsonl"),
  };
  startPostgres(info);
  startRedis(info);
  return info;
}

/** Starts (or restarts) the cluster's PostgreSQL; waits until it accepts connections. */
export function startPostgres(c: ClusterInfo) {
  // fsync off: no operating-system crash is simulated, only processes stopping (WAL replay still runs).
  const opts = `-p ${c.pgPort} -k ${c.dir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c full_page_writes=off -c shared_buffers=128MB`;
  run(path.join(PG_BIN, "pg_ctl"), ["-D", path.join(c.dir, "pg"), "-o", opts, "-l", path.join(c.dir, "pg.log"), "-w", "-t", "60", "start"]);
}

/** Stops PostgreSQL. "immediate" is a crash: every backend dies at once, recovery replays the WAL at the next start. */
export function stopPostgres(c: ClusterInfo, mode: "fast" | "immediate" = "immediate") {
  run(path.join(PG_BIN, "pg_ctl"), ["-D", path.join(c.dir, "pg"), "-m", mode, "-w", "-t", "60", "stop"]);
}

const redisPidFile = (c: ClusterInfo) => path.join(c.dir, "redis.pid");

/** Starts an empty Redis (no persistence: a restart is a loss of everything). */
export function startRedis(c: ClusterInfo) {
  execFileSync("redis-server", [
    "--port", String(c.redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
    "--daemonize", "yes", "--pidfile", redisPidFile(c), "--logfile", path.join(c.dir, "redis.log"), "--dir", c.dir,
  ]);
  for (let i = 0; i < 100; i++) {
    const ping = spawnSync("redis-cli", ["-p", String(c.redisPort), "ping"], { encoding: "utf8" });
    if (ping.stdout.trim() === "PONG") return;
    if (ping.status !== 0 && /aborting/.test(readFileSync(path.join(c.dir, "redis.log"), "utf8").split("\n").slice(-3).join("\n"))) break;
    spawnSync("sleep", ["0.1"]);
  }
  throw new Error(`redis-server did not start:\n${readFileSync(path.join(c.dir, "redis.log"), "utf8").split("\n").slice(-5).join("\n")}`);
}

/** kill -9 of redis-server: connections drop at once, like a crashed or unplugged Redis. */
export function stopRedis(c: ClusterInfo) {
  const file = redisPidFile(c);
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, "utf8").trim());
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
      spawnSync("sleep", ["0.05"]);
    } catch {
      break;
    }
  }
  rmSync(file, { force: true });
}

export function redisCli(c: ClusterInfo, ...args: string[]): string {
  return execFileSync("redis-cli", ["-p", String(c.redisPort), ...args], { encoding: "utf8" }).trim();
}

export function destroyCluster(c: ClusterInfo) {
  stopRedis(c);
  try {
    stopPostgres(c, "immediate");
  } catch {
    // not running
  }
  if (process.env.FAULTS_KEEP) process.stdout.write(`fault suite files kept in ${c.dir}\n`);
  else rmSync(c.dir, { recursive: true, force: true });
}
