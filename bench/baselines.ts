import { CompiledQuery, sql, type Kysely } from "kysely";
import type { DB } from "../db/types";
import type { MovedMilestone } from "~/models/plan-schedule.server";

/*
 * The baselines `npm run bench` puts our code paths beside: the least the database must do for
 * the same result, with none of the app's checks. Benchmark use only; nothing in the app calls
 * these.
 */

/**
 * A buyer's "mark done" stripped to its two writes: set the date, append an event, one
 * transaction. No lock, no version check, no hash chain, no schedule: the physical floor of the
 * real write path (buyerSetDone). `seq` is the caller's: it must be free for the plan.
 */
export async function bareMarkDone(
  db: Kysely<DB>,
  input: { orgId: string; planId: string; milestoneId: string; completedOn: string | null; seq: number; actorName: string; stakeholderId: string },
) {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("milestones")
      .set({ completed_on: input.completedOn })
      .where("org_id", "=", input.orgId)
      .where("id", "=", input.milestoneId)
      .execute();
    await trx
      .insertInto("plan_events")
      .values({
        org_id: input.orgId,
        plan_id: input.planId,
        seq: input.seq,
        actor_stakeholder_id: input.stakeholderId,
        actor_name: input.actorName,
        actor_side: "buyer",
        action: input.completedOn ? "milestone.completed" : "milestone.reopened",
        entity_type: "milestone",
        entity_id: input.milestoneId,
        changes: JSON.stringify({ completed_on: { before: null, after: input.completedOn } }),
        hash: "baseline",
      })
      .execute();
  });
}

/** The highest event number of a plan (0 without events). */
export async function lastEventSeq(db: Kysely<DB>, orgId: string, planId: string): Promise<number> {
  const row = await db
    .selectFrom("plan_events")
    .select((eb) => eb.fn.max("seq").as("seq"))
    .where("org_id", "=", orgId)
    .where("plan_id", "=", planId)
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/** Runs a statement captured from the app as it is: its SQL text and parameters, nothing else. */
export async function runCompiled(db: Kysely<DB>, query: { sql: string; parameters: readonly unknown[] }) {
  return db.executeQuery(CompiledQuery.raw(query.sql, [...query.parameters]));
}

/** The database server's own description ("PostgreSQL 15.4 on …"). */
export async function databaseVersion(db: Kysely<DB>): Promise<string> {
  const result = await db.executeQuery<{ version: string }>(CompiledQuery.raw("select version() as version"));
  return result.rows[0]?.version ?? "unknown";
}

/** What the bare re-projection of a batch claimed: the last plan's id (the next batch starts after it) and how many. */
export interface BareRefreshBatch {
  plans: number;
  lastId: string | null;
  milestonesWritten: number;
  historyWritten: number;
}

/**
 * The daily re-projection of one batch stripped to its SQL (the refresh row): claim the next
 * `batchSize` stale active plans after `afterId` (locked, SKIP LOCKED, with the organisation's
 * calendar), read their milestones with each one's dependencies, and write back, in one statement,
 * the same columns of the same rows the refresher wrote in this day's run: the plans' nine stored
 * schedule columns, the milestones it moved (those with a row version newer than `sinceXid`, the
 * transaction id taken before the refresher's run, with the six schedule columns as they now are)
 * and its date-history rows (`history`, read before the timing). No scheduling in between: what
 * the database must do for the job whatever computes the dates.
 */
export async function bareRefreshBatch(
  db: Kysely<DB>,
  input: {
    orgId: string;
    today: string;
    afterId: string | null;
    batchSize: number;
    sinceXid: number;
    at: Date;
    history: ReadonlyMap<string, ReadonlyArray<{ field: string; old_date: string | null; new_date: string | null }>>;
  },
): Promise<BareRefreshBatch> {
  return db.transaction().execute(async (trx) => {
    const { rows: plans } = await sql<{
      id: string;
      projected_go_live: string | null;
      slip_days: number;
      forecast_close_date: string | null;
      milestones_total: number;
      milestones_done: number;
      close_date_pushes: number;
      overdue_buyer_milestones: number;
    }>`
      select p.id, p.go_live, p.projected_go_live, p.slip_days, p.forecast_close_date, p.milestones_total, p.milestones_done,
        p.close_date_pushes, p.overdue_buyer_milestones, p.buyer_working_weekdays, p.buyer_holidays,
        o.working_weekdays, o.holidays, o.fiscal_year_start_month
      from plans p join organisations o on o.id = p.org_id
      where p.org_id = ${input.orgId} and p.status = 'active' and (p.schedule_computed_on is null or p.schedule_computed_on < ${input.today})
        ${input.afterId ? sql`and p.id > ${input.afterId}` : sql``}
      order by p.id
      limit ${input.batchSize}
      for update of p skip locked`.execute(trx);
    if (!plans.length) return { plans: 0, lastId: null, milestonesWritten: 0, historyWritten: 0 };
    const ids = plans.map((p) => p.id);
    const { rows: milestones } = await sql<MovedMilestone & { moved: boolean }>`
      select m.plan_id, m.id, m.title, m.duration_days, m.lag_days, m.pinned_date, m.completed_on, m.is_close, m.owner_side,
        m.start_date, m.due_date, m.projected_start, m.projected_finish, m.float_days, m.schedule_status,
        coalesce((select array_agg(d.depends_on_id) from milestone_dependencies d where d.org_id = ${input.orgId} and d.milestone_id = m.id), '{}') as depends_on,
        m.xmin::text::bigint >= ${input.sinceXid} as moved
      from milestones m
      where m.org_id = ${input.orgId} and m.plan_id = any(${ids}::uuid[])
      order by m.plan_id, m.position, m.created_at`.execute(trx);
    const moved = milestones
      .filter((m) => m.moved)
      .map(({ id, start_date, due_date, projected_start, projected_finish, float_days, schedule_status }) => ({
        id,
        start_date,
        due_date,
        projected_start,
        projected_finish,
        float_days,
        schedule_status,
      }));
    const history = ids.flatMap((id) => (input.history.get(id) ?? []).map((h) => ({ plan_id: id, ...h })));
    await sql`
      with ${
        moved.length
          ? sql`moved as (
        update milestones m set
          start_date = v.start_date, due_date = v.due_date, projected_start = v.projected_start,
          projected_finish = v.projected_finish, float_days = v.float_days, schedule_status = v.schedule_status
        from jsonb_to_recordset(${JSON.stringify(moved)}::jsonb) as v(
          id uuid, start_date date, due_date date, projected_start date, projected_finish date, float_days integer, schedule_status text)
        where m.org_id = ${input.orgId} and m.id = v.id
        returning 1),`
          : sql``
      }
      ${
        history.length
          ? sql`dated as (
        insert into plan_date_history (org_id, plan_id, field, old_date, new_date, reason, actor_name, actor_side, created_at, effective_on)
        values ${sql.join(history.map((h) => sql`(${input.orgId}, ${h.plan_id}, ${h.field}, ${h.old_date}::date, ${h.new_date}::date, 'bare', 'bare', 'system', ${input.at}, ${input.today}::date)`))}
        returning 1),`
          : sql``
      }
      stored as (
        update plans p set
          projected_go_live = v.projected_go_live, slip_days = v.slip_days, forecast_close_date = v.forecast_close_date,
          schedule_computed_on = ${input.today}, milestones_total = v.milestones_total, milestones_done = v.milestones_done,
          close_date_pushes = v.close_date_pushes, overdue_buyer_milestones = v.overdue_buyer_milestones
        from jsonb_to_recordset(${JSON.stringify(plans)}::jsonb) as v(
          id uuid, projected_go_live date, slip_days integer, forecast_close_date date, milestones_total integer, milestones_done integer,
          close_date_pushes integer, overdue_buyer_milestones integer)
        where p.org_id = ${input.orgId} and p.id = v.id
        returning 1)
      select count(*) from stored`.execute(trx);
    return { plans: plans.length, lastId: ids[ids.length - 1], milestonesWritten: moved.length, historyWritten: history.length };
  });
}
