import { sql, type RawBuilder } from "kysely";
import type { PlanStatus } from "~/domain/plan-outcome";
import { todayIn } from "~/domain/dates";
import type { ISODate } from "~/domain/calendar";
import type { ForecastExportPlan } from "~/domain/forecast-csv";
import type { DrillDown } from "~/domain/forecast-drill-down";
import { bucketBoundaries, type ForecastPeriods, periodOfBucket } from "~/domain/forecast-periods";
import { PUSH_FLAG_THRESHOLD } from "~/domain/forecast-pushes";
import type { RollupRow } from "~/domain/forecast-rollup";
import { chooseForecastRep, chooseForecastScope } from "~/domain/forecast-scope";
import { type ForecastWindow, parseForecastWindow } from "~/domain/forecast-window";
import { getOrganisation } from "~/models/organisation.server";
import { economicBuyerStateSql } from "~/models/economic-buyer.server";
import type { EconomicBuyerState } from "~/domain/stakeholder-map";
import { teamIdsQuery } from "~/models/user.server";
import type { Conn } from "~/models/conn";

/*
 * The manager forecast's SQL. Everything reads stored results on `plans`: the schedule's (close
 * date, slip) and the forecast facts the write path keeps (quarter pushes, overdue buyer
 * milestones: forecast-facts.server.ts), never recomputing a schedule or walking history per
 * request. The page is one statement (forecastPage), set-based, no query per plan. Scope is
 * inlined as `p.owner_id = any(array(with recursive team …))`, so a manager's page is one round trip.
 * The index behind it is in db/migrations/20261202_006_stored_forecast_facts.ts.
 */

/** Whose plans: the organisation, a manager's team (transitively, the manager included), one owner. */
export type ForecastScope =
  { orgId: string; kind: "org" } | { orgId: string; kind: "team"; managerId: string } | { orgId: string; kind: "owner"; ownerId: string };

/**
 * `and p.owner_id …` for a scope (nothing for the whole organisation). The team is an array built
 * once per statement (`= any(array(…))`), which lets the planner walk the (org_id, owner_id, …)
 * indexes owner by owner: a team's page reads the team's plans, however large the organisation.
 */
export function ownerFilter(scope: ForecastScope): RawBuilder<unknown> {
  if (scope.kind === "owner") return sql`and p.owner_id = ${scope.ownerId}`;
  if (scope.kind === "team") return sql`and p.owner_id = any(array(${teamIdsQuery(scope.orgId, scope.managerId)}))`;
  return sql``;
}

/** A Postgres array literal of ISO dates ('{2026-11-01,2027-02-01}'), for width_bucket. */
const dateArray = (dates: ISODate[]) => `{${dates.join(",")}}`;

const quietSince = sql`coalesce(p.last_buyer_activity_at, p.created_at)`;

// ---------------------------------------------------------------------------------------------
// The page: every section from one pass over the scope's plans
// ---------------------------------------------------------------------------------------------

/** What each list on the forecast page shows of a plan, before its own columns. */
export interface ForecastListedPlan {
  id: string;
  buyer_company: string;
  title: string;
  owner_name: string;
  value: number;
  currency: string;
}

export interface RepDateRow extends ForecastListedPlan {
  crm_close_date: ISODate;
  forecast_close_date: ISODate;
  gap_days: number;
}

export interface PushedRow extends ForecastListedPlan {
  forecast_close_date: ISODate | null;
  pushes: number;
}

export interface AtRiskRow extends ForecastListedPlan {
  forecast_close_date: ISODate | null;
  slip_days: number;
  overdue_buyer_milestones: number;
  last_buyer_activity_at: Date | null;
  created_at: Date;
  /** For plan health (ADR 038), read from the listed plan's row: the scope's pass stays index-only. */
  go_live: ISODate;
  go_live_confirmed_at: Date | null;
  /** The stakeholder map's signal for the listed plan (ADR 036). */
  economic_buyer: EconomicBuyerState;
}

export interface AtRiskCounts {
  total: number;
  slipping: number;
  overdue: number;
  quiet: number;
}

export interface ForecastPage {
  rollup: RollupRow[];
  repDates: { rows: RepDateRow[]; total: number };
  pushed: { rows: PushedRow[]; total: number };
  atRisk: { rows: AtRiskRow[]; counts: AtRiskCounts };
}

type Section = keyof ForecastPage;

export interface ForecastPageOptions {
  periods: ForecastPeriods;
  /** Buyer activity (or, with none, plan creation) at or before this is "quiet" (quietCutoff). */
  quietCutoff: Date;
  /** Rows per list. */
  limit: number;
  /** Pushes from which a deal is listed (PUSH_FLAG_THRESHOLD). */
  minPushes?: number;
  /** The sections to compute; all by default. */
  sections?: readonly Section[];
}

/** A list's top rows with the plan's names (fetched by primary key for those few rows), as json. */
function listWithNames(ranked: RawBuilder<unknown>, orgId: string, columns: RawBuilder<unknown>, order: RawBuilder<unknown>) {
  return sql`(select coalesce(json_agg(row_to_json(x) order by x.rank), '[]'::json) from (
      select t.id, d.buyer_company, d.title, u.name as owner_name, t.value, d.currency, ${columns}, t.total,
             row_number() over (order by ${order}) as rank
      from (${ranked}) t
      join plans d on d.org_id = ${orgId} and d.id = t.id
      join users u on u.org_id = ${orgId} and u.id = t.owner_id
    ) x)`;
}

/**
 * Everything the forecast page shows, in ONE statement: a materialised pass over the scope's active
 * plans (an index-only scan of plans_forecast_scope_idx: the stored schedule results and forecast
 * facts, never a recomputation), then, from it,
 *   rollup     count and value per period, currency, provenance (customer-confirmed or not) and
 *              state (slipping or not); width_bucket places each close date among the domain's
 *              period boundaries, once among the contiguous quarters (earlier | this | next |
 *              later) and once among the months, and GROUPING SETS totals both; no close date is
 *              the "none" bucket
 *   repDates   plans whose rep's CRM close date is earlier than the plan's, widest gap first
 *   pushed     plans whose close date was pushed into a later quarter `minPushes` times or more
 *   atRisk     plans that slip, have overdue buyer milestones, or whose buyer is quiet, most
 *              reasons first, with counts per reason
 * Lists are the top `limit` (biggest deals first on ties) with their totals.
 */
export async function forecastPage(db: Conn, scope: ForecastScope, options: ForecastPageOptions): Promise<ForecastPage> {
  const { periods, limit } = options;
  const wanted = new Set<Section>(options.sections ?? ["rollup", "repDates", "pushed", "atRisk"]);
  const partition = [periods.earlier, periods.thisQuarter, periods.nextQuarter, periods.later];
  const months = periods.months;
  const monthBounds = months.length ? bucketBoundaries(months) : [periods.thisQuarter.start!];
  const none = sql`null::json`;

  const rollup = sql`(select coalesce(json_agg(r), '[]'::json) from (
      select grouping(b.part)::int as by_month, b.part, b.month, b.currency, b.confirmed, b.slipping,
             count(*)::int as plans, coalesce(sum(b.value), 0)::bigint as value
      from (
        select s.currency, s.value, s.confirmed, (s.slip_days > 0) as slipping,
               coalesce(width_bucket(s.forecast_close_date, ${dateArray(bucketBoundaries(partition))}::date[]), -1) as part,
               width_bucket(s.forecast_close_date, ${dateArray(monthBounds)}::date[]) as month
        from scoped s
      ) b
      group by grouping sets ((b.part, b.currency, b.confirmed, b.slipping), (b.month, b.currency, b.confirmed, b.slipping))
    ) r)`;

  const repDates = listWithNames(
    sql`select s.id, s.owner_id, s.value, s.crm_close_date, s.forecast_close_date,
               (s.forecast_close_date - s.crm_close_date) as gap_days, (count(*) over ())::int as total
        from scoped s where s.crm_close_date < s.forecast_close_date
        order by gap_days desc, s.value desc, s.id limit ${limit}`,
    scope.orgId,
    sql`t.crm_close_date, t.forecast_close_date, t.gap_days`,
    sql`t.gap_days desc, t.value desc, t.id`,
  );

  const pushed = listWithNames(
    sql`select s.id, s.owner_id, s.value, s.forecast_close_date, s.pushes, (count(*) over ())::int as total
        from scoped s where s.pushes >= ${options.minPushes ?? PUSH_FLAG_THRESHOLD}
        order by s.pushes desc, s.value desc, s.id limit ${limit}`,
    scope.orgId,
    sql`t.forecast_close_date, t.pushes`,
    sql`t.pushes desc, t.value desc, t.id`,
  );

  const atRisk = listWithNames(
    sql`select r.*, (r.is_slipping::int + r.is_overdue::int + r.is_quiet::int) as reasons,
               (count(*) over ())::int as total,
               (count(*) filter (where r.is_slipping) over ())::int as slipping_total,
               (count(*) filter (where r.is_overdue) over ())::int as overdue_total,
               (count(*) filter (where r.is_quiet) over ())::int as quiet_total
        from (
          select s.*, (s.slip_days > 0) as is_slipping, (s.overdue_buyer_milestones > 0) as is_overdue, s.quiet as is_quiet
          from scoped s where s.slip_days > 0 or s.overdue_buyer_milestones > 0 or s.quiet
        ) r
        order by reasons desc, r.value desc, r.id limit ${limit}`,
    scope.orgId,
    sql`t.forecast_close_date, t.slip_days, t.overdue_buyer_milestones, t.last_buyer_activity_at, t.created_at,
        t.slipping_total, t.overdue_total, t.quiet_total, d.go_live, d.go_live_confirmed_at,
        ${economicBuyerStateSql(scope.orgId, sql`t.id`)} as economic_buyer`,
    sql`t.reasons desc, t.value desc, t.id`,
  );

  const result = await sql<{
    rollup: RawRollupRow[] | null;
    rep_dates: Array<RepDateRow & { total: number }> | null;
    pushed: Array<PushedRow & { total: number }> | null;
    at_risk: RawAtRiskRow[] | null;
  }>`
    with scoped as materialized (
      select p.id, p.owner_id, p.value, p.currency, p.forecast_close_date, p.crm_close_date, p.slip_days,
             (p.go_live_confirmed_at is not null) as confirmed, p.close_date_pushes as pushes, p.overdue_buyer_milestones,
             p.last_buyer_activity_at, p.created_at, (${quietSince} <= ${options.quietCutoff}::timestamptz) as quiet
      from plans p
      where p.org_id = ${scope.orgId} and p.status = 'active' ${ownerFilter(scope)}
    )
    select ${wanted.has("rollup") ? rollup : none} as rollup, ${wanted.has("repDates") ? repDates : none} as rep_dates,
           ${wanted.has("pushed") ? pushed : none} as pushed, ${wanted.has("atRisk") ? atRisk : none} as at_risk`.execute(db);
  const row = result.rows[0];

  const rollupRows: RollupRow[] = [];
  for (const r of row.rollup ?? []) {
    const period = r.by_month === 1 ? periodOfBucket(months, r.month) : r.part === -1 ? periods.none : periodOfBucket(partition, r.part);
    if (period)
      rollupRows.push({ period: period.key, currency: r.currency, confirmed: r.confirmed, slipping: r.slipping, plans: r.plans, value: Number(r.value) });
  }
  const list = <T extends { total: number }>(rows: T[] | null) => {
    const all = rows ?? [];
    return { rows: all.map(({ total: _total, rank: _rank, ...rest }: T & { rank?: number }) => rest), total: all[0]?.total ?? 0 };
  };
  const risk = row.at_risk ?? [];
  const first = risk[0];
  return {
    rollup: rollupRows,
    repDates: list(row.rep_dates),
    pushed: list(row.pushed),
    atRisk: {
      rows: risk.map(({ total: _t, slipping_total: _s, overdue_total: _o, quiet_total: _q, rank: _r, ...rest }) => ({
        ...rest,
        last_buyer_activity_at: rest.last_buyer_activity_at === null ? null : new Date(rest.last_buyer_activity_at),
        created_at: new Date(rest.created_at),
        go_live_confirmed_at: rest.go_live_confirmed_at === null ? null : new Date(rest.go_live_confirmed_at),
      })),
      counts: { total: first?.total ?? 0, slipping: first?.slipping_total ?? 0, overdue: first?.overdue_total ?? 0, quiet: first?.quiet_total ?? 0 },
    },
  };
}

interface RawRollupRow {
  by_month: number;
  part: number | null;
  month: number | null;
  currency: string;
  confirmed: boolean;
  slipping: boolean;
  plans: number;
  value: number | string;
}

type RawAtRiskRow = Omit<AtRiskRow, "last_buyer_activity_at" | "created_at" | "go_live_confirmed_at"> & {
  last_buyer_activity_at: string | null;
  created_at: string;
  go_live_confirmed_at: string | null;
  total: number;
  slipping_total: number;
  overdue_total: number;
  quiet_total: number;
  rank: number;
};

/** The period rollup alone (the API's forecast, and the benchmark's reference statement). */
export async function forecastRollup(db: Conn, scope: ForecastScope, periods: ForecastPeriods): Promise<RollupRow[]> {
  return (await forecastPage(db, scope, { periods, quietCutoff: new Date(0), limit: 0, sections: ["rollup"] })).rollup;
}

// ---------------------------------------------------------------------------------------------
// The plans behind a number
// ---------------------------------------------------------------------------------------------

export interface DrillDownRow extends ForecastListedPlan {
  status: PlanStatus;
  go_live: ISODate;
  go_live_set_side: "buyer" | "seller";
  go_live_confirmed_at: Date | null;
  go_live_confirmed_by_name: string | null;
  slip_days: number;
  forecast_close_date: ISODate | null;
  crm_close_date: ISODate | null;
  milestones_done: number;
  milestones_total: number;
  pushes: number;
  /** For plan health (ADR 038). */
  overdue_buyer_milestones: number;
  last_buyer_activity_at: Date | null;
  created_at: Date;
}

function drillDownFilters(d: DrillDown, ctx: { quietCutoff: Date }): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  const { period } = d;
  if (period.kind === "none") parts.push(sql`p.forecast_close_date is null`);
  else if (period.kind !== "all") {
    if (period.start) parts.push(sql`p.forecast_close_date >= ${period.start}::date`);
    if (period.end) parts.push(sql`p.forecast_close_date < ${period.end}::date`);
  }
  if (d.confirmed !== null) parts.push(d.confirmed ? sql`p.go_live_confirmed_at is not null` : sql`p.go_live_confirmed_at is null`);
  if (d.slipping !== null) parts.push(d.slipping ? sql`p.slip_days > 0` : sql`p.slip_days = 0`);
  if (d.currency) parts.push(sql`p.currency = ${d.currency}`);
  if (d.flag === "rep_earlier") parts.push(sql`p.crm_close_date < p.forecast_close_date`);
  // The same stored facts and rules as the page's lists (forecastPage), so a number and the plans behind it agree.
  const quiet = sql`${quietSince} <= ${ctx.quietCutoff}::timestamptz`;
  const overdue = sql`p.overdue_buyer_milestones > 0`;
  if (d.flag === "at_risk") parts.push(sql`(p.slip_days > 0 or ${quiet} or ${overdue})`);
  if (d.flag === "overdue_buyer") parts.push(overdue);
  if (d.flag === "buyer_quiet") parts.push(quiet);
  if (d.flag === "pushed") parts.push(sql`p.close_date_pushes >= ${PUSH_FLAG_THRESHOLD}`);
  return parts.length ? sql`and ${sql.join(parts, sql` and `)}` : sql``;
}

/**
 * The active plans behind one number of the forecast (soonest close first, at most `limit`), with
 * how many there are and their value per currency.
 */
export async function drillDownPlans(
  db: Conn,
  scope: ForecastScope,
  filter: DrillDown,
  ctx: { quietCutoff: Date; limit: number },
): Promise<{ rows: DrillDownRow[]; totals: Array<{ currency: string; plans: number; value: number }> }> {
  const where = sql`p.org_id = ${scope.orgId} and p.status = 'active' ${ownerFilter(scope)} ${drillDownFilters(filter, ctx)}`;
  const [rows, totals] = await Promise.all([
    sql<DrillDownRow>`
      select p.id, p.buyer_company, p.title, u.name as owner_name, p.value, p.currency, p.status, p.go_live, p.go_live_set_side,
             p.go_live_confirmed_at, p.go_live_confirmed_by_name, p.slip_days, p.forecast_close_date, p.crm_close_date,
             p.milestones_done, p.milestones_total, p.close_date_pushes as pushes,
             p.overdue_buyer_milestones, p.last_buyer_activity_at, p.created_at
      from plans p
      join users u on u.org_id = p.org_id and u.id = p.owner_id
      where ${where}
      order by p.forecast_close_date asc nulls last, p.value desc, p.id
      limit ${ctx.limit}`.execute(db),
    sql<{ currency: string; plans: number; value: number }>`
      select p.currency, count(*)::int as plans, coalesce(sum(p.value), 0)::bigint as value
      from plans p
      where ${where}
      group by p.currency
      order by p.currency`.execute(db),
  ]);
  return { rows: rows.rows, totals: totals.rows };
}

// ---------------------------------------------------------------------------------------------
// The export: one row per active plan with everything above
// ---------------------------------------------------------------------------------------------

/** The scope's active plans; with `closing`, only those whose forecast close date falls in [start, end) (a moved window's quarters). */
export async function forecastExportRows(db: Conn, scope: ForecastScope, closing?: { start: ISODate; end: ISODate }): Promise<ForecastExportPlan[]> {
  const result = await sql<ForecastExportPlan>`
    select p.id, p.buyer_company as "buyerCompany", p.title, u.name as "ownerName", p.status, p.value, p.currency,
           p.go_live as "goLive", p.go_live_set_side as "goLiveSetSide", p.go_live_set_by_name as "goLiveSetByName",
           p.go_live_confirmed_by_name as "goLiveConfirmedByName", p.go_live_confirmed_at as "goLiveConfirmedAt",
           p.projected_go_live as "projectedGoLive", p.slip_days as "slipDays", p.forecast_close_date as "forecastCloseDate",
           p.crm_close_date as "crmCloseDate", p.milestones_done as "milestonesDone", p.milestones_total as "milestonesTotal",
           p.overdue_buyer_milestones as "overdueBuyerMilestones", p.last_buyer_activity_at as "lastBuyerActivityAt",
           p.created_at as "createdAt", p.close_date_pushes as "pushes"
    from plans p
    join users u on u.org_id = p.org_id and u.id = p.owner_id
    where p.org_id = ${scope.orgId} and p.status = 'active' ${ownerFilter(scope)}
      ${closing ? sql`and p.forecast_close_date >= ${closing.start}::date and p.forecast_close_date < ${closing.end}::date` : sql``}
    order by p.forecast_close_date asc nulls last, p.buyer_company, p.id`.execute(db);
  return result.rows;
}

// ---------------------------------------------------------------------------------------------
// Whose forecast: the organisation, the viewer's scope and the team an admin picked
// ---------------------------------------------------------------------------------------------

export type ForecastContext =
  | {
      ok: true;
      scope: ForecastScope;
      /** "Maya Chen's team", "Whole organisation", "Sam Okafor's plans". */
      title: string;
      /** The team id to carry in links (an admin's pick), or null. */
      team: string | null;
      /** The one rep picked (`?rep=`) by a manager or an admin, or null. */
      rep: string | null;
      /** Whom the team's forecast can be narrowed to (empty for a rep). */
      reps: Array<{ id: string; name: string }>;
      /** The quarters shown (`?from=`). */
      window: ForecastWindow;
      notice: string | null;
      managers: Array<{ id: string; name: string }>;
      fiscalYearStartMonth: number;
      today: ISODate;
    }
  | { ok: false; status: 400 | 404; message: string };

/**
 * Reads the organisation (fiscal calendar, time zone), unless the caller has it (a signed-in
 * viewer's comes with the session), and, for an admin, the teams they can pick; then decides the
 * scope with the domain's rule (chooseForecastScope).
 */
export async function forecastContext(
  db: Conn,
  viewer: { id: string; orgId: string; name: string; role: "rep" | "manager" | "admin"; organisation?: { timeZone: string; fiscalYearStartMonth: number } },
  team: string | null,
  now: Date,
  narrow: { rep?: string | null; from?: string | null } = {},
): Promise<ForecastContext> {
  const [org, managers] = await Promise.all([
    viewer.organisation ?? getOrganisation(db, viewer.orgId).then((o) => o && { timeZone: o.time_zone, fiscalYearStartMonth: o.fiscal_year_start_month }),
    viewer.role === "admin" ? listManagers(db, viewer.orgId) : Promise.resolve([]),
  ]);
  if (!org) return { ok: false, status: 404, message: "Your organisation no longer exists." };
  const chosen = chooseForecastScope(viewer, team, managers);
  if (!chosen.ok) return chosen;
  const today = todayIn(org.timeZone, now);
  const window = parseForecastWindow(narrow.from ?? null, today, org.fiscalYearStartMonth);
  if (!window.ok) return { ok: false, status: 400, message: window.message };
  // The people a manager or an admin can narrow to: one small read of the team (not of its plans).
  const reps = chosen.scope.kind === "owner" ? [] : await listScopePeople(db, viewer.orgId, chosen.scope.kind === "team" ? chosen.scope.managerId : null);
  const picked = chooseForecastRep(viewer, chosen.scope, narrow.rep ?? null, reps);
  const choice = picked.scope;
  const notice = chosen.notice ?? picked.notice;
  const orgId = viewer.orgId;
  const scope: ForecastScope =
    choice.kind === "org"
      ? { orgId, kind: "org" }
      : choice.kind === "team"
        ? { orgId, kind: "team", managerId: choice.managerId }
        : { orgId, kind: "owner", ownerId: choice.ownerId };
  return {
    ok: true,
    scope,
    title: choice.title,
    team: chosen.team,
    rep: picked.rep,
    reps,
    window: window.value,
    notice,
    managers,
    fiscalYearStartMonth: org.fiscalYearStartMonth,
    today,
  };
}

/** The organisation's people who can own plans (not admins), or a manager's team (the manager included), by name. */
export async function listScopePeople(db: Conn, orgId: string, managerId: string | null): Promise<Array<{ id: string; name: string }>> {
  const { rows } = managerId
    ? await sql<{
        id: string;
        name: string;
      }>`select u.id, u.name from users u where u.org_id = ${orgId} and u.id = any(array(${teamIdsQuery(orgId, managerId)})) order by u.name, u.id`.execute(db)
    : await sql<{ id: string; name: string }>`select u.id, u.name from users u where u.org_id = ${orgId} and u.role <> 'admin' order by u.name, u.id`.execute(
        db,
      );
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Who can be picked
// ---------------------------------------------------------------------------------------------

/** The organisation's managers: the teams an admin can pick. */
export async function listManagers(db: Conn, orgId: string): Promise<Array<{ id: string; name: string }>> {
  return db.selectFrom("users").select(["id", "name"]).where("org_id", "=", orgId).where("role", "=", "manager").orderBy("name").orderBy("id").execute();
}

/** A plan's forecast-close-date changes, oldest first (for the plan page's history chart). */
export async function forecastDateHistory(db: Conn, orgId: string, planId: string) {
  const rows = await db
    .selectFrom("plan_date_history")
    .select(["created_at", "old_date", "new_date", "actor_name", "actor_side", "reason"])
    .where("org_id", "=", orgId)
    .where("plan_id", "=", planId)
    .where("field", "=", "forecast_close_date")
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    at: new Date(r.created_at).toISOString(),
    oldDate: r.old_date,
    newDate: r.new_date,
    actorName: r.actor_name,
    actorSide: r.actor_side,
    reason: r.reason,
  }));
}
