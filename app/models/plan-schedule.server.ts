import { sql, type RawBuilder, type Transaction } from "kysely";
import type { DB, Plan } from "../../db/types";
import { isQuarterPush } from "~/domain/forecast-pushes";
import { describeScheduleError, PlanInputError } from "~/domain/plan-validation";
import { schedulePlan, ScheduleError, type ScheduleInput, type ScheduleResult } from "~/domain/schedule";
import { earliestFeasibleGoLive, fiscalQuarterCrossing, goLiveDateIssue, goLiveDateProblem, type GoLivePreview } from "~/domain/go-live";
import { buyerCalendarOf } from "~/domain/holiday-calendar";
import type { Actor } from "~/domain/plan-events";
import { PREPARED } from "~/infra/prepared-statements.server";
import { calendarOf } from "~/models/organisation.server";
import { insertPlanEventsSql, type PlanEventRow } from "~/models/plan-event.server";
import type { Conn } from "~/models/conn";
import type { PlanBefore } from "~/models/webhooks.server";

/** A plan's schedule input with what is stored from its last computation (see loadScheduleState). */
interface ScheduleState {
  input: ScheduleInput;
  /** The forecast close date stored now: the one a new computation replaces. */
  previousCloseDate: string | null;
  fiscalYearStartMonth: number;
  /** Per milestone: its side and the schedule fields stored for it. */
  stored: Map<string, StoredMilestoneSchedule>;
}

/** A milestone's stored schedule: the columns a computation writes when they moved. */
export interface MovedMilestone {
  id: string;
  start_date: string | null;
  due_date: string | null;
  projected_start: string | null;
  projected_finish: string | null;
  float_days: number | null;
  schedule_status: string | null;
}

type StoredMilestoneSchedule = Omit<MovedMilestone, "id"> & {
  title: string;
  owner_side: "buyer" | "seller" | "joint";
  completed_on: string | null;
};

/**
 * The schedule, or why there is none in words every editor reads (a rep's form, a buyer's page,
 * the API): milestones named by title, including one added in this very transaction.
 */
function scheduleOrExplain(state: ScheduleState, input: ScheduleInput): ScheduleResult {
  try {
    return schedulePlan(input);
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    const { field, message } = describeScheduleError(error, (id) => state.stored.get(id)?.title ?? "this milestone");
    throw new PlanInputError({ [field]: [message] }, message);
  }
}

/** One plan's row of the schedule state's statement (scheduleStateRows). */
interface ScheduleStateRow {
  id: string;
  go_live: string;
  forecast_close_date: string | null;
  overdue_buyer_milestones: number;
  working_weekdays: number[];
  holidays: string[];
  buyer_working_weekdays: number[] | null;
  buyer_holidays: string[] | null;
  fiscal_year_start_month: number;
  milestones: Array<
    StoredMilestoneSchedule & { id: string; duration_days: number; lag_days: number; pinned_date: string | null; is_close: boolean; depends_on: string[] }
  >;
}

/**
 * Everything schedulePlan needs for the plans `which` selects (a condition on the plans' `p`),
 * read in one statement whatever their size: the go-live date, the organisation's calendar and
 * the buyer's, and the milestones in order with the ids each depends on (a primary-key read per
 * milestone); with what the write path compares the new schedule to (the stored close date and
 * milestone dates). `prepared`: sent as a named statement (a text of fixed shape only).
 */
function scheduleStateRows(trx: Conn, orgId: string, which: RawBuilder<unknown>, prepared: boolean) {
  return sql<ScheduleStateRow>`
    ${prepared ? PREPARED : sql``}select p.id, p.go_live, p.forecast_close_date, p.overdue_buyer_milestones, o.working_weekdays, o.holidays, p.buyer_working_weekdays, p.buyer_holidays, o.fiscal_year_start_month,
      (
        select coalesce(json_agg(json_build_object(
          'id', m.id, 'title', m.title, 'duration_days', m.duration_days, 'lag_days', m.lag_days, 'pinned_date', m.pinned_date,
          'completed_on', m.completed_on, 'is_close', m.is_close, 'owner_side', m.owner_side,
          'start_date', m.start_date, 'due_date', m.due_date, 'projected_start', m.projected_start,
          'projected_finish', m.projected_finish, 'float_days', m.float_days, 'schedule_status', m.schedule_status,
          'depends_on', coalesce((select json_agg(d.depends_on_id) from milestone_dependencies d where d.org_id = ${orgId} and d.milestone_id = m.id), '[]'::json)
        ) order by m.position, m.created_at), '[]'::json)
        from milestones m
        where m.org_id = ${orgId} and m.plan_id = p.id
      ) as milestones
    from plans p
    join organisations o on o.id = p.org_id
    where p.org_id = ${orgId} and ${which}
    order by p.id`.execute(trx);
}

/** A plan's schedule state from its row of scheduleStateRows. */
function scheduleStateOf(plan: ScheduleStateRow, today: string): ScheduleState {
  const calendar = calendarOf(plan);
  const buyerCalendar = buyerCalendarOf(calendar, plan);
  return {
    input: {
      goLive: plan.go_live,
      today,
      calendar,
      // Each side on its own calendar (docs/scheduling.md): the buyer's when the plan has one.
      ...(buyerCalendar ? { buyerCalendar } : {}),
      milestones: plan.milestones.map((m) => ({
        id: m.id,
        side: m.owner_side,
        durationDays: m.duration_days,
        lagDays: m.lag_days,
        dependsOn: m.depends_on,
        pinnedDate: m.pinned_date ?? undefined,
        completedOn: m.completed_on ?? undefined,
        isClose: m.is_close,
      })),
    },
    previousCloseDate: plan.forecast_close_date,
    fiscalYearStartMonth: plan.fiscal_year_start_month,
    stored: new Map(plan.milestones.map((m) => [m.id, m])),
  };
}

/**
 * One plan's schedule state. The write path runs this on every change, after locking the plan,
 * so what it reads cannot move before the change commits.
 */
async function loadScheduleState(trx: Conn, orgId: string, planId: string, today: string): Promise<ScheduleState> {
  const { rows } = await scheduleStateRows(trx, orgId, sql`p.id = ${planId}`, true);
  const plan = rows[0];
  if (!plan) throw new Error(`No plan ${planId} in organisation ${orgId} to schedule`);
  return scheduleStateOf(plan, today);
}

/** The close milestone's forward-pass finish before and after a computation (null without one). */
function projectedCloseChange(state: ScheduleState, result: ScheduleResult): { before: string | null; after: string | null } {
  const closeId = state.input.milestones.find((m) => m.isClose)?.id;
  if (!closeId) return { before: null, after: null };
  return {
    before: state.stored.get(closeId)?.projected_finish ?? null,
    after: result.milestones.find((m) => m.id === closeId)?.projectedFinish ?? null,
  };
}

/** What a change does to its plan's own row besides the schedule (see runPlanCommandIn). */
export interface PlanTouch {
  at: Date;
  bumpVersion: boolean;
  buyerActivity: boolean;
  /** The change's events chained after the plan's log head (chainEvents): inserted, and the head moved, with the plan's update. */
  events?: { rows: readonly PlanEventRow[]; head: { seq: number; hash: string | null } };
}

/** What storing a computed schedule writes for one plan: the rows that moved and the plan's stored results. */
interface ScheduleWrites {
  /** Only the milestones whose stored schedule moved (a change usually moves a few). */
  moved: MovedMilestone[];
  /** The forecast close date's and the projected close's changes, for the date history. */
  dated: Array<{ field: string; before: string | null; after: string | null }>;
  plan: {
    projected_go_live: string | null;
    slip_days: number;
    forecast_close_date: string | null;
    milestones_total: number;
    milestones_done: number;
    /** 1 when the new close date is a quarter push (added to close_date_pushes). */
    pushed: number;
    overdue_buyer_milestones: number;
  };
}

function scheduleWrites(state: ScheduleState, result: ScheduleResult): ScheduleWrites {
  const moved = result.milestones
    .map((m) => ({
      id: m.id,
      start_date: m.start,
      due_date: m.due,
      projected_start: m.projectedStart,
      projected_finish: m.projectedFinish,
      float_days: m.floatDays,
      schedule_status: m.status,
    }))
    .filter((next) => {
      const was = state.stored.get(next.id);
      return (
        !was ||
        was.start_date !== next.start_date ||
        was.due_date !== next.due_date ||
        was.projected_start !== next.projected_start ||
        was.projected_finish !== next.projected_finish ||
        was.float_days !== next.float_days ||
        was.schedule_status !== next.schedule_status
      );
    });
  // A change of the forecast close date, or of the projected close, is kept in the plan's date
  // history under the plan's day: forecast accuracy replays it (ADR 027).
  const dated = [
    { field: "forecast_close_date", before: state.previousCloseDate, after: result.forecastCloseDate },
    { field: "projected_close", ...projectedCloseChange(state, result) },
  ].filter((d) => d.before !== d.after);
  // The forecast's stored facts (forecast-facts.server.ts) move with the schedule: a push when the
  // new close date lands in a later fiscal quarter, and the buyer's overdue milestones as of today
  // (the spec's `overdue` status on buyer-owned milestones).
  return {
    moved,
    dated,
    plan: {
      projected_go_live: result.projectedGoLive,
      slip_days: result.slipDays,
      forecast_close_date: result.forecastCloseDate,
      milestones_total: result.milestones.length,
      milestones_done: result.milestones.filter((m) => m.status === "done").length,
      pushed: isQuarterPush({ oldDate: state.previousCloseDate, newDate: result.forecastCloseDate }, state.fiscalYearStartMonth) ? 1 : 0,
      overdue_buyer_milestones: result.milestones.filter((m) => m.status === "overdue" && state.stored.get(m.id)?.owner_side === "buyer").length,
    },
  };
}

/** The moved milestones' update, as a data-modifying CTE: one whatever their number. */
function movedMilestonesCte(orgId: string, moved: readonly MovedMilestone[]) {
  return sql`moved as (
      update milestones m set
        start_date = v.start_date, due_date = v.due_date, projected_start = v.projected_start,
        projected_finish = v.projected_finish, float_days = v.float_days, schedule_status = v.schedule_status
      from jsonb_to_recordset(${JSON.stringify(moved)}::jsonb) as v(
        id uuid, start_date date, due_date date, projected_start date, projected_finish date,
        float_days integer, schedule_status text)
      where m.org_id = ${orgId} and m.id = v.id
      returning 1)`;
}

/** The date history's new rows, as a data-modifying CTE (VALUES, which Citus routes to the organisation's shard). */
function datedCte(
  orgId: string,
  dated: ReadonlyArray<{ planId: string; field: string; before: string | null; after: string | null }>,
  reason: string | null,
  actor: Actor,
  at: Date,
  today: string,
) {
  return sql`dated as (
      insert into plan_date_history (org_id, plan_id, field, old_date, new_date, reason, actor_name, actor_side, created_at, effective_on)
      values ${sql.join(dated.map((d) => sql`(${orgId}, ${d.planId}, ${d.field}, ${d.before}::date, ${d.after}::date, ${reason}, ${actor.name}, ${actor.side}, ${at}, ${today}::date)`))}
      returning 1)`;
}

/**
 * Recomputes a plan's schedule and stores it (milestone dates, plan projection, forecast close
 * date, the forecast's facts), so lists and the forecast read stored results instead of
 * recomputing on every request; a change of the forecast close date is kept in the plan's date
 * history. With the change's touch of the plan row (updated_at, version, buyer activity, log
 * head) in the same UPDATE, which also returns the plan as it now is. The moved milestones, the
 * change's log entries and the date history ride on that UPDATE as data-modifying CTEs: after the
 * read of the schedule state, a change's writes are one round trip.
 */
export async function storeScheduleOnPlan(
  trx: Transaction<DB>,
  orgId: string,
  planId: string,
  today: string,
  actor: Actor,
  reason: string | null = null,
  touch?: PlanTouch,
  /** When the date history's rows were written: the touch's moment, else now. */
  at: Date = touch?.at ?? new Date(),
): Promise<{ schedule: ScheduleResult; plan: Plan }> {
  const state = await loadScheduleState(trx, orgId, planId, today);
  const result = scheduleOrExplain(state, state.input);
  const { moved, dated, plan: next } = scheduleWrites(state, result);
  // Everything the change writes goes in the plan's UPDATE below, as data-modifying CTEs: one round trip.
  const writes: RawBuilder<unknown>[] = [];
  if (moved.length > 0) writes.push(movedMilestonesCte(orgId, moved));
  if (touch?.events?.rows.length) writes.push(sql`logged as (${insertPlanEventsSql(touch.events.rows)} returning 1)`);
  if (dated.length)
    writes.push(
      datedCte(
        orgId,
        dated.map((d) => ({ planId, ...d })),
        reason,
        actor,
        at,
        today,
      ),
    );
  const touched = touch
    ? sql`, updated_at = ${touch.at}${touch.bumpVersion ? sql`, version = p.version + 1` : sql``}${touch.buyerActivity ? sql`, last_buyer_activity_at = ${touch.at}` : sql``}${
        touch.events ? sql`, last_event_seq = ${touch.events.head.seq}, last_event_hash = ${touch.events.head.hash}` : sql``
      }`
    : sql``;
  const stored = await sql<Plan>`
    ${writes.length ? sql`with ${sql.join(writes)}` : sql``}
    update plans p set
      projected_go_live = ${next.projected_go_live}, slip_days = ${next.slip_days}, forecast_close_date = ${next.forecast_close_date},
      schedule_computed_on = ${today}, milestones_total = ${next.milestones_total}, milestones_done = ${next.milestones_done},
      close_date_pushes = p.close_date_pushes + ${next.pushed}, overdue_buyer_milestones = ${next.overdue_buyer_milestones}${touched}
    where p.org_id = ${orgId} and p.id = ${planId}
    returning p.*`.execute(trx);
  const plan = stored.rows[0];
  if (!plan) throw new Error(`No plan ${planId} in organisation ${orgId} to store a schedule on`);
  return { schedule: result, plan: plan as Plan };
}

/**
 * The daily re-projection of many plans at once (schedule-refresh.server.ts), which the caller
 * has locked: reads their schedule states in one statement, computes each schedule, and stores
 * them all in one more: the moved milestones of every plan, the date history's rows and every
 * plan's stored results; with each plan's close date as it was (for the webhooks) and the plan
 * as it now is. Two round trips whatever the number of plans, where storeScheduleOnPlan takes two
 * per plan. Nothing else is touched: no version, no log entry (a re-projection is no one's change).
 */
export async function storeSchedulesOnPlans(
  trx: Transaction<DB>,
  orgId: string,
  planIds: readonly string[],
  today: string,
  actor: Actor,
  reason: string,
  at: Date,
): Promise<Array<{ before: PlanBefore; plan: Plan }>> {
  if (!planIds.length) return [];
  const { rows } = await scheduleStateRows(trx, orgId, sql`p.id = any(${planIds}::uuid[])`, true);
  const writes = rows.map((row) => {
    const state = scheduleStateOf(row, today);
    return {
      id: row.id,
      previousCloseDate: row.forecast_close_date,
      previousOverdue: row.overdue_buyer_milestones,
      ...scheduleWrites(state, scheduleOrExplain(state, state.input)),
    };
  });
  const moved = writes.flatMap((w) => w.moved);
  const dated = writes.flatMap((w) => w.dated.map((d) => ({ planId: w.id, ...d })));
  const ctes: RawBuilder<unknown>[] = [];
  if (moved.length > 0) ctes.push(movedMilestonesCte(orgId, moved));
  if (dated.length) ctes.push(datedCte(orgId, dated, reason, actor, at, today));
  const stored = await sql<Plan>`
    ${ctes.length ? sql`with ${sql.join(ctes)}` : sql``}
    update plans p set
      projected_go_live = v.projected_go_live, slip_days = v.slip_days, forecast_close_date = v.forecast_close_date,
      schedule_computed_on = ${today}, milestones_total = v.milestones_total, milestones_done = v.milestones_done,
      close_date_pushes = p.close_date_pushes + v.pushed, overdue_buyer_milestones = v.overdue_buyer_milestones
    from jsonb_to_recordset(${JSON.stringify(writes.map((w) => ({ id: w.id, ...w.plan })))}::jsonb) as v(
      id uuid, projected_go_live date, slip_days integer, forecast_close_date date, milestones_total integer,
      milestones_done integer, pushed integer, overdue_buyer_milestones integer)
    where p.org_id = ${orgId} and p.id = v.id
    returning p.*`.execute(trx);
  const byId = new Map(writes.map((w) => [w.id, w]));
  // What each plan was, for its webhooks and chat alerts: the write moved only these columns.
  return stored.rows.map((plan) => {
    const w = byId.get(plan.id)!;
    const before: PlanBefore = {
      forecast_close_date: w.previousCloseDate,
      close_date_pushes: plan.close_date_pushes - w.plan.pushed,
      overdue_buyer_milestones: w.previousOverdue,
      last_buyer_activity_at: plan.last_buyer_activity_at,
    };
    return { before, plan: plan as Plan };
  });
}

/**
 * What a new go-live date would do to the plan, computed without writing anything: the open
 * milestones whose due date moves (against the stored schedule), the close date, its fiscal
 * quarter and the slip; with whether the date may be set at all and the earliest the plan can make.
 */
export async function previewGoLive(db: Conn, orgId: string, planId: string, goLive: string, today: string): Promise<GoLivePreview> {
  const state = await loadScheduleState(db, orgId, planId, today);
  const calendar = state.input.calendar ?? {};
  const result = scheduleOrExplain(state, { ...state.input, goLive });
  const moves = result.milestones.flatMap((m) => {
    const was = state.stored.get(m.id);
    return was && !was.completed_on && was.due_date !== m.due ? [{ id: m.id, title: was.title, dueBefore: was.due_date, dueAfter: m.due }] : [];
  });
  return {
    currentGoLive: state.input.goLive,
    problemCode: goLiveDateIssue(goLive, today, calendar),
    problem: goLiveDateProblem(goLive, today, calendar),
    earliestFeasible: earliestFeasibleGoLive(result, today, calendar),
    moves,
    forecastCloseBefore: state.previousCloseDate,
    forecastCloseAfter: result.forecastCloseDate,
    quarterCrossing: fiscalQuarterCrossing(state.previousCloseDate, result.forecastCloseDate, state.fiscalYearStartMonth),
    projectedGoLiveAfter: result.projectedGoLive,
    slipDaysAfter: result.slipDays,
    conflicts: result.conflicts.map((c) => ({ ...c, title: state.stored.get(c.milestoneId)?.title ?? "" })),
  };
}
