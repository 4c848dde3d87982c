import { sql, type Kysely } from "kysely";

/*
 * Secrets the portal makes for itself on first start (today: the key that signs email links and
 * derives calendar feed addresses) when the operator configured none. Global, not per
 * organisation: one row per purpose, written once, read at start.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table app_secrets (
    name text primary key,
    value text not null,
    created_at timestamptz not null default now()
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table app_secrets`.execute(db);
}
