import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../server/env.ts";

describe("environment", () => {
  it("has defaults that work on this machine", () => {
    const e = parseEnv({});
    expect(e.DATABASE_URL).toBe("postgresql://postgres@127.0.0.1:5432/orientation_mt");
    expect(e.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(e.PORT).toBe(3000);
    expect(e.PUBLIC_URL).toBe("http://localhost:3000");
    expect(e.DEMO).toBe(true);
  });

  it("stops with one clear line on a bad value", () => {
    expect(() => parseEnv({ PORT: "quatre-vingts", REDIS_URL: "http://x" })).toThrow(EnvError);
    expect(() => parseEnv({ PORT: "quatre-vingts" })).toThrow(/^Configuration invalide — PORT: /);
  });

  it("requires SESSION_SECRET in production and turns the demo off there", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/SESSION_SECRET: obligatoire en production/);
    const e = parseEnv({ NODE_ENV: "production", SESSION_SECRET: "s".repeat(40) });
    expect(e.DEMO).toBe(false);
  });
});
