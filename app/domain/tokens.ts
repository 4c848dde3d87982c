import { tenantTokenLookup } from "~/domain/tenant-token";

/* Link tokens are made and hashed in app/infra/secret-tokens.server.ts; this is their shape. */

/** Cheap shape check before any lookup: anything else is simply "not found". */
export function looksLikeLinkToken(value: string): boolean {
  return tenantTokenLookup(value) !== null;
}
