import { sql, type Kysely } from "kysely";

/*
 * Issue 22, engagement per person (ADR 037): per buyer-side person on a plan, when they first and
 * last looked, how many visits (a view after half an hour away starts one), and which milestones
 * and resources they opened (small JSON sets of ids). No IP address or user agent. The row goes
 * with the person or the plan. Existing people start from their links' visit counters, so a rep
 * does not see "has not opened the plan yet" for a buyer who has.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table buyer_engagement (
      org_id uuid not null references organisations(id) on delete cascade,
      plan_id uuid not null,
      stakeholder_id uuid not null,
      first_visit_at timestamptz not null,
      last_visit_at timestamptz not null,
      visits integer not null check (visits >= 0),
      milestones_opened jsonb not null default '[]'::jsonb check (jsonb_typeof(milestones_opened) = 'array'),
      resources_opened jsonb not null default '[]'::jsonb check (jsonb_typeof(resources_opened) = 'array'),
      primary key (org_id, plan_id, stakeholder_id),
      foreign key (org_id, plan_id) references plans(org_id, id) on delete cascade,
      foreign key (org_id, stakeholder_id) references stakeholders(org_id, id) on delete cascade
    )`.execute(db);
  await sql`
    insert into buyer_engagement (org_id, plan_id, stakeholder_id, first_visit_at, last_visit_at, visits)
    select org_id, plan_id, stakeholder_id, min(first_visit_at), max(last_visit_at), sum(visit_count)
    from share_links
    where visit_count > 0 and first_visit_at is not null and last_visit_at is not null
    group by org_id, plan_id, stakeholder_id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table buyer_engagement`.execute(db);
}
