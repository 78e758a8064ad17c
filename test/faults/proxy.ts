// A round-robin TCP proxy in front of the web processes, like the reverse proxy of a national set-up:
// each new connection goes to the next live backend (a refused one is skipped), so when a web process
// dies its clients' reconnections land on another. WebSocket-only clients need no sticky sessions.
import { createServer, connect, type Socket } from "node:net";

export interface Proxy {
  url: string;
  add(port: number): void;
  remove(port: number): void;
  close(): Promise<void>;
}

export async function startProxy(): Promise<Proxy> {
  const backends: number[] = [];
  const open = new Set<Socket>();
  let next = 0;
  const server = createServer((client) => {
    open.add(client);
    client.on("close", () => open.delete(client));
    client.on("error", () => client.destroy());
    client.pause();
    const tryBackend = (left: number) => {
      if (!backends.length || left === 0) return client.destroy();
      const port = backends[next++ % backends.length];
      const upstream = connect(port, "127.0.0.1");
      let connected = false;
      upstream.once("connect", () => {
        connected = true;
        open.add(upstream);
        upstream.on("close", () => {
          open.delete(upstream);
          client.destroy();
        });
        client.on("close", () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.on("error", () => {
        upstream.destroy();
        if (!connected) tryBackend(left - 1);
      });
    };
    tryBackend(backends.length);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    add: (p) => void (backends.includes(p) || backends.push(p)),
    remove: (p) => {
      const i = backends.indexOf(p);
      if (i >= 0) backends.splice(i, 1);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
