import { TEST_EVENT, type WebhookEventType } from "~/domain/webhook-events";

/*
 * Webhooks, pure: which events exist, when a failed delivery is tried again, and which webhook
 * events a plan command's logged events call for (signing is in app/infra/webhook-signing.server.ts). Shared by the
 * dispatcher, the settings page's documentation and the tests (so they cannot disagree).
 *
 * Signature: header `Plan-Together-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`.
 * Receivers recompute the HMAC over the raw body and refuse a timestamp more than 5 minutes away
 * from their clock (a captured delivery cannot be replayed later).
 */

export {
  isWebhookEvent,
  REPLAY_WINDOW_SECONDS,
  SIGNATURE_HEADER,
  TEST_EVENT,
  WEBHOOK_EVENT_LABELS,
  WEBHOOK_EVENTS,
  type WebhookEventType,
} from "~/domain/webhook-events";

// ---------------------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------------------

/** After this many failed attempts a delivery is `failed` (about 17 hours of trying). */
export const WEBHOOK_MAX_ATTEMPTS = 12;

/** Seconds before attempt n+1 after n failures: 30 s, 1, 2, 4 … minutes, at most 4 hours. */
export function webhookRetryDelaySeconds(failedAttempts: number): number {
  return Math.min(30 * 2 ** Math.max(0, failedAttempts - 1), 4 * 3600);
}

/** A test event is tried once: it answers "does my receiver work now?", a retry hours later does not. */
export function maxAttemptsFor(eventType: string, configured = WEBHOOK_MAX_ATTEMPTS): number {
  return eventType === TEST_EVENT ? 1 : configured;
}

// ---------------------------------------------------------------------------------------------
// Fairness: one endpoint cannot hold the others up (issue 17, item 2; docs/decisions/017)
// ---------------------------------------------------------------------------------------------

/** Deliveries in flight to one endpoint at a time, across every dispatcher. */
export const WEBHOOK_ENDPOINT_CONCURRENCY = 2;
/** Deliveries in flight per dispatcher process, all endpoints together. */
export const WEBHOOK_PARALLELISM = 8;
/** Until the connection is up, and until the status line arrives. */
export const WEBHOOK_CONNECT_TIMEOUT_MS = 3_000;
export const WEBHOOK_ANSWER_TIMEOUT_MS = 10_000;

/** Failed attempts in a row that pause an endpoint. */
export const WEBHOOK_CIRCUIT_THRESHOLD = 5;

/** How long an endpoint with `failures` failed attempts in a row stays paused: 1, 2, 4 … minutes, at most an hour. */
export function circuitPauseSeconds(failures: number): number {
  return Math.min(60 * 2 ** Math.max(0, failures - WEBHOOK_CIRCUIT_THRESHOLD), 3600);
}

export interface CircuitState {
  consecutiveFailures: number;
  openUntil: Date | null;
  openedAt: Date | null;
}

/**
 * The endpoint's breaker after one attempt. A success closes it. A failure counts; at the
 * threshold (and at every failed probe after it) the endpoint pauses for a growing time.
 * `justOpened` is true only when a run of failures first pauses it: the admins hear once.
 */
export function circuitAfter(state: CircuitState, delivered: boolean, now: Date): CircuitState & { justOpened: boolean } {
  if (delivered) return { consecutiveFailures: 0, openUntil: null, openedAt: null, justOpened: false };
  const consecutiveFailures = state.consecutiveFailures + 1;
  if (consecutiveFailures < WEBHOOK_CIRCUIT_THRESHOLD) return { ...state, consecutiveFailures, justOpened: false };
  const openUntil = new Date(now.getTime() + circuitPauseSeconds(consecutiveFailures) * 1000);
  return { consecutiveFailures, openUntil, openedAt: state.openedAt ?? now, justOpened: state.openedAt === null };
}

/** While failures are at the threshold or beyond, only one probe goes out at a time. */
export function endpointConcurrency(consecutiveFailures: number): number {
  return consecutiveFailures >= WEBHOOK_CIRCUIT_THRESHOLD ? 1 : WEBHOOK_ENDPOINT_CONCURRENCY;
}

/** "Send test event" allows this many per endpoint in any minute. */
export const TEST_EVENTS_PER_MINUTE = 3;

/** Seconds until another test event may be queued, given when the recent ones were (0 = now). */
export function testEventWaitSeconds(recent: readonly Date[], now: Date): number {
  const windowStart = now.getTime() - 60_000;
  const inWindow = recent
    .map((d) => d.getTime())
    .filter((t) => t > windowStart)
    .sort((a, b) => a - b);
  if (inWindow.length < TEST_EVENTS_PER_MINUTE) return 0;
  const oldestCounted = inWindow[inWindow.length - TEST_EVENTS_PER_MINUTE];
  return Math.max(1, Math.ceil((oldestCounted + 60_000 - now.getTime()) / 1000));
}

/** A 2xx answer is delivered; anything else (3xx included: redirects are not followed) is retried. */
export function isDelivered(status: number): boolean {
  return status >= 200 && status < 300;
}

// ---------------------------------------------------------------------------------------------
// Which webhook events a command calls for
// ---------------------------------------------------------------------------------------------

export interface CommandEvent {
  action: string;
  entityId?: string | null;
  reason?: string | null;
  changes?: Record<string, { before: unknown; after: unknown }>;
}

export interface PlanSnapshot {
  id: string;
  title: string;
  buyerCompany: string;
  externalCrmId: string | null;
  goLive: string;
  goLiveSetBy: string;
  goLiveSetSide: string;
  goLiveConfirmedBy: string | null;
  forecastCloseDate: string | null;
  crmCloseDate: string | null;
  projectedGoLive: string | null;
  slipDays: number;
}

export interface WebhookEvent {
  type: WebhookEventType;
  data: Record<string, unknown>;
}

/**
 * The webhook events of one command, in a fixed order: what was done (go-live moved or confirmed,
 * milestones completed), then its effect on the forecast close date.
 */
export function webhookEventsFor(
  events: readonly CommandEvent[],
  before: { forecastCloseDate: string | null },
  after: PlanSnapshot,
  actor: { name: string; side: string },
): WebhookEvent[] {
  const out: WebhookEvent[] = [];
  const by = { name: actor.name, side: actor.side };
  for (const e of events) {
    if (e.action === "plan.go_live_changed") {
      const change = e.changes?.go_live ?? { before: null, after: after.goLive };
      out.push({ type: "plan.go_live_changed", data: { plan: after, goLive: { before: change.before, after: change.after }, reason: e.reason ?? null, by } });
    } else if (e.action === "plan.go_live_confirmed") {
      out.push({ type: "plan.go_live_confirmed", data: { plan: after, goLive: after.goLive, by } });
    } else if (e.action === "milestone.completed") {
      out.push({
        type: "milestone.completed",
        data: { plan: after, milestoneId: e.entityId ?? null, completedOn: e.changes?.completed_on?.after ?? null, by },
      });
    } else if (e.action === "plan.closed") {
      const c = e.changes ?? {};
      out.push({
        type: "plan.closed",
        data: {
          plan: after,
          outcome: c.status?.after ?? null,
          closedOn: c.closed_on?.after ?? null,
          lossReason: c.loss_reason?.after ?? null,
          closeNote: c.close_note?.after ?? null,
          by,
        },
      });
    } else if (e.action === "plan.reopened") {
      const c = e.changes ?? {};
      out.push({
        type: "plan.reopened",
        data: {
          plan: after,
          outcome: { before: c.status?.before ?? null, after: "active" },
          closedOn: { before: c.closed_on?.before ?? null, after: null },
          by,
        },
      });
    }
  }
  if (before.forecastCloseDate !== after.forecastCloseDate) {
    out.push({
      type: "plan.forecast_date_changed",
      data: { plan: after, forecastCloseDate: { before: before.forecastCloseDate, after: after.forecastCloseDate }, by },
    });
  }
  return out;
}

/** The JSON a receiver gets. */
export function webhookBody(event: { id: string; type: string; createdAt: Date; data: Record<string, unknown> }): Record<string, unknown> {
  return { id: event.id, type: event.type, createdAt: event.createdAt.toISOString(), data: event.data };
}

/** What a settings page does to one endpoint or chat channel: send a test, turn it off, on or back on after a pause, remove it. */
export const ENDPOINT_INTENTS = ["resume", "test", "disable", "enable", "delete"] as const;
export type EndpointIntent = (typeof ENDPOINT_INTENTS)[number];

/** The intents an endpoint offers now: "resume" only while its breaker has paused it. */
export function endpointIntents(state: { active: boolean; paused: boolean }): EndpointIntent[] {
  return [...(state.active && state.paused ? (["resume"] as const) : []), "test", state.active ? "disable" : "enable", "delete"];
}
