import { isUuid } from "~/domain/ids";
import { tenantTokenLookup, type TokenLookup } from "~/domain/tenant-token";

/*
 * The JSON API, pure: tokens, scopes, cursors and problem documents (RFC 9457).
 */

/** API tokens start with this (made in app/infra/secret-tokens.server.ts): recognisable in a secret scanner. */
export const API_TOKEN_PREFIX = "pt_";

/** What an API token may do. */
export type ApiTokenScope = "read" | "read_write";

/** Where to find an API token (`pt_` + org part + secret, or `pt_` + secret before 029), or null: not one. */
export function apiTokenLookup(value: string): TokenLookup | null {
  return value.startsWith(API_TOKEN_PREFIX) ? tenantTokenLookup(value.slice(API_TOKEN_PREFIX.length)) : null;
}

/** The token in `Authorization: Bearer <token>`, or null. */
export function bearerToken(header: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match ? match[1] : null;
}

/** Whether an API token of this scope may do what `needs` asks (read, or read and write). */
export function tokenScopeGrants(scope: ApiTokenScope, needs: ApiTokenScope): boolean {
  return needs === "read" || scope === "read_write";
}

export const SCOPE_LABELS: Record<ApiTokenScope, string> = { read: "Read", read_write: "Read and write" };

// ---------------------------------------------------------------------------------------------
// Problems
// ---------------------------------------------------------------------------------------------

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: Record<string, string[]>;
}

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  422: "Unprocessable content",
  429: "Too many requests",
  503: "Service unavailable",
};

/** Half of a surrogate pair on its own: not a character, and not storable as UTF-8 text. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The dotted path of the first key or string in a parsed JSON value holding a lone surrogate
 * ("" for the value itself), or null when all its text is valid Unicode.
 */
export function malformedTextPath(value: unknown, path = ""): string | null {
  if (typeof value === "string") return LONE_SURROGATE.test(value) ? path : null;
  if (typeof value !== "object" || value === null) return null;
  for (const [key, inner] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (LONE_SURROGATE.test(key)) return at;
    const found = malformedTextPath(inner, at);
    if (found !== null) return found;
  }
  return null;
}

export function problem(status: number, slug: string, detail: string, errors?: Record<string, string[]>): Problem {
  return { type: `https://plan-together.dev/problems/${slug}`, title: TITLES[status] ?? "Error", status, detail, ...(errors ? { errors } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------------------------

export interface Cursor {
  /** created_at with microseconds, ISO 8601 UTC (JS dates keep only milliseconds). */
  createdAt: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString("base64url");
}

export function decodeCursor(raw: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(raw)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [createdAt, id] = value as unknown[];
    if (typeof createdAt !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(createdAt) || !isUuid(id)) return null;
    return { createdAt, id };
  } catch {
    return null;
  }
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

export function parseLimit(raw: string | null): { ok: true; value: number } | { ok: false; message: string } {
  if (raw === null || raw === "") return { ok: true, value: DEFAULT_PAGE_SIZE };
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_PAGE_SIZE)
    return { ok: false, message: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.` };
  return { ok: true, value: Number(raw) };
}

/** The start of the fixed one-minute window `now` falls in. */
export function rateWindowStart(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000);
}
