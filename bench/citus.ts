import { unplacedTables } from "../db/citus";
import { ServerChild } from "./children";
import { createScratchDatabase, withDatabase, type ScratchDatabase } from "./database";
import { measureOrg, type ForecastResult } from "./forecast";
import { load, mean, type LoadResult } from "./load";
import { roundRatios, type RoundRatio } from "./noise";
import type { BenchOptions } from "./options";
import { pagePath } from "./page-data";
import { seedPageBench, type PageBenchData } from "./seed";
import { runWritePhase, type WritePathResult } from "./write-path";

/*
 * Issue 20, item 5: the same app on a Citus cluster beside plain PostgreSQL, in the same run on
 * the same machine. Each figure is Citus's time over PostgreSQL's (goal ≤ 1.5×): the buyer page
 * under load (a server on each, alternating rounds), the buyer's edit through the write path, and
 * the director's team forecast in the large organisation.
 */

export interface CitusPageResult {
  postgres: LoadResult[];
  citus: LoadResult[];
  postgresRps: number;
  citusRps: number;
  /** PostgreSQL's requests per second over Citus's, round for round: Citus's time per request, in PostgreSQL's. */
  ratio: RoundRatio;
  postgresP99: number;
  citusP99: number;
  failures: number;
}

export interface CitusResult {
  page: CitusPageResult;
  write: { postgresMs: number; citusMs: number; ratio: number };
  forecast: { plans: number; who: string; postgresMs: number; citusMs: number; ratio: number } | { error: string };
}

/** Every table is placed on the workers: else the rows would time the coordinator alone. */
async function checkDistributed(scratch: ScratchDatabase) {
  await withDatabase(scratch, async ({ db }) => {
    const tables = await unplacedTables(db);
    if (tables.length) throw new Error(`Citus: these tables are not distributed after migrating: ${tables.join(", ")}`);
  });
}

/**
 * Runs while the page phase's PostgreSQL database still exists (`postgres`, seeded as `postgresData`):
 * its buyer page is loaded again beside the same page on Citus, round for round.
 */
export async function runCitusPhase(
  postgres: ScratchDatabase,
  postgresData: PageBenchData,
  postgresWrite: WritePathResult,
  options: BenchOptions & { citusUrl: string },
): Promise<Omit<CitusResult, "forecast">> {
  const { log } = options;
  const citus = await createScratchDatabase(options.citusUrl, "citus_pages");
  try {
    await checkDistributed(citus);
    log(`citus: seeding the demo organisation and plans of ${options.planSizes.join(" and ")} milestones…`);
    const citusData = await withDatabase(citus, (database) => seedPageBench(database.db, options.planSizes));

    log("citus: the buyer page on PostgreSQL and on Citus, alternating…");
    const onPostgres = await ServerChild.start("server-child.ts", options.portBase, postgres.env);
    let page: CitusPageResult;
    try {
      const onCitus = await ServerChild.start("server-child.ts", options.portBase + 7, citus.env);
      try {
        const run = (origin: string, data: PageBenchData, seconds: number) =>
          load(origin + pagePath("buyer", data.demo.planId), {
            connections: options.connections,
            durationSeconds: seconds,
            headers: { cookie: data.demo.buyerCookie },
          });
        // A first request on Citus opens the coordinator's connections to the workers and plans the
        // page's statements: primed on both, whatever the warm-up, so a short run times pages, not that.
        for (const [server, data] of [
          [onPostgres, postgresData],
          [onCitus, citusData],
        ] as const) {
          for (let i = 0; i < 3; i++) {
            const response = await fetch(server.origin + pagePath("buyer", data.demo.planId), { headers: { cookie: data.demo.buyerCookie } });
            const body = await response.text();
            if (response.status !== 200)
              throw new Error(`the buyer page on ${server === onCitus ? "Citus" : "PostgreSQL"} answered ${response.status}: ${body.slice(0, 200)}`);
          }
        }
        if (options.warmupSeconds > 0) {
          await run(onPostgres.origin, postgresData, options.warmupSeconds);
          await run(onCitus.origin, citusData, options.warmupSeconds);
        }
        const pg: LoadResult[] = [];
        const cs: LoadResult[] = [];
        for (let round = 0; round < options.rounds; round++) {
          pg.push(await run(onPostgres.origin, postgresData, options.durationSeconds));
          cs.push(await run(onCitus.origin, citusData, options.durationSeconds));
          log(
            `citus: buyer page round ${round + 1}: PostgreSQL ${pg[round].rps.toFixed(0)} req/s (p99 ${pg[round].p99} ms), Citus ${cs[round].rps.toFixed(0)} req/s (p99 ${cs[round].p99} ms)`,
          );
        }
        const postgresRps = mean(pg.map((r) => r.rps));
        const citusRps = mean(cs.map((r) => r.rps));
        page = {
          postgres: pg,
          citus: cs,
          postgresRps,
          citusRps,
          ratio: roundRatios(
            pg.map((r) => r.rps),
            cs.map((r) => r.rps),
          ),
          postgresP99: Math.max(...pg.map((r) => r.p99)),
          citusP99: Math.max(...cs.map((r) => r.p99)),
          failures: [...pg, ...cs].reduce((sum, r) => sum + r.non2xx + r.errors, 0),
        };
      } finally {
        await onCitus.stop();
      }
    } finally {
      await onPostgres.stop();
    }

    const citusWrite = await runWritePhase(citus, citusData, options);
    return { page, write: { postgresMs: postgresWrite.fullMs, citusMs: citusWrite.fullMs, ratio: citusWrite.fullMs / postgresWrite.fullMs } };
  } finally {
    await citus.drop();
  }
}

/** The large organisation's headline forecast view again on Citus, against PostgreSQL's from the forecast phase. */
export async function runCitusForecast(postgres: ForecastResult, options: BenchOptions & { citusUrl: string }): Promise<CitusResult["forecast"]> {
  const large = await measureOrg(postgres.large.plans, "citus", postgres.large.directors, options, true);
  const view = large.views.find((v) => v.who === postgres.headline.who);
  if (!view) throw new Error(`Citus: no ${postgres.headline.who}'s view was measured.`);
  return { plans: large.plans, who: view.who, postgresMs: postgres.headline.pageMs, citusMs: view.pageMs, ratio: view.pageMs / postgres.headline.pageMs };
}
