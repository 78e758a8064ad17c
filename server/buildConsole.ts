// The console's bundle, built by `npm start` when it is missing or older than its sources.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const DIST = path.join(root, "client/dist");

/** The built console is missing, or older than a source file of it (after a pull, say). */
export function consoleNeedsBuild(): boolean {
  const built = path.join(DIST, "index.html");
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const sources = ["client/src", "client/index.html", "shared-types", "vite.config.ts"].map((p) => path.join(root, p));
  const newer = (p: string): boolean => {
    const s = statSync(p);
    return s.isDirectory() ? readdirSync(p).some((e) => newer(path.join(p, e))) : s.mtimeMs > builtAt;
  };
  return sources.some((p) => existsSync(p) && newer(p));
}

/**
 * Always the production bundle: Vite follows NODE_ENV, and `npm start` runs in development by default (a
 * development React is twice the size and much slower). NODE_ENV is put back as it was, unset included: the
 * processes this one forks (each import) read it, and `process.env.NODE_ENV = undefined` would give them the
 * string "undefined", which they refuse.
 */
export async function buildConsole(outDir = DIST): Promise<void> {
  const { build } = await import("vite");
  const had = Object.hasOwn(process.env, "NODE_ENV");
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ configFile: path.join(root, "vite.config.ts"), logLevel: "warn", mode: "production", build: { outDir } });
  } finally {
    if (had) process.env.NODE_ENV = nodeEnv;
    else delete process.env.NODE_ENV;
  }
}
