import { sql, type Kysely } from "kysely";

/**
 * Waits for, then holds until the end of the caller's transaction, the lock every migration run
 * takes (ADR 031). Transaction-level on purpose: through a transaction pooler (PgBouncer's
 * `pool_mode = transaction`) a session-level lock and its unlock may land on different server
 * connections, and the lock stays behind on one of them. Outside a transaction it holds nothing.
 */
export async function takeMigrationLock<T>(trx: Kysely<T>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('plan-together migrations'))`.execute(trx);
}
