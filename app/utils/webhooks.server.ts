import type { Kysely } from "kysely";
import type { DB } from "../../db/types";
import { isDelivered, SIGNATURE_HEADER, signWebhook, WEBHOOK_MAX_ATTEMPTS, webhookRetryDelaySeconds } from "../domain/webhooks";
import { claimDueDeliveries, markDelivered, markDeliveryFailed, type ClaimedDelivery } from "../models/webhooks.server";

/*
 * The one module that sends webhooks, the email dispatcher's twin (docs/decisions/005): claim due
 * deliveries with a lease (FOR UPDATE SKIP LOCKED, any number of app servers), POST each signed
 * body, and record delivered / another attempt later with backoff / failed after
 * WEBHOOK_MAX_ATTEMPTS. Redirects are not followed (a 3xx is a failure). The lease (60 s) outlasts
 * the request timeout (15 s), so a slow receiver is not sent the same delivery twice meanwhile;
 * a dispatcher that dies mid-request lets the lease run out and the delivery is sent again with
 * the same event id (receivers de-duplicate by `id`).
 */

export interface WebhookDispatchOptions {
  fetch?: typeof fetch;
  now?: () => Date;
  limit?: number;
  leaseSeconds?: number;
  timeoutMs?: number;
  retryDelay?: (failedAttempts: number) => number;
  maxAttempts?: number;
}

export interface WebhookDispatchReport {
  claimed: number;
  delivered: number;
  retried: number;
  failed: number;
}

function bodyOf(row: ClaimedDelivery): string {
  return typeof row.payload === "string" ? row.payload : JSON.stringify(row.payload);
}

async function send(row: ClaimedDelivery, options: WebhookDispatchOptions, now: Date): Promise<{ status: number | null; error: string | null }> {
  const body = bodyOf(row);
  try {
    const response = await (options.fetch ?? fetch)(row.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "PlanTogether-Webhooks/1",
        [SIGNATURE_HEADER]: signWebhook(row.secret, body, now),
        "Plan-Together-Event": row.event_type,
        "Plan-Together-Delivery": row.id,
      },
      body,
    });
    // Read (at most a little of) the answer so the connection is released.
    const text = (await response.text().catch(() => "")).slice(0, 200);
    return isDelivered(response.status) ? { status: response.status, error: null } : { status: response.status, error: `HTTP ${response.status}${text ? `: ${text}` : ""}` };
  } catch (error) {
    return { status: null, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** One round: claim, send, record. Safe to run concurrently from any number of processes. */
export async function dispatchWebhooksOnce(db: Kysely<DB>, options: WebhookDispatchOptions = {}): Promise<WebhookDispatchReport> {
  const report: WebhookDispatchReport = { claimed: 0, delivered: 0, retried: 0, failed: 0 };
  const now = options.now?.() ?? new Date();
  const rows = await claimDueDeliveries(db, { limit: options.limit ?? 20, leaseSeconds: options.leaseSeconds ?? 60, now });
  report.claimed = rows.length;
  for (const row of rows) {
    const outcome = await send(row, options, now);
    if (outcome.error === null) {
      await markDelivered(db, row, outcome.status!, options.now?.() ?? new Date());
      report.delivered++;
      continue;
    }
    const giveUp = row.attempts + 1 >= (options.maxAttempts ?? WEBHOOK_MAX_ATTEMPTS);
    const delay = (options.retryDelay ?? webhookRetryDelaySeconds)(row.attempts + 1);
    await markDeliveryFailed(db, row, { statusCode: outcome.status, error: outcome.error }, giveUp ? null : new Date(now.getTime() + delay * 1000));
    if (giveUp) report.failed++;
    else report.retried++;
  }
  return report;
}

/** Rounds until one claims nothing (or `maxRounds`). */
export async function dispatchWebhooksUntilIdle(db: Kysely<DB>, options: WebhookDispatchOptions & { maxRounds?: number } = {}) {
  const total: WebhookDispatchReport = { claimed: 0, delivered: 0, retried: 0, failed: 0 };
  for (let round = 0; round < (options.maxRounds ?? 50); round++) {
    const report = await dispatchWebhooksOnce(db, options);
    for (const key of Object.keys(total) as Array<keyof WebhookDispatchReport>) total[key] += report[key];
    if (report.claimed === 0) break;
  }
  return total;
}

export interface WebhookDispatcher {
  tick(): Promise<void>;
  /** Stops polling and waits for the round in flight: call before closing the database. */
  stop(): Promise<void>;
}

/** Polls every few seconds in this process; the timer never keeps the process alive on its own. */
export function startWebhookDispatcher(db: Kysely<DB>, options: WebhookDispatchOptions & { pollMs?: number; log?: (line: string) => void } = {}): WebhookDispatcher {
  const pollMs = options.pollMs ?? 3_000;
  const log = options.log ?? ((line: string) => console.log(line));
  let running: Promise<void> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  async function work() {
    try {
      const report = await dispatchWebhooksUntilIdle(db, { ...options, maxRounds: 10 });
      if (report.claimed) log(JSON.stringify({ level: "info", time: new Date().toISOString(), message: "webhook dispatch", ...report }));
    } catch (error) {
      log(JSON.stringify({ level: "error", time: new Date().toISOString(), message: `webhook dispatcher: ${error instanceof Error ? error.message : String(error)}` }));
    }
  }
  function tick() {
    running ??= work().finally(() => {
      running = null;
    });
    return running;
  }
  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => void tick().then(schedule), pollMs);
    timer.unref();
  }
  schedule();
  return {
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
