import { sql, type Kysely } from "kysely";

/*
 * How a deal ended (issue 19, docs/decisions/026-closing-a-plan.md): won, lost or no decision, on
 * the day it really closed, with a reason for a loss. The close date is its own column because
 * the last edit of a closed plan (a typo fixed a month later) is not the day it closed; the
 * forecast-accuracy work compares forecasts with this date. A check keeps the close fields on
 * closed plans only, so a plan cannot be half closed by any writer.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table plans drop constraint if exists plans_status_check`.execute(db);
  await sql`alter table plans add constraint plans_status_check check (status in ('active', 'won', 'lost', 'no_decision', 'paused'))`.execute(db);
  await sql`alter table plans add column closed_on date`.execute(db);
  await sql`alter table plans add column loss_reason text check (loss_reason in ('competitor', 'no_decision', 'budget', 'timing', 'other'))`.execute(db);
  await sql`alter table plans add column close_note text check (length(close_note) <= 2000)`.execute(db);
  // Plans already won or lost closed when their status last changed to it (the log says when,
  // in the organisation's time zone); plans marked so without a logged change, when last updated.
  await sql`
    update plans p set closed_on = coalesce((
        select (e.created_at at time zone o.time_zone)::date from plan_events e
        where e.org_id = p.org_id and e.plan_id = p.id and e.changes -> 'status' ->> 'after' = p.status
        order by e.seq desc limit 1
      ), (p.updated_at at time zone o.time_zone)::date)
    from organisations o
    where o.id = p.org_id and p.status in ('won', 'lost')`.execute(db);
  await sql`alter table plans add constraint plans_closed_on_iff_closed check ((status in ('won', 'lost', 'no_decision')) = (closed_on is not null))`.execute(
    db,
  );
  await sql`alter table plans add constraint plans_loss_reason_if_lost check (loss_reason is null or status = 'lost')`.execute(db);
  await sql`alter table plans add constraint plans_close_note_if_closed check (close_note is null or closed_on is not null)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update plans set status = 'lost' where status = 'no_decision'`.execute(db);
  await sql`alter table plans drop constraint plans_close_note_if_closed`.execute(db);
  await sql`alter table plans drop constraint plans_loss_reason_if_lost`.execute(db);
  await sql`alter table plans drop constraint plans_closed_on_iff_closed`.execute(db);
  await sql`alter table plans drop column close_note`.execute(db);
  await sql`alter table plans drop column loss_reason`.execute(db);
  await sql`alter table plans drop column closed_on`.execute(db);
  await sql`alter table plans drop constraint plans_status_check`.execute(db);
  await sql`alter table plans add constraint plans_status_check check (status in ('active', 'won', 'lost', 'paused'))`.execute(db);
}
