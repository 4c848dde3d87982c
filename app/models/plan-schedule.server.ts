import { sql, type Kysely, type Transaction } from "kysely";
import type { DB, Plan } from "../../db/types";
import { schedulePlan, type ScheduleInput, type ScheduleResult } from "../domain/schedule";
import type { Actor } from "../domain/plan-events";
import { overdueBuyerMilestonesOf, pushOf } from "./forecast-facts.server";
import { calendarOf } from "./organisation.server";

/**
 * Everything schedulePlan needs for one plan, read in one statement whatever the plan's size: the
 * go-live date, the organisation's calendar, and the milestones in order with the ids each depends
 * on (a primary-key read per milestone). The write path runs this on every change.
 */
export async function loadScheduleInput(
  trx: Kysely<DB> | Transaction<DB>,
  orgId: string,
  planId: string,
  today: string,
): Promise<ScheduleInput> {
  const result = await sql<{
    go_live: string;
    working_weekdays: number[];
    holidays: string[];
    milestones: Array<{ id: string; duration_days: number; lag_days: number; pinned_date: string | null; completed_on: string | null; is_close: boolean; depends_on: string[] }>;
  }>`
    select p.go_live, o.working_weekdays, o.holidays,
      (
        select coalesce(json_agg(json_build_object(
          'id', m.id, 'duration_days', m.duration_days, 'lag_days', m.lag_days, 'pinned_date', m.pinned_date,
          'completed_on', m.completed_on, 'is_close', m.is_close,
          'depends_on', coalesce((select json_agg(d.depends_on_id) from milestone_dependencies d where d.org_id = m.org_id and d.milestone_id = m.id), '[]'::json)
        ) order by m.position, m.created_at), '[]'::json)
        from milestones m
        where m.org_id = p.org_id and m.plan_id = p.id
      ) as milestones
    from plans p
    join organisations o on o.id = p.org_id
    where p.org_id = ${orgId} and p.id = ${planId}`.execute(trx);
  const plan = result.rows[0];
  if (!plan) throw new Error(`No plan ${planId} in organisation ${orgId} to schedule`);
  return {
    goLive: plan.go_live,
    today,
    calendar: calendarOf(plan),
    milestones: plan.milestones.map((m) => ({
      id: m.id,
      durationDays: m.duration_days,
      lagDays: m.lag_days,
      dependsOn: m.depends_on,
      pinnedDate: m.pinned_date ?? undefined,
      completedOn: m.completed_on ?? undefined,
      isClose: m.is_close,
    })),
  };
}

/**
 * Recomputes a plan's schedule and stores it (milestone dates, plan projection, forecast close
 * date), so lists and the forecast read stored results instead of recomputing on every request.
 * A change of the forecast close date is kept in the plan's date history.
 */
export async function storeSchedule(
  trx: Transaction<DB>,
  orgId: string,
  planId: string,
  today: string,
  actor: Actor,
  reason: string | null = null,
): Promise<ScheduleResult> {
  return (await storeScheduleOnPlan(trx, orgId, planId, today, actor, reason)).schedule;
}

/** What a change does to its plan's own row besides the schedule (see runPlanCommandIn). */
export interface PlanTouch {
  at: Date;
  bumpVersion: boolean;
  buyerActivity: boolean;
  /** The plan's log head after the change's events (see appendPlanEventsAfter). */
  eventHead?: { seq: number; hash: string | null };
}

/**
 * storeSchedule, with the change's touch of the plan row (updated_at, version, buyer activity) in
 * the same UPDATE, which also returns the plan as it now is: the write path's last two round trips
 * folded into the one it already makes.
 */
export async function storeScheduleOnPlan(
  trx: Transaction<DB>,
  orgId: string,
  planId: string,
  today: string,
  actor: Actor,
  reason: string | null = null,
  touch?: PlanTouch,
): Promise<{ schedule: ScheduleResult; plan: Plan }> {
  const input = await loadScheduleInput(trx, orgId, planId, today);
  const result = schedulePlan(input);

  if (result.milestones.length > 0) {
    const rows = JSON.stringify(
      result.milestones.map((m) => ({
        id: m.id,
        start_date: m.start,
        due_date: m.due,
        projected_start: m.projectedStart,
        projected_finish: m.projectedFinish,
        float_days: m.floatDays,
        schedule_status: m.status,
      })),
    );
    // One statement for the whole plan, whatever its size.
    await sql`
      update milestones m set
        start_date = v.start_date, due_date = v.due_date, projected_start = v.projected_start,
        projected_finish = v.projected_finish, float_days = v.float_days, schedule_status = v.schedule_status
      from jsonb_to_recordset(${rows}::jsonb) as v(
        id uuid, start_date date, due_date date, projected_start date, projected_finish date,
        float_days integer, schedule_status text)
      where m.org_id = ${orgId} and m.id = v.id`.execute(trx);
  }

  const done = result.milestones.filter((m) => m.status === "done").length;
  // One statement stores the projection and returns the close date it replaced (the FROM
  // subquery reads the row as it was before this update).
  const touched = touch
    ? sql`, updated_at = ${touch.at}${touch.bumpVersion ? sql`, version = p.version + 1` : sql``}${touch.buyerActivity ? sql`, last_buyer_activity_at = ${touch.at}` : sql``}${
      touch.eventHead ? sql`, last_event_seq = ${touch.eventHead.seq}, last_event_hash = ${touch.eventHead.hash}` : sql``
    }`
    : sql``;
  // The forecast's stored facts (forecast-facts.server.ts) move with the schedule: a push when the
  // new close date lands in a later fiscal quarter, and the buyer's overdue milestones as of today.
  const newClose = sql`${result.forecastCloseDate}::date`;
  const stored = await sql<Plan & { previous_forecast_close_date: string | null }>`
    update plans p set
      projected_go_live = ${result.projectedGoLive}, slip_days = ${result.slipDays}, forecast_close_date = ${newClose},
      schedule_computed_on = ${today}, milestones_total = ${result.milestones.length}, milestones_done = ${done},
      close_date_pushes = p.close_date_pushes + ${pushOf(sql`previous.forecast_close_date`, newClose, sql`previous.fiscal_year_start_month`)},
      overdue_buyer_milestones = ${overdueBuyerMilestonesOf(orgId, sql`p.id`, sql`${today}::date`)}${touched}
    from (
      select q.forecast_close_date, o.fiscal_year_start_month
      from plans q join organisations o on o.id = q.org_id
      where q.org_id = ${orgId} and q.id = ${planId}
    ) previous
    where p.org_id = ${orgId} and p.id = ${planId}
    returning p.*, previous.forecast_close_date as previous_forecast_close_date`.execute(trx);
  const row = stored.rows[0];
  if (!row) throw new Error(`No plan ${planId} in organisation ${orgId} to store a schedule on`);
  const { previous_forecast_close_date: previousCloseDate, ...plan } = row;
  const before = { forecast_close_date: previousCloseDate };

  if (before.forecast_close_date !== result.forecastCloseDate) {
    await trx
      .insertInto("plan_date_history")
      .values({
        org_id: orgId,
        plan_id: planId,
        field: "forecast_close_date",
        old_date: before.forecast_close_date,
        new_date: result.forecastCloseDate,
        reason,
        actor_name: actor.name,
        actor_side: actor.side,
        created_at: new Date(),
      })
      .execute();
  }
  return { schedule: result, plan: plan as Plan };
}

export interface GoLivePreview {
  moves: Array<{ id: string; title: string; dueBefore: string | null; dueAfter: string }>;
  forecastCloseBefore: string | null;
  forecastCloseAfter: string | null;
  projectedGoLiveAfter: string;
  slipDaysAfter: number;
  conflicts: ScheduleResult["conflicts"];
}

/** What a new go-live date would do to the plan, computed without writing anything. */
export async function previewGoLive(db: Kysely<DB>, orgId: string, planId: string, goLive: string, today: string): Promise<GoLivePreview> {
  const input = await loadScheduleInput(db, orgId, planId, today);
  const result = schedulePlan({ ...input, goLive });
  const current = await db
    .selectFrom("milestones")
    .select(["id", "title", "due_date", "completed_on"])
    .where("org_id", "=", orgId)
    .where("plan_id", "=", planId)
    .execute();
  const plan = await db.selectFrom("plans").select("forecast_close_date").where("org_id", "=", orgId).where("id", "=", planId).executeTakeFirstOrThrow();
  const byId = new Map(current.map((m) => [m.id, m]));
  const moves = result.milestones
    .map((m) => ({ id: m.id, title: byId.get(m.id)?.title ?? "", dueBefore: byId.get(m.id)?.due_date ?? null, dueAfter: m.due, done: !!byId.get(m.id)?.completed_on }))
    .filter((m) => !m.done && m.dueBefore !== m.dueAfter)
    .map(({ done: _done, ...m }) => m);
  return {
    moves,
    forecastCloseBefore: plan.forecast_close_date,
    forecastCloseAfter: result.forecastCloseDate,
    projectedGoLiveAfter: result.projectedGoLive,
    slipDaysAfter: result.slipDays,
    conflicts: result.conflicts,
  };
}
