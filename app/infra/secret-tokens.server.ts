import { createHash, randomBytes } from "node:crypto";
import { API_TOKEN_PREFIX } from "~/domain/api";
import { tenantToken } from "~/domain/tenant-token";

/*
 * The secrets people carry (buyer and feed links, set-password links, API tokens, session ids) and
 * the one hash the database keeps of them. Here, not in app/domain, because it needs Node's crypto
 * and the domain stays pure; the shape checks (looksLikeLinkToken, apiTokenLookup) stay there.
 * Each carries its organisation in front of the secret (app/domain/tenant-token.ts), so finding it
 * reads one organisation's rows.
 */

/** The organisation, then 32 random bytes (256 bits) from the CSPRNG, URL-safe: a link's secret. */
export function newLinkToken(orgId: string): string {
  return tenantToken(orgId, randomBytes(32).toString("base64url"));
}

/** `pt_` + a link token: recognisable in a secret scanner, 256 bits of entropy. */
export function newApiToken(orgId: string): string {
  return `${API_TOKEN_PREFIX}${newLinkToken(orgId)}`;
}

/** What the database keeps instead of a secret: its SHA-256 (of the whole token), so a leaked table opens nothing. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
