import type { Transaction } from "kysely";
import type { DB } from "../../db/types";
import { tenantTokenLookup } from "~/domain/tenant-token";
import { hashToken, newLinkToken } from "~/infra/secret-tokens.server";
import type { Conn } from "~/models/conn";

export const DEFAULT_LINK_DAYS = 90;

/** Creates a buyer link and returns its token: the only time the token exists outside the URL. */
export async function insertShareLink(
  trx: Transaction<DB>,
  input: { orgId: string; planId: string; stakeholderId: string; createdBy: string | null; now: Date; days?: number },
) {
  const token = newLinkToken(input.orgId);
  const expiresAt = new Date(input.now.getTime() + (input.days ?? DEFAULT_LINK_DAYS) * 86_400_000);
  const link = await trx
    .insertInto("share_links")
    .values({
      org_id: input.orgId,
      plan_id: input.planId,
      stakeholder_id: input.stakeholderId,
      token_hash: hashToken(token),
      created_by: input.createdBy,
      expires_at: expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { link, token };
}

/**
 * A live link for a token (not revoked, not expired), or undefined: callers answer the same 404.
 * Looked up in the token's organisation; a link made before tokens carried one, by its hash alone.
 */
export async function findLiveShareLink(db: Conn, token: string, now: Date) {
  const lookup = tenantTokenLookup(token);
  if (!lookup) return undefined;
  return db
    .selectFrom("share_links")
    .selectAll()
    .$if(lookup.orgId !== null, (q) => q.where("org_id", "=", lookup.orgId!))
    .where("token_hash", "=", hashToken(token))
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

export async function recordShareLinkVisit(db: Conn, link: { org_id: string; id: string }, now: Date) {
  await db
    .updateTable("share_links")
    .set((eb) => ({
      visit_count: eb("visit_count", "+", 1),
      last_visit_at: now,
      first_visit_at: eb.fn.coalesce("first_visit_at", eb.val(now)),
    }))
    .where("org_id", "=", link.org_id)
    .where("id", "=", link.id)
    .execute();
}
