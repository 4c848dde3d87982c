import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import type { DB } from "../../db/types";
import { todayIn } from "../domain/dates";
import {
  bucketBoundaries,
  chooseForecastScope,
  periodOfBucket,
  PUSH_FLAG_THRESHOLD,
  quarterStarts,
  type DrillDown,
  type ForecastExportPlan,
  type ForecastPeriods,
  type ISODate,
  type RollupRow,
} from "../domain/forecast";
import { getOrganisation } from "./organisation.server";

/*
 * The manager forecast's SQL. Everything reads the stored schedule results on `plans` (never
 * recomputing a schedule), one statement per page section, set-based: no query per plan. Scope is
 * inlined as `p.owner_id = any(array(with recursive team …))`, so a manager's section is one round
 * trip. Pushes compare each history row's old and new dates (the write path records both, so no
 * lag() over the rows is needed).
 * The indexes behind these queries are in db/migrations/20261128_002_forecast_indexes.ts.
 */

type Conn = Kysely<DB> | Transaction<DB>;

/** Whose plans: the organisation, a manager's team (transitively, the manager included), one owner. */
export type ForecastScope =
  | { orgId: string; kind: "org" }
  | { orgId: string; kind: "team"; managerId: string }
  | { orgId: string; kind: "owner"; ownerId: string };

/** The ids of a manager and everyone reporting to them, directly or not, as an inline subquery. */
function teamIds(orgId: string, managerId: string): RawBuilder<unknown> {
  return sql`with recursive team(id) as (
      select id from users where org_id = ${orgId} and id = ${managerId}
      union
      select u.id from users u join team t on u.manager_id = t.id where u.org_id = ${orgId}
    )
    select id from team`;
}

/**
 * `and p.owner_id …` for a scope (nothing for the whole organisation). The team is an array built
 * once per statement (`= any(array(…))`), which lets the planner walk the (org_id, owner_id, …)
 * indexes owner by owner: a team's page reads the team's plans, however large the organisation.
 */
function ownerFilter(scope: ForecastScope): RawBuilder<unknown> {
  if (scope.kind === "owner") return sql`and p.owner_id = ${scope.ownerId}`;
  if (scope.kind === "team") return sql`and p.owner_id = any(array(${teamIds(scope.orgId, scope.managerId)}))`;
  return sql``;
}

/** A Postgres array literal of ISO dates ('{2026-11-01,2027-02-01}'), for width_bucket. */
const dateArray = (dates: ISODate[]) => `{${dates.join(",")}}`;

/** What deciding "pushed into a later quarter" needs: the start month and quarter starts around today. */
export interface PushRule {
  startMonth: number;
  today: ISODate;
}

/**
 * The absolute fiscal quarter index of a date column, as in app/domain/forecast.ts:
 * floor((year × 12 + month − startMonth) / 3). The operand is never negative for years ≥ 1, so
 * integer division is the floor.
 */
function quarterIndex(column: RawBuilder<unknown>, startMonth: number): RawBuilder<number> {
  return sql<number>`((date_part('year', ${column})::int * 12 + date_part('month', ${column})::int - ${startMonth}::int) / 3)`;
}

/**
 * A change of the forecast close date into a later fiscal quarter (the row's old vs new date).
 * Only forward moves can be (the partial index plan_date_history_forward_idx holds just those).
 * Within ten years of today, width_bucket over the quarter starts numbers the quarters (a binary
 * search, several times cheaper than date arithmetic per row); outside, the index formula.
 */
function isPush(alias: string, rule: PushRule): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(`${alias}.field`)} = 'forecast_close_date' and ${sql.ref(`${alias}.new_date`)} > ${sql.ref(`${alias}.old_date`)}
    and ${crossesQuarter(alias, rule)}`;
}

/** The quarter test alone, for rows already restricted to forward moves of the close date. */
function crossesQuarter(alias: string, rule: PushRule): RawBuilder<boolean> {
  const oldDate = sql.ref(`${alias}.old_date`);
  const newDate = sql.ref(`${alias}.new_date`);
  const starts = quarterStarts(rule.today, rule.startMonth);
  const bounds = sql`${dateArray(starts)}::date[]`;
  return sql<boolean>`case when ${oldDate} >= ${starts[0]}::date and ${newDate} < ${starts[starts.length - 1]}::date
             then width_bucket(${newDate}, ${bounds}) > width_bucket(${oldDate}, ${bounds})
             else ${quarterIndex(newDate, rule.startMonth)} > ${quarterIndex(oldDate, rule.startMonth)} end`;
}

const quietSince = sql`coalesce(p.last_buyer_activity_at, p.created_at)`;

// ---------------------------------------------------------------------------------------------
// Sections of the page
// ---------------------------------------------------------------------------------------------

/**
 * Count and value of the active plans per period, currency, provenance (customer-confirmed or
 * not) and state (slipping or not), in one pass over the scope's plans. The domain gives the
 * period boundaries; width_bucket places each close date among them, once among the contiguous
 * quarters (earlier | this | next | later) and once among the months, and GROUPING SETS totals
 * both. Plans without a close date are the "none" bucket.
 */
export async function forecastRollup(db: Conn, scope: ForecastScope, periods: ForecastPeriods): Promise<RollupRow[]> {
  const partition = [periods.earlier, periods.thisQuarter, periods.nextQuarter, periods.later];
  const months = periods.months;
  const monthBounds = months.length ? bucketBoundaries(months) : [periods.thisQuarter.start!];
  const result = await sql<{ by_month: number; part: number | null; month: number | null; currency: string; confirmed: boolean; slipping: boolean; plans: number; value: number }>`
    select grouping(b.part)::int as by_month, b.part, b.month, b.currency, b.confirmed, b.slipping,
           count(*)::int as plans, coalesce(sum(b.value), 0)::bigint as value
    from (
      select p.currency, p.value, (p.go_live_confirmed_at is not null) as confirmed, (p.slip_days > 0) as slipping,
             coalesce(width_bucket(p.forecast_close_date, ${dateArray(bucketBoundaries(partition))}::date[]), -1) as part,
             width_bucket(p.forecast_close_date, ${dateArray(monthBounds)}::date[]) as month
      from plans p
      where p.org_id = ${scope.orgId} and p.status = 'active' ${ownerFilter(scope)}
    ) b
    group by grouping sets ((b.part, b.currency, b.confirmed, b.slipping), (b.month, b.currency, b.confirmed, b.slipping))`.execute(db);

  const rows: RollupRow[] = [];
  for (const r of result.rows) {
    const period = r.by_month === 1 ? periodOfBucket(months, r.month) : r.part === -1 ? periods.none : periodOfBucket(partition, r.part);
    if (period) rows.push({ period: period.key, currency: r.currency, confirmed: r.confirmed, slipping: r.slipping, plans: r.plans, value: r.value });
  }
  return rows;
}

export interface RepDateRow {
  id: string;
  buyer_company: string;
  title: string;
  owner_name: string;
  value: number;
  currency: string;
  crm_close_date: ISODate;
  forecast_close_date: ISODate;
  gap_days: number;
}

/*
 * The three lists below work in two steps inside one statement: rank the scope's plans from the
 * covering indexes alone (no table rows), then fetch the names of the few shown by primary key.
 */

/** Active plans whose rep's CRM close date is earlier than the plan's forecast close date, widest gap first. */
export async function repDateEarlier(db: Conn, scope: ForecastScope, limit: number): Promise<{ rows: RepDateRow[]; total: number }> {
  const result = await sql<RepDateRow & { total: number }>`
    select t.id, d.buyer_company, d.title, u.name as owner_name, t.value, d.currency, t.crm_close_date, t.forecast_close_date,
           t.gap_days, t.total
    from (
      select p.id, p.owner_id, p.value, p.crm_close_date, p.forecast_close_date,
             (p.forecast_close_date - p.crm_close_date) as gap_days, (count(*) over ())::int as total
      from plans p
      where p.org_id = ${scope.orgId} and p.status = 'active' and p.crm_close_date < p.forecast_close_date ${ownerFilter(scope)}
      order by gap_days desc, p.value desc, p.id
      limit ${limit}
    ) t
    join plans d on d.org_id = ${scope.orgId} and d.id = t.id
    join users u on u.org_id = ${scope.orgId} and u.id = t.owner_id
    order by t.gap_days desc, t.value desc, t.id`.execute(db);
  return { rows: result.rows.map(({ total: _total, ...row }) => row), total: result.rows[0]?.total ?? 0 };
}

export interface PushedRow {
  id: string;
  buyer_company: string;
  title: string;
  owner_name: string;
  value: number;
  currency: string;
  forecast_close_date: ISODate | null;
  pushes: number;
}

/**
 * For a team or a rep: `and h.plan_id = any(array(<the scope's active plan ids>))`, so the history
 * is read by index for the scope's plans only (a cost that grows with the team), instead of a scan
 * of the organisation's history that the planner would otherwise prefer.
 */
function historyOfScope(scope: ForecastScope): RawBuilder<unknown> {
  if (scope.kind === "org") return sql``;
  return sql`and h.plan_id = any(array(select p.id from plans p where p.org_id = ${scope.orgId} and p.status = 'active' ${ownerFilter(scope)}))`;
}

/** Active plans whose close date crossed into a later fiscal quarter at least `minPushes` times. */
export async function pushedDeals(
  db: Conn,
  scope: ForecastScope,
  options: PushRule & { minPushes?: number; limit: number },
): Promise<{ rows: PushedRow[]; total: number }> {
  const pushes = sql`count(*) filter (where ${crossesQuarter("h", options)})`;
  const result = await sql<PushedRow & { total: number }>`
    select t.id, d.buyer_company, d.title, u.name as owner_name, t.value, d.currency, d.forecast_close_date, t.pushes, t.total
    from (
      select x.plan_id as id, p.owner_id, p.value, x.pushes, (count(*) over ())::int as total
      from (
        select h.plan_id, (${pushes})::int as pushes
        from plan_date_history h
        where h.org_id = ${scope.orgId} and h.field = 'forecast_close_date' and h.new_date > h.old_date ${historyOfScope(scope)}
        group by h.plan_id
        having ${pushes} >= ${options.minPushes ?? PUSH_FLAG_THRESHOLD}
      ) x
      join plans p on p.org_id = ${scope.orgId} and p.id = x.plan_id and p.status = 'active'
      order by x.pushes desc, p.value desc, x.plan_id
      limit ${options.limit}
    ) t
    join plans d on d.org_id = ${scope.orgId} and d.id = t.id
    join users u on u.org_id = ${scope.orgId} and u.id = t.owner_id
    order by t.pushes desc, t.value desc, t.id`.execute(db);
  return { rows: result.rows.map(({ total: _total, ...row }) => row), total: result.rows[0]?.total ?? 0 };
}

export interface AtRiskRow {
  id: string;
  buyer_company: string;
  title: string;
  owner_name: string;
  value: number;
  currency: string;
  forecast_close_date: ISODate | null;
  slip_days: number;
  overdue_buyer_milestones: number;
  last_buyer_activity_at: Date | null;
  created_at: Date;
}

export interface AtRiskCounts {
  total: number;
  slipping: number;
  overdue: number;
  quiet: number;
}

/**
 * Active plans at risk: the projection misses go-live, buyer-owned milestones are overdue, or the
 * buyer has been quiet since `quietCutoff` (see atRiskReasons for the same rule in the domain).
 * Most reasons first, then the biggest deals; with counts per reason over the whole set.
 */
export async function atRiskPlans(
  db: Conn,
  scope: ForecastScope,
  options: { today: ISODate; quietCutoff: Date; limit: number },
): Promise<{ rows: AtRiskRow[]; counts: AtRiskCounts }> {
  const { today, quietCutoff, limit } = options;
  // Overdue buyer milestones come from one range scan of the organisation's open buyer-owned
  // milestones by due date (a few per cent of plans), hashed against the scope's plans: far
  // cheaper than probing the milestones of every plan in the team.
  const result = await sql<AtRiskRow & { total: number; slipping_total: number; overdue_total: number; quiet_total: number }>`
    with overdue as (
      select m.plan_id, count(*)::int as n
      from milestones m
      where m.org_id = ${scope.orgId} and m.owner_side = 'buyer' and m.completed_on is null and m.due_date < ${today}::date
      group by m.plan_id
    ),
    risky as (
      select p.id, p.owner_id, p.value, p.forecast_close_date, p.slip_days, coalesce(o.n, 0) as overdue_buyer_milestones,
             p.last_buyer_activity_at, p.created_at,
             (p.slip_days > 0) as is_slipping, (o.n is not null) as is_overdue, (${quietSince} <= ${quietCutoff}::timestamptz) as is_quiet
      from plans p
      left join overdue o on o.plan_id = p.id
      where p.org_id = ${scope.orgId} and p.status = 'active' ${ownerFilter(scope)}
        and (p.slip_days > 0 or o.n is not null or ${quietSince} <= ${quietCutoff}::timestamptz)
    ),
    top as (
      select r.*, (r.is_slipping::int + r.is_overdue::int + r.is_quiet::int) as reasons,
             (count(*) over ())::int as total,
             (count(*) filter (where r.is_slipping) over ())::int as slipping_total,
             (count(*) filter (where r.is_overdue) over ())::int as overdue_total,
             (count(*) filter (where r.is_quiet) over ())::int as quiet_total
      from risky r
      order by reasons desc, r.value desc, r.id
      limit ${limit}
    )
    select t.id, d.buyer_company, d.title, u.name as owner_name, t.value, d.currency, t.forecast_close_date, t.slip_days,
           t.overdue_buyer_milestones, t.last_buyer_activity_at, t.created_at,
           t.total, t.slipping_total, t.overdue_total, t.quiet_total
    from top t
    join plans d on d.org_id = ${scope.orgId} and d.id = t.id
    join users u on u.org_id = ${scope.orgId} and u.id = t.owner_id
    order by t.reasons desc, t.value desc, t.id`.execute(db);
  const first = result.rows[0];
  return {
    rows: result.rows.map(({ total: _t, slipping_total: _s, overdue_total: _o, quiet_total: _q, ...row }) => row),
    counts: { total: first?.total ?? 0, slipping: first?.slipping_total ?? 0, overdue: first?.overdue_total ?? 0, quiet: first?.quiet_total ?? 0 },
  };
}

// ---------------------------------------------------------------------------------------------
// The plans behind a number
// ---------------------------------------------------------------------------------------------

export interface DrillDownRow {
  id: string;
  buyer_company: string;
  title: string;
  owner_name: string;
  value: number;
  currency: string;
  status: "active" | "won" | "lost" | "paused";
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
}

function drillDownFilters(orgId: string, d: DrillDown, ctx: { today: ISODate; quietCutoff: Date; startMonth: number }): RawBuilder<unknown> {
  const rule: PushRule = { startMonth: ctx.startMonth, today: ctx.today };
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
  const quiet = sql`${quietSince} <= ${ctx.quietCutoff}::timestamptz`;
  const overdue = sql`p.id in (
      select m.plan_id from milestones m
      where m.org_id = ${orgId} and m.owner_side = 'buyer' and m.completed_on is null and m.due_date < ${ctx.today}::date)`;
  if (d.flag === "at_risk") parts.push(sql`(p.slip_days > 0 or ${quiet} or ${overdue})`);
  if (d.flag === "overdue_buyer") parts.push(overdue);
  if (d.flag === "buyer_quiet") parts.push(quiet);
  if (d.flag === "pushed") {
    parts.push(sql`(select count(*) from plan_date_history h where h.org_id = p.org_id and h.plan_id = p.id and ${isPush("h", rule)}) >= ${PUSH_FLAG_THRESHOLD}`);
  }
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
  ctx: { today: ISODate; quietCutoff: Date; startMonth: number; limit: number },
): Promise<{ rows: DrillDownRow[]; totals: Array<{ currency: string; plans: number; value: number }> }> {
  const where = sql`p.org_id = ${scope.orgId} and p.status = 'active' ${ownerFilter(scope)} ${drillDownFilters(scope.orgId, filter, ctx)}`;
  const [rows, totals] = await Promise.all([
    sql<DrillDownRow>`
      select p.id, p.buyer_company, p.title, u.name as owner_name, p.value, p.currency, p.status, p.go_live, p.go_live_set_side,
             p.go_live_confirmed_at, p.go_live_confirmed_by_name, p.slip_days, p.forecast_close_date, p.crm_close_date,
             p.milestones_done, p.milestones_total,
             (select count(*)::int from plan_date_history h where h.org_id = p.org_id and h.plan_id = p.id and ${isPush("h", ctx)}) as pushes
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

export async function forecastExportRows(
  db: Conn,
  scope: ForecastScope,
  ctx: { today: ISODate; startMonth: number },
): Promise<ForecastExportPlan[]> {
  const result = await sql<ForecastExportPlan>`
    select p.id, p.buyer_company as "buyerCompany", p.title, u.name as "ownerName", p.status, p.value, p.currency,
           p.go_live as "goLive", p.go_live_set_side as "goLiveSetSide", p.go_live_set_by_name as "goLiveSetByName",
           p.go_live_confirmed_by_name as "goLiveConfirmedByName", p.go_live_confirmed_at as "goLiveConfirmedAt",
           p.projected_go_live as "projectedGoLive", p.slip_days as "slipDays", p.forecast_close_date as "forecastCloseDate",
           p.crm_close_date as "crmCloseDate", p.milestones_done as "milestonesDone", p.milestones_total as "milestonesTotal",
           coalesce(o.n, 0) as "overdueBuyerMilestones", p.last_buyer_activity_at as "lastBuyerActivityAt",
           p.created_at as "createdAt", coalesce(h.n, 0) as "pushes"
    from plans p
    join users u on u.org_id = p.org_id and u.id = p.owner_id
    left join (
      select m.plan_id, count(*)::int as n from milestones m
      where m.org_id = ${scope.orgId} and m.owner_side = 'buyer' and m.completed_on is null and m.due_date < ${ctx.today}::date
      group by m.plan_id
    ) o on o.plan_id = p.id
    left join (
      select h.plan_id, count(*)::int as n from plan_date_history h
      where h.org_id = ${scope.orgId} and ${isPush("h", ctx)} ${historyOfScope(scope)}
      group by h.plan_id
    ) h on h.plan_id = p.id
    where p.org_id = ${scope.orgId} and p.status = 'active' ${ownerFilter(scope)}
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
      notice: string | null;
      managers: Array<{ id: string; name: string }>;
      fiscalYearStartMonth: number;
      today: ISODate;
    }
  | { ok: false; status: 404; message: string };

/**
 * Reads the organisation (fiscal calendar, time zone) and, for an admin, the teams they can pick,
 * then decides the scope with the domain's rule (chooseForecastScope).
 */
export async function forecastContext(
  db: Conn,
  viewer: { id: string; orgId: string; name: string; role: "rep" | "manager" | "admin" },
  team: string | null,
  now: Date,
): Promise<ForecastContext> {
  const [org, managers] = await Promise.all([
    getOrganisation(db, viewer.orgId),
    viewer.role === "admin" ? listManagers(db, viewer.orgId) : Promise.resolve([]),
  ]);
  if (!org) return { ok: false, status: 404, message: "Your organisation no longer exists." };
  const chosen = chooseForecastScope(viewer, team, managers);
  if (!chosen.ok) return chosen;
  const { scope: choice } = chosen;
  const scope: ForecastScope =
    choice.kind === "org" ? { orgId: org.id, kind: "org" }
      : choice.kind === "team" ? { orgId: org.id, kind: "team", managerId: choice.managerId }
        : { orgId: org.id, kind: "owner", ownerId: choice.ownerId };
  return {
    ok: true, scope, title: choice.title, team: chosen.team, notice: chosen.notice, managers,
    fiscalYearStartMonth: org.fiscal_year_start_month, today: todayIn(org.time_zone, now),
  };
}

// ---------------------------------------------------------------------------------------------
// Who can be picked
// ---------------------------------------------------------------------------------------------

/** The organisation's managers: the teams an admin can pick. */
export async function listManagers(db: Conn, orgId: string): Promise<Array<{ id: string; name: string }>> {
  return db
    .selectFrom("users")
    .select(["id", "name"])
    .where("org_id", "=", orgId)
    .where("role", "=", "manager")
    .orderBy("name")
    .orderBy("id")
    .execute();
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
