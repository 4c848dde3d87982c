import type { Transaction } from "kysely";
import type { DB } from "../../db/types";
import { replayDateHistory, type DateHistoryField, type DateHistoryRow, type ForecastState } from "~/domain/forecast-accuracy";
import type { Actor } from "~/domain/plan-events";
import type { Conn } from "~/models/conn";

/**
 * Keeps one change of a plan's dates in its date history, under the plan's day (the command's
 * `today`), inside the command's transaction. The forecast close and projected close are kept by
 * the schedule's own write (plan-schedule.server.ts); this is for the dates people set.
 */
export async function recordDateChange(
  trx: Transaction<DB>,
  change: {
    orgId: string;
    planId: string;
    field: DateHistoryField;
    before: string | null;
    after: string | null;
    actor: Actor;
    today: string;
    reason?: string | null;
    at?: Date;
  },
) {
  await trx
    .insertInto("plan_date_history")
    .values({
      org_id: change.orgId,
      plan_id: change.planId,
      field: change.field,
      old_date: change.before,
      new_date: change.after,
      reason: change.reason ?? null,
      actor_name: change.actor.name,
      actor_side: change.actor.side,
      created_at: change.at ?? new Date(),
      effective_on: change.today,
    })
    .execute();
}

/**
 * What each plan showed day by day, replayed from its date history (ADR 027): the input of
 * forecast accuracy, and what the reconstruction test compares with the pages.
 */
export async function forecastStatesOf(db: Conn, orgId: string, planIds: readonly string[]): Promise<Map<string, ForecastState[]>> {
  const byPlan = new Map<string, DateHistoryRow[]>();
  if (!planIds.length) return new Map();
  const rows = await db
    .selectFrom("plan_date_history")
    .select(["plan_id", "field", "new_date", "actor_side", "effective_on"])
    .where("org_id", "=", orgId)
    .where("plan_id", "in", planIds)
    .orderBy("plan_id")
    .orderBy("effective_on")
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  for (const r of rows) {
    const list = byPlan.get(r.plan_id) ?? [];
    list.push({ field: r.field, newDate: r.new_date, actorSide: r.actor_side, effectiveOn: r.effective_on });
    byPlan.set(r.plan_id, list);
  }
  return new Map([...byPlan].map(([planId, list]) => [planId, replayDateHistory(list)]));
}
