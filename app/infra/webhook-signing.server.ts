import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { REPLAY_WINDOW_SECONDS } from "~/domain/webhook-events";

/*
 * Signing webhook deliveries. Header `Plan-Together-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256(secret, t + "." + body)>`. Receivers recompute the HMAC over the raw body and refuse
 * a timestamp more than 5 minutes away from their clock (a captured delivery cannot be replayed).
 */

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
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  now: Date,
  toleranceSeconds = REPLAY_WINDOW_SECONDS,
): VerifyResult {
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
