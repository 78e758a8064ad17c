// The fault suite (`npm run test:faults`): its own PostgreSQL cluster and Redis (globalSetup),
// the product's real processes, one fault per file, files one after the other (they stop shared services).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/faults/**/*.fault.test.ts"],
    globalSetup: ["test/faults/globalSetup.ts"],
    setupFiles: ["test/faults/perFile.ts"],
    fileParallelism: false,
    pool: "forks",
    testTimeout: 300_000,
    hookTimeout: 240_000,
  },
});
