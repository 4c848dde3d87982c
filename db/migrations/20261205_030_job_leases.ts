import { sql, type Kysely } from "kysely";

/*
 * Issue 21: each periodic job (the re-projection, the email scheduler and dispatcher, the webhook
 * dispatcher) runs on one app server at a time. A row per job says which instance holds it and
 * until when, by the database's clock; any instance may take a row whose time has run out
 * (ADR 032). A row, not a session advisory lock, so it holds through a transaction pooler, and on
 * Citus, where it is distributed by the job's name.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table job_leases (
    job text primary key,
    holder text not null,
    acquired_at timestamptz not null,
    expires_at timestamptz not null,
    last_run_at timestamptz,
    runs bigint not null default 0
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table job_leases`.execute(db);
}
