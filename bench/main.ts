/*
 * `npm run bench`: our pages beside their physical floor, measured side by side in one run on
 * this machine (see docs/benchmarks.md for what each row measures and why).
 *
 *   npm run bench                       on PostgreSQL when DATABASE_URL or TEST_DATABASE_URL is
 *                                       set (scratch databases, created and dropped), else PGlite
 *   npm run bench -- --smoke            tiny sizes: every row, in a minute, figures meaningless
 *   options: --duration S --connections N --rounds N --warmup S --forecast-plans N
 *            --refresh-rounds N --write-iterations N --no-pglite-memory --pglite --port-base P
 *   BENCH_CPU_PROF=<dir>                the servers write V8 CPU profiles there (--cpu-prof)
 *   BENCH_CITUS_URL=<coordinator URL>   also the buyer page, buyer edit and team forecast on that
 *                                       Citus cluster (scratch databases on every node), as
 *                                       Citus's time over PostgreSQL's in the same run
 *
 * Builds the server first, prints one table, and (unless --smoke) writes it into
 * docs/benchmarks.md between its markers. Always exits 0 when it could measure: misses are
 * figures, not failures.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { benchOptions } from "./options";
import { markdown, textTable } from "./report";
import { runBench } from "./run";

const START = "<!-- bench:results:start -->";
const END = "<!-- bench:results:end -->";

/** Puts the results between the markers of docs/benchmarks.md, keeping the notes around them. */
function writeResults(file: string, results: string) {
  const block = `${START}\n${results}\n${END}`;
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : `# Benchmarks\n\n${START}\n${END}\n`;
  const from = current.indexOf(START);
  const to = current.indexOf(END);
  const next = from >= 0 && to > from ? current.slice(0, from) + block + current.slice(to + END.length) : `${current.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(file, next);
}

let options;
try {
  options = benchOptions(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
}

options.log("Building the production server (npm run build)…");
execFileSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "build", "--silent"], { stdio: ["ignore", "ignore", "inherit"] });
const results = await runBench(options);
console.log(`\n${textTable(results)}\n`);
if (!options.smoke) {
  writeResults(path.resolve("docs/benchmarks.md"), markdown(results));
  console.log("Written to docs/benchmarks.md.");
}
