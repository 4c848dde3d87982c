import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../../db/types";
import { schedulePlan, type ScheduleInput, type ScheduleResult } from "../domain/schedule";
import type { Actor } from "../domain/plan-events";
import { calendarOf } from "./organisation.server";

/** Everything schedulePlan needs for one plan, read in three queries whatever the plan's size. */
export async function loadScheduleInput(
  trx: Kysely<DB> | Transaction<DB>,
  orgId: string,
  planId: string,
  today: string,
): Promise<ScheduleInput> {
  const plan = await trx
    .selectFrom("plans")
    .innerJoin("organisations as o", "o.id", "plans.org_id")
    .select(["plans.go_live", "o.working_weekdays", "o.holidays"])
    .where("plans.org_id", "=", orgId)
    .where("plans.id", "=", planId)
    .executeTakeFirstOrThrow();
  const milestones = await trx
    .selectFrom("milestones")
    .select(["id", "duration_days", "lag_days", "pinned_date", "completed_on", "is_close"])
    .where("org_id", "=", orgId)
    .where("plan_id", "=", planId)
    .orderBy("position")
    .orderBy("created_at")
    .execute();
  const deps = await trx
    .selectFrom("milestone_dependencies")
    .select(["milestone_id", "depends_on_id"])
    .where("org_id", "=", orgId)
    .where("plan_id", "=", planId)
    .execute();

  const dependsOn = new Map<string, string[]>();
  for (const d of deps) {
    const list = dependsOn.get(d.milestone_id) ?? [];
    list.push(d.depends_on_id);
    dependsOn.set(d.milestone_id, list);
  }
  return {
    goLive: plan.go_live,
    today,
    calendar: calendarOf(plan),
    milestones: milestones.map((m) => ({
      id: m.id,
      durationDays: m.duration_days,
      lagDays: m.lag_days,
      dependsOn: dependsOn.get(m.id) ?? [],
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

  const before = await trx
    .selectFrom("plans")
    .select("forecast_close_date")
    .where("org_id", "=", orgId)
    .where("id", "=", planId)
    .executeTakeFirstOrThrow();
  const done = result.milestones.filter((m) => m.status === "done").length;
  await trx
    .updateTable("plans")
    .set({
      projected_go_live: result.projectedGoLive,
      slip_days: result.slipDays,
      forecast_close_date: result.forecastCloseDate,
      schedule_computed_on: today,
      milestones_total: result.milestones.length,
      milestones_done: done,
    })
    .where("org_id", "=", orgId)
    .where("id", "=", planId)
    .execute();

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
  return result;
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
