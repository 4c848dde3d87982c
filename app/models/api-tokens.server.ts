import { sql, type Kysely } from "kysely";
import type { ApiTokenScope, DB } from "../../db/types";
import { apiTokenLookup, rateWindowStart } from "~/domain/api";
import { hashToken, newApiToken } from "~/infra/secret-tokens.server";
import type { Conn } from "~/models/conn";

/*
 * API tokens: created by an admin, shown once, stored as SHA-256; revoked, never deleted (the
 * list keeps who made which token and when it was last used). The token names its organisation
 * (app/domain/tenant-token.ts), so finding it reads that organisation's rows only; a token made
 * before tokens carried one is found by its hash alone (ADR 030).
 */

export async function createApiToken(db: Conn, input: { orgId: string; name: string; scope: ApiTokenScope; createdBy: string }) {
  const token = newApiToken(input.orgId);
  const row = await db
    .insertInto("api_tokens")
    .values({ org_id: input.orgId, name: input.name, scope: input.scope, created_by: input.createdBy, token_hash: hashToken(token) })
    .returning(["id", "name", "scope"])
    .executeTakeFirstOrThrow();
  return { ...row, token };
}

export async function listApiTokens(db: Conn, orgId: string) {
  return db
    .selectFrom("api_tokens as t")
    .leftJoin("users as u", (j) => j.onRef("u.org_id", "=", "t.org_id").onRef("u.id", "=", "t.created_by"))
    .select(["t.id", "t.name", "t.scope", "t.created_at", "t.last_used_at", "t.revoked_at", "u.name as created_by_name"])
    .where("t.org_id", "=", orgId)
    .orderBy("t.revoked_at", (o) => o.desc().nullsFirst())
    .orderBy("t.created_at", "desc")
    .orderBy("t.id")
    .execute();
}

/** True when a live token of this organisation was revoked. */
export async function revokeApiToken(db: Conn, orgId: string, tokenId: string, now: Date) {
  const result = await db
    .updateTable("api_tokens")
    .set({ revoked_at: now })
    .where("org_id", "=", orgId)
    .where("id", "=", tokenId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Revokes every live token a (deactivated) user created; returns how many (ADR 021). */
export async function revokeApiTokensCreatedBy(db: Conn, orgId: string, userId: string, now: Date): Promise<number> {
  const result = await db
    .updateTable("api_tokens")
    .set({ revoked_at: now })
    .where("org_id", "=", orgId)
    .where("created_by", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The live tokens a user created, for the deactivation step to name. */
export async function liveApiTokensCreatedBy(db: Conn, orgId: string, userId: string) {
  return db
    .selectFrom("api_tokens")
    .select(["id", "name"])
    .where("org_id", "=", orgId)
    .where("created_by", "=", userId)
    .where("revoked_at", "is", null)
    .orderBy("name")
    .execute();
}

export interface ApiPrincipal {
  orgId: string;
  tokenId: string;
  name: string;
  scope: ApiTokenScope;
  createdBy: string | null;
  rateLimitPerMinute: number;
}

/** The live token behind a raw bearer value, or null. Notes its use (at most once a minute per token). */
export async function authenticateApiToken(db: Kysely<DB>, raw: string, now: Date): Promise<ApiPrincipal | null> {
  const lookup = apiTokenLookup(raw);
  if (!lookup) return null;
  const row = await db
    .selectFrom("api_tokens")
    .select(["org_id", "id", "name", "scope", "created_by", "rate_limit_per_minute", "last_used_at"])
    .$if(lookup.orgId !== null, (q) => q.where("org_id", "=", lookup.orgId!))
    .where("token_hash", "=", hashToken(raw))
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) {
    await db.updateTable("api_tokens").set({ last_used_at: now }).where("org_id", "=", row.org_id).where("id", "=", row.id).execute();
  }
  return { orgId: row.org_id, tokenId: row.id, name: row.name, scope: row.scope, createdBy: row.created_by, rateLimitPerMinute: row.rate_limit_per_minute };
}

/**
 * Counts this request in the token's current one-minute window (one upsert, atomic across app
 * servers). Returns 0 when allowed, else the seconds until the window ends (Retry-After).
 */
export async function takeRateLimit(db: Kysely<DB>, principal: ApiPrincipal, now: Date): Promise<number> {
  const windowStart = rateWindowStart(now);
  const { rows } = await sql<{ count: number }>`
    insert into api_rate_limits (org_id, token_id, window_start, count)
    values (${principal.orgId}, ${principal.tokenId}, ${windowStart}, 1)
    on conflict (org_id, token_id, window_start) do update set count = api_rate_limits.count + 1
    returning count`.execute(db);
  const count = Number(rows[0]?.count ?? 0);
  if (count <= principal.rateLimitPerMinute) {
    // Old windows are worth nothing: drop this token's now and then (cheap, by primary key prefix).
    if (count === 1) {
      await db
        .deleteFrom("api_rate_limits")
        .where("org_id", "=", principal.orgId)
        .where("token_id", "=", principal.tokenId)
        .where("window_start", "<", windowStart)
        .execute();
    }
    return 0;
  }
  return Math.max(1, Math.ceil((windowStart.getTime() + 60_000 - now.getTime()) / 1000));
}
