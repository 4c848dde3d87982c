import { sql, type Kysely } from "kysely";

/*
 * The head of each plan's log (last seq and hash) kept on the plan row, written in the same
 * transaction as every append. A deleted LAST event leaves no gap in the chain itself; against
 * the head it shows. Appends also read the head here instead of scanning the log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table plans add column last_event_seq integer not null default 0, add column last_event_hash text`.execute(db);
  await sql`
    update plans p set last_event_seq = e.seq, last_event_hash = e.hash
    from (select distinct on (org_id, plan_id) org_id, plan_id, seq, hash from plan_events order by org_id, plan_id, seq desc) e
    where p.org_id = e.org_id and p.id = e.plan_id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table plans drop column last_event_seq, drop column last_event_hash`.execute(db);
}
