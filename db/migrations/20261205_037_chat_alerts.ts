import { sql, type Kysely } from "kysely";

/*
 * Issue 24, item 2: Slack and Microsoft Teams alerts (ADR 045). A chat channel is a kind of
 * webhook endpoint, so it goes through the same outbox, dispatcher, address checks, retries and
 * circuit breaker. `kind` says how its deliveries are formatted; `owner_id` set means a rep's own
 * channel (alerts of that rep's plans only), null an organisation-wide one that an admin connected;
 * `label` is the name people see (a channel's URL is a secret and is never shown again in full).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table webhook_endpoints
    add column kind text not null default 'webhook' check (kind in ('webhook', 'slack', 'teams')),
    add column owner_id uuid,
    add column label text check (length(label) between 1 and 100),
    add constraint webhook_endpoints_owner_fkey foreign key (org_id, owner_id) references users(org_id, id) on delete cascade,
    add constraint webhook_endpoints_owner_is_chat check (owner_id is null or kind <> 'webhook')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table webhook_endpoints drop column label, drop column owner_id, drop column kind`.execute(db);
}
