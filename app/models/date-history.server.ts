import { sql, type Transaction } from "kysely";
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
 * A plan's date history as JSON rows in the order they replay (day, then writing order), for a
 * statement over plans aliased `p` of organisation `orgId`: the one way forecast accuracy reads
 * history. Filtered by the organisation itself, not correlated on p.org_id: Citus sends a
 * statement to one shard only when every table in it names the organisation.
 */
export function dateHistoryJson(orgId: string) {
  return sql<DateHistoryRow[]>`coalesce((
    select json_agg(json_build_object('field', h.field, 'newDate', h.new_date, 'actorSide', h.actor_side, 'effectiveOn', h.effective_on)
                    order by h.effective_on, h.created_at, h.id)
    from plan_date_history h
    where h.org_id = ${orgId} and h.plan_id = p.id
  ), '[]'::json)`;
}

/** What each plan showed day by day, replayed from its date history (ADR 027). */
export async function forecastStatesOf(db: Conn, orgId: string, planIds: readonly string[]): Promise<Map<string, ForecastState[]>> {
  if (!planIds.length) return new Map();
  const { rows } = await sql<{ id: string; history: DateHistoryRow[] }>`
    select p.id, ${dateHistoryJson(orgId)} as history from plans p where p.org_id = ${orgId} and p.id = any(${planIds as string[]})`.execute(db);
  return new Map(rows.map((r) => [r.id, replayDateHistory(r.history)]));
}
