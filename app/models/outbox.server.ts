import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { DB, EmailAudience, OutboxEmail } from "../../db/types";
import type { NotificationKind, SendCheck } from "~/domain/notifications";
import type { AccountEmailKind } from "~/domain/account-tokens";
import { formatAddress, REPLY_TO_HEADER, SENDER_NAME_HEADER } from "~/domain/mail-sender";
import type { Conn } from "~/models/conn";

/*
 * The transactional outbox. An email is a row written in the same transaction as the change that
 * causes it, so it exists exactly when the change committed. Dispatchers (app/jobs/email-dispatcher.server.ts)
 * claim due rows with a lease, send them, and record the outcome here.
 *
 * Finding the organisations with due emails is the one query that spans organisations: the
 * outbox is a work queue, like a job table. Every other statement, the claim included, names one org_id.
 */

export interface NewEmail {
  orgId: string;
  /** An account email (an invitation, a reset link) is no notification: preferences never hold it back. */
  kind: NotificationKind | AccountEmailKind;
  planId?: string | null;
  to: { email: string; name: string };
  audience: EmailAudience;
  subject: string;
  html: string;
  text: string;
  /** The recipient's preferences page: the List-Unsubscribe target (none for account emails). */
  preferencesUrl?: string;
  /** Same key, same organisation: the second insert is a no-op (time-based emails are made idempotently). */
  dedupeKey?: string | null;
  /** The buyer link an email reaches its recipient through: not sent once the link is dead. */
  shareLinkId?: string | null;
  /** Not before this moment (a reminder written with its invite). */
  notBefore?: Date;
  /** The domain Message-IDs are made in (from MAIL_FROM). */
  messageIdDomain: string;
  /** Sent on this person's behalf: their name in the From, their address as Reply-To (emails to buyers). */
  onBehalfOf?: { name: string; email: string };
}

/** `<uuid@domain>`, fixed when the email is written: a re-send after a crash carries the same one. */
export function newMessageId(domain: string): string {
  return `<${randomUUID()}@${domain}>`;
}

/** Writes an email to the outbox; false when an email with the same dedupe key already exists. */
export async function enqueueEmail(db: Conn, email: NewEmail): Promise<boolean> {
  const headers = {
    ...(email.preferencesUrl ? { "List-Unsubscribe": `<${email.preferencesUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } : {}),
    "X-Plan-Together-Kind": email.kind,
    ...(email.onBehalfOf
      ? { [REPLY_TO_HEADER]: formatAddress(email.onBehalfOf.name, email.onBehalfOf.email), [SENDER_NAME_HEADER]: email.onBehalfOf.name }
      : {}),
  };
  const inserted = await db
    .insertInto("email_outbox")
    .values({
      org_id: email.orgId,
      kind: email.kind,
      plan_id: email.planId ?? null,
      to_address: email.to.email.toLowerCase(),
      to_name: email.to.name,
      subject: email.subject,
      html: email.html,
      text: email.text,
      headers: JSON.stringify(headers),
      message_id: newMessageId(email.messageIdDomain),
      audience: email.audience,
      share_link_id: email.shareLinkId ?? null,
      dedupe_key: email.dedupeKey ?? null,
      ...(email.notBefore ? { next_attempt_at: email.notBefore } : {}),
    })
    .onConflict((oc) => oc.columns(["org_id", "dedupe_key"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Which of these dedupe keys are already taken in this organisation (skip rendering those). */
export async function existingDedupeKeys(db: Conn, orgId: string, keys: string[]): Promise<Set<string>> {
  if (!keys.length) return new Set();
  const rows = await db.selectFrom("email_outbox").select("dedupe_key").where("org_id", "=", orgId).where("dedupe_key", "in", keys).execute();
  return new Set(rows.map((r) => r.dedupe_key!));
}

// ---------------------------------------------------------------------------------------------
// Dispatching
// ---------------------------------------------------------------------------------------------

/**
 * Organisations with due, unleased emails, the longest-waiting first. A plain read (no locks) and
 * the one statement that spans organisations: on Citus it asks every shard, which is why it is
 * kept apart from the claim, which locks.
 */
export async function organisationsWithDueEmails(db: Kysely<DB>, limit: number): Promise<string[]> {
  const { rows } = await sql<{ org_id: string }>`
    select org_id from email_outbox
     where status = 'pending'
       and next_attempt_at <= now()
       and (locked_until is null or locked_until < now())
     group by org_id
     order by min(next_attempt_at), org_id
     limit ${limit}`.execute(db);
  return rows.map((r) => r.org_id);
}

/**
 * Claims up to `limit` due emails of ONE organisation for `leaseSeconds`: nobody else takes them
 * until the lease expires. SKIP LOCKED lets concurrent dispatchers (other app servers) claim other
 * rows instead of waiting; a dispatcher that dies mid-send just lets its lease run out, and the
 * row is claimed again. One organisation per statement because Citus runs SKIP LOCKED only on one
 * shard. The pick is a materialized CTE, as in the webhook claim (ADR 017): inside `id in (…)`
 * the planner may run a LIMIT … SKIP LOCKED subquery more than once and take more than the limit.
 */
export async function claimOrganisationEmails(db: Kysely<DB>, orgId: string, options: { limit: number; leaseSeconds: number }): Promise<OutboxEmail[]> {
  const { rows } = await sql<OutboxEmail>`
    with picked as materialized (
      select id from email_outbox
       where org_id = ${orgId}
         and status = 'pending'
         and next_attempt_at <= now()
         and (locked_until is null or locked_until < now())
       order by next_attempt_at
       limit ${options.limit}
       for update skip locked)
    update email_outbox o
       set locked_until = now() + make_interval(secs => ${options.leaseSeconds})
      from picked
     where o.org_id = ${orgId} and o.id = picked.id
    returning o.*`.execute(db);
  return rows;
}

/**
 * Claims up to `limit` due emails across organisations, the longest-waiting organisation first,
 * one organisation at a time (see above).
 */
export async function claimDueEmails(db: Kysely<DB>, options: { limit: number; leaseSeconds: number }): Promise<OutboxEmail[]> {
  const claimed: OutboxEmail[] = [];
  for (const orgId of await organisationsWithDueEmails(db, options.limit)) {
    if (claimed.length >= options.limit) break;
    claimed.push(...(await claimOrganisationEmails(db, orgId, { ...options, limit: options.limit - claimed.length })));
  }
  return claimed;
}

/**
 * What deciding whether a claimed email is still wanted needs: preferences and buyer links. Read
 * one organisation at a time, so that each read stays on one shard on Citus.
 */
export async function loadSendChecks(db: Kysely<DB>, rows: OutboxEmail[]): Promise<Map<string, SendCheck>> {
  const checks = new Map<string, SendCheck>();
  for (const orgId of new Set(rows.map((r) => r.org_id))) {
    const ofOrg = rows.filter((r) => r.org_id === orgId);
    for (const [id, check] of await organisationSendChecks(db, orgId, ofOrg)) checks.set(id, check);
  }
  return checks;
}

async function organisationSendChecks(db: Kysely<DB>, orgId: string, rows: OutboxEmail[]): Promise<Map<string, SendCheck>> {
  const prefs = await db
    .selectFrom("notification_preferences")
    .select(["email", "choices", "unsubscribed_all"])
    .where("org_id", "=", orgId)
    .where("email", "in", [...new Set(rows.map((r) => r.to_address))])
    .execute();
  const linkIds = [...new Set(rows.flatMap((r) => (r.share_link_id ? [r.share_link_id] : [])))];
  const links = linkIds.length
    ? await db
        .selectFrom("share_links")
        .select(["id", "revoked_at", "expires_at", "first_visit_at"])
        .where("org_id", "=", orgId)
        .where("id", "in", linkIds)
        .execute()
    : [];
  const planIds = [...new Set(rows.flatMap((r) => (r.plan_id ? [r.plan_id] : [])))];
  const closedPlans = planIds.length
    ? await db.selectFrom("plans").select("id").where("org_id", "=", orgId).where("id", "in", planIds).where("closed_on", "is not", null).execute()
    : [];
  const checks = new Map<string, SendCheck>();
  for (const row of rows) {
    const pref = prefs.find((p) => p.email === row.to_address);
    const link = links.find((l) => l.id === row.share_link_id);
    checks.set(row.id, {
      preferences: pref ? { choices: pref.choices, unsubscribedAll: pref.unsubscribed_all } : null,
      link: link ? { revokedAt: link.revoked_at, expiresAt: link.expires_at, firstVisitAt: link.first_visit_at } : null,
      planClosed: closedPlans.some((p) => p.id === row.plan_id),
    });
  }
  return checks;
}

function byRow(row: Pick<OutboxEmail, "org_id" | "id">) {
  return { org: row.org_id, id: row.id };
}

/**
 * Sent (or kept for the dev mailbox). An email that carried a buyer's link token keeps no copy of
 * it once the SMTP server has it: the token lives on only in the recipient's inbox.
 */
export async function markEmailSent(db: Kysely<DB>, row: OutboxEmail, status: "sent" | "dev_mailbox", redactBody: boolean) {
  const { org, id } = byRow(row);
  await db
    .updateTable("email_outbox")
    .set((eb) => ({
      status,
      sent_at: sql<Date>`now()`,
      attempts: eb("attempts", "+", 1),
      locked_until: null,
      last_error: null,
      ...(redactBody && status === "sent"
        ? { html: "<p>[Removed after sending: this email carried a personal link.]</p>", text: "[Removed after sending: this email carried a personal link.]" }
        : {}),
    }))
    .where("org_id", "=", org)
    .where("id", "=", id)
    .where("status", "=", "pending")
    .execute();
}

/** A failed attempt: try again after `delaySeconds`, or give up (`failed`) with the error kept. */
export async function markEmailAttemptFailed(db: Kysely<DB>, row: OutboxEmail, error: string, retryInSeconds: number | null) {
  const { org, id } = byRow(row);
  await db
    .updateTable("email_outbox")
    .set((eb) => ({
      attempts: eb("attempts", "+", 1),
      last_error: error.slice(0, 2000),
      locked_until: null,
      ...(retryInSeconds === null ? { status: "failed" as const } : { next_attempt_at: sql<Date>`now() + make_interval(secs => ${retryInSeconds})` }),
    }))
    .where("org_id", "=", org)
    .where("id", "=", id)
    .where("status", "=", "pending")
    .execute();
}

/** No longer wanted when its time came (unsubscribed, link revoked, invite already opened). */
export async function markEmailSkipped(db: Kysely<DB>, row: OutboxEmail, reason: string) {
  const { org, id } = byRow(row);
  await db
    .updateTable("email_outbox")
    .set({ status: "skipped", last_error: reason, locked_until: null })
    .where("org_id", "=", org)
    .where("id", "=", id)
    .where("status", "=", "pending")
    .execute();
}

// ---------------------------------------------------------------------------------------------
// The dev mailbox
// ---------------------------------------------------------------------------------------------

export async function listOutbox(db: Conn, orgId: string, limit = 200) {
  return db
    .selectFrom("email_outbox")
    .select(["id", "kind", "to_address", "to_name", "subject", "status", "attempts", "created_at", "sent_at", "next_attempt_at", "last_error"])
    .where("org_id", "=", orgId)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(limit)
    .execute();
}

export async function getOutboxEmail(db: Conn, orgId: string, id: string) {
  return db.selectFrom("email_outbox").selectAll().where("org_id", "=", orgId).where("id", "=", id).executeTakeFirst();
}
