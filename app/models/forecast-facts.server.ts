import { sql, type RawBuilder } from "kysely";
import type { Conn } from "~/models/conn";

/*
 * Two per-plan facts the forecast reads from the plan row instead of deriving them from history
 * and milestones on every request (see docs/decisions/006-stored-forecast-facts.md):
 *   close_date_pushes         how many changes moved the forecast close date into a later fiscal
 *                             quarter (app/domain/forecast-pushes.ts, countPushes)
 *   overdue_buyer_milestones  open buyer-owned milestones due before the day the schedule was
 *                             computed (the spec's `overdue`, counted for the buyer's side)
 * The write path keeps both current in the UPDATE that stores a plan's schedule (plan-schedule.server.ts,
 * with the domain's isQuarterPush and the schedule's `overdue` status), the daily re-projection with
 * it; recountForecastFacts rebuilds them from scratch with the same rules in SQL.
 */

/**
 * The absolute fiscal quarter index of a date, as fiscalQuarterIndex in app/domain/fiscal-quarters.ts:
 * floor((year × 12 + month − startMonth) / 3). The operand is never negative for years ≥ 1, so
 * integer division is the floor.
 */
function quarterIndexSql(date: RawBuilder<unknown>, startMonth: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`((date_part('year', ${date})::int * 12 + date_part('month', ${date})::int - ${startMonth}::int) / 3)`;
}

/** 1 when a change from `oldDate` to `newDate` is a quarter push (isQuarterPush), else 0. */
function pushOf(oldDate: RawBuilder<unknown>, newDate: RawBuilder<unknown>, startMonth: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`(case when ${newDate} > ${oldDate} and ${quarterIndexSql(newDate, startMonth)} > ${quarterIndexSql(oldDate, startMonth)} then 1 else 0 end)`;
}

/** Open buyer-owned milestones of a plan due before `today` (after its schedule was stored). */
function overdueBuyerMilestonesOf(orgId: string, planId: RawBuilder<unknown>, today: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`(select count(*)::int from milestones m
      where m.org_id = ${orgId} and m.plan_id = ${planId} and m.owner_side = 'buyer' and m.completed_on is null and m.due_date < ${today})`;
}

/**
 * Rebuilds both facts for an organisation's plans from the date history and the milestones, in one
 * statement: for data written around the write path (imports, the hand-built test organisation)
 * and should the organisation's fiscal calendar ever change.
 */
export async function recountForecastFacts(db: Conn, orgId: string): Promise<number> {
  const result = await sql`
    update plans p set
      close_date_pushes = coalesce((
        select sum(${pushOf(sql`h.old_date`, sql`h.new_date`, sql`o.fiscal_year_start_month`)})::int
        from plan_date_history h
        where h.org_id = ${orgId} and h.plan_id = p.id and h.field = 'forecast_close_date'), 0),
      overdue_buyer_milestones = ${overdueBuyerMilestonesOf(orgId, sql`p.id`, sql`coalesce(p.schedule_computed_on, current_date)`)}
    from organisations o
    where o.id = p.org_id and p.org_id = ${orgId}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
