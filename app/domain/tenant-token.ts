/*
 * Tokens that carry their organisation (issue 20, ADR 030): `<org>.<secret>`, the organisation's
 * uuid as 16 bytes in base64url (22 characters) in front of the secret. A lookup can then name the
 * organisation as well as the hash, which on Citus is one shard instead of every shard. The org
 * part is no secret and proves nothing: the database keeps the hash of the whole token, so a token
 * whose org part was changed matches no row anywhere.
 *
 * Tokens issued before (the secret alone) are still looked up by their hash alone until they end;
 * a token with an org part is looked up in that organisation only, never by its hash alone.
 */

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** URL-safe, and never part of base64url: the org part ends at the first one. */
const SEPARATOR = ".";
const ORG_PART = /^[A-Za-z0-9_-]{22}$/;
/** The secrets the app makes (32 CSPRNG bytes or an HMAC-SHA256, in base64url), and the old tokens' whole shape. */
const SECRET = /^[A-Za-z0-9_-]{43}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where a token is to be found: in its organisation, or (a token issued before they carried one) by its hash alone. */
export type TokenLookup = { orgId: string } | { orgId: null };

/*
 * Three hex digits are 12 bits, two base64url characters. A uuid is 32 hex digits: one zero digit
 * more makes 33, so 22 characters whose last 4 bits are zero, which is how base64url spells 16 bytes.
 */
function orgPart(orgId: string): string {
  const hex = `${orgId.replace(/-/g, "").toLowerCase()}0`;
  let out = "";
  for (let i = 0; i < hex.length; i += 3) {
    const v = parseInt(hex.slice(i, i + 3), 16);
    out += BASE64URL[v >> 6] + BASE64URL[v & 63];
  }
  return out;
}

/** The uuid an org part spells, or null: the wrong length or alphabet, or a spelling base64url would not write. */
function orgIdOf(part: string): string | null {
  if (!ORG_PART.test(part)) return null;
  let hex = "";
  for (let i = 0; i < part.length; i += 2) {
    hex += ((BASE64URL.indexOf(part[i]) << 6) | BASE64URL.indexOf(part[i + 1])).toString(16).padStart(3, "0");
  }
  // Spare bits set: a second spelling of the same bytes, which no token of ours has.
  if (!hex.endsWith("0")) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A secret with its organisation in front. */
export function tenantToken(orgId: string, secret: string): string {
  if (!UUID.test(orgId)) throw new Error(`Not an organisation id: ${orgId}`);
  return `${orgPart(orgId)}${SEPARATOR}${secret}`;
}

/**
 * How to look a token up, or null when it cannot be one of ours (no query at all). `legacy` is the
 * shape the kind's tokens had before they carried their organisation.
 */
export function tenantTokenLookup(token: string, legacy: RegExp = SECRET): TokenLookup | null {
  const at = token.indexOf(SEPARATOR);
  if (at === -1) return legacy.test(token) ? { orgId: null } : null;
  const orgId = orgIdOf(token.slice(0, at));
  return orgId !== null && SECRET.test(token.slice(at + 1)) ? { orgId } : null;
}
