import { performance } from "node:perf_hooks";
import { sql, type CompiledQuery, type Kysely, type KyselyPlugin } from "kysely";
import type { DB } from "../db/types";
import { analyzeBulk, seedBulk } from "../db/bulk-seed";
import { todayIn } from "~/domain/dates";
import { forecastPeriods } from "~/domain/forecast-periods";
import { forecastContext, forecastRollup } from "~/models/forecast.server";
import { findLoginAccount } from "~/models/user.server";
import { authenticate, createLucia, startSession } from "~/infra/sessions.server";
import type { AppContext } from "../server/context";
import { ServerChild, type StatementText } from "./children";
import { createScratchDatabase, withDatabase } from "./database";
import { median } from "./load";
import type { BenchOptions } from "./options";
import { importBuild } from "./pages";
import { measureRefresh, type RefreshOrgResult } from "./refresh";

/** One viewer's forecast page in one organisation. */
export interface ForecastView {
  /** "manager" (10 reps) or "director" (10 managers of 10 reps each). */
  who: string;
  /** Active plans in the viewer's team. */
  teamPlans: number;
  /** The team forecast page, GET through our server, median ms. */
  pageMs: number;
  /**
   * The page's statement (rollup and lists in one), captured from its loader and run as is on the
   * server's pool right after each page load, median ms.
   */
  rollupMs: number;
  /** The same statement with the period rollup alone (no lists), median ms. */
  rollupOnlyMs: number;
  /** Every statement of the page's loader, run alone as is (median ms). */
  statements: Array<{ label: string; ms: number }>;
}

/** One viewer's accuracy page: every statement its loader sends, against the page. */
export interface AccuracyView {
  who: string;
  /** Won deals the page measured (closed in its default window, the last four fiscal quarters). */
  closedDeals: number;
  /** GET /forecast/accuracy through our server, median ms. */
  pageMs: number;
  /** All the loader's statements, run one after another as is on the server's pool after each load, median of their sum. */
  statementsMs: number;
  statements: Array<{ label: string; ms: number }>;
}

export interface ForecastOrgResult {
  plans: number;
  milestones: number;
  reps: number;
  managers: number;
  directors: number;
  seedSeconds: number;
  views: ForecastView[];
  accuracy: AccuracyView[];
  /** The daily re-projection of the whole organisation, measured last (it moves the stored schedules). */
  refresh: RefreshOrgResult | { error: string };
}

function labelOf(sqlText: string): string {
  if (/grouping sets/i.test(sqlText)) return "page (rollup and lists)";
  if (/plan_date_history/.test(sqlText)) return "closed deals with their date histories";
  if (/from "organisations"/.test(sqlText)) return "organisation";
  return sqlText.replace(/\s+/g, " ").slice(0, 40);
}

export interface ForecastResult {
  small: ForecastOrgResult;
  large: ForecastOrgResult;
  /** The measured view for the first row: the director's team page in the large organisation. */
  headline: ForecastView;
  /** headline page / its statement. */
  pageVsRollup: number;
  /** large page / small page for the same manager's team size: an organisation 10× larger. */
  scaling: number;
  /** The director's accuracy page in the large organisation, and its page / its statements. */
  accuracyHeadline: AccuracyView;
  accuracyVsStatements: number;
  /** The manager's accuracy page, large organisation / small. */
  accuracyScaling: number;
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

/**
 * One organisation of `plans` plans (the bulk seed: ~10 milestones each), with reps and managers
 * in proportion so that every manager's team has 10 reps whatever the organisation's size, and
 * `directors` over the managers. Measures the first manager's page and, with directors, the first
 * director's (a team of 10 managers, like the 100,000 plans across 50 reps and 5 managers:
 * 2,000 plans per rep).
 */
export async function measureOrg(plans: number, label: string, directors: number, options: BenchOptions, onCitus = false): Promise<ForecastOrgResult> {
  const reps = Math.max(10, Math.round(plans / 200));
  const managers = Math.max(1, Math.round(reps / 10));
  const scratch = await createScratchDatabase(onCitus ? options.citusUrl : options.postgresUrl, `forecast_${label}`);
  try {
    options.log(`forecast: seeding ${plans.toLocaleString("en-US")} plans (${reps} reps, ${managers} managers, ${directors} directors) on ${scratch.kind}…`);
    const prepared = await withDatabase(scratch, async ({ db, kind }) => {
      const now = new Date();
      const t0 = performance.now();
      const today = todayIn("UTC", now);
      const seeded = await seedBulk(db, { plans, reps, managers, directors, today, now });
      await analyzeBulk(db);
      const seedSeconds = (performance.now() - t0) / 1000;
      const lucia = createLucia(db, { secureCookies: false });
      const build = await importBuild();
      const viewers = [
        { who: "manager", email: seeded.logins.manager },
        ...(seeded.logins.director ? [{ who: "director", email: seeded.logins.director }] : []),
      ];
      const views = [];
      for (const viewer of viewers) {
        const user = await findLoginAccount(db, viewer.email);
        if (!user) throw new Error(`no account for ${viewer.email}`);
        const cookie = (await startSession(lucia, { id: user.id, org_id: user.org_id })).split(";")[0];
        // The page's own loader, once, on an instance that records its statements.
        const statements: CompiledQuery[] = [];
        const { user: sessionUser } = await authenticate(lucia, cookie);
        const context: AppContext = {
          db: capture(db, statements),
          databaseKind: kind,
          lucia,
          user: sessionUser,
          requestId: "bench",
          clientIp: "127.0.0.1",
          now,
          secureCookies: false,
          cspNonce: "",
          devMailbox: false,
        };
        const loaded = (await build.routes["routes/_app.forecast"].module.loader!({
          request: new Request("http://127.0.0.1/forecast"),
          params: {},
          context,
        })) as { rollup?: { all: { total: { plans: number } } } };
        if (!loaded?.rollup) throw new Error("The forecast loader returned no rollup.");
        const page = statements.find((q) => /grouping sets/i.test(q.sql));
        if (!page) throw new Error(`No rollup statement among the forecast page's ${statements.length} statements.`);
        // The same statement with the lists left out: what the period rollup alone costs.
        const rollupOnly = await captureOne(db, (capturing) => forecastRollupOf(capturing, user, now));
        const teamPlans = await activeTeamPlans(db, user.org_id, user.id);
        const text = (q: CompiledQuery): StatementText => ({ sql: q.sql, parameters: q.parameters });
        // The accuracy page's loader, once, the same way: its statements are all it costs the database.
        const accuracyStatements: CompiledQuery[] = [];
        const accuracy = (await build.routes["routes/_app.forecast_.accuracy"].module.loader!({
          request: new Request("http://127.0.0.1/forecast/accuracy"),
          params: {},
          context: { ...context, db: capture(db, accuracyStatements) },
        })) as { deals?: number };
        if (typeof accuracy?.deals !== "number") throw new Error("The accuracy loader returned no deals.");
        views.push({
          who: viewer.who,
          cookie,
          teamPlans,
          pageIndex: statements.indexOf(page),
          rollupOnly: text(rollupOnly),
          statements: statements.map((q) => ({ label: labelOf(q.sql), ...text(q) })),
          closedDeals: accuracy.deals,
          accuracyStatements: accuracyStatements.map((q) => ({ label: labelOf(q.sql), ...text(q) })),
        });
      }
      return { seeded, seedSeconds, views, today };
    });

    let measured: Omit<ForecastOrgResult, "refresh">;
    const server = await ServerChild.start("server-child.ts", options.portBase + 6, scratch.env);
    try {
      const views: ForecastView[] = [];
      const accuracy: AccuracyView[] = [];
      for (const view of prepared.views) {
        // Side by side: each page load (through our server, without Accept-Encoding like the page
        // rows: the server's work, not zlib's) is followed by the page's statements run directly
        // on the server's own pool, so both see the machine as it is at that moment. Timed minutes
        // apart on this shared machine, the same statement varied by a third.
        const loadPage = async (path = "/forecast") => {
          const t0 = performance.now();
          const response = await fetch(`${server.origin}${path}`, { headers: { cookie: view.cookie, "accept-encoding": "identity" } });
          const body = await response.text();
          if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${body.slice(0, 200)}`);
          return performance.now() - t0;
        };
        // The loader's statements (the page's is among them), then the rollup alone: each runs once.
        const raw = [...view.statements, view.rollupOnly];
        const pageTimes: number[] = [];
        const rawTimes: number[][] = raw.map(() => []);
        for (let i = 0; i < 3 + options.forecastSamples; i++) {
          const pageMs = await loadPage();
          const ms = await server.timeStatements(raw);
          if (i < 3) continue;
          pageTimes.push(pageMs);
          ms.forEach((t, j) => rawTimes[j].push(t));
        }
        views.push({
          who: view.who,
          teamPlans: view.teamPlans,
          pageMs: median(pageTimes),
          rollupMs: median(rawTimes[view.pageIndex]),
          rollupOnlyMs: median(rawTimes[view.statements.length]),
          statements: view.statements.map((q, j) => ({ label: q.label, ms: median(rawTimes[j]) })),
        });

        // The accuracy page the same way: each load, then all its loader's statements one after another.
        const accuracyPageTimes: number[] = [];
        const accuracySums: number[] = [];
        const accuracyTimes: number[][] = view.accuracyStatements.map(() => []);
        for (let i = 0; i < 3 + options.forecastSamples; i++) {
          const pageMs = await loadPage("/forecast/accuracy");
          const ms = await server.timeStatements(view.accuracyStatements);
          if (i < 3) continue;
          accuracyPageTimes.push(pageMs);
          accuracySums.push(ms.reduce((a, b) => a + b, 0));
          ms.forEach((t, j) => accuracyTimes[j].push(t));
        }
        accuracy.push({
          who: view.who,
          closedDeals: view.closedDeals,
          pageMs: median(accuracyPageTimes),
          statementsMs: median(accuracySums),
          statements: view.accuracyStatements.map((q, j) => ({ label: q.label, ms: median(accuracyTimes[j]) })),
        });
      }
      measured = { plans, milestones: prepared.seeded.milestones, reps, managers, directors, seedSeconds: prepared.seedSeconds, views, accuracy };
    } finally {
      await server.stop();
    }
    // After the pages, in a process of its own on the same database: the refresher changes what they read.
    let refresh: ForecastOrgResult["refresh"];
    try {
      options.log(`refresh: ${options.refreshRounds} day(s) of re-projection of ${plans.toLocaleString("en-US")} plans on ${scratch.kind}…`);
      refresh = await measureRefresh(scratch, { orgId: prepared.seeded.orgId, computedOn: prepared.today, rounds: options.refreshRounds }, options);
    } catch (error) {
      options.log(`refresh: ${error instanceof Error ? error.stack : String(error)}`);
      refresh = { error: error instanceof Error ? error.message.split("\n")[0] : String(error) };
    }
    return { ...measured, refresh };
  } finally {
    await scratch.drop();
  }
}

/** The rollup-only statement for a viewer, as the API's forecast sends it (forecastRollup). */
async function forecastRollupOf(db: Kysely<DB>, user: { id: string; org_id: string; name: string; role: "rep" | "manager" | "admin" }, now: Date) {
  const ctx = await forecastContext(db, { id: user.id, orgId: user.org_id, name: user.name, role: user.role }, null, now);
  if (!ctx.ok) throw new Error(ctx.message);
  await forecastRollup(db, ctx.scope, forecastPeriods(ctx.today, ctx.fiscalYearStartMonth));
}

/** Runs `run` on a capturing instance and returns its last statement. */
async function captureOne(db: Kysely<DB>, run: (capturing: Kysely<DB>) => Promise<unknown>): Promise<CompiledQuery> {
  const into: CompiledQuery[] = [];
  await run(capture(db, into));
  const last = into[into.length - 1];
  if (!last) throw new Error("Nothing was captured.");
  return last;
}

/** Active plans owned by a manager and everyone under them (the page's scope), for the report. */
// Filtered by the organisation at every step: Citus runs a recursive CTE only when it names the distribution column.
async function activeTeamPlans(db: Kysely<DB>, orgId: string, managerId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    with recursive team(id) as (select ${managerId}::uuid union select u.id from users u join team t on u.manager_id = t.id where u.org_id = ${orgId})
    select count(*)::int as n from plans where org_id = ${orgId} and status = 'active' and owner_id in (select id from team)`.execute(db);
  return rows[0]?.n ?? 0;
}

export async function runForecastPhase(options: BenchOptions): Promise<ForecastResult> {
  const small = await measureOrg(Math.max(1, Math.round(options.forecastPlans / 10)), "small", 0, options);
  const large = await measureOrg(options.forecastPlans, "large", 5, options);
  const manager = (o: ForecastOrgResult) => o.views.find((v) => v.who === "manager")!;
  const headline = large.views.find((v) => v.who === "director") ?? manager(large);
  const accuracyManager = (o: ForecastOrgResult) => o.accuracy.find((v) => v.who === "manager")!;
  const accuracyHeadline = large.accuracy.find((v) => v.who === "director") ?? accuracyManager(large);
  return {
    small,
    large,
    headline,
    pageVsRollup: headline.pageMs / headline.rollupMs,
    scaling: manager(large).pageMs / manager(small).pageMs,
    accuracyHeadline,
    accuracyVsStatements: accuracyHeadline.pageMs / accuracyHeadline.statementsMs,
    accuracyScaling: accuracyManager(large).pageMs / accuracyManager(small).pageMs,
  };
}
