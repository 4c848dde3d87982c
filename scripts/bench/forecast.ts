import { performance } from "node:perf_hooks";
import type { CompiledQuery, Kysely, KyselyPlugin } from "kysely";
import type { DB } from "../../db/types";
import { analyzeBulk, seedBulk } from "../../db/bulk-seed";
import { todayIn } from "../../app/domain/dates";
import { runCompiled } from "../../app/models/bench-baselines.server";
import { findLoginCandidates } from "../../app/models/user.server";
import { authenticate, createLucia, startSession } from "../../app/utils/auth.server";
import type { AppContext } from "../../app/utils/context.server";
import { ServerChild } from "./children";
import { createScratchDatabase, withDatabase } from "./database";
import { median } from "./load";
import type { BenchOptions } from "./options";
import { importBuild } from "./pages";

export interface ForecastOrgResult {
  plans: number;
  milestones: number;
  reps: number;
  managers: number;
  /** Plans in the measured manager's team. */
  teamPlans: number;
  seedSeconds: number;
  /** The team forecast page, GET through our server, median ms. */
  pageMs: number;
  /** The page's rollup statement, captured from its loader and run as is, median ms. */
  rollupMs: number;
  /** Every statement of the page's loader, run alone as is (median ms): where the page's time goes. */
  statements: Array<{ label: string; ms: number }>;
}

function labelOf(sqlText: string): string {
  if (/grouping sets/i.test(sqlText)) return "rollup";
  if (/gap_days/.test(sqlText)) return "rep date earlier";
  if (/pushes/.test(sqlText)) return "pushed deals";
  if (/overdue as/.test(sqlText)) return "at risk";
  if (/from "organisations"/.test(sqlText)) return "organisation";
  return sqlText.replace(/\s+/g, " ").slice(0, 40);
}

export interface ForecastResult {
  small: ForecastOrgResult;
  large: ForecastOrgResult;
  /** large page / large rollup. */
  pageVsRollup: number;
  /** large page / small page: the same team size in an organisation 10× larger. */
  scaling: number;
}

/** Captures the SQL text and parameters of every statement sent through the instance. */
function capture(db: Kysely<DB>, into: CompiledQuery[]): Kysely<DB> {
  const executor = db.getExecutor();
  const plugin: KyselyPlugin = {
    transformQuery: ({ node, queryId }) => {
      into.push(executor.compileQuery(node, queryId));
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  return db.withPlugin(plugin);
}

async function timeMedian(samples: number, warmup: number, run: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < warmup + samples; i++) {
    const t0 = performance.now();
    await run();
    if (i >= warmup) times.push(performance.now() - t0);
  }
  return median(times);
}

/**
 * One organisation of `plans` plans (the bulk seed: ~10 milestones each), with reps and managers
 * in proportion so that every manager's team has 10 reps whatever the organisation's size.
 */
async function measureOrg(plans: number, label: string, options: BenchOptions): Promise<ForecastOrgResult> {
  const reps = Math.max(10, Math.round(plans / 200));
  const managers = Math.max(1, Math.round(reps / 10));
  const scratch = await createScratchDatabase(options.postgresUrl, `forecast_${label}`);
  try {
    options.log(`forecast: seeding ${plans.toLocaleString("en-US")} plans (${reps} reps, ${managers} managers) on ${scratch.kind}…`);
    const prepared = await withDatabase(scratch, async ({ db, kind }) => {
      const now = new Date();
      const t0 = performance.now();
      const seeded = await seedBulk(db, { plans, reps, managers, today: todayIn("UTC", now), now });
      await analyzeBulk(db);
      const seedSeconds = (performance.now() - t0) / 1000;
      const [manager] = await findLoginCandidates(db, seeded.logins.manager);
      const lucia = createLucia(db, { secureCookies: false });
      const cookie = (await startSession(lucia, { id: manager.id, org_id: manager.org_id })).split(";")[0];

      // The page's own loader, once, on an instance that records its statements.
      const statements: CompiledQuery[] = [];
      const { user } = await authenticate(lucia, cookie);
      const context: AppContext = { db: capture(db, statements), databaseKind: kind, lucia, user, requestId: "bench", clientIp: "127.0.0.1", now, secureCookies: false, cspNonce: "" };
      const build = await importBuild();
      const loaded = (await build.routes["routes/_app.forecast"].module.loader!({ request: new Request("http://127.0.0.1/forecast"), params: {}, context })) as { rollup?: unknown };
      if (!loaded?.rollup) throw new Error("The forecast loader returned no rollup.");
      const rollup = statements.find((q) => /grouping sets/i.test(q.sql));
      if (!rollup) throw new Error(`No rollup statement among the forecast page's ${statements.length} statements.`);
      const teamPlans = Math.round(plans / managers);
      const rollupMs = await timeMedian(options.forecastSamples, 3, () => runCompiled(db, rollup));
      const timed: Array<{ label: string; ms: number }> = [];
      for (const statement of statements) timed.push({ label: labelOf(statement.sql), ms: await timeMedian(options.forecastSamples, 2, () => runCompiled(db, statement)) });
      return { seeded, seedSeconds, cookie, rollupMs, teamPlans, statements: timed };
    });

    const server = await ServerChild.start("server-child.ts", options.portBase + 6, scratch.env);
    try {
      const pageMs = await timeMedian(options.forecastSamples, 3, async () => {
        const response = await fetch(`${server.origin}/forecast`, { headers: { cookie: prepared.cookie } });
        const body = await response.text();
        if (response.status !== 200) throw new Error(`GET /forecast answered ${response.status}: ${body.slice(0, 200)}`);
      });
      return {
        plans, milestones: prepared.seeded.milestones, reps, managers, teamPlans: prepared.teamPlans,
        seedSeconds: prepared.seedSeconds, pageMs, rollupMs: prepared.rollupMs, statements: prepared.statements,
      };
    } finally {
      await server.stop();
    }
  } finally {
    await scratch.drop();
  }
}

export async function runForecastPhase(options: BenchOptions): Promise<ForecastResult> {
  const small = await measureOrg(Math.max(1, Math.round(options.forecastPlans / 10)), "small", options);
  const large = await measureOrg(options.forecastPlans, "large", options);
  return { small, large, pageVsRollup: large.pageMs / large.rollupMs, scaling: large.pageMs / small.pageMs };
}
