import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/e2e/**/*.e2e.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    // A loaded machine (CI, or several runs at once) can take more than vitest's default second to show a change.
    expect: { poll: { timeout: 10_000 } },
  },
});
