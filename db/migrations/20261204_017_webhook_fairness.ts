import { sql, type Kysely } from "kysely";

/*
 * Webhook delivery that one organisation cannot stall (issue 17, item 2; docs/decisions/017).
 * Each endpoint carries its circuit breaker, in the database so every app server sees it:
 *  - consecutive_failures: failed attempts in a row, any delivery; a success resets it.
 *  - circuit_open_until: while in the future, nothing is sent to the endpoint (its deliveries
 *    wait without spending attempts); after it, one probe delivery at a time.
 *  - circuit_opened_at: when the current run of failures paused the endpoint (null = closed); the
 *    admins are emailed once per pause.
 *  - last_failure: our own short wording of the latest failure, for the settings page.
 *  - last_claimed_at: dispatchers serve endpoints least recently served first (round robin).
 * Failed deliveries logged before this change kept up to 200 characters of the receiver's answer
 * (item 3: an internal service's words on a page); they keep only the status code now.
 * The deliveries' log index also serves the test-event rate limit (recent test events of one
 * endpoint) and the in-flight count per endpoint.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table webhook_endpoints
    add column consecutive_failures integer not null default 0,
    add column circuit_open_until timestamptz,
    add column circuit_opened_at timestamptz,
    add column last_failure text,
    add column last_claimed_at timestamptz`.execute(db);
  await sql`update webhook_deliveries set last_error = 'HTTP ' || last_status_code where last_status_code is not null and last_error is not null`.execute(db);
  await sql`create index webhook_deliveries_leased_idx on webhook_deliveries (org_id, endpoint_id, locked_until) where status = 'pending' and locked_until is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists webhook_deliveries_leased_idx`.execute(db);
  await sql`alter table webhook_endpoints
    drop column consecutive_failures, drop column circuit_open_until, drop column circuit_opened_at,
    drop column last_failure, drop column last_claimed_at`.execute(db);
}
