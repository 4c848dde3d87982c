/*
 * `npm run bench:first-load`: the first-load rows alone (bench/lighthouse.ts), on a fresh demo, in
 * about two minutes instead of the whole benchmark's hour: for checking a change to what a page
 * ships before and after. Same options as `npm run bench` (--lighthouse-runs N, --port-base P,
 * --pglite). BENCH_LIGHTHOUSE_DIR=<dir> keeps each audit's full Lighthouse report there (JSON),
 * for the load-independent evidence: bytes and requests, render-blocking resources, the critical
 * request chain, Lantern's simulated timings, and the trace behind each (`*.trace.json`, for DevTools'
 * Performance panel). BENCH_LIGHTHOUSE_PAGES=buyer (or rep, forecast, comma-separated) audits only
 * those pages. Needs a fresh server build (`npm run build`).
 */
import os from "node:os";
import { buildBenchChildren } from "./build";
import { createScratchDatabase, withDatabase } from "./database";
import { runLighthousePhase } from "./lighthouse";
import { benchOptions } from "./options";
import { seedPageBench } from "./seed";

const options = benchOptions(process.argv.slice(2));
await buildBenchChildren();
const scratch = await createScratchDatabase(options.postgresUrl, "first_load");
try {
  const data = await withDatabase(scratch, ({ db }) => seedPageBench(db, [10, 30]));
  options.log(`the demo plan has ${data.demo.milestones} milestones; load average before: ${os.loadavg()[0].toFixed(2)}`);
  const result = await runLighthousePhase(scratch, data, options);
  console.log(JSON.stringify(result, null, 2));
  options.log(`load average after: ${os.loadavg()[0].toFixed(2)}`);
} finally {
  await scratch.drop();
}
