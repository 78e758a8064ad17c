// The web process: HTTP API, console, socket.io on one port.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "./http/app.ts";
import { closeServices, type Services } from "./http/services.ts";
import { createSocketServer } from "./live/socketServer.ts";
import { createProducerConnection, waitForRedis } from "./redis.ts";
import { logger } from "./logger.ts";
import { loadCommunes } from "./geo/communes.ts";

export async function startWeb({ port, host }: { port: number; host: string }) {
  const redis = createProducerConnection();
  redis.on("error", (err) => logger.warn({ err: err.message }, "redis (web) error"));
  await waitForRedis(redis);
  const app = createApp({ redis });
  const http = createServer(app);
  const live = createSocketServer(http);
  app.set("io", live.io);
  // The communes index (~0.4 s to build, synchronous) is built before the first request rather than by the first
  // patient card, which stalled every request of the process meanwhile.
  loadCommunes();
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, host, resolve);
  });
  const address = http.address() as AddressInfo;
  return {
    port: address.port,
    io: live.io,
    async close() {
      await live.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await closeServices(app.locals.services as Services);
    },
  };
}
