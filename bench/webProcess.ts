// The web process of the "ready → card" part of the dialer bench, forked on its own as production runs it
// (`ROLE=web`): the virtual agents stay in the bench process, so what is timed and the CPU counted are the
// server's alone. `product`: the product's web server (startWeb: HTTP API, socket.io, the web pool), its
// environment from the bench (DATABASE_URL, REDIS_PREFIX, SIMULATOR_SPEED…). `bare`: the baseline, a bare
// express app answering the console's three POSTs with a small JSON. Answers { port } once listening, { statements }
// to "statements", closes on "close".
import express from "express";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";

// Every statement the process sends (Prisma's adapter goes through pg too): the bench asks for the count ("statements").
let statements = 0;
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
  statements += 1;
  return query.apply(this, args);
};

async function startBare() {
  const app = express();
  app.use(express.json());
  app.post("/api/agent/status", (req, res) => { res.json({ status: req.body.status, card: { id: "x" } }); });
  app.post("/api/agent/call", (_req, res) => { res.json({ attemptId: "x" }); });
  app.post("/api/attempts/:id/outcome", (req, res) => { res.json({ id: req.params.id, outcome: req.body.outcome }); });
  const http = createServer(app);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return { port: (http.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => { http.closeAllConnections(); http.close(() => resolve()); }) };
}

async function startProduct() {
  const { startWeb } = await import("../server/web.ts");
  const { closePgPool } = await import("../server/pgPool.ts");
  const { closeDb } = await import("../server/db.ts");
  const web = await startWeb({ port: 0, host: "127.0.0.1" });
  return { port: web.port, async close() { await web.close(); await closePgPool(); await closeDb(); } };
}

const web = process.argv[2] === "bare" ? await startBare() : await startProduct();
process.send!({ port: web.port });
process.on("message", async (m) => {
  if (m === "statements") process.send!({ statements });
  if (m !== "close") return;
  await web.close();
  process.exit(0);
});
