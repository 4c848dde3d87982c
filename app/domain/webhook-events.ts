/*
 * The webhook event names and the signature's header, without any Node import: the settings
 * pages (browser code) list them; app/domain/webhooks.ts signs and verifies.
 */
export const WEBHOOK_EVENTS = [
  "plan.forecast_date_changed",
  "plan.go_live_changed",
  "plan.go_live_confirmed",
  "milestone.completed",
  "plan.closed",
  "plan.reopened",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];
/** Sent only by the settings page's "send test event" button. */
export const TEST_EVENT = "webhook.test";

export const WEBHOOK_EVENT_LABELS: Record<WebhookEventType, string> = {
  "plan.forecast_date_changed": "The plan's forecast close date changed",
  "plan.go_live_changed": "The go-live date changed (by either side)",
  "plan.go_live_confirmed": "The customer confirmed the go-live date",
  "milestone.completed": "A milestone was completed",
  "plan.closed": "The plan was closed: won, lost or no decision, with its close date",
  "plan.reopened": "A closed plan was reopened",
};

export function isWebhookEvent(value: unknown): value is WebhookEventType {
  return typeof value === "string" && (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

export const SIGNATURE_HEADER = "Plan-Together-Signature";
export const REPLAY_WINDOW_SECONDS = 5 * 60;
