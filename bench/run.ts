import os from "node:os";
import { databaseVersion } from "./baselines";
import { buildBenchChildren } from "./build";
import { runCitusForecast, runCitusPhase, type CitusResult } from "./citus";
import { createScratchDatabase, withDatabase } from "./database";
import { runForecastPhase, type ForecastResult } from "./forecast";
import type { BenchOptions } from "./options";
import { runLighthousePhase, type LighthouseResult } from "./lighthouse";
import { measurePgliteMemory, runPagePhase } from "./pages";
import { startLoadSampler } from "./noise";
import { describeMachine, type BenchResults } from "./report";
import { runSchedulePhase } from "./schedule";
import { runWritePhase } from "./write-path";

/**
 * Every measure, one after the other so that none competes with another: the pages (ours and the
 * floor under load, statement counts, RSS), the buyer edit, PGlite's RSS, the scheduler, the
 * forecast. Each database is a scratch one, dropped at the end. Needs a fresh server build (the
 * app's); compiles the benchmark's own server processes itself.
 */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
  await buildBenchChildren();
  const startedAt = new Date();
  const sampler = startLoadSampler();
  const scratch = await createScratchDatabase(options.postgresUrl, "pages");
  let pages, write, database;
  let lighthouseResult: LighthouseResult = { error: "not run" };
  let citus: CitusResult | { error: string } | null = null;
  let citusParts: Omit<CitusResult, "forecast"> | null = null;
  const citusUrl = options.citusUrl;
  try {
    database = await withDatabase(
      scratch,
      async ({ db, kind }) => `${kind === "postgres" ? "PostgreSQL" : "PGlite"} (${(await databaseVersion(db)).split(",")[0]})`,
    );
    pages = await runPagePhase(scratch, options);
    write = await runWritePhase(scratch, pages.data, options);
    try {
      lighthouseResult = await runLighthousePhase(scratch, pages.data, options);
    } catch (error) {
      options.log(`lighthouse: ${error instanceof Error ? error.stack : String(error)}`);
      lighthouseResult = { error: error instanceof Error ? error.message.split("\n")[0] : String(error) };
    }
    if (citusUrl) {
      // Beside PostgreSQL, while its page database is still here: the same buyer page, round for round.
      try {
        if (scratch.kind !== "postgres") throw new Error("Citus rows need PostgreSQL to compare with (DATABASE_URL or TEST_DATABASE_URL)");
        citusParts = await runCitusPhase(scratch, pages.data, write, { ...options, citusUrl });
      } catch (error) {
        options.log(`citus: ${error instanceof Error ? error.stack : String(error)}`);
        citus = { error: error instanceof Error ? error.message.split("\n")[0] : String(error) };
      }
    }
  } finally {
    await scratch.drop();
  }
  const machine = describeMachine(database);

  const endOfRuns = pages.rssAfterRuns.length ? Math.max(...pages.rssAfterRuns) : null;
  let pgliteBytes = pages.kind === "pglite" ? endOfRuns : null;
  if (pages.kind === "postgres" && options.pgliteMemory) {
    const memoryScratch = await createScratchDatabase(undefined, "memory");
    try {
      pgliteBytes = await measurePgliteMemory(memoryScratch, options);
    } finally {
      await memoryScratch.drop();
    }
  }

  const schedule = runSchedulePhase(options);

  let forecast: ForecastResult | { error: string } = { error: "skipped (--forecast-plans 0)" };
  if (options.forecastPlans > 0) {
    try {
      forecast = await runForecastPhase(options);
    } catch (error) {
      // The other rows stand on their own: report what stopped this one.
      options.log(`forecast: ${error instanceof Error ? error.stack : String(error)}`);
      forecast = { error: error instanceof Error ? error.message.split("\n")[0] : String(error) };
    }
  }

  if (citusParts) {
    let citusForecast: CitusResult["forecast"] = { error: "the forecast on PostgreSQL was not measured" };
    if (!("error" in forecast)) {
      try {
        citusForecast = await runCitusForecast(forecast, { ...options, citusUrl: citusUrl! });
      } catch (error) {
        options.log(`citus forecast: ${error instanceof Error ? error.stack : String(error)}`);
        citusForecast = { error: error instanceof Error ? error.message.split("\n")[0] : String(error) };
      }
    }
    citus = { ...citusParts, forecast: citusForecast };
  }

  machine.loadEnd = os.loadavg()[0];
  machine.load = sampler.stop();
  return {
    startedAt,
    finishedAt: new Date(),
    smoke: options.smoke,
    machine,
    settings: { connections: options.connections, durationSeconds: options.durationSeconds, rounds: options.rounds, planSizes: options.planSizes },
    pages,
    lighthouse: lighthouseResult,
    write,
    schedule,
    forecast,
    memory: { postgresBytes: pages.kind === "postgres" ? endOfRuns : null, pgliteBytes },
    citus,
  };
}
