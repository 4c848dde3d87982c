import { sql, type Kysely } from "kysely";

/*
 * Issue 20: a schema Citus can distribute by org_id (ADR 030), the same on every engine. The
 * distribution itself is db/citus.ts, run after the migrations when the citus extension is there.
 *
 * - Citus refuses `on delete set null (col)` on a key that holds the distribution column. Users and
 *   share links are never deleted (deactivated, revoked); a plan only with its organisation; so the
 *   user references become plain keys, the outbox's plan and link references cascade (a deleted
 *   plan's unsent mail goes with it), and removing a stakeholder clears their milestones itself.
 * - A unique index must hold the distribution column. Token hashes stay unique per organisation
 *   (256-bit secrets never collide across them), with a plain index on the hash alone for tokens
 *   issued before they carried their organisation.
 * - One account per email (ADR 019) cannot be a unique index on users once users are spread by
 *   organisation: account_emails holds the rule, distributed by the address itself, so sign-in by
 *   email asks one shard for the organisation and then one shard for the user.
 */
const plainUserKeys: Array<[table: string, constraint: string, column: string, references: string]> = [
  ["users", "users_org_id_manager_id_fkey", "manager_id", "users"],
  ["stakeholders", "stakeholders_org_id_user_id_fkey", "user_id", "users"],
  ["milestones", "milestones_org_id_owner_stakeholder_id_fkey", "owner_stakeholder_id", "stakeholders"],
  ["share_links", "share_links_org_id_created_by_fkey", "created_by", "users"],
  ["templates", "templates_org_id_created_by_fkey", "created_by", "users"],
  ["api_tokens", "api_tokens_org_id_created_by_fkey", "created_by", "users"],
  ["webhook_endpoints", "webhook_endpoints_org_id_created_by_fkey", "created_by", "users"],
];
const cascadingKeys: Array<[table: string, constraint: string, column: string, references: string]> = [
  ["email_outbox", "email_outbox_org_id_plan_id_fkey", "plan_id", "plans"],
  ["email_outbox", "email_outbox_org_id_share_link_id_fkey", "share_link_id", "share_links"],
];
const tokenIndexes: Array<[table: string, index: string, column: string]> = [
  ["share_links", "share_links_token_idx", "token_hash"],
  ["buyer_sessions", "buyer_sessions_id_idx", "id"],
  ["calendar_feeds", "calendar_feeds_token_idx", "token_hash"],
  ["api_tokens", "api_tokens_hash_idx", "token_hash"],
];

async function replaceForeignKey(db: Kysely<unknown>, [table, constraint, column, references]: [string, string, string, string], onDelete: string) {
  await sql
    .raw(
      `alter table ${table} drop constraint ${constraint}, add constraint ${constraint} foreign key (org_id, ${column}) references ${references} (org_id, id)${onDelete}`,
    )
    .execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const key of plainUserKeys) await replaceForeignKey(db, key, "");
  for (const key of cascadingKeys) await replaceForeignKey(db, key, " on delete cascade");

  for (const [table, index, column] of tokenIndexes) {
    await sql.raw(`drop index ${index}`).execute(db);
    await sql.raw(`create unique index ${index} on ${table} (org_id, ${column})`).execute(db);
    await sql.raw(`create index ${table}_${column}_legacy_idx on ${table} (${column})`).execute(db);
  }
  // sessions.id is the hash already, and (org_id, id) its primary key.
  await sql`drop index sessions_id_idx`.execute(db);
  await sql`create index sessions_id_legacy_idx on sessions (id)`.execute(db);
  await sql`alter table account_tokens drop constraint account_tokens_token_hash_key`.execute(db);
  await sql`create unique index account_tokens_token_idx on account_tokens (org_id, token_hash)`.execute(db);
  await sql`create index account_tokens_token_hash_legacy_idx on account_tokens (token_hash)`.execute(db);

  await sql`create table account_emails (
    email text primary key,
    org_id uuid not null,
    user_id uuid not null
  )`.execute(db);
  await sql`insert into account_emails (email, org_id, user_id) select email, org_id, id from users`.execute(db);
  await sql`drop index users_email_key`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create unique index users_email_key on users (email)`.execute(db);
  await sql`drop table account_emails`.execute(db);
  await sql`drop index account_tokens_token_hash_legacy_idx`.execute(db);
  await sql`drop index account_tokens_token_idx`.execute(db);
  await sql`alter table account_tokens add constraint account_tokens_token_hash_key unique (token_hash)`.execute(db);
  await sql`drop index sessions_id_legacy_idx`.execute(db);
  await sql`create unique index sessions_id_idx on sessions (id)`.execute(db);
  for (const [table, index, column] of tokenIndexes) {
    await sql.raw(`drop index ${table}_${column}_legacy_idx`).execute(db);
    await sql.raw(`drop index ${index}`).execute(db);
    await sql.raw(`create unique index ${index} on ${table} (${column})`).execute(db);
  }
  for (const key of [...plainUserKeys, ...cascadingKeys]) await replaceForeignKey(db, key, ` on delete set null (${key[2]})`);
}
