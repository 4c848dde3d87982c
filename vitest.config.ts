import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "~": path.resolve(__dirname, "app") } },
  test: {
    include: ["app/**/*.test.ts", "db/**/*.test.ts", "server/**/*.test.ts", "tests/integration/**/*.test.ts", "scripts/**/*.test.ts", "bench/**/*.test.ts"],
    environment: "node",
    setupFiles: ["tests/support/vitest-setup.ts"],
    // Timeouts only catch a hang; they are not speed checks (those live in `npm run bench`). The
    // authorization matrix (850 requests) took over 30 s on a loaded two-core machine.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // PGlite instances are heavy (~700 MB each); keep file-level parallelism modest on 2 cores.
    maxWorkers: 2,
  },
});
