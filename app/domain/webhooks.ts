import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { REPLAY_WINDOW_SECONDS, type WebhookEventType } from "./webhook-events";

/*
 * Webhooks, pure: which events exist, how a delivery is signed and verified, when a failed one is
 * tried again, and which webhook events a plan command's logged events call for. Shared by the
 * dispatcher, the settings page's documentation and the tests (so they cannot disagree).
 *
 * Signature: header `Plan-Together-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`.
 * Receivers recompute the HMAC over the raw body and refuse a timestamp more than 5 minutes away
 * from their clock (a captured delivery cannot be replayed later).
 */

export {
  isWebhookEvent, REPLAY_WINDOW_SECONDS, SIGNATURE_HEADER, TEST_EVENT, WEBHOOK_EVENT_LABELS, WEBHOOK_EVENTS, type WebhookEventType,
} from "./webhook-events";

/** A new signing secret: `whsec_` + 32 random bytes, URL-safe. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/** The header value for a body sent at `now`. */
export function signWebhook(secret: string, body: string, now: Date): string {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${hmacHex(secret, t, body)}`;
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: "malformed" | "expired" | "mismatch" };

/**
 * What a receiver does with a delivery: parse the header, refuse a timestamp outside the replay
 * window, and compare the HMAC over `t.body` in constant time (any v1 value may match, so a
 * sender can sign with two secrets while rotating).
 */
export function verifyWebhookSignature(secret: string, header: string | null | undefined, body: string, now: Date, toleranceSeconds = REPLAY_WINDOW_SECONDS): VerifyResult {
  if (!header) return { ok: false, reason: "malformed" };
  let t: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const [key, value] = part.trim().split("=", 2);
    if (key === "t" && value && /^\d{1,12}$/.test(value)) t = Number(value);
    else if (key === "v1" && value && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (t === null || !signatures.length) return { ok: false, reason: "malformed" };
  if (Math.abs(Math.floor(now.getTime() / 1000) - t) > toleranceSeconds) return { ok: false, reason: "expired" };
  const expected = Buffer.from(hmacHex(secret, t, body), "hex");
  const match = signatures.some((s) => timingSafeEqual(Buffer.from(s, "hex"), expected));
  return match ? { ok: true, timestamp: t } : { ok: false, reason: "mismatch" };
}

// ---------------------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------------------

/** After this many failed attempts a delivery is `failed` (about 17 hours of trying). */
export const WEBHOOK_MAX_ATTEMPTS = 12;

/** Seconds before attempt n+1 after n failures: 30 s, 1, 2, 4 … minutes, at most 4 hours. */
export function webhookRetryDelaySeconds(failedAttempts: number): number {
  return Math.min(30 * 2 ** Math.max(0, failedAttempts - 1), 4 * 3600);
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
export function webhookEventsFor(events: readonly CommandEvent[], before: { forecastCloseDate: string | null }, after: PlanSnapshot, actor: { name: string; side: string }): WebhookEvent[] {
  const out: WebhookEvent[] = [];
  const by = { name: actor.name, side: actor.side };
  for (const e of events) {
    if (e.action === "plan.go_live_changed") {
      const change = e.changes?.go_live ?? { before: null, after: after.goLive };
      out.push({ type: "plan.go_live_changed", data: { plan: after, goLive: { before: change.before, after: change.after }, reason: e.reason ?? null, by } });
    } else if (e.action === "plan.go_live_confirmed") {
      out.push({ type: "plan.go_live_confirmed", data: { plan: after, goLive: after.goLive, by } });
    } else if (e.action === "milestone.completed") {
      out.push({ type: "milestone.completed", data: { plan: after, milestoneId: e.entityId ?? null, completedOn: e.changes?.completed_on?.after ?? null, by } });
    }
  }
  if (before.forecastCloseDate !== after.forecastCloseDate) {
    out.push({ type: "plan.forecast_date_changed", data: { plan: after, forecastCloseDate: { before: before.forecastCloseDate, after: after.forecastCloseDate }, by } });
  }
  return out;
}

/** The JSON a receiver gets. */
export function webhookBody(event: { id: string; type: string; createdAt: Date; data: Record<string, unknown> }): Record<string, unknown> {
  return { id: event.id, type: event.type, createdAt: event.createdAt.toISOString(), data: event.data };
}

/** Endpoint URLs: https; plain http only to this machine outside production (tests, local receivers). */
export function validateWebhookUrl(raw: string, production: boolean): { ok: true; url: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, message: "Enter a full address, like https://crm.example.com/hooks/plan-together." };
  }
  if (url.username || url.password) return { ok: false, message: "Leave credentials out of the address; verify the signature instead." };
  if (url.protocol === "https:") return { ok: true, url: url.toString() };
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol === "http:" && loopback && !production) return { ok: true, url: url.toString() };
  return { ok: false, message: production ? "Use an https:// address." : "Use an https:// address (or http://127.0.0.1 / localhost while developing)." };
}
