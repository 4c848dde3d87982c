import { sql, type Kysely } from "kysely";

/*
 * Issue 24, item 3: the buyer's page and emails in the buyer's language (ADR 046). A person on a
 * plan keeps the language their page and emails are written in: set from the browser's
 * Accept-Language on their first visit, changeable on the page. Null until then (emails go out in
 * English). The codes the app speaks are checked in the app, so adding one needs no migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table stakeholders add column locale text check (locale ~ '^[a-z]{2}$')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table stakeholders drop column locale`.execute(db);
}
