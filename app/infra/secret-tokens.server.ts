import { createHash, randomBytes } from "node:crypto";
import { API_TOKEN_PREFIX } from "~/domain/api";

/*
 * The secrets people carry (buyer and feed links, set-password links, API tokens, session ids) and
 * the one hash the database keeps of them. Here, not in app/domain, because it needs Node's crypto
 * and the domain stays pure; the shape checks (looksLikeLinkToken, looksLikeApiToken) stay there.
 */

/** 32 random bytes (256 bits) from the CSPRNG, URL-safe: a link's secret. */
export function newLinkToken(): string {
  return randomBytes(32).toString("base64url");
}

/** `pt_` + 32 random bytes, URL-safe: recognisable in a secret scanner, 256 bits of entropy. */
export function newApiToken(): string {
  return `${API_TOKEN_PREFIX}${newLinkToken()}`;
}

/** What the database keeps instead of a secret: its SHA-256, so a leaked table opens nothing. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
