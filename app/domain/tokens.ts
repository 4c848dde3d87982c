import { createHash, randomBytes } from "node:crypto";

/** 32 random bytes (256 bits) from the CSPRNG, URL-safe: a buyer link's secret. */
export function newLinkToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What the database keeps instead of a token: its SHA-256, so a leaked table opens no link. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Cheap shape check before any lookup: anything else is simply "not found". */
export function looksLikeLinkToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}
