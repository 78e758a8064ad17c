// Live events from a process without socket.io (the worker: the sweeper ends lapsed holds, marks absent agents
// offline): published on the web processes' Redis fan-out, which delivers them to the consoles as if a web process
// had emitted them (socket.io's redis-emitter, on the adapter's own channels).
import { Emitter } from "@socket.io/redis-emitter";
import type { Redis } from "ioredis";
import type { ServerToClient } from "../../shared-types/events.ts";
import { fanOutKey, fanOutPublisher } from "./socketServer.ts";

let connection: Redis | null = null;
let emitter: Emitter<ServerToClient> | null = null;

/** The emitter, once its connection is up (it queues nothing while down: the events of an outage are not sent, the
 * consoles reload their state when they reconnect); waits at most `waitMs` for it. */
export async function liveEmitter(waitMs = 2000): Promise<Emitter<ServerToClient>> {
  if (!emitter) {
    connection = fanOutPublisher("omt-worker-pub");
    emitter = new Emitter<ServerToClient>(connection, { key: fanOutKey() });
  }
  const c = connection!;
  if (c.status !== "ready") {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        c.off("ready", done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      c.once("ready", done);
    });
  }
  return emitter;
}

export function closeLiveEmitter() {
  connection?.disconnect();
  connection = null;
  emitter = null;
}
