import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { todayIn } from "~/domain/dates";
import { addCalendarDays as addDays, dayBefore } from "~/domain/calendar";
import { fiscalQuarterAt, fiscalQuarterIndex } from "~/domain/fiscal-quarters";
import { forecastPeriods, type ForecastPeriods } from "~/domain/forecast-periods";
import { countPushes } from "~/domain/forecast-pushes";
import { quietCutoff } from "~/domain/forecast-risk";
import { assembleRollup } from "~/domain/forecast-rollup";
import { forecastContext, forecastDateHistory, forecastPage, forecastRollup } from "~/models/forecast.server";
import { recountForecastFacts } from "~/models/forecast-facts.server";
import { createOrganisation } from "~/models/organisation.server";
import { createUser } from "~/models/user.server";
import { hashPassword } from "~/infra/password.server";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";
import { expectAppRuntime, expectHtmlAlone } from "../support/page-runtime";

/*
 * A small organisation built by hand (fiscal year from April), with every total below worked out
 * from the plan list, not from the code under test. Dates are laid relative to today's fiscal
 * quarter, because the server reads the real clock.
 *
 * Maya's team (transitively): Maya, Sam, Priya, Omar (a manager under Maya) and Omar's rep Lee.
 *   Alpha    Sam    USD 100,000  this quarter (this month)  customer-confirmed  on track   rep date 10 days earlier
 *   Bravo    Sam    USD  50,000  this quarter (this month)  seller-proposed     slipping   one push
 *   Charlie  Priya  USD  30,000  next quarter               seller-proposed     on track   (formula-like name)
 *   Delta    Lee    USD  70,000  next quarter               customer-confirmed  slipping   two pushes
 *   Echo     Priya  EUR  40,000  this quarter (this month)  seller-proposed     on track
 *   Foxtrot  Sam    USD   5,000  before this quarter        seller-proposed     on track   rep date 45 days earlier
 *   Golf     Lee    USD   8,000  after next quarter         seller-proposed     on track   buyer quiet 20 days; one push in 2090
 *   Hotel    Sam    USD  12,000  no close date             seller-proposed     on track   one overdue buyer milestone
 *   Juliet   Maya   USD   1,000  this quarter (this month)  seller-proposed     on track
 *   India (won), Kappa (lost), Papa (paused): never in the forecast.
 * Other teams: Kilo (Rita's team, USD 200,000, this quarter, confirmed), Lima (Ned, no manager,
 * USD 300,000, next quarter). Another organisation: Zulu.
 */

const PASSWORD = "a-long-password";
const START_MONTH = 4;

/** The export's columns, written out: a consumer's import breaks when they change, so the test must too. */
const CSV_COLUMNS = [
  "plan_id",
  "buyer_company",
  "plan_title",
  "rep",
  "status",
  "value",
  "currency",
  "forecast_close_date",
  "period",
  "go_live",
  "go_live_provenance",
  "go_live_set_by",
  "go_live_confirmed_by",
  "go_live_confirmed_at",
  "projected_go_live",
  "slip_days",
  "on_track_or_slipping",
  "crm_close_date",
  "rep_date_earlier_by_days",
  "quarter_pushes",
  "pushed_2_or_more_times",
  "at_risk",
  "at_risk_reasons",
  "overdue_buyer_milestones",
  "milestones_done",
  "milestones_total",
  "last_buyer_activity_at",
  "plan_path",
];

/**
 * The fiscal quarter a day falls in when the year starts in April, worked out here from the rule
 * (fiscal year N runs from April of N − 1 to March of N) rather than with the code under test.
 */
function aprilFiscalQuarter(iso: string): string {
  const [year, month] = iso.split("-").map(Number);
  return `FY${month >= START_MONTH ? year + 1 : year} Q${Math.floor(((month - START_MONTH + 12) % 12) / 3) + 1}`;
}

describe.each(testDatabaseTargets())("the manager forecast on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let today: string;
  let periods: ForecastPeriods;
  let dates: { thisMonth: string; next: string; earlier: string; later: string; lastOfThis: string };
  const ids: Record<string, string> = {};
  const clients: Record<string, TestClient> = {};

  beforeAll(async () => {
    database = await target.open();
    const db = database.db;
    const now = new Date();
    today = todayIn("UTC", now);
    periods = forecastPeriods(today, START_MONTH);
    dates = {
      thisMonth: periods.months[0].start!, // the first day of this month: in this quarter
      next: periods.nextQuarter.start!,
      earlier: dayBefore(periods.thisQuarter.start!),
      later: periods.nextQuarter.end!,
      lastOfThis: dayBefore(periods.thisQuarter.end!),
    };

    const passwordHash = await hashPassword(PASSWORD);
    const org = await createOrganisation(db, { name: "Forecast Test Co", fiscalYearStartMonth: START_MONTH });
    const other = await createOrganisation(db, { name: "Other Co", fiscalYearStartMonth: START_MONTH });
    ids.org = org.id;
    const user = async (key: string, name: string, role: "rep" | "manager" | "admin", managerKey?: string, orgId = org.id) => {
      const u = await createUser(db, { orgId, email: `${key}@forecast.example`, name, role, managerId: managerKey ? ids[managerKey] : null, passwordHash });
      ids[key] = u.id;
    };
    await user("admin", "Alex Admin", "admin");
    await user("maya", "Maya Chen", "manager");
    await user("sam", "Sam Okafor", "rep", "maya");
    await user("priya", "Priya Raman", "rep", "maya");
    await user("omar", "Omar Haddad", "manager", "maya");
    await user("lee", "Lee Park", "rep", "omar");
    await user("rita", "Rita Stone", "manager");
    await user("kim", "Kim Lowe", "rep", "rita");
    await user("ned", "Ned Kay", "rep");
    await user("nora", "Nora Vale", "manager"); // a manager with nobody and nothing
    await user("otheradmin", "Olga Other", "admin", undefined, other.id);

    const recent = new Date(now.getTime() - 86_400_000);
    const plan = async (
      key: string,
      owner: string,
      p: {
        value: number;
        currency?: string;
        close: string | null;
        confirmed?: boolean;
        slip?: number;
        crm?: string | null;
        status?: "active" | "won" | "lost" | "paused";
        activity?: Date | null;
        company?: string;
        orgId?: string;
      },
    ) => {
      const row = await db
        .insertInto("plans")
        .values({
          org_id: p.orgId ?? org.id,
          owner_id: ids[owner],
          buyer_company: p.company ?? key,
          title: `${key} rollout`,
          value: p.value,
          currency: p.currency ?? "USD",
          status: p.status ?? "active",
          go_live: addDays(p.close ?? today, 30),
          go_live_set_by_name: "Someone",
          go_live_confirmed_by_name: p.confirmed ? "Dana Buyer" : null,
          go_live_confirmed_at: p.confirmed ? now : null,
          crm_close_date: p.crm ?? null,
          projected_go_live: addDays(p.close ?? today, 30),
          slip_days: p.slip ?? 0,
          forecast_close_date: p.close,
          schedule_computed_on: today,
          milestones_total: 3,
          milestones_done: 1,
          last_buyer_activity_at: p.activity === undefined ? recent : p.activity,
          // Closed plans carry their close date (migration 026).
          closed_on: p.status === "won" || p.status === "lost" ? today : null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      ids[key] = row.id;
    };
    await plan("Alpha", "sam", { value: 100_000, close: dates.thisMonth, confirmed: true, crm: addDays(dates.thisMonth, -10) });
    await plan("Bravo", "sam", { value: 50_000, close: addDays(dates.thisMonth, 1), slip: 3 });
    await plan("Charlie", "priya", { value: 30_000, close: dates.next, crm: addDays(dates.next, 5), company: `=cmd|' /C calc'!A0, "Charlie" Co` });
    await plan("Delta", "lee", { value: 70_000, close: dates.next, confirmed: true, slip: 2 });
    await plan("Echo", "priya", { value: 40_000, currency: "EUR", close: dates.thisMonth });
    await plan("Foxtrot", "sam", { value: 5_000, close: dates.earlier, crm: addDays(dates.earlier, -45) });
    await plan("Golf", "lee", { value: 8_000, close: dates.later, activity: new Date(now.getTime() - 20 * 86_400_000) });
    await plan("Hotel", "sam", { value: 12_000, close: null });
    await plan("Juliet", "maya", { value: 1_000, close: dates.thisMonth });
    await plan("India", "priya", { value: 999_000, close: dates.thisMonth, status: "won" });
    await plan("Kappa", "sam", { value: 999_000, close: dates.thisMonth, status: "lost", slip: 9 });
    await plan("Papa", "sam", { value: 999_000, close: dates.next, status: "paused", activity: null });
    await plan("Kilo", "kim", { value: 200_000, close: dates.thisMonth, confirmed: true, crm: addDays(dates.thisMonth, -30) });
    await plan("Lima", "ned", { value: 300_000, close: dates.next });
    await plan("Zulu", "otheradmin", { value: 1_000_000, close: dates.thisMonth, orgId: other.id, slip: 5 });

    // Milestones: Hotel has one overdue buyer milestone; an overdue seller one and a done buyer one do not count.
    await db
      .insertInto("milestones")
      .values([
        { org_id: org.id, plan_id: ids.Hotel, title: "Security review", owner_side: "buyer", due_date: addDays(today, -1) },
        { org_id: org.id, plan_id: ids.Hotel, title: "Demo", owner_side: "seller", due_date: addDays(today, -5) },
        { org_id: org.id, plan_id: ids.Hotel, title: "Pricing", owner_side: "buyer", due_date: addDays(today, -5), completed_on: addDays(today, -6) },
        { org_id: org.id, plan_id: ids.Alpha, title: "Legal", owner_side: "buyer", due_date: addDays(today, 10) },
      ])
      .execute();

    // Forecast-date history. Delta: set, pushed, pulled back in, pushed again = 2 pushes.
    const history = (planKey: string, changes: Array<[string | null, string | null]>, field: "forecast_close_date" | "go_live" = "forecast_close_date") =>
      db
        .insertInto("plan_date_history")
        .values(
          changes.map(([oldDate, newDate], k) => ({
            org_id: org.id,
            plan_id: ids[planKey],
            field,
            old_date: oldDate,
            new_date: newDate,
            reason: k === 2 ? 'Budget, moved "again"' : null,
            actor_name: k % 2 ? "Dana Buyer" : "Sam Okafor",
            actor_side: k % 2 ? ("buyer" as const) : ("seller" as const),
            created_at: new Date(now.getTime() - (10 - k) * 86_400_000),
          })),
        )
        .execute();
    await history("Delta", [
      [null, periods.thisQuarter.start],
      [periods.thisQuarter.start, dates.next],
      [dates.next, dates.lastOfThis],
      [dates.lastOfThis, dates.next],
    ]);
    await history("Delta", [["2020-01-01", "2030-01-01"]], "go_live"); // go-live moves are not close-date pushes
    // Alpha: later and earlier within the quarter: no push.
    await history("Alpha", [
      [null, periods.thisQuarter.start],
      [periods.thisQuarter.start, dates.lastOfThis],
      [dates.lastOfThis, dates.thisMonth],
    ]);
    await history("Bravo", [
      [null, dates.earlier],
      [dates.earlier, addDays(dates.thisMonth, 1)],
    ]); // one push
    // Golf: far outside the usual window (2090), so SQL uses the quarter-index formula: one push.
    await history("Golf", [
      [null, "2090-03-15"],
      ["2090-03-15", "2090-05-15"],
      ["2090-05-15", "2090-06-20"],
      ["2090-06-20", dates.later],
    ]);
    // Built around the write path, so the stored forecast facts are counted from the rows above.
    await recountForecastFacts(db, org.id);

    server = await startTestServer(db, database.kind);
    for (const key of ["maya", "sam", "admin", "omar", "nora", "otheradmin"]) {
      clients[key] = new TestClient(server.origin);
      const response = await clients[key].login(`${key}@forecast.example`, PASSWORD);
      expect(response.status).toBe(302);
    }
  });

  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  const viewer = (key: string, role: "rep" | "manager" | "admin", name = key) => ({ id: ids[key], orgId: ids.org, name, role });

  async function rollupFor(key: string, role: "rep" | "manager" | "admin", team: string | null = null) {
    const ctx = await forecastContext(database.db, viewer(key, role), team, new Date());
    if (!ctx.ok) throw new Error(ctx.message);
    return assembleRollup(await forecastRollup(database.db, ctx.scope, periods), periods);
  }

  it("rolls a manager's team up by fiscal quarter, transitively, split by provenance and slip", async () => {
    const r = await rollupFor("maya", "manager");
    expect(r.thisQuarter).toMatchObject({
      total: { plans: 3, value: 151_000 }, // Alpha, Bravo, Juliet
      confirmed: { plans: 1, value: 100_000 },
      proposed: { plans: 2, value: 51_000 },
      onTrack: { plans: 2, value: 101_000 },
      slipping: { plans: 1, value: 50_000 },
    });
    expect(r.nextQuarter).toMatchObject({
      total: { plans: 2, value: 100_000 }, // Charlie, Delta (Lee reports to Omar, who reports to Maya)
      confirmed: { plans: 1, value: 70_000 },
      proposed: { plans: 1, value: 30_000 },
      onTrack: { plans: 1, value: 30_000 },
      slipping: { plans: 1, value: 70_000 },
    });
    expect(r.earlier.total).toEqual({ plans: 1, value: 5_000 });
    expect(r.later.total).toEqual({ plans: 1, value: 8_000 });
    expect(r.none.total).toEqual({ plans: 1, value: 12_000 });
    expect(r.all).toMatchObject({ total: { plans: 8, value: 276_000 }, confirmed: { plans: 2, value: 170_000 }, slipping: { plans: 2, value: 120_000 } });
    expect(r.others).toEqual([{ currency: "EUR", total: { plans: 1, value: 40_000 }, periods: expect.any(Array) }]);
    expect(r.others[0].periods.map((p) => [p.period.key, p.total])).toEqual([
      [periods.thisQuarter.key, { plans: 1, value: 40_000 }],
      [periods.months[0].key, { plans: 1, value: 40_000 }],
    ]);

    // Months: this month holds Alpha, Bravo and Juliet; next quarter's first month Charlie and Delta.
    const byMonth = Object.fromEntries(r.months.map((m) => [m.period.key, m.total]));
    expect(byMonth[periods.months[0].key]).toEqual({ plans: 3, value: 151_000 });
    expect(byMonth[dates.next.slice(0, 7)]).toEqual({ plans: 2, value: 100_000 });
    const laterMonth = dates.later.slice(0, 7);
    const expectedMonths: Record<string, number> = { [periods.months[0].key]: 3, [dates.next.slice(0, 7)]: 2, [laterMonth]: 1 };
    for (const m of r.months) expect(m.total.plans, m.period.key).toBe(expectedMonths[m.period.key] ?? 0);
  });

  it("scopes the rollup: a sub-manager, a rep, an admin's picks and the organisation", async () => {
    const omar = await rollupFor("omar", "manager");
    expect([omar.thisQuarter.total, omar.nextQuarter.total, omar.later.total]).toEqual([
      { plans: 0, value: 0 },
      { plans: 1, value: 70_000 },
      { plans: 1, value: 8_000 },
    ]);
    const sam = await rollupFor("sam", "rep");
    expect([sam.all.total, sam.thisQuarter.total]).toEqual([
      { plans: 4, value: 167_000 },
      { plans: 2, value: 150_000 },
    ]);
    const org = await rollupFor("admin", "admin");
    expect(org.thisQuarter.total).toEqual({ plans: 4, value: 351_000 }); // + Kilo
    expect(org.nextQuarter.total).toEqual({ plans: 3, value: 400_000 }); // + Lima
    expect(org.all.total).toEqual({ plans: 10, value: 776_000 });
    const rita = await rollupFor("admin", "admin", ids.rita);
    expect(rita.all).toMatchObject({ total: { plans: 1, value: 200_000 }, confirmed: { plans: 1, value: 200_000 } });
    const picked = await rollupFor("admin", "admin", ids.maya);
    expect(picked.all.total).toEqual({ plans: 8, value: 276_000 });
    expect((await rollupFor("nora", "manager")).all.total).toEqual({ plans: 0, value: 0 });
    // A manager's "team" parameter is ignored (with a notice); an admin's unknown team is a 404.
    const ignored = await forecastContext(database.db, viewer("maya", "manager"), ids.rita, new Date());
    expect(ignored).toMatchObject({ ok: true, scope: { kind: "team", managerId: ids.maya }, notice: expect.stringContaining("administrator") });
    for (const bad of [ids.sam, ids.otheradmin, "not-a-uuid", "00000000-0000-4000-8000-000000000000"]) {
      expect(await forecastContext(database.db, viewer("admin", "admin"), bad, new Date())).toMatchObject({ ok: false, status: 404 });
    }
  });

  it("counts quarter pushes in SQL as the domain does, and flags two or more", async () => {
    const ctx = await forecastContext(database.db, viewer("maya", "manager"), null, new Date());
    if (!ctx.ok) throw new Error(ctx.message);
    const page = (options: { minPushes?: number; limit: number }) =>
      forecastPage(database.db, ctx.scope, { periods, quietCutoff: quietCutoff(new Date()), sections: ["pushed"], ...options });
    const all = (await page({ minPushes: 1, limit: 50 })).pushed;
    expect(Object.fromEntries(all.rows.map((r) => [r.buyer_company, r.pushes]))).toEqual({ Delta: 2, Bravo: 1, Golf: 1 });
    const flagged = (await page({ limit: 10 })).pushed;
    expect(flagged).toMatchObject({ total: 1, rows: [{ buyer_company: "Delta", pushes: 2, owner_name: "Lee Park" }] });

    const history = await database.db
      .selectFrom("plan_date_history")
      .select(["plan_id", "old_date as oldDate", "new_date as newDate"])
      .where("org_id", "=", ids.org)
      .where("field", "=", "forecast_close_date")
      .orderBy("created_at")
      .execute();
    for (const key of ["Alpha", "Bravo", "Delta", "Golf"]) {
      const domain = countPushes(
        history.filter((h) => h.plan_id === ids[key]),
        START_MONTH,
      );
      expect(domain, key).toBe(all.rows.find((r) => r.id === ids[key])?.pushes ?? 0);
    }

    // The plan page's history chart gets the close-date changes only, oldest first, in its props' shape.
    const delta = await forecastDateHistory(database.db, ids.org, ids.Delta);
    expect(delta.map((h) => [h.oldDate, h.newDate])).toEqual([
      [null, periods.thisQuarter.start],
      [periods.thisQuarter.start, dates.next],
      [dates.next, dates.lastOfThis],
      [dates.lastOfThis, dates.next],
    ]);
    expect(delta[2]).toMatchObject({
      actorName: "Sam Okafor",
      actorSide: "seller",
      reason: 'Budget, moved "again"',
      at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
    });
    expect(await forecastDateHistory(database.db, ids.org, ids.Zulu)).toEqual([]); // another organisation's plan
  });

  it("lists rep dates earlier than plan dates with the gap, and at-risk plans with counts per reason", async () => {
    const ctx = await forecastContext(database.db, viewer("maya", "manager"), null, new Date());
    if (!ctx.ok) throw new Error(ctx.message);
    const page = (limit: number) => forecastPage(database.db, ctx.scope, { periods, quietCutoff: quietCutoff(new Date()), limit });
    const { repDates: rep, atRisk: risk } = await page(10);
    expect(rep.total).toBe(2);
    expect(rep.rows.map((r) => [r.buyer_company, r.gap_days, r.owner_name])).toEqual([
      ["Foxtrot", 45, "Sam Okafor"],
      ["Alpha", 10, "Sam Okafor"],
    ]);

    expect(risk.counts).toEqual({ total: 4, slipping: 2, overdue: 1, quiet: 1 });
    expect(risk.rows.map((r) => r.buyer_company).sort()).toEqual(["Bravo", "Delta", "Golf", "Hotel"]);
    expect(risk.rows.find((r) => r.buyer_company === "Hotel")?.overdue_buyer_milestones).toBe(1);
    const limited = (await page(2)).atRisk;
    expect(limited.rows.map((r) => r.buyer_company)).toEqual(["Delta", "Bravo"]); // biggest first
    expect(limited.counts.total).toBe(4);
  });

  const names = (html: string) =>
    [...html.matchAll(/href="\/plans\/[0-9a-f-]{36}"[^>]*>([^<]+)</g)]
      .map((m) =>
        m[1]
          .replace(/&quot;/g, '"')
          .replace(/&#x27;/g, "'")
          .replace(/&amp;/g, "&"),
      )
      .sort();

  it("shows the manager's forecast with every number linking to its plans", async () => {
    const response = await clients.maya.get("/forecast");
    expect(response.status).toBe(200);
    const html = (await response.text()).replace(/<!-- -->/g, ""); // React's text separators
    expect(html).toContain("Maya Chen&#x27;s team");
    expect(html).toContain("$151,000");
    expect(html).toContain("$276,000");
    expect(html).toContain("in other currencies");
    expect(html).toContain('role="img"');
    expect(html).toContain("Export CSV");
    expect(html).toContain(`/forecast/plans?period=${periods.thisQuarter.key}&amp;currency=USD`);
    expect(html).toContain(`/forecast/plans?period=${periods.thisQuarter.key}&amp;confirmed=yes&amp;currency=USD`);
    expect(html).toContain(`/forecast/plans?period=all&amp;flag=at_risk`);
    expect(html).toContain(`/forecast/plans?period=all&amp;flag=overdue_buyer`);
    expect(html).toContain(`/forecast/plans?period=all&amp;flag=buyer_quiet`);
    expect(html).toContain("Pushed 2×");
    expect(html).toContain("45 days earlier");
    expect(html).not.toContain("Kilo");
    expect(html).not.toContain("Zulu");
  });

  it("sends the forecast's reports as HTML alone, without React's runtime, while the rep's pages keep it (ADR 050)", async () => {
    for (const path of ["/forecast", `/forecast/plans?period=all`, "/forecast/accuracy"]) {
      const html = await expectHtmlAlone(await clients.maya.get(path), path);
      // The page still works: the sign-out is a plain post, the filters a plain GET.
      expect(html, path).toMatch(/<form method="post" action="\/logout"/);
    }
    await expectAppRuntime(await clients.maya.get("/plans"));
  });

  it("drills down from a number to the plans behind it", async () => {
    const drill = async (client: TestClient, query: string) => {
      const response = await client.get(`/forecast/plans?${query}`);
      expect(response.status, query).toBe(200);
      return names(await response.text());
    };
    const q = periods.thisQuarter.key;
    expect(await drill(clients.maya, `period=${q}&currency=USD`)).toEqual(["Alpha", "Bravo", "Juliet"]);
    expect(await drill(clients.maya, `period=${q}&currency=USD&confirmed=yes`)).toEqual(["Alpha"]);
    expect(await drill(clients.maya, `period=${q}&currency=USD&confirmed=no&slipping=yes`)).toEqual(["Bravo"]);
    expect(await drill(clients.maya, `period=${q}`)).toEqual(["Alpha", "Bravo", "Echo", "Juliet"]);
    expect(await drill(clients.maya, `period=${periods.nextQuarter.key}&slipping=yes`)).toEqual(["Delta"]);
    expect(await drill(clients.maya, `period=${periods.months[0].key}&currency=EUR`)).toEqual(["Echo"]);
    expect(await drill(clients.maya, "period=earlier")).toEqual(["Foxtrot"]);
    expect(await drill(clients.maya, "period=later")).toEqual(["Golf"]);
    expect(await drill(clients.maya, "period=none")).toEqual(["Hotel"]);
    expect(await drill(clients.maya, "period=all&flag=pushed")).toEqual(["Delta"]);
    expect(await drill(clients.maya, "period=all&flag=at_risk")).toEqual(["Bravo", "Delta", "Golf", "Hotel"]);
    expect(await drill(clients.maya, "period=all&flag=rep_earlier")).toEqual(["Alpha", "Foxtrot"]);
    expect(await drill(clients.maya, "period=all&flag=overdue_buyer")).toEqual(["Hotel"]);
    expect(await drill(clients.maya, "period=all&flag=buyer_quiet")).toEqual(["Golf"]);
    expect(await drill(clients.maya, "period=all&slipping=yes")).toEqual(["Bravo", "Delta"]);
    expect(await drill(clients.omar, "period=all")).toEqual(["Delta", "Golf"]);
    expect(await drill(clients.sam, "period=all")).toEqual(["Alpha", "Bravo", "Foxtrot", "Hotel"]);
    expect(await drill(clients.admin, "period=all")).toHaveLength(11);
    expect(await drill(clients.admin, `period=all&team=${ids.rita}`)).toEqual(["Kilo"]);
    expect(await drill(clients.otheradmin, "period=all")).toEqual(["Zulu"]);
    expect(await drill(clients.nora, "period=all")).toEqual([]);

    const ignored = await clients.sam.get(`/forecast/plans?period=all&team=${ids.rita}`);
    const html = await ignored.text();
    expect(names(html)).toEqual(["Alpha", "Bravo", "Foxtrot", "Hotel"]);
    expect(html).toContain("Only an administrator can pick a team");
  });

  it("answers 400 or 404 for bad parameters, never a 500", async () => {
    for (const query of [
      "period=FY2027-Q9",
      "period=2027-13",
      "period=%00",
      "confirmed=maybe",
      "slipping=1",
      "currency=12",
      "flag=everything",
      "flag=__proto__",
    ]) {
      const response = await clients.maya.get(`/forecast/plans?${query}`);
      expect(response.status, query).toBe(400);
      expect(await response.text()).toMatch(/isn(?:'|&#x27;)t one we know|must be/);
    }
    for (const path of ["/forecast", "/forecast/plans", "/forecast.csv"]) {
      for (const team of [ids.sam, ids.otheradmin, "x'; drop table plans; --", "00000000-0000-4000-8000-000000000000"]) {
        const response = await clients.admin.get(`${path}?team=${encodeURIComponent(team)}`);
        expect(response.status, `${path} ${team}`).toBe(404);
      }
    }
    const ok = await clients.admin.get(`/forecast?team=${ids.rita}`);
    expect(ok.status).toBe(200);
    const html = await ok.text();
    expect(html).toContain("Rita Stone&#x27;s team");
    expect(html).toContain(`<option value="${ids.rita}" selected="">`);
    const anonymous = new TestClient(server.origin);
    for (const path of ["/forecast", "/forecast/plans", "/forecast.csv"]) expect((await anonymous.get(path)).status).toBe(302);
  });

  it("narrows a manager's forecast to one rep of the team, in the same statement's scope, and the links and export carry it", async () => {
    const ctx = await forecastContext(database.db, viewer("maya", "manager"), null, new Date(), { rep: ids.lee });
    if (!ctx.ok) throw new Error(ctx.message);
    expect(ctx).toMatchObject({ scope: { kind: "owner", ownerId: ids.lee }, title: "Lee Park's plans", rep: ids.lee, notice: null });
    expect(ctx.reps.map((r) => r.name)).toEqual(["Lee Park", "Maya Chen", "Omar Haddad", "Priya Raman", "Sam Okafor"]);
    const lee = assembleRollup(await forecastRollup(database.db, ctx.scope, periods), periods);
    expect([lee.all.total, lee.nextQuarter.total, lee.later.total]).toEqual([
      { plans: 2, value: 78_000 },
      { plans: 1, value: 70_000 },
      { plans: 1, value: 8_000 },
    ]);
    // Someone outside the team shows the team (never their plans); a rep has nobody to pick.
    const outside = await forecastContext(database.db, viewer("maya", "manager"), null, new Date(), { rep: ids.kim });
    expect(outside).toMatchObject({ ok: true, scope: { kind: "team", managerId: ids.maya }, rep: null, notice: expect.stringContaining("isn't on this team") });
    const ownOnly = await forecastContext(database.db, viewer("sam", "rep"), null, new Date(), { rep: ids.priya });
    expect(ownOnly).toMatchObject({ ok: true, scope: { kind: "owner", ownerId: ids.sam }, reps: [], notice: expect.stringContaining("own plans") });
    const adminPick = await forecastContext(database.db, viewer("admin", "admin"), ids.rita, new Date(), { rep: ids.kim });
    expect(adminPick).toMatchObject({ ok: true, scope: { kind: "owner", ownerId: ids.kim }, team: ids.rita, rep: ids.kim });

    const html = (await (await clients.maya.get(`/forecast?rep=${ids.lee}`)).text()).replace(/<!-- -->/g, "");
    expect(html).toContain("Lee Park&#x27;s plans");
    expect(html).toContain("$78,000");
    expect(html).not.toContain("$276,000");
    expect(html).toContain(`<option value="${ids.lee}" selected="">Lee Park</option>`);
    expect(html).toContain(`href="/forecast.csv?rep=${ids.lee}"`);
    expect(html).toContain(`/forecast/plans?period=${periods.nextQuarter.key}&amp;currency=USD&amp;rep=${ids.lee}`);
    expect(names(await (await clients.maya.get(`/forecast/plans?period=all&rep=${ids.lee}`)).text())).toEqual(["Delta", "Golf"]);
    const csv = await (await clients.maya.get(`/forecast.csv?rep=${ids.lee}`)).text();
    expect(
      csv
        .split("\r\n")
        .filter(Boolean)
        .map((l) => l.split(",")[1])
        .slice(1)
        .sort(),
    ).toEqual(["Delta", "Golf"]);
    // Another team's rep through the address: the team's own forecast, with the notice.
    const kim = await (await clients.maya.get(`/forecast/plans?period=all&rep=${ids.kim}`)).text();
    expect(names(kim)).not.toContain("Kilo");
    expect(kim).toContain("isn&#x27;t on this team");
  });

  it("moves the window of quarters, and the links, drill-downs and export follow it", async () => {
    const from = fiscalQuarterAt(fiscalQuarterIndex(today, START_MONTH) + 2, START_MONTH); // holds Golf (dates.later)
    const moved = forecastPeriods(today, START_MONTH, 6, from.index);
    const r = await (async () => {
      const ctx = await forecastContext(database.db, viewer("maya", "manager"), null, new Date(), { from: from.key });
      if (!ctx.ok) throw new Error(ctx.message);
      expect(ctx.window).toMatchObject({ from: from.key, isCurrent: false, offset: 2 });
      return assembleRollup(await forecastRollup(database.db, ctx.scope, moved), moved);
    })();
    expect(r.thisQuarter.period.key).toBe(from.key);
    expect(r.thisQuarter.total).toEqual({ plans: 1, value: 8_000 }); // Golf
    expect(r.earlier.total).toEqual({ plans: 6, value: 256_000 }); // Alpha, Bravo, Juliet, Charlie, Delta, Foxtrot
    expect(r.later.total).toEqual({ plans: 0, value: 0 });

    const html = (await (await clients.maya.get(`/forecast?from=${from.key}`)).text()).replace(/<!-- -->/g, "");
    expect(html).toContain("2 quarters ahead");
    expect(html).toContain("3 quarters ahead");
    expect(html).not.toContain(">This quarter <");
    expect(html).toContain(`href="/forecast.csv?from=${from.key}"`);
    expect(html).toContain(`Export CSV (${from.label} – ${fiscalQuarterAt(from.index + 1, START_MONTH).label})`);
    expect(html).toContain(`/forecast/plans?period=earlier&amp;currency=USD&amp;from=${from.key}`);
    expect(html).toContain(`href="/forecast?from=${fiscalQuarterAt(from.index - 1, START_MONTH).key}"`); // one quarter back
    expect(html).toContain(`href="/forecast?from=${fiscalQuarterAt(from.index + 1, START_MONTH).key}"`); // one forward
    expect(html).toContain('href="/forecast"'); // back to this quarter
    // "earlier" is before the window's first quarter.
    expect(names(await (await clients.maya.get(`/forecast/plans?period=earlier&currency=USD&from=${from.key}`)).text())).toEqual([
      `=cmd|' /C calc'!A0, "Charlie" Co`,
      "Alpha",
      "Bravo",
      "Delta",
      "Foxtrot",
      "Juliet",
    ]);
    const csv = await clients.maya.get(`/forecast.csv?from=${from.key}`);
    expect(csv.headers.get("content-disposition")).toBe(`attachment; filename="forecast-${today}-from-${from.key}.csv"`);
    expect(
      (await csv.text())
        .split("\r\n")
        .filter(Boolean)
        .map((l) => l.split(",")[1])
        .slice(1),
    ).toEqual(["Golf"]);
    for (const bad of ["FY1999-Q1", "next", fiscalQuarterAt(fiscalQuarterIndex(today, START_MONTH) + 9, START_MONTH).key]) {
      for (const path of ["/forecast", "/forecast/plans", "/forecast.csv"])
        expect((await clients.maya.get(`${path}?from=${bad}`)).status, `${path} ${bad}`).toBe(400);
    }
  });

  it("totals the plans list, every page, per currency", async () => {
    const html = (await (await clients.maya.get("/plans")).text()).replace(/<!-- -->/g, "");
    const totals = html.match(/data-testid="plan-totals"[^>]*>(.*?)<\/p>/)?.[1].replace(/<[^>]+>/g, "");
    expect(totals).toBe("9 active plans · $276,000 in 8 plans, €40,000 in 1 plan");
    const sam = (await (await clients.sam.get("/plans?status=all")).text()).replace(/<!-- -->/g, "");
    expect(sam.match(/data-testid="plan-totals"[^>]*>(.*?)<\/p>/)?.[1].replace(/<[^>]+>/g, "")).toBe("6 plans · $2,165,000 in total");
  });

  it("shows a real empty state for a team with no plans", async () => {
    const html = await (await clients.nora.get("/forecast")).text();
    expect(html).toContain("No active plans to forecast yet");
    const picked = await (await clients.admin.get(`/forecast?team=${ids.nora}`)).text();
    expect(picked).toContain("This team has no active plans");
  });

  it("exports the forecast as CSV, one escaped row per plan", async () => {
    const response = await clients.maya.get("/forecast.csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="forecast-${today}.csv"`);
    const text = await response.text();
    expect(text.endsWith("\r\n")).toBe(true);
    const lines = text.split("\r\n").slice(0, -1);
    expect(lines[0]).toBe(CSV_COLUMNS.join(","));
    expect(lines).toHaveLength(1 + 9); // Alpha … Juliet, not the won, lost or paused ones
    const rowOf = (company: string) => lines.find((l) => l.includes(`,${company},`))!;
    const col = (line: string, name: string) => line.split(",")[CSV_COLUMNS.indexOf(name)];
    expect(col(rowOf("Alpha"), "rep_date_earlier_by_days")).toBe("10");
    expect(col(rowOf("Alpha"), "go_live_provenance")).toBe("Customer-confirmed");
    expect(col(rowOf("Delta"), "quarter_pushes")).toBe("2");
    expect(col(rowOf("Delta"), "pushed_2_or_more_times")).toBe("yes");
    expect(col(rowOf("Golf"), "quarter_pushes")).toBe("1");
    expect(col(rowOf("Hotel"), "overdue_buyer_milestones")).toBe("1");
    expect(col(rowOf("Hotel"), "period")).toBe("No close date");
    expect(col(rowOf("Bravo"), "on_track_or_slipping")).toBe("slipping");
    // One period column: each plan's own fiscal quarter, also past the page's two quarters.
    expect(col(rowOf("Alpha"), "period")).toBe(aprilFiscalQuarter(today)); // Alpha closes this month
    expect(col(rowOf("Golf"), "period")).toBe(aprilFiscalQuarter(dates.later));
    expect(col(rowOf("Foxtrot"), "period")).toBe(aprilFiscalQuarter(dates.earlier));
    expect(lines[0].split(",").filter((h) => /quarter$|period/.test(h))).toEqual(["period"]);
    // A formula-like name is neutralised and quoted (it holds a comma and quotes).
    expect(text).toContain(`,"'=cmd|' /C calc'!A0, ""Charlie"" Co",`);
    expect(text).not.toContain("Kilo");

    const sam = await (await clients.sam.get("/forecast.csv")).text();
    expect(sam.split("\r\n").filter(Boolean)).toHaveLength(1 + 4);
    const rita = await (await clients.admin.get(`/forecast.csv?team=${ids.rita}`)).text();
    expect(rita.split("\r\n").filter(Boolean)).toHaveLength(1 + 1);
    expect(rita).toContain(",Kilo,");
  });
});
