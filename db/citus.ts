import { sql, type Kysely } from "kysely";
import { takeMigrationLock } from "./migration-lock";

/*
 * Where each table lives on a Citus cluster (ADR 030). On plain PostgreSQL and PGlite nothing here
 * runs: the same schema, the same SQL, one server.
 *
 * - "tenant": hash-distributed by org_id and co-located with organisations, so every statement
 *   that names one organisation runs on one shard, joins and foreign keys included.
 * - "own key": hash-distributed by another column because the row exists before any organisation
 *   is known (a failed login, an email address being looked up); each lookup names that column.
 * - "reference": copied to every node; only for tables written a handful of times in their life.
 * - local tables (Kysely's migration bookkeeping) stay on the coordinator.
 *
 * Listed in the order Citus needs (a referenced table before the tables that point at it). A new
 * table must be added here; tests/integration/database.test.ts fails until it is.
 */
export type Placement = { kind: "tenant" } | { kind: "own key"; column: string } | { kind: "reference" } | { kind: "local" };

export const TABLE_PLACEMENT: ReadonlyArray<readonly [table: string, placement: Placement]> = [
  ["organisations", { kind: "own key", column: "id" }],
  ["users", { kind: "tenant" }],
  ["plans", { kind: "tenant" }],
  ["stakeholders", { kind: "tenant" }],
  ["milestones", { kind: "tenant" }],
  ["milestone_dependencies", { kind: "tenant" }],
  ["share_links", { kind: "tenant" }],
  ["buyer_sessions", { kind: "tenant" }],
  ["plan_events", { kind: "tenant" }],
  ["plan_date_history", { kind: "tenant" }],
  ["comments", { kind: "tenant" }],
  ["templates", { kind: "tenant" }],
  ["template_milestones", { kind: "tenant" }],
  ["template_dependencies", { kind: "tenant" }],
  ["email_outbox", { kind: "tenant" }],
  ["notification_preferences", { kind: "tenant" }],
  ["calendar_feeds", { kind: "tenant" }],
  ["api_tokens", { kind: "tenant" }],
  ["api_rate_limits", { kind: "tenant" }],
  ["webhook_endpoints", { kind: "tenant" }],
  ["webhook_deliveries", { kind: "tenant" }],
  ["buyer_activity_notices", { kind: "tenant" }],
  ["buyer_engagement", { kind: "tenant" }],
  ["account_tokens", { kind: "tenant" }],
  ["organisation_branding", { kind: "tenant" }],
  ["sso_connections", { kind: "tenant" }],
  ["sso_events", { kind: "tenant" }],
  ["sessions", { kind: "tenant" }],
  ["resources", { kind: "tenant" }],
  ["resource_versions", { kind: "tenant" }],
  ["resource_chunks", { kind: "tenant" }],
  ["resource_requirements", { kind: "tenant" }],
  ["auth_throttle", { kind: "own key", column: "key" }],
  ["account_emails", { kind: "own key", column: "email" }],
  ["sso_domains", { kind: "own key", column: "domain" }],
  ["app_secrets", { kind: "reference" }],
  // Renewed every few seconds by every app server: a reference table would copy each write to every node.
  ["job_leases", { kind: "own key", column: "job" }],
  ["kysely_migration", { kind: "local" }],
  ["kysely_migration_lock", { kind: "local" }],
];

export async function hasCitus<T>(db: Kysely<T>): Promise<boolean> {
  const { rows } = await sql<{ present: boolean }>`select exists (select 1 from pg_extension where extname = 'citus') as present`.execute(db);
  return rows[0]?.present ?? false;
}

/**
 * Distributes every table not yet distributed, in TABLE_PLACEMENT's order; a no-op without the
 * citus extension and on a cluster where it has been done. Runs after every migration run, so an
 * existing database moved onto Citus (extension created, workers added) is distributed by the next
 * `npm run migrate`, and a table a later migration adds is placed as soon as it exists.
 */
export async function distributeOnCitus<T>(db: Kysely<T>): Promise<string[]> {
  if (!(await hasCitus(db))) return [];
  const unplaced = new Set(await unplacedTables(db));
  const done: string[] = [];
  for (const [table, placement] of TABLE_PLACEMENT) {
    if (!unplaced.has(table)) continue;
    const placedHere = await db.transaction().execute(async (trx) => {
      // Another server's migration run may be placing the same tables: one at a time, and each
      // looked at again once this one holds the lock.
      await takeMigrationLock(trx);
      if (!(await unplacedTables(trx)).includes(table)) return false;
      // plan_events refuses updates and deletes with a trigger (ADR 009); Citus runs row triggers on
      // the shards and asks for this switch before it distributes a table that has one.
      await sql`set local citus.enable_unsafe_triggers = on`.execute(trx);
      // Foreign keys between co-located shards are checked over one connection per worker.
      await sql`set local citus.multi_shard_modify_mode = 'sequential'`.execute(trx);
      if (placement.kind === "reference") await sql`select create_reference_table(${table}::regclass)`.execute(trx);
      else if (placement.kind === "own key")
        await sql`select create_distributed_table(${table}::regclass, ${placement.column}, colocate_with => 'none')`.execute(trx);
      else await sql`select create_distributed_table(${table}::regclass, 'org_id', colocate_with => 'organisations')`.execute(trx);
      return true;
    });
    if (placedHere) done.push(table);
  }
  // Rows that were there before (a database moved onto the cluster) have been copied to the shards;
  // the coordinator's own copies are dead weight. Referencing tables first, once all are placed.
  for (const table of [...done].reverse()) await sql`select truncate_local_data_after_distributing_table(${table}::regclass)`.execute(db);
  return done;
}

/**
 * The tables TABLE_PLACEMENT puts on the workers that Citus has not placed yet: none once
 * distributeOnCitus has run. What measures the cluster checks it first, as statements on such a
 * table run on the coordinator alone and would look single-shard and fast.
 */
export async function unplacedTables<T>(db: Kysely<T>): Promise<string[]> {
  const { rows } = await sql<{ table: string }>`
    select c.relname as table from pg_class c join pg_namespace n on n.oid = c.relnamespace
    join pg_dist_partition p on p.logicalrelid = c.oid where n.nspname = 'public'`.execute(db);
  const placed = new Set(rows.map((r) => r.table));
  return TABLE_PLACEMENT.filter(([table, placement]) => placement.kind !== "local" && !placed.has(table)).map(([table]) => table);
}
