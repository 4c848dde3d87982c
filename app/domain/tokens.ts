/* Link tokens are made and hashed in app/infra/secret-tokens.server.ts; this is their shape. */

/** Cheap shape check before any lookup: anything else is simply "not found". */
export function looksLikeLinkToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}
