/*
 * `npm test`: the whole suite, in the order a failure is cheapest to read: type check, unit and
 * integration tests (PGlite always, PostgreSQL too when TEST_DATABASE_URL or DATABASE_URL is set,
 * Citus when TEST_CITUS_URL names a coordinator), then the browser tests against the built server.
 */
import { spawnSync } from "node:child_process";

const steps: Array<[string, string[]]> = [
  ["Type check", ["npx", "tsc", "--noEmit"]],
  ["Build", ["npm", "run", "build", "--silent"]],
  ["Unit and integration tests", ["npx", "vitest", "run"]],
  ["Browser tests", ["npx", "playwright", "test"]],
];

const databases = ["PGlite"];
if (process.env.TEST_DATABASE_URL || process.env.DATABASE_URL) databases.push("PostgreSQL");
if (process.env.TEST_CITUS_URL) databases.push("Citus");
console.log(`Databases: ${databases.join(", ")} (set TEST_DATABASE_URL and TEST_CITUS_URL to add PostgreSQL and Citus).`);

const results: Array<{ name: string; ok: boolean; seconds: number }> = [];
for (const [name, command] of steps) {
  console.log(`\n=== ${name}: ${command.join(" ")}`);
  const started = Date.now();
  const run = spawnSync(command[0], command.slice(1), { stdio: "inherit", env: process.env });
  const ok = run.status === 0;
  results.push({ name, ok, seconds: (Date.now() - started) / 1000 });
  if (!ok) break;
}

console.log("\n=== Summary");
for (const r of results) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name} (${r.seconds.toFixed(1)} s)`);
const failed = results.filter((r) => !r.ok).length + (steps.length - results.length);
console.log(`steps: ${results.filter((r) => r.ok).length} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
