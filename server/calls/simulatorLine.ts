// A simulated call lives in the process that placed it (its timers): when that process stops or dies, nothing will ever
// ring, answer or end it, and the agent's card said « Ça sonne… » for good. So each process's simulator holds a
// PostgreSQL session advisory lock, its line, for as long as it lives, and names that line in its calls' ids
// (SIM-<line>-<attempt>). PostgreSQL lets go of the lock the moment the process's connection goes (kill -9 included), so
// any process can tell a call whose process is gone (endLostSimulatedCalls) without a registry or heartbeats of its own.
import { randomInt } from "node:crypto";
import pg from "pg";
import { env } from "../env.ts";
import { logger } from "../logger.ts";

/** SQL: the advisory lock space of the simulators' lines (the first key of pg_advisory_lock(int, int)). */
export const SIMULATOR_LINES_SQL = `hashtext('omt:simulator-line')`;

/** The id of a simulated call: the line that carries it, then its attempt. */
export const simulatedCallId = (line: number, attemptId: string) => `SIM-${line}-${attemptId}`;

/** SQL: the line named in the simulated call id `column` (NULL for an id without one). */
export const lineOfCallSql = (column: string) => `substring(${column} from '^SIM-([0-9]+)-')::int`;

/** How soon a line lost with its connection (PostgreSQL restarted, network) is taken again. */
const RETAKE_MS = 1000;

export interface SimulatorLine {
  readonly id: number;
  /** Resolves once the line is held (taken at the first call, then kept while the process lives). */
  hold(): Promise<void>;
  close(): Promise<void>;
}

export function simulatorLine(): SimulatorLine {
  const id = randomInt(1, 2 ** 31 - 1);
  let current: pg.Client | null = null; // the connection holding the line
  let taking: Promise<void> | null = null;
  let retake: NodeJS.Timeout | null = null;
  let closed = false;

  const take = (): Promise<void> => (taking ??= (async () => {
    const client = new pg.Client({ connectionString: env().DATABASE_URL, keepAlive: true });
    client.on("error", (err) => dropped(client, err));
    client.on("end", () => dropped(client));
    try {
      await client.connect();
      // a host that vanishes without closing its connection lets go of its line within a minute, not the system's hours
      await client.query("SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3");
      await client.query(`SELECT pg_advisory_lock(${SIMULATOR_LINES_SQL}, $1)`, [id]);
      current = client;
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    } finally {
      taking = null;
    }
  })());
  // Lost with its connection while the process lives (PostgreSQL restarted, network): taken again at once, and until it is.
  const dropped = (client: pg.Client, err?: Error) => {
    if (client !== current) return;
    current = null;
    if (closed) return;
    logger.warn({ err: err?.message, line: id }, "simulator line lost with its PostgreSQL connection: taking it again");
    const again = () => void take().catch(() => {
      if (!closed) retake = setTimeout(again, RETAKE_MS).unref();
    });
    again();
  };

  return {
    id,
    async hold() {
      if (!current) await take();
    },
    async close() {
      closed = true;
      if (retake) clearTimeout(retake);
      await taking?.catch(() => undefined);
      const client = current;
      current = null;
      await client?.end().catch(() => undefined);
    },
  };
}
