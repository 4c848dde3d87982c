/*
 * `npm test`: the whole suite, in the order a failure is cheapest to read: type check, unit and
 * integration tests (PGlite always, PostgreSQL too when TEST_DATABASE_URL or DATABASE_URL is set),
 * the integration tests again on Citus when TEST_CITUS_URL names a coordinator, then the browser
 * tests against the built server (and on Citus, in a step of its own).
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";

const citus = process.env.TEST_CITUS_URL;
// PGlite and PostgreSQL in the main steps; the cluster in steps of its own, so a failure there says
// at once that it is the cluster's, and its slower seeding does not hold up the other servers.
const withoutCitus = { ...process.env, TEST_CITUS_URL: "" };
const citusFiles = fs
  .readdirSync("tests/integration")
  .filter((f) => f.endsWith(".test.ts"))
  .map((f) => `tests/integration/${f}`);
type Step = [string, string[], NodeJS.ProcessEnv];

// Three servers behind HAProxy over PgBouncer (issue 21 item 6), on PostgreSQL. CI installs both
// programs (.ci/run) and so always runs it; elsewhere it is skipped, with a note, when they are missing.
const postgres = Boolean(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL);
const fleetPrograms =
  spawnSync("sh", ["-c", "command -v haproxy && command -v pgbouncer"], {
    env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` },
  }).status === 0;
const fleet = !postgres ? "no PostgreSQL" : fleetPrograms || process.env.CI ? "run" : "no haproxy or pgbouncer (apt-get install -y haproxy pgbouncer)";

const steps: Step[] = [
  ["Type check", ["npx", "tsc", "--noEmit"], process.env],
  ["Build", ["npm", "run", "build", "--silent"], process.env],
  ["Unit and integration tests", ["npx", "vitest", "run"], withoutCitus],
  ...(citus ? [["Integration tests on Citus", ["npx", "vitest", "run", ...citusFiles], { ...process.env, TEST_DATABASES: "citus" }] as Step] : []),
  ["Browser tests", ["npx", "playwright", "test"], withoutCitus],
  ...(fleet === "run" ? [["Fleet test", ["npx", "tsx", "tests/safety/fleet-test.ts"], withoutCitus] as Step] : []),
  ...(citus ? [["Browser tests on Citus", ["npx", "playwright", "test"], { ...process.env, E2E_TARGETS: "citus" }] as Step] : []),
];

const databases = ["PGlite"];
if (process.env.TEST_DATABASE_URL || process.env.DATABASE_URL) databases.push("PostgreSQL");
if (citus) databases.push(`Citus (${citusFiles.length} integration files and the browser tests)`);
console.log(`Databases: ${databases.join(", ")}.`);
if (fleet !== "run") console.log(`Fleet test skipped: ${fleet}.`);

/*
 * CI shows only the end of this output: a failed step's error lines (an assertion's message, what it
 * expected and received, a page error) are repeated at the end, under the summary, so the reason
 * for a red run is on screen and not only the name of what failed.
 */
const errorLine = /(✘|×|\bFAIL\b|Error\b|Expected|Received|Timeout|timed out|page error|console error)/;
// eslint-disable-next-line no-control-regex -- the runners colour their output
const ansiColour = /\x1b\[[0-9;]*m/g;
async function run(command: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(command[0], command.slice(1), { stdio: ["inherit", "pipe", "pipe"], env });
  const errors: string[] = [];
  const forward = (out: NodeJS.WriteStream) => {
    let partial = "";
    return (chunk: Buffer) => {
      out.write(chunk);
      const lines = (partial + chunk.toString("utf8")).split("\n");
      partial = lines.pop() ?? "";
      // The runners print each failure's details at the end of their run: the last lines are kept.
      for (const line of lines.map((l) => l.replace(ansiColour, "").trimEnd())) if (errorLine.test(line)) errors.push(line);
      if (errors.length > 400) errors.splice(0, errors.length - 200);
    };
  };
  child.stdout.on("data", forward(process.stdout));
  child.stderr.on("data", forward(process.stderr));
  const status = await new Promise<number | null>((resolve) => {
    child.on("close", resolve);
    // A command that cannot start (not installed) fails its step, as spawnSync's null status did.
    child.on("error", (error) => (console.error(error.message), resolve(null)));
  });
  return { ok: status === 0, errors };
}

const results: Array<{ name: string; ok: boolean; seconds: number; errors: string[] }> = [];
for (const [name, command, env] of steps) {
  console.log(`\n=== ${name}: ${command.join(" ")}`);
  const started = Date.now();
  const { ok, errors } = await run(command, env);
  results.push({ name, ok, seconds: (Date.now() - started) / 1000, errors });
  if (!ok) break;
}

console.log("\n=== Summary");
for (const r of results) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name} (${r.seconds.toFixed(1)} s)`);
for (const r of results.filter((r) => !r.ok)) {
  const lines = r.errors.map((line) => (line.length > 240 ? `${line.slice(0, 240)}…` : line));
  console.log(`\n${r.name}, the last error lines it printed:`);
  for (const line of lines.slice(-24)) console.log(line);
}
const failed = results.filter((r) => !r.ok).length + (steps.length - results.length);
console.log(`steps: ${results.filter((r) => r.ok).length} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
