import type { Kysely } from "kysely";
import type { DB } from "../../db/types";
import type { WebhookAddressPolicy } from "~/infra/webhook-address.server";
import {
  maxAttemptsFor,
  SIGNATURE_HEADER,
  WEBHOOK_ANSWER_TIMEOUT_MS,
  WEBHOOK_CONNECT_TIMEOUT_MS,
  WEBHOOK_ENDPOINT_CONCURRENCY,
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_PARALLELISM,
  webhookRetryDelaySeconds,
} from "~/domain/webhooks";
import { claimEndpointDeliveries, endpointsWithDueWork, recordDeliveryAttempt, type ClaimedDelivery } from "~/models/webhooks.server";
import { configuredAddressPolicy, postWebhook, type DeliveryOutcome, type TransportOptions } from "~/infra/webhook-transport.server";
import { signWebhook } from "~/infra/webhook-signing.server";
import { pollEvery } from "~/jobs/poll-loop.server";
import { createJobHealth, type JobHealth } from "~/jobs/job-health.server";
import { soloLeadership, type JobLeadership } from "~/jobs/job-leadership.server";

/*
 * The one module that sends webhooks, the email dispatcher's twin (docs/decisions/005), made fair
 * (docs/decisions/017, issue 17): one organisation's slow or dead receiver delays only itself.
 *  - Claims are per endpoint, at most WEBHOOK_ENDPOINT_CONCURRENCY in flight to one endpoint
 *    across every app server (counted under the endpoint's row lock), endpoints served least
 *    recently served first.
 *  - Sends run side by side, up to WEBHOOK_PARALLELISM per process; a finished send frees its slot
 *    for whatever is due next at once, instead of waiting for the slowest send of a round.
 *  - A connection must be up within 3 s and answer within 10 s (webhook-transport.server.ts, which
 *    also refuses private destinations and never follows a redirect).
 *  - After WEBHOOK_CIRCUIT_THRESHOLD failures in a row the endpoint is paused (its deliveries wait
 *    without spending attempts), then probed one delivery at a time; the admins are emailed.
 * The lease (60 s) outlasts the answer timeout, so a slow receiver is not sent the same delivery
 * twice meanwhile; a dispatcher that dies mid-request lets the lease run out and the delivery is
 * sent again with the same event id (receivers de-duplicate by `id`).
 */

export interface WebhookDispatchOptions {
  now?: () => Date;
  leaseSeconds?: number;
  connectTimeoutMs?: number;
  timeoutMs?: number;
  retryDelay?: (failedAttempts: number) => number;
  maxAttempts?: number;
  /** Sends in flight in this process. */
  parallelism?: number;
  /** Where deliveries may go; WEBHOOK_ALLOW_PRIVATE by default. */
  policy?: WebhookAddressPolicy;
  resolve?: TransportOptions["resolve"];
  log?: (line: string) => void;
  /** Where each claim round's and each recorded delivery's outcome goes (/healthz); by default a tracker of its own that only logs. */
  health?: JobHealth;
}

const JOB = "webhook-dispatcher";

export interface WebhookDispatchReport {
  claimed: number;
  delivered: number;
  retried: number;
  failed: number;
  /** Endpoints this dispatch paused. */
  paused: number;
}

const emptyReport = (): WebhookDispatchReport => ({ claimed: 0, delivered: 0, retried: 0, failed: 0, paused: 0 });

function bodyOf(row: ClaimedDelivery): string {
  return typeof row.payload === "string" ? row.payload : JSON.stringify(row.payload);
}

function send(row: ClaimedDelivery, options: WebhookDispatchOptions, now: Date): Promise<DeliveryOutcome> {
  const body = bodyOf(row);
  const headers = {
    "Content-Type": "application/json",
    "User-Agent": "PlanTogether-Webhooks/1",
    [SIGNATURE_HEADER]: signWebhook(row.secret, body, now),
    "Plan-Together-Event": row.event_type,
    "Plan-Together-Delivery": row.id,
  };
  return postWebhook(row.url, headers, body, {
    policy: options.policy ?? configuredAddressPolicy(),
    connectTimeoutMs: options.connectTimeoutMs ?? WEBHOOK_CONNECT_TIMEOUT_MS,
    timeoutMs: options.timeoutMs ?? WEBHOOK_ANSWER_TIMEOUT_MS,
    resolve: options.resolve,
  });
}

/**
 * Sends in flight in one process. `fill` claims what there is room for and starts sending it;
 * each send records its outcome when it ends. Safe beside any number of other processes.
 */
export function createDeliveryPool(db: Kysely<DB>, options: WebhookDispatchOptions = {}, onSettled?: () => void) {
  const inFlight = new Set<Promise<void>>();
  const report = emptyReport();
  const health = options.health ?? createJobHealth({ log: options.log });
  const clock = () => options.now?.() ?? new Date();

  async function deliver(row: ClaimedDelivery) {
    const sentAt = clock();
    const outcome = await send(row, options, sentAt);
    const now = clock();
    if (outcome.error === null) {
      await recordDeliveryAttempt(db, row, { statusCode: outcome.status, error: null, retryAt: null }, now);
      report.delivered++;
      return;
    }
    const giveUp = row.attempts + 1 >= maxAttemptsFor(row.event_type, options.maxAttempts ?? WEBHOOK_MAX_ATTEMPTS);
    const delay = (options.retryDelay ?? webhookRetryDelaySeconds)(row.attempts + 1);
    const { paused } = await recordDeliveryAttempt(
      db,
      row,
      { statusCode: outcome.status, error: outcome.error, retryAt: giveUp ? null : new Date(now.getTime() + delay * 1000) },
      now,
    );
    if (giveUp) report.failed++;
    else report.retried++;
    if (paused) report.paused++;
  }

  function start(row: ClaimedDelivery) {
    // A delivery whose outcome could not be recorded is sent again when its lease runs out.
    const running: Promise<void> = deliver(row)
      .then(
        () => health.succeeded("webhook-deliveries"),
        (error: unknown) => health.failed("webhook-deliveries", error),
      )
      .finally(() => {
        inFlight.delete(running);
        onSettled?.();
      });
    inFlight.add(running);
  }

  /** Claims and starts as many due deliveries as there is room for; returns how many. */
  async function fill(): Promise<number> {
    const parallelism = options.parallelism ?? WEBHOOK_PARALLELISM;
    let room = parallelism - inFlight.size;
    if (room <= 0) return 0;
    const now = clock();
    const endpoints = await endpointsWithDueWork(db, { now, limit: room });
    let started = 0;
    for (const endpoint of endpoints) {
      if (room <= 0) break;
      const rows = await claimEndpointDeliveries(db, endpoint, {
        limit: Math.min(room, WEBHOOK_ENDPOINT_CONCURRENCY),
        leaseSeconds: options.leaseSeconds ?? 60,
        now,
      });
      for (const row of rows) start(row);
      room -= rows.length;
      started += rows.length;
    }
    report.claimed += started;
    return started;
  }

  return {
    fill,
    report,
    get inFlight() {
      return inFlight.size;
    },
    /** Waits until every send started so far has recorded its outcome. */
    async idle() {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
  };
}

/** One round: claim what is due (within the caps), send it all, record. */
export async function dispatchWebhooksOnce(db: Kysely<DB>, options: WebhookDispatchOptions = {}): Promise<WebhookDispatchReport> {
  const pool = createDeliveryPool(db, options);
  await pool.fill();
  await pool.idle();
  return { ...pool.report };
}

/** Rounds until one claims nothing (or `maxRounds`). */
export async function dispatchWebhooksUntilIdle(db: Kysely<DB>, options: WebhookDispatchOptions & { maxRounds?: number } = {}) {
  const total = emptyReport();
  for (let round = 0; round < (options.maxRounds ?? 50); round++) {
    const report = await dispatchWebhooksOnce(db, options);
    for (const key of Object.keys(total) as Array<keyof WebhookDispatchReport>) total[key] += report[key];
    if (report.claimed === 0) break;
  }
  return total;
}

export interface WebhookDispatcher {
  tick(): Promise<void>;
  /** Stops claiming and waits (a few seconds at most) for the sends in flight: call before closing the database. */
  stop(): Promise<void>;
}

/**
 * Keeps up to `parallelism` sends going in this process: looks for due work every `pollMs` and
 * whenever a send ends, while this process leads the job (ADR 032; by default it always does).
 * Sends started before a change of leader finish here; the claims' leases keep the new leader off
 * them. The timer never keeps the process alive on its own.
 */
export function startWebhookDispatcher(
  db: Kysely<DB>,
  options: WebhookDispatchOptions & { pollMs?: number; stopGraceMs?: number; leadership?: JobLeadership } = {},
): WebhookDispatcher {
  const pollMs = options.pollMs ?? 1_000;
  const log = options.log ?? ((line: string) => console.log(line));
  const health = options.health ?? createJobHealth({ log });
  const leadership = options.leadership ?? soloLeadership();
  let filling: Promise<void> | null = null;
  let again = false;
  let lastLogged = { ...emptyReport() };
  const pool = createDeliveryPool(db, { ...options, log, health }, () => {
    if (!loop.stopped) void tick();
  });

  function logProgress() {
    const r = pool.report;
    if (r.delivered + r.retried + r.failed === lastLogged.delivered + lastLogged.retried + lastLogged.failed) return;
    const delta = Object.fromEntries((Object.keys(r) as Array<keyof WebhookDispatchReport>).map((k) => [k, r[k] - lastLogged[k]]));
    lastLogged = { ...r };
    log(JSON.stringify({ level: "info", time: new Date().toISOString(), message: "webhook dispatch", ...delta }));
  }

  async function work() {
    if (!leadership.leads(JOB)) return;
    try {
      logProgress();
      // Keep claiming while claims bring work and there is room: a burst drains without waiting for the timer.
      while (!loop.stopped && (await pool.fill()) > 0) {
        /* claimed some; look again */
      }
      health.succeeded(JOB);
    } catch (error) {
      health.failed(JOB, error);
    }
    // A run is a poll: the extra rounds a finished send starts are not written down one by one.
    if (leadership.due(JOB, pollMs)) await leadership.ran(JOB);
  }
  function tick(): Promise<void> {
    if (filling) {
      again = true;
      // The caller waits for the round it asked for: the one the running round starts when it ends.
      return filling.then(() => filling ?? undefined);
    }
    filling = work().finally(() => {
      filling = null;
      if (again && !loop.stopped) {
        again = false;
        void tick();
      }
    });
    return filling;
  }
  const loop = pollEvery(pollMs, tick);
  leadership.onLead(JOB, () => {
    if (!loop.stopped) void tick();
  });
  return {
    tick,
    async stop() {
      loop.stop();
      await filling;
      // Sends in flight get a few seconds to record their outcome (the server's shutdown allows
      // 10 s in all); one still waiting on a slow receiver is left to its lease and sent again,
      // with the same event id, by whichever dispatcher runs next.
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([pool.idle(), new Promise<void>((resolve) => (grace = setTimeout(resolve, options.stopGraceMs ?? 5_000)))]);
      clearTimeout(grace);
      logProgress();
    },
  };
}
