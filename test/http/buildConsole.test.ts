// `npm start` builds the console when it is missing. The build must leave the environment as it found it:
// every import runs in a process the server forks, which parses the same environment.
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildConsole } from "../../server/buildConsole.ts";
import { parseEnv } from "../../server/env.ts";

describe("building the console at start", () => {
  const saved = process.env.NODE_ENV;
  const outDir = mkdtempSync(path.join(tmpdir(), "omt-console-"));
  afterEach(() => {
    process.env.NODE_ENV = saved;
    rmSync(outDir, { recursive: true, force: true });
  });

  it("leaves NODE_ENV unset when it was (as `npm start` runs), so a forked import still starts", async () => {
    delete process.env.NODE_ENV;
    await buildConsole(outDir);
    expect(existsSync(path.join(outDir, "index.html"))).toBe(true);
    expect(Object.hasOwn(process.env, "NODE_ENV")).toBe(false);
    expect(() => parseEnv({ ...process.env })).not.toThrow();
  });
});
