import { defineConfig, devices } from "@playwright/test";

/*
 * Browser tests run against the built server, once on the embedded database and, when a
 * PostgreSQL URL is set, once more on PostgreSQL, and with TEST_CITUS_URL once more on Citus. Debian's
 * Chromium only: no browser downloads.
 */
const postgresUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
// E2E_PORT moves both servers (e.g. to run beside another suite on the same machine).
const basePort = Number(process.env.E2E_PORT ?? 3401);
const citusUrl = process.env.TEST_CITUS_URL;
// E2E_TARGETS=citus (comma-separated names) runs a subset: npm test gives the cluster a step of its own.
const only = process.env.E2E_TARGETS?.split(",").map((name) => name.trim());
const targets = [
  { name: "pglite", port: basePort },
  ...(postgresUrl ? [{ name: "postgres", port: basePort + 1 }] : []),
  ...(citusUrl ? [{ name: "citus", port: basePort + 2 }] : []),
].filter((t) => !only || only.includes(t.name));

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  // Timeouts catch a hang, not slowness (speed is `npm run bench`'s): a buyer walk of a dozen steps
  // took over the 30 s default on a two-core machine running the other suites beside it.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: targets.map((t) => ({
    name: t.name,
    use: { ...devices["Desktop Chrome"], baseURL: `http://127.0.0.1:${t.port}` },
  })),
  webServer: targets.map((t) => ({
    command: `npx tsx scripts/e2e-server.ts ${t.name} ${t.port}`,
    url: `http://127.0.0.1:${t.port}/healthz`,
    reuseExistingServer: false,
    // Seeding the demo plays a year of deals through the write path: each statement crosses to a
    // worker on Citus, so it takes minutes there on a loaded two-core machine.
    timeout: t.name === "citus" ? 600_000 : 120_000,
    stdout: "ignore" as const,
    stderr: "pipe" as const,
  })),
});
