import { sql, type Kysely } from "kysely";

/*
 * Passwords nobody else types (issue 17, item 8; ADR 020). A user without a password hash has been
 * invited and has not chosen one yet: they cannot sign in. Set-password links (an invitation or a
 * reset) live in account_tokens: only the token's SHA-256 is stored; a row is spent once (used_at),
 * superseded by a newer link (replaced_at), or runs out (expires_at). Rows are kept after use so a
 * used or replaced link can say so, and so reset emails can be counted per account.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users alter column password_hash drop not null`.execute(db);
  await sql`create table account_tokens (
    org_id uuid not null,
    id uuid not null default gen_random_uuid(),
    user_id uuid not null,
    purpose text not null check (purpose in ('invite', 'reset')),
    token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
    created_at timestamptz not null,
    expires_at timestamptz not null,
    used_at timestamptz,
    replaced_at timestamptz,
    primary key (org_id, id),
    foreign key (org_id, user_id) references users(org_id, id) on delete cascade,
    check (expires_at > created_at)
  )`.execute(db);
  await sql`create index account_tokens_user_idx on account_tokens (org_id, user_id, created_at desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table account_tokens`.execute(db);
  // An invited user who never chose a password could not sign in before either: give them an unusable hash.
  await sql`update users set password_hash = '!' where password_hash is null`.execute(db);
  await sql`alter table users alter column password_hash set not null`.execute(db);
}
