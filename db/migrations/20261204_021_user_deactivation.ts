import { sql, type Kysely } from "kysely";

/*
 * A departed teammate is deactivated, never deleted (docs/decisions/021-deactivating-users.md):
 * their plans, log entries and comments keep their name. NULL = active. Who may sign in, whose
 * session still opens pages and who can be picked as an owner or manager all read this column.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users add column deactivated_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users drop column deactivated_at`.execute(db);
}
