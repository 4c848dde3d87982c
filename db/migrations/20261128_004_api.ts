import { sql, type Kysely } from "kysely";

/*
 * The CRM integration: API tokens, webhook endpoints and their deliveries (issue 8).
 *  - api_tokens: only the SHA-256 of a token is stored (like share links); the token itself is
 *    shown once. The lookup by hash spans organisations (the token names its organisation), hence
 *    the unique index on token_hash alone. A per-token rate limit lives on the row.
 *  - api_rate_limits: fixed one-minute windows per token, counted in the database so every app
 *    server sees the same counts.
 *  - webhook_endpoints: the signing secret is stored as is. It cannot be hashed: an HMAC signature
 *    is computed FROM the secret for every delivery, so the dispatcher needs the secret itself
 *    (a hash would only let us check a secret, never sign with it).
 *  - webhook_deliveries: a transactional outbox like email_outbox (written in the change's
 *    transaction; leased SKIP LOCKED claims; backoff). `seq` orders deliveries: a delivery is sent
 *    only when no earlier pending delivery exists for the same endpoint and plan (head of line per
 *    plan). The plan row lock held by every write makes seq order the commit order per plan.
 */
const statements = [
  `create table api_tokens (
     org_id uuid not null references organisations(id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     name text not null check (length(name) between 1 and 100),
     token_hash text not null,
     scope text not null check (scope in ('read', 'read_write')),
     rate_limit_per_minute integer not null default 600 check (rate_limit_per_minute between 1 and 100000),
     created_by uuid,
     created_at timestamptz not null default now(),
     last_used_at timestamptz,
     revoked_at timestamptz,
     primary key (org_id, id),
     foreign key (org_id, created_by) references users(org_id, id) on delete set null (created_by)
   )`,
  `create unique index api_tokens_hash_idx on api_tokens (token_hash)`,

  `create table api_rate_limits (
     org_id uuid not null references organisations(id) on delete cascade,
     token_id uuid not null,
     window_start timestamptz not null,
     count integer not null default 0,
     primary key (org_id, token_id, window_start),
     foreign key (org_id, token_id) references api_tokens(org_id, id) on delete cascade
   )`,

  `create table webhook_endpoints (
     org_id uuid not null references organisations(id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     url text not null check (length(url) between 8 and 2000),
     -- kept in clear: signing needs the secret itself (see above)
     secret text not null,
     events jsonb not null default '[]' check (jsonb_typeof(events) = 'array'),
     active boolean not null default true,
     created_by uuid,
     created_at timestamptz not null default now(),
     primary key (org_id, id),
     foreign key (org_id, created_by) references users(org_id, id) on delete set null (created_by)
   )`,

  `create table webhook_deliveries (
     org_id uuid not null references organisations(id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     seq bigint generated always as identity,
     endpoint_id uuid not null,
     plan_id uuid,
     event_type text not null,
     event_id uuid not null,
     payload jsonb not null,
     status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
     attempts integer not null default 0,
     next_attempt_at timestamptz not null default now(),
     locked_until timestamptz,
     last_status_code integer,
     last_error text,
     delivered_at timestamptz,
     created_at timestamptz not null default now(),
     primary key (org_id, id),
     foreign key (org_id, endpoint_id) references webhook_endpoints(org_id, id) on delete cascade,
     foreign key (org_id, plan_id) references plans(org_id, id) on delete cascade
   )`,
  `create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'pending'`,
  `create index webhook_deliveries_line_idx on webhook_deliveries (org_id, endpoint_id, plan_id, seq) where status = 'pending'`,
  `create index webhook_deliveries_log_idx on webhook_deliveries (org_id, endpoint_id, created_at desc)`,

  // The API pages plans by (created_at, id).
  `create index plans_api_page_idx on plans (org_id, created_at, id)`,
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  for (const s of [
    "drop index if exists plans_api_page_idx",
    "drop table if exists webhook_deliveries",
    "drop table if exists webhook_endpoints",
    "drop table if exists api_rate_limits",
    "drop table if exists api_tokens",
  ]) {
    await sql.raw(s).execute(db);
  }
}
