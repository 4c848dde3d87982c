import { sql, type Kysely } from "kysely";

/*
 * Issue 24, item 1: single sign-on with OpenID Connect (ADR 044).
 * - sso_connections: one identity provider per organisation: its issuer, the client id, the client
 *   secret encrypted (AES-256-GCM, never shown back), whether SSO is mandatory (passwords off) and
 *   the role people created at their first sign-in get.
 * - sso_domains: which organisation an email domain signs in to. Keyed by the domain, like
 *   account_emails by the address: the login page looks it up before any organisation is known.
 * - sso_events: the organisation's SSO log (configuration changes, sign-ins, refusals), shown on
 *   the SSO settings page.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table sso_connections (
    org_id uuid not null references organisations(id) on delete cascade,
    issuer text not null check (issuer ~ '^https?://' and length(issuer) <= 500),
    client_id text not null check (length(client_id) between 1 and 500),
    client_secret_encrypted text not null check (length(client_secret_encrypted) <= 2000),
    required boolean not null default false,
    default_role text not null default 'rep' check (default_role in ('rep', 'manager')),
    updated_at timestamptz not null default now(),
    primary key (org_id)
  )`.execute(db);
  await sql`create table sso_domains (
    domain text primary key check (domain ~ '^[a-z0-9.-]+\\.[a-z]{2,}$' and length(domain) <= 253),
    org_id uuid not null
  )`.execute(db);
  await sql`create index sso_domains_org_idx on sso_domains (org_id)`.execute(db);
  await sql`create table sso_events (
    org_id uuid not null references organisations(id) on delete cascade,
    id uuid not null default gen_random_uuid(),
    at timestamptz not null,
    kind text not null check (kind in ('configured', 'removed', 'signed-in', 'created', 'refused')),
    actor_name text not null,
    detail text not null default '' check (length(detail) <= 500),
    primary key (org_id, id)
  )`.execute(db);
  await sql`create index sso_events_at_idx on sso_events (org_id, at desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table sso_events`.execute(db);
  await sql`drop table sso_domains`.execute(db);
  await sql`drop table sso_connections`.execute(db);
}
