import { sql, type Kysely } from "kysely";

/*
 * Where each plan's buyer-activity emails got to: the last log entry already told (or looked at)
 * and when the last such email went out (at most one per plan every 15 minutes). Existing plans
 * start at their log's head, so turning this on does not email the rep a plan's whole history.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table buyer_activity_notices (
      org_id uuid not null references organisations(id) on delete cascade,
      plan_id uuid not null,
      last_seq integer not null check (last_seq >= 0),
      last_sent_at timestamptz,
      primary key (org_id, plan_id),
      foreign key (org_id, plan_id) references plans(org_id, id) on delete cascade
    )`.execute(db);
  await sql`insert into buyer_activity_notices (org_id, plan_id, last_seq) select org_id, id, last_event_seq from plans`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table buyer_activity_notices`.execute(db);
}
