import type { Kysely } from "kysely";
import { createTransport } from "nodemailer";
import type { DB, OutboxEmail } from "../../db/types";
import { isPermanentSmtpFailure, MAX_ATTEMPTS, retryDelaySeconds, sendDecision } from "~/domain/notifications";
import { enqueueScheduledEmails } from "~/models/notifications.server";
import { claimDueEmails, loadSendChecks, markEmailAttemptFailed, markEmailSent, markEmailSkipped } from "~/models/outbox.server";
import { fromOnBehalf, REPLY_TO_HEADER, SENDER_NAME_HEADER } from "~/domain/mail-sender";
import { getEnv } from "~/infra/env.server";
import { pollEvery } from "~/jobs/poll-loop.server";
import { createJobHealth, type JobHealth } from "~/jobs/job-health.server";
import { soloLeadership, type JobLeadership } from "~/jobs/job-leadership.server";

/*
 * The one module that sends email. A dispatcher claims due rows of the outbox with a lease
 * (FOR UPDATE SKIP LOCKED: several app servers can run one each), sends each through SMTP with the
 * Message-ID fixed when the row was written, and records the outcome: sent; or another attempt
 * later with exponential backoff; or failed after MAX_ATTEMPTS (or at once on a 5xx answer).
 *
 * Guarantees: two dispatchers never hold the same row (the claim is atomic and leased); a
 * dispatcher that dies mid-send loses nothing (its lease expires and the row is claimed again);
 * the only possible duplicate is a crash between the SMTP server accepting a message and the row
 * being marked sent, and that duplicate carries the same Message-ID, so mail clients fold it.
 * The lease (2 min) outlasts the SMTP timeouts below, so a slow send is not re-claimed meanwhile.
 *
 * Without SMTP_URL (the embedded demo), nothing leaves the machine: rows are marked `dev_mailbox`
 * and shown to admins at /dev/mailbox as the recipient would see them.
 */

export interface Mailer {
  kind: "smtp" | "dev_mailbox";
  send(email: OutboxEmail): Promise<void>;
  close(): void;
}

/** Kinds whose body carries a link token (a buyer's link, a set-password link): their stored copy is blanked once sent. */
const CARRIES_LINK_TOKEN = new Set(["invite", "invite_reminder", "account_invite", "password_reset"]);

export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = createTransport({
    url: smtpUrl,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  return {
    kind: "smtp",
    async send(email) {
      // The sender travels in the stored headers; nodemailer writes From and Reply-To itself.
      const { [SENDER_NAME_HEADER]: senderName, [REPLY_TO_HEADER]: replyTo, ...headers } = email.headers ?? {};
      await transport.sendMail({
        from: fromOnBehalf(from, senderName),
        ...(replyTo ? { replyTo } : {}),
        to: { name: email.to_name, address: email.to_address },
        subject: email.subject,
        html: email.html,
        text: email.text,
        // Fixed at enqueue time: a re-send after a crash is recognisably the same message.
        messageId: email.message_id,
        date: new Date(email.created_at),
        headers,
      });
    },
    close: () => transport.close(),
  };
}

/** Keeps emails in the database for /dev/mailbox instead of sending them. */
export const devMailbox: Mailer = { kind: "dev_mailbox", async send() {}, close() {} };

/** SMTP when SMTP_URL is set, else the dev mailbox. */
export function mailerFromEnv(): Mailer {
  const env = getEnv();
  return env.SMTP_URL ? createSmtpMailer(env.SMTP_URL, env.MAIL_FROM) : devMailbox;
}

export interface DispatchOptions {
  /** Rows claimed per round. */
  limit?: number;
  leaseSeconds?: number;
  /** Seconds to wait before attempt n+1 after n failures (tests shorten it). */
  retryDelay?: (failedAttempts: number) => number;
  maxAttempts?: number;
  now?: () => Date;
}

export interface DispatchReport {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
}

function describeError(error: unknown): { message: string; responseCode?: number } {
  if (error instanceof Error) {
    const code = (error as Error & { responseCode?: unknown }).responseCode;
    return { message: error.message, responseCode: typeof code === "number" ? code : undefined };
  }
  return { message: String(error) };
}

/**
 * One round: claim due emails, send each, record each outcome. Returns what happened. Safe to
 * run concurrently from any number of processes against the same database.
 */
export async function dispatchOnce(db: Kysely<DB>, mailer: Mailer, options: DispatchOptions = {}): Promise<DispatchReport> {
  const report: DispatchReport = { claimed: 0, sent: 0, retried: 0, failed: 0, skipped: 0 };
  const rows = await claimDueEmails(db, { limit: options.limit ?? 20, leaseSeconds: options.leaseSeconds ?? 120 });
  report.claimed = rows.length;
  if (!rows.length) return report;
  const checks = await loadSendChecks(db, rows);
  const maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;
  for (const row of rows) {
    const decision = sendDecision(
      { kind: row.kind, audience: row.audience, shareLinkId: row.share_link_id },
      checks.get(row.id)!,
      options.now?.() ?? new Date(),
    );
    if (!decision.send) {
      await markEmailSkipped(db, row, decision.reason);
      report.skipped++;
      continue;
    }
    try {
      await mailer.send(row);
    } catch (error) {
      const { message, responseCode } = describeError(error);
      const giveUp = isPermanentSmtpFailure(responseCode) || row.attempts + 1 >= maxAttempts;
      await markEmailAttemptFailed(db, row, message, giveUp ? null : (options.retryDelay ?? retryDelaySeconds)(row.attempts + 1));
      if (giveUp) report.failed++;
      else report.retried++;
      continue;
    }
    await markEmailSent(db, row, mailer.kind === "smtp" ? "sent" : "dev_mailbox", CARRIES_LINK_TOKEN.has(row.kind));
    report.sent++;
  }
  return report;
}

/** Claims and sends until a round finds nothing due (or `maxRounds`). */
export async function dispatchUntilIdle(db: Kysely<DB>, mailer: Mailer, options: DispatchOptions & { maxRounds?: number } = {}) {
  const total: DispatchReport = { claimed: 0, sent: 0, retried: 0, failed: 0, skipped: 0 };
  for (let round = 0; round < (options.maxRounds ?? 100); round++) {
    const report = await dispatchOnce(db, mailer, options);
    for (const key of Object.keys(total) as Array<keyof DispatchReport>) total[key] += report[key];
    if (report.claimed === 0) break;
  }
  return total;
}

export interface Dispatcher {
  /** Runs a tick now (and waits for it); ticks never overlap. */
  tick(): Promise<void>;
  /** Stops polling and waits for the tick in flight: call before closing the database. */
  stop(): Promise<void>;
}

export interface DispatcherOptions extends DispatchOptions {
  mailer?: Mailer;
  pollMs?: number;
  /** How often the scheduler (due soon, overdue, digests) looks for time-based emails. */
  scheduleEveryMs?: number;
  log?: (line: string) => void;
  /** Where each run's outcome goes (/healthz); by default a tracker of its own that only logs. */
  health?: JobHealth;
  /** Whether this process runs the scheduler and the sending now (ADR 032); by default it always does. */
  leadership?: JobLeadership;
}

/**
 * Polls the outbox every few seconds in this process, and every few minutes writes the
 * time-based emails, each while this process leads it: with several servers, one sends and one
 * (maybe another) schedules, and the rest only watch the leases. The timer is unref'd: it never
 * keeps the process alive on its own.
 */
export function startDispatcher(db: Kysely<DB>, options: DispatcherOptions = {}): Dispatcher {
  const mailer = options.mailer ?? mailerFromEnv();
  const pollMs = options.pollMs ?? 5_000;
  const scheduleEveryMs = options.scheduleEveryMs ?? 5 * 60_000;
  const log = options.log ?? ((line: string) => console.log(line));
  const health = options.health ?? createJobHealth({ log });
  const leadership = options.leadership ?? soloLeadership();
  let running: Promise<void> | null = null;

  async function work() {
    if (leadership.due("email-scheduler", scheduleEveryMs)) {
      try {
        await enqueueScheduledEmails(db, options.now?.() ?? new Date());
        health.succeeded("email-scheduler");
      } catch (error) {
        health.failed("email-scheduler", error);
      }
      await leadership.ran("email-scheduler");
    }
    if (!leadership.leads("email-dispatcher")) return;
    try {
      const report = await dispatchUntilIdle(db, mailer, { ...options, maxRounds: 10 });
      health.succeeded("email-dispatcher");
      if (report.claimed) log(JSON.stringify({ level: "info", time: new Date().toISOString(), message: "email dispatch", ...report }));
    } catch (error) {
      health.failed("email-dispatcher", error);
    }
    await leadership.ran("email-dispatcher");
  }

  function tick(): Promise<void> {
    running ??= work().finally(() => {
      running = null;
    });
    return running;
  }

  const loop = pollEvery(pollMs, tick);
  leadership.onLead("email-scheduler", () => {
    if (!loop.stopped) void tick();
  });
  leadership.onLead("email-dispatcher", () => {
    if (!loop.stopped) void tick();
  });

  return {
    tick,
    async stop() {
      loop.stop();
      await running;
      mailer.close();
    },
  };
}
