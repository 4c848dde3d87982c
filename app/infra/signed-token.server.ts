import { createHmac, timingSafeEqual } from "node:crypto";

/*
 * Small signed tokens for links that must work without a login (email preferences, "open the
 * plan" links in emails): base64url JSON payload + "." + HMAC-SHA256 under a secret, bound to a
 * purpose so a token made for one use is worthless for another.
 */
function mac(purpose: string, payload: string, secret: string): string {
  return createHmac("sha256", secret).update(purpose).update(payload).digest("base64url");
}

export function signToken(purpose: string, data: Record<string, string>, secret: string): string {
  const payload = Buffer.from(JSON.stringify(data)).toString("base64url");
  return `${payload}.${mac(purpose, payload, secret)}`;
}

/** The payload, or null when the token is malformed or its signature does not match. */
export function readToken(purpose: string, token: string | undefined, secret: string): Record<string, unknown> | null {
  if (!token || token.length > 1200) return null;
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const [, payload, signature] = match;
  // Compared as text: base64url has spare bits, so two spellings could decode to the same bytes.
  const given = Buffer.from(signature);
  const expected = Buffer.from(mac(purpose, payload, secret));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const data: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    return data && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
