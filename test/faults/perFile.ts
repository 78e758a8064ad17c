// Each fault file: console.error fails the test (the product's logs go to its processes' pipes).
import { beforeEach, vi } from "vitest";

process.env.NODE_ENV = "test";

beforeEach(() => {
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    throw new Error(`console.error during a test: ${args.map(String).join(" ")}`);
  });
});
