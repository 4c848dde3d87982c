/*
 * The daily re-projection of a large organisation (issue 23 item 4): refreshStaleSchedules over
 * every active plan against the bare SQL that reads the same rows and writes the same columns
 * (bareRefreshBatch), and the refresher's peak memory. Run by the forecast phase on each of its
 * organisations once their pages are measured (the refresh moves their stored schedules), or alone:
 *
 *   npm run bench:refresh -- --plans 10000 [--rounds 3] [--pglite]
 *
 * which seeds a scratch organisation of its own (on DATABASE_URL / TEST_DATABASE_URL when set).
 */
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { analyzeBulk, seedBulk } from "../db/bulk-seed";
import { todayIn } from "~/domain/dates";
import { buildBenchChildren } from "./build";
import { ServerChild } from "./children";
import { createScratchDatabase, withDatabase, type ScratchDatabase } from "./database";
import { roundRatios, type RoundRatio } from "./noise";
import type { RefreshChildReport, RefreshInit, RefreshRound } from "./refresh-child";

export interface RefreshOrgResult {
  rounds: RefreshRound[];
  /** The refresher's time over the bare SQL's, round for round (each pair back to back). */
  ratio: RoundRatio;
  memory: RefreshChildReport["memory"];
}

/** The refresher's batch: what the schedule-refresher job uses (refreshStaleSchedules' default). */
export const REFRESH_BATCH = 200;

/**
 * Runs `rounds` days of re-projection on the scratch database in a process of its own (the
 * database must be closed here: PGlite is one process's), each day the refresher then the bare SQL.
 */
export async function measureRefresh(
  scratch: ScratchDatabase,
  init: Omit<RefreshInit, "batchSize">,
  options: { portBase: number; log: (line: string) => void },
): Promise<RefreshOrgResult> {
  const child = await ServerChild.start("refresh-child.ts", options.portBase + 7, scratch.env);
  try {
    const reply = child.waitFor((m) => m.type === "refresh-report", 3_600_000);
    child.child.send({ type: "refresh", init: { ...init, batchSize: REFRESH_BATCH } satisfies RefreshInit });
    const { report } = (await reply) as { report: RefreshChildReport };
    for (const r of report.rounds) {
      options.log(
        `refresh: ${r.day}: ${r.plans.toLocaleString("en-US")} plans in ${Math.round(r.oursMs)} ms, bare ${Math.round(r.bareMs)} ms ` +
          `(${r.barePlans.toLocaleString("en-US")} plans, ${r.milestonesMoved.toLocaleString("en-US")} milestones moved, ${r.historyRows} history rows)`,
      );
      if (r.barePlans !== r.plans) throw new Error(`The bare SQL claimed ${r.barePlans} plans on ${r.day}, the refresher ${r.plans}.`);
    }
    return {
      rounds: report.rounds,
      ratio: roundRatios(
        report.rounds.map((r) => r.oursMs),
        report.rounds.map((r) => r.bareMs),
      ),
      memory: report.memory,
    };
  } finally {
    await child.stop();
  }
}

async function main(argv: string[]) {
  const arg = (name: string, fallback: number) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  const plans = arg("plans", 10_000);
  const rounds = arg("rounds", 3);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  await buildBenchChildren();
  const adminUrl = argv.includes("--pglite") ? undefined : process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
  const scratch = await createScratchDatabase(adminUrl, "refresh");
  try {
    const now = new Date();
    const today = todayIn("UTC", now);
    log(`refresh: seeding ${plans.toLocaleString("en-US")} plans on ${scratch.kind}…`);
    const t0 = performance.now();
    const seeded = await withDatabase(scratch, async ({ db }) => {
      const result = await seedBulk(db, { plans, reps: Math.max(10, Math.round(plans / 200)), today, now });
      await analyzeBulk(db);
      return result;
    });
    log(`refresh: seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    const result = await measureRefresh(scratch, { orgId: seeded.orgId, computedOn: today, rounds }, { portBase: arg("port-base", 3380), log });
    const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
    console.log(
      `${plans.toLocaleString("en-US")} plans: refresher / bare SQL ${result.ratio.ratio.toFixed(2)}× (rounds ${result.rounds
        .map((r) => `${Math.round(r.oursMs)} / ${Math.round(r.bareMs)} ms`)
        .join(
          ", ",
        )}); heap ${mb(result.memory.startHeap)} → peak ${mb(result.memory.peakHeap)}, kept (after a forced full collection) ${mb(result.memory.liveHeap)} (highest of ${result.memory.fullCollections} readings), RSS ${mb(result.memory.startRss)} → peak ${mb(result.memory.peakRss)}`,
    );
  } finally {
    await scratch.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
