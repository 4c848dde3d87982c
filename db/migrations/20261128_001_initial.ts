import { sql, type Kysely } from "kysely";

/*
 * The whole domain in one frozen migration. Shape rules, so a tenant-sharded Postgres (Citus) can
 * distribute every table by org_id:
 *  - every table carries org_id; primary keys and unique keys start with it;
 *  - foreign keys between tenant tables are composite (org_id, x_id), so a row can never point at
 *    another organisation's row, even through a bug in a query.
 * Dates without time (go-live, due dates) are `date`; moments are `timestamptz` (UTC).
 */
const statements = [
  `create table organisations (
     id uuid primary key default gen_random_uuid(),
     name text not null check (length(name) between 1 and 200),
     fiscal_year_start_month smallint not null default 1 check (fiscal_year_start_month between 1 and 12),
     working_weekdays jsonb not null default '[1,2,3,4,5]' check (jsonb_typeof(working_weekdays) = 'array' and jsonb_array_length(working_weekdays) between 1 and 7),
     holidays jsonb not null default '[]' check (jsonb_typeof(holidays) = 'array'),
     -- "today" for schedules is the organisation's calendar day, not the server's
     time_zone text not null default 'UTC',
     created_at timestamptz not null default now()
   )`,

  `create table users (
     org_id uuid not null references organisations(id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     email text not null check (email = lower(email) and length(email) between 3 and 320),
     name text not null check (length(name) between 1 and 200),
     role text not null check (role in ('rep', 'manager', 'admin')),
     manager_id uuid,
     password_hash text not null,
     created_at timestamptz not null default now(),
     primary key (org_id, id),
     unique (org_id, email),
     foreign key (org_id, manager_id) references users(org_id, id) on delete set null (manager_id),
     check (manager_id is null or manager_id <> id)
   )`,
  `create index users_email_idx on users (email)`,
  `create index users_manager_idx on users (org_id, manager_id)`,

  // Session ids are stored as SHA-256 hashes of the cookie token: a leaked table opens no session.
  `create table sessions (
     org_id uuid not null references organisations(id) on delete cascade,
     id text not null,
     user_id uuid not null,
     expires_at timestamptz not null,
     created_at timestamptz not null default now(),
     primary key (org_id, id),
     foreign key (org_id, user_id) references users(org_id, id) on delete cascade
   )`,
  `create unique index sessions_id_idx on sessions (id)`,
  `create index sessions_user_idx on sessions (org_id, user_id)`,

  // Failed-login counters live in the database so every app server sees the same ones. Keyed by
  // account or IP before an organisation is known, this is the one global (reference) table.
  `create table auth_throttle (
     key text primary key,
     failures integer not null default 0,
     window_started_at timestamptz not null default now(),
     blocked_until timestamptz
   )`,

  `create table plans (
     org_id uuid not null references organisations(id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     owner_id uuid not null,
     buyer_company text not null check (length(buyer_company) between 1 and 200),
     title text not null check (length(title) between 1 and 200),
     value bigint not null default 0 check (value >= 0),
     currency text not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
     status text not null default 'active' check (status in ('active', 'won', 'lost', 'paused')),
     go_live date not null,
     go_live_set_side text not null default 'seller' check (go_live_set_side in ('buyer', 'seller')),
     go_live_set_by_name text not null,
     go_live_set_at timestamptz not null default now(),
     go_live_confirmed_by_name text,
     go_live_confirmed_at timestamptz,
     crm_close_date date,
     external_crm_id text,
     version integer not null default 1 check (version >= 1),
     projected_go_live date,
     slip_days integer not null default 0 check (slip_days >= 0),
     forecast_close_date date,
     schedule_computed_on date,
     milestones_total integer not null default 0,
     milestones_done integer not null default 0,
     last_buyer_activity_at timestamptz,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (org_id, id),
     foreign key (org_id, owner_id) references users(org_id, id),
     check ((go_live_confirmed_at is null) = (go_live_confirmed_by_name is null))
   )`,
  `create index plans_owner_idx on plans (org_id, owner_id, status)`,
  `create index plans_forecast_idx on plans (org_id, status, forecast_close_date)`,

  `create table stakeholders (
     org_id uuid not null references organisations(id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     plan_id uuid not null,
     side text not null check (side in ('buyer', 'seller')),
     name text not null check (length(name) between 1 and 200),
     email text not null check (email = lower(email) and length(email) between 3 and 320),
     title text not null default '' check (length(title) <= 200),
     user_id uuid,
     created_at timestamptz not null default now(),
     primary key (org_id, id),
     unique (org_id, plan_id, email),
     foreign key (org_id, plan_id) references plans(org_id, id) on delete cascade,
     foreign key (org_id, user_id) references users(org_id, id) on delete set null (user_id)
   )`,

  `create table milestones (
     org_id uuid not null references organisations(id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     plan_id uuid not null,
     title text not null check (length(title) between 1 and 200),
     description text not null default '' check (length(description) <= 5000),
     owner_side text not null check (owner_side in ('buyer', 'seller', 'joint')),
     owner_stakeholder_id uuid,
     duration_days integer not null default 1 check (duration_days between 0 and 1000),
     lag_days integer not null default 0 check (lag_days between 0 and 1000),
     pinned_date date,
     completed_on date,
     is_close boolean not null default false,
     position integer not null default 0,
     version integer not null default 1 check (version >= 1),
     start_date date,
     due_date date,
     projected_start date,
     projected_finish date,
     float_days integer,
     schedule_status text check (schedule_status in ('done', 'overdue', 'at_risk', 'on_track')),
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (org_id, id),
     foreign key (org_id, plan_id) references plans(org_id, id) on delete cascade,
     foreign key (org_id, owner_stakeholder_id) references stakeholders(org_id, id) on delete set null (owner_stakeholder_id)
   )`,
  `create index milestones_plan_idx on milestones (org_id, plan_id, position)`,
  `create unique index milestones_one_close_idx on milestones (org_id, plan_id) where is_close`,

  `create table milestone_dependencies (
     org_id uuid not null references organisations(id) on delete cascade,
     plan_id uuid not null,
     milestone_id uuid not null,
     depends_on_id uuid not null,
     primary key (org_id, milestone_id, depends_on_id),
     foreign key (org_id, plan_id) references plans(org_id, id) on delete cascade,
     foreign key (org_id, milestone_id) references milestones(org_id, id) on delete cascade,
     foreign key (org_id, depends_on_id) references milestones(org_id, id) on delete cascade,
     check (milestone_id <> depends_on_id)
   )`,
  `create index milestone_dependencies_plan_idx on milestone_dependencies (org_id, plan_id)`,

  // Only the SHA-256 of a link's token is stored; the token itself is shown once to the rep.
  `create table share_links (
     org_id uuid not null references organisations(id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     plan_id uuid not null,
     stakeholder_id uuid not null,
     token_hash text not null,
     created_by uuid,
     created_at timestamptz not null default now(),
     expires_at timestamptz not null,
     revoked_at timestamptz,
     first_visit_at timestamptz,
     last_visit_at timestamptz,
     visit_count integer not null default 0,
     primary key (org_id, id),
     foreign key (org_id, plan_id) references plans(org_id, id) on delete cascade,
     foreign key (org_id, stakeholder_id) references stakeholders(org_id, id) on delete cascade,
     foreign key (org_id, created_by) references users(org_id, id) on delete set null (created_by)
   )`,
  `create unique index share_links_token_idx on share_links (token_hash)`,
  `create index share_links_plan_idx on share_links (org_id, plan_id)`,

  // A buyer's device, identified by an httpOnly cookie after they confirmed who they are.
  `create table buyer_sessions (
     org_id uuid not null references organisations(id) on delete cascade,
     id text not null,
     share_link_id uuid not null,
     plan_id uuid not null,
     stakeholder_id uuid not null,
     name text not null,
     email text not null,
     created_at timestamptz not null default now(),
     last_seen_at timestamptz not null default now(),
     expires_at timestamptz not null,
     primary key (org_id, id),
     foreign key (org_id, share_link_id) references share_links(org_id, id) on delete cascade,
     foreign key (org_id, plan_id) references plans(org_id, id) on delete cascade,
     foreign key (org_id, stakeholder_id) references stakeholders(org_id, id) on delete cascade
   )`,
  `create unique index buyer_sessions_id_idx on buyer_sessions (id)`,

  // The edit log: append-only, hash-chained per plan (hash = sha256(prev_hash || canonical event)).
  `create table plan_events (
     org_id uuid not null references organisations(id),
     id uuid not null default gen_random_uuid(),
     plan_id uuid not null,
     seq integer not null check (seq >= 1),
     actor_user_id uuid,
     actor_stakeholder_id uuid,
     actor_name text not null,
     actor_side text not null check (actor_side in ('buyer', 'seller', 'system')),
     action text not null,
     entity_type text not null check (entity_type in ('plan', 'milestone', 'stakeholder', 'share_link', 'comment')),
     entity_id uuid,
     changes jsonb not null default '{}',
     reason text check (reason is null or length(reason) <= 1000),
     request_id text,
     created_at timestamptz not null default now(),
     prev_hash text,
     hash text not null,
     primary key (org_id, id),
     unique (org_id, plan_id, seq),
     -- no cascade: a plan with history is closed (won/lost), never erased with its evidence
     foreign key (org_id, plan_id) references plans(org_id, id)
   )`,
  `create index plan_events_plan_idx on plan_events (org_id, plan_id, created_at desc)`,

  // Every change of a plan's forecast close date or go-live, for slip history and quarter cascades.
  `create table plan_date_history (
     org_id uuid not null references organisations(id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     plan_id uuid not null,
     field text not null check (field in ('forecast_close_date', 'go_live')),
     old_date date,
     new_date date,
     reason text,
     actor_name text not null,
     actor_side text not null check (actor_side in ('buyer', 'seller', 'system')),
     created_at timestamptz not null default now(),
     primary key (org_id, id),
     foreign key (org_id, plan_id) references plans(org_id, id) on delete cascade
   )`,
  `create index plan_date_history_plan_idx on plan_date_history (org_id, plan_id, created_at)`,

  `create table comments (
     org_id uuid not null references organisations(id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     plan_id uuid not null,
     milestone_id uuid,
     author_user_id uuid,
     author_stakeholder_id uuid,
     author_name text not null,
     author_side text not null check (author_side in ('buyer', 'seller')),
     body text not null check (length(body) between 1 and 5000),
     created_at timestamptz not null default now(),
     primary key (org_id, id),
     foreign key (org_id, plan_id) references plans(org_id, id) on delete cascade,
     foreign key (org_id, milestone_id) references milestones(org_id, id) on delete cascade
   )`,
  `create index comments_plan_idx on comments (org_id, plan_id, created_at)`,

  `create table templates (
     org_id uuid not null references organisations(id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     name text not null check (length(name) between 1 and 200),
     description text not null default '' check (length(description) <= 2000),
     created_by uuid,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (org_id, id),
     unique (org_id, name),
     foreign key (org_id, created_by) references users(org_id, id) on delete set null (created_by)
   )`,

  `create table template_milestones (
     org_id uuid not null references organisations(id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     template_id uuid not null,
     title text not null check (length(title) between 1 and 200),
     description text not null default '' check (length(description) <= 5000),
     owner_side text not null check (owner_side in ('buyer', 'seller', 'joint')),
     duration_days integer not null default 1 check (duration_days between 0 and 1000),
     lag_days integer not null default 0 check (lag_days between 0 and 1000),
     is_close boolean not null default false,
     position integer not null default 0,
     primary key (org_id, id),
     foreign key (org_id, template_id) references templates(org_id, id) on delete cascade
   )`,
  `create index template_milestones_template_idx on template_milestones (org_id, template_id, position)`,
  `create unique index template_milestones_one_close_idx on template_milestones (org_id, template_id) where is_close`,

  `create table template_dependencies (
     org_id uuid not null references organisations(id) on delete cascade,
     template_id uuid not null,
     milestone_id uuid not null,
     depends_on_id uuid not null,
     primary key (org_id, milestone_id, depends_on_id),
     foreign key (org_id, template_id) references templates(org_id, id) on delete cascade,
     foreign key (org_id, milestone_id) references template_milestones(org_id, id) on delete cascade,
     foreign key (org_id, depends_on_id) references template_milestones(org_id, id) on delete cascade,
     check (milestone_id <> depends_on_id)
   )`,

  // Transactional outbox: written in the same transaction as the change that causes the email.
  `create table email_outbox (
     org_id uuid not null references organisations(id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     kind text not null,
     plan_id uuid,
     to_address text not null,
     to_name text not null default '',
     subject text not null,
     html text not null,
     text text not null,
     headers jsonb not null default '{}',
     message_id text not null,
     status text not null default 'pending' check (status in ('pending', 'sent', 'failed', 'dev_mailbox')),
     attempts integer not null default 0,
     next_attempt_at timestamptz not null default now(),
     locked_until timestamptz,
     last_error text,
     sent_at timestamptz,
     dedupe_key text,
     created_at timestamptz not null default now(),
     primary key (org_id, id),
     unique (org_id, dedupe_key),
     foreign key (org_id, plan_id) references plans(org_id, id) on delete set null (plan_id)
   )`,
  `create index email_outbox_due_idx on email_outbox (next_attempt_at) where status = 'pending'`,

  // The log is evidence: refuse any rewrite of history at the database itself.
  `create function plan_events_append_only() returns trigger language plpgsql as $$
   begin
     raise exception 'plan_events is append-only (% refused)', tg_op using errcode = '42501';
   end $$`,
  `create trigger plan_events_no_update before update or delete on plan_events
     for each row execute function plan_events_append_only()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "email_outbox",
    "template_dependencies",
    "template_milestones",
    "templates",
    "comments",
    "plan_date_history",
    "plan_events",
    "buyer_sessions",
    "share_links",
    "milestone_dependencies",
    "milestones",
    "stakeholders",
    "plans",
    "auth_throttle",
    "sessions",
    "users",
    "organisations",
  ]) {
    await sql.raw(`drop table if exists ${table} cascade`).execute(db);
  }
  await sql.raw(`drop function if exists plan_events_append_only`).execute(db);
}
