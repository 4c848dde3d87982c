import { sql, type Kysely } from "kysely";

/*
 * The forecast reads two per-plan facts from the plan row (app/models/forecast-facts.server.ts):
 * quarter pushes of the close date and overdue buyer milestones. Both are backfilled here from the
 * history and the milestones, with the same rules as the write path. The scope index then carries
 * every column the forecast page reads, so the page is one index-only pass over the team's plans;
 * the indexes that served the per-request history and milestone scans go.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table plans
    add column close_date_pushes integer not null default 0,
    add column overdue_buyer_milestones integer not null default 0`.execute(db);
  const quarter = (column: string) =>
    sql.raw(`((date_part('year', ${column})::int * 12 + date_part('month', ${column})::int - o.fiscal_year_start_month) / 3)`);
  await sql`
    update plans p set close_date_pushes = x.n
    from (
      select h.org_id, h.plan_id, count(*)::int as n
      from plan_date_history h
      join organisations o on o.id = h.org_id
      where h.field = 'forecast_close_date' and h.new_date > h.old_date and ${quarter("h.new_date")} > ${quarter("h.old_date")}
      group by h.org_id, h.plan_id
    ) x
    where p.org_id = x.org_id and p.id = x.plan_id`.execute(db);
  await sql`
    update plans p set overdue_buyer_milestones = x.n
    from (
      select m.org_id, m.plan_id, count(*)::int as n
      from milestones m
      join plans q on q.org_id = m.org_id and q.id = m.plan_id
      where m.owner_side = 'buyer' and m.completed_on is null and m.due_date < coalesce(q.schedule_computed_on, current_date)
      group by m.org_id, m.plan_id
    ) x
    where p.org_id = x.org_id and p.id = x.plan_id`.execute(db);
  for (const index of ["plans_forecast_scope_idx", "plans_rep_date_earlier_idx", "milestones_open_buyer_due_idx", "plan_date_history_forward_idx"]) {
    await sql.raw(`drop index if exists ${index}`).execute(db);
  }
  await sql`create index plans_forecast_scope_idx on plans (org_id, owner_id, forecast_close_date)
     include (id, value, currency, slip_days, go_live_confirmed_at, last_buyer_activity_at, created_at,
              crm_close_date, close_date_pushes, overdue_buyer_milestones)
     where status = 'active'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists plans_forecast_scope_idx`.execute(db);
  await sql`alter table plans drop column close_date_pushes, drop column overdue_buyer_milestones`.execute(db);
  await sql`create index plans_forecast_scope_idx on plans (org_id, owner_id, forecast_close_date)
     include (id, value, currency, slip_days, go_live_confirmed_at, last_buyer_activity_at, created_at)
     where status = 'active'`.execute(db);
  await sql`create index plans_rep_date_earlier_idx on plans (org_id, owner_id)
     include (id, value, crm_close_date, forecast_close_date)
     where status = 'active' and crm_close_date < forecast_close_date`.execute(db);
  await sql`create index milestones_open_buyer_due_idx on milestones (org_id, due_date, plan_id)
     where owner_side = 'buyer' and completed_on is null`.execute(db);
  await sql`create index plan_date_history_forward_idx on plan_date_history (org_id, plan_id)
     include (old_date, new_date) where field = 'forecast_close_date' and new_date > old_date`.execute(db);
}
