import { sql, type Kysely } from "kysely";

/*
 * Emails and calendar feeds (see docs/decisions/005-email-outbox.md).
 *  - email_outbox gets who the email is for (buyer or seller side: their defaults differ), the buyer
 *    link an invite belongs to (a revoked link's pending invite is not sent), and a `skipped`
 *    status for rows that were no longer wanted when their time came (the recipient unsubscribed,
 *    the invite was opened before its reminder).
 *  - notification_preferences: per organisation and email address, the kinds someone turned on or
 *    off (absent = the default for their side) and a one-click "unsubscribe from everything".
 *  - calendar_feeds: the secret behind an ICS feed URL, one per buyer link or per rep and scope.
 *    Only its SHA-256 is stored, like share links (calendar apps cannot send cookies).
 */
const statements = [
  `alter table email_outbox
     add column audience text not null default 'seller' check (audience in ('buyer', 'seller')),
     add column share_link_id uuid,
     add foreign key (org_id, share_link_id) references share_links(org_id, id) on delete set null (share_link_id)`,
  `alter table email_outbox drop constraint email_outbox_status_check`,
  `alter table email_outbox add constraint email_outbox_status_check
     check (status in ('pending', 'sent', 'failed', 'dev_mailbox', 'skipped'))`,
  // The dev mailbox lists an organisation's emails, newest first.
  `create index email_outbox_org_created_idx on email_outbox (org_id, created_at desc)`,

  `create table notification_preferences (
     org_id uuid not null references organisations(id) on delete cascade,
     email text not null check (email = lower(email) and length(email) between 3 and 320),
     -- {"due_soon": false, ...}: only the kinds the person chose; the rest follow the defaults
     choices jsonb not null default '{}' check (jsonb_typeof(choices) = 'object'),
     unsubscribed_all boolean not null default false,
     updated_at timestamptz not null default now(),
     primary key (org_id, email)
   )`,

  `create table calendar_feeds (
     org_id uuid not null references organisations(id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     token_hash text not null,
     kind text not null check (kind in ('buyer', 'rep')),
     share_link_id uuid,
     user_id uuid,
     scope text not null default 'plan' check (scope in ('mine', 'plan')),
     created_at timestamptz not null default now(),
     revoked_at timestamptz,
     last_fetched_at timestamptz,
     primary key (org_id, id),
     foreign key (org_id, share_link_id) references share_links(org_id, id) on delete cascade,
     foreign key (org_id, user_id) references users(org_id, id) on delete cascade,
     check ((kind = 'buyer') = (share_link_id is not null)),
     check ((kind = 'rep') = (user_id is not null))
   )`,
  `create unique index calendar_feeds_token_idx on calendar_feeds (token_hash)`,
  // At most one live feed per buyer link and scope, and per rep.
  `create unique index calendar_feeds_live_link_idx on calendar_feeds (org_id, share_link_id, scope)
     where revoked_at is null and kind = 'buyer'`,
  `create unique index calendar_feeds_live_user_idx on calendar_feeds (org_id, user_id)
     where revoked_at is null and kind = 'rep'`,
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`drop table if exists calendar_feeds`).execute(db);
  await sql.raw(`drop table if exists notification_preferences`).execute(db);
  await sql.raw(`drop index if exists email_outbox_org_created_idx`).execute(db);
  await sql.raw(`delete from email_outbox where status = 'skipped'`).execute(db);
  await sql.raw(`alter table email_outbox drop constraint email_outbox_status_check`).execute(db);
  await sql
    .raw(
      `alter table email_outbox add constraint email_outbox_status_check
     check (status in ('pending', 'sent', 'failed', 'dev_mailbox'))`,
    )
    .execute(db);
  await sql.raw(`alter table email_outbox drop column share_link_id, drop column audience`).execute(db);
}
