import { sql, type Kysely } from "kysely";

/*
 * What each plan showed on each day, for forecast accuracy (docs/decisions/027-forecast-history.md).
 * The date history already kept the forecast close date and go-live; it now also keeps the rep's
 * CRM close date, the plan's projected close (forward pass) and the buyer's confirmation of an
 * unchanged go-live, each with the plan day it belongs to (`effective_on`: the command's `today`).
 *
 * Earlier CRM dates and confirmations are recovered from the hash-chained log. Earlier projected
 * closes were never stored anywhere, so their history starts with this migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table plan_date_history drop constraint plan_date_history_field_check`.execute(db);
  await sql`alter table plan_date_history add constraint plan_date_history_field_check
    check (field in ('forecast_close_date', 'go_live', 'go_live_confirmed', 'crm_close_date', 'projected_close'))`.execute(db);
  await sql`alter table plan_date_history add column effective_on date`.execute(db);
  await sql`update plan_date_history set effective_on = (created_at at time zone 'UTC')::date`.execute(db);
  await sql`alter table plan_date_history alter column effective_on set not null`.execute(db);
  await sql`alter table plan_date_history alter column effective_on set default current_date`.execute(db);

  // The CRM date each plan started with: the first logged change's "before", else today's value.
  await sql`
    insert into plan_date_history (org_id, plan_id, field, old_date, new_date, actor_name, actor_side, created_at, effective_on)
    select p.org_id, p.id, 'crm_close_date', null,
           case when exists (select 1 from plan_events e where e.org_id = p.org_id and e.plan_id = p.id and e.changes ? 'crm_close_date')
                then (select (e.changes -> 'crm_close_date' ->> 'before')::date from plan_events e
                      where e.org_id = p.org_id and e.plan_id = p.id and e.changes ? 'crm_close_date' order by e.seq limit 1)
                else p.crm_close_date end,
           'history', 'system', p.created_at, (p.created_at at time zone 'UTC')::date
    from plans p
    where p.crm_close_date is not null
       or exists (select 1 from plan_events e where e.org_id = p.org_id and e.plan_id = p.id and e.changes ? 'crm_close_date')`.execute(db);
  await sql`
    insert into plan_date_history (org_id, plan_id, field, old_date, new_date, actor_name, actor_side, created_at, effective_on)
    select e.org_id, e.plan_id, 'crm_close_date', (e.changes -> 'crm_close_date' ->> 'before')::date, (e.changes -> 'crm_close_date' ->> 'after')::date,
           e.actor_name, e.actor_side, e.created_at, (e.created_at at time zone 'UTC')::date
    from plan_events e
    where e.changes ? 'crm_close_date'`.execute(db);
  await sql`
    insert into plan_date_history (org_id, plan_id, field, old_date, new_date, actor_name, actor_side, created_at, effective_on)
    select e.org_id, e.plan_id, 'go_live_confirmed', (e.changes -> 'go_live' ->> 'before')::date, (e.changes -> 'go_live' ->> 'after')::date,
           e.actor_name, e.actor_side, e.created_at, (e.created_at at time zone 'UTC')::date
    from plan_events e
    where e.action = 'plan.go_live_confirmed'`.execute(db);
  // The projection as it stands today: where its history begins.
  await sql`
    insert into plan_date_history (org_id, plan_id, field, old_date, new_date, actor_name, actor_side, effective_on)
    select m.org_id, m.plan_id, 'projected_close', null, m.projected_finish, 'history', 'system', current_date
    from milestones m
    where m.is_close and m.projected_finish is not null`.execute(db);
  await sql`create index plan_date_history_day_idx on plan_date_history (org_id, plan_id, effective_on)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index plan_date_history_day_idx`.execute(db);
  await sql`delete from plan_date_history where field in ('go_live_confirmed', 'crm_close_date', 'projected_close')`.execute(db);
  await sql`alter table plan_date_history drop column effective_on`.execute(db);
  await sql`alter table plan_date_history drop constraint plan_date_history_field_check`.execute(db);
  await sql`alter table plan_date_history add constraint plan_date_history_field_check check (field in ('forecast_close_date', 'go_live'))`.execute(db);
}
