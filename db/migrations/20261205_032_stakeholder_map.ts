import { sql, type Kysely } from "kysely";

/*
 * Issue 22, the stakeholder map: a buyer-side person's role in the decision, whom they report to
 * (another person on the same plan, checked by the command that sets it), and the rep's private
 * read of their influence and sentiment (ADR 036). The reports-to key carries org_id and has no
 * ON DELETE action: removing a person clears the reports-to of those under them in the same
 * command, which logs it (ADR 030 rules out SET NULL of one column on Citus).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table stakeholders
    add column decision_role text check (decision_role in
      ('champion', 'economic_buyer', 'decision_maker', 'technical_evaluator', 'legal', 'procurement', 'security', 'user')),
    add column reports_to_id uuid check (reports_to_id <> id),
    add column influence text check (influence in ('low', 'medium', 'high')),
    add column sentiment text check (sentiment in ('supporter', 'neutral', 'detractor')),
    add column private_note text not null default '' check (length(private_note) <= 2000),
    add constraint stakeholders_reports_to_fkey foreign key (org_id, reports_to_id) references stakeholders(org_id, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table stakeholders
    drop constraint stakeholders_reports_to_fkey,
    drop column decision_role, drop column reports_to_id, drop column influence, drop column sentiment, drop column private_note`.execute(db);
}
