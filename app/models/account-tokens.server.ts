import type { Kysely } from "kysely";
import type { AccountTokenPurpose, DB } from "../../db/types";
import { accountTokenState, tokenExpiry, type AccountTokenState } from "~/domain/account-tokens";
import { tenantTokenLookup } from "~/domain/tenant-token";
import { hashToken, newLinkToken } from "~/infra/secret-tokens.server";
import type { Conn } from "~/models/conn";

/*
 * Set-password links and the password changes they allow (issue 17, item 8; ADR 020). A link's
 * token is 256 random bits shown once, in the email; the table keeps its SHA-256. Only the newest
 * link of a user works: issuing one supersedes the others. Spending a link, setting the password,
 * superseding the user's other links and ending their sessions is one transaction.
 */

/** Writes a new link for the user and supersedes every link of theirs still open. The token is returned once. */
export async function issueAccountToken(
  db: Conn,
  input: { orgId: string; userId: string; purpose: AccountTokenPurpose; now: Date },
): Promise<{ token: string; expiresAt: Date }> {
  await cancelOpenAccountTokens(db, input.orgId, input.userId, input.now);
  const token = newLinkToken(input.orgId);
  const expiresAt = tokenExpiry(input.purpose, input.now);
  await db
    .insertInto("account_tokens")
    .values({ org_id: input.orgId, user_id: input.userId, purpose: input.purpose, token_hash: hashToken(token), created_at: input.now, expires_at: expiresAt })
    .execute();
  return { token, expiresAt };
}

/** Every set-password link of the user still open stops working (a newer one, a new password, deactivation). */
export async function cancelOpenAccountTokens(db: Conn, orgId: string, userId: string, now: Date) {
  await db
    .updateTable("account_tokens")
    .set({ replaced_at: now })
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .where("replaced_at", "is", null)
    .execute();
}

export interface AccountTokenView {
  purpose: AccountTokenPurpose;
  state: AccountTokenState;
  expiresAt: Date;
  user: { name: string; email: string; invited: boolean };
  organisationName: string;
}

/** What a link is for and whether it still works; undefined for a token no link ever had. */
export async function findAccountToken(db: Conn, token: string, now: Date): Promise<AccountTokenView | undefined> {
  const lookup = tenantTokenLookup(token);
  if (!lookup) return undefined;
  const row = await db
    .selectFrom("account_tokens as t")
    .innerJoin("users as u", (j) => j.onRef("u.org_id", "=", "t.org_id").onRef("u.id", "=", "t.user_id"))
    .innerJoin("organisations as o", "o.id", "t.org_id")
    .select(["t.purpose", "t.expires_at", "t.used_at", "t.replaced_at", "u.name", "u.email", "u.password_hash", "o.name as org_name"])
    .$if(lookup.orgId !== null, (q) => q.where("t.org_id", "=", lookup.orgId!))
    .where("t.token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    purpose: row.purpose,
    state: accountTokenState({ expiresAt: new Date(row.expires_at), usedAt: row.used_at, replacedAt: row.replaced_at }, now),
    expiresAt: new Date(row.expires_at),
    user: { name: row.name, email: row.email, invited: row.password_hash === null },
    organisationName: row.org_name,
  };
}

export type SetPasswordOutcome =
  { ok: true; user: { id: string; org_id: string }; purpose: AccountTokenPurpose } | { ok: false; state: Exclude<AccountTokenState, "usable"> | "unknown" };

/**
 * Spends the link (once: a second submit, even a concurrent one, finds it used), sets the
 * password, supersedes the user's other links and ends every session of theirs: whoever held
 * one (perhaps the reason for the reset) is signed out. The caller then signs this browser in.
 */
export async function setPasswordWithToken(db: Kysely<DB>, input: { token: string; passwordHash: string; now: Date }): Promise<SetPasswordOutcome> {
  const lookup = tenantTokenLookup(input.token);
  if (!lookup) return { ok: false, state: "unknown" };
  return db.transaction().execute(async (trx): Promise<SetPasswordOutcome> => {
    const spent = await trx
      .updateTable("account_tokens")
      .set({ used_at: input.now })
      .$if(lookup.orgId !== null, (q) => q.where("org_id", "=", lookup.orgId!))
      .where("token_hash", "=", hashToken(input.token))
      .where("used_at", "is", null)
      .where("replaced_at", "is", null)
      .where("expires_at", ">", input.now)
      .returning(["org_id", "user_id", "purpose"])
      .executeTakeFirst();
    if (!spent) {
      const view = await findAccountToken(trx, input.token, input.now);
      // "usable" here means it expired between the two reads: the clock is the request's, so it cannot.
      return { ok: false, state: !view ? "unknown" : view.state === "usable" ? "expired" : view.state };
    }
    await trx.updateTable("users").set({ password_hash: input.passwordHash }).where("org_id", "=", spent.org_id).where("id", "=", spent.user_id).execute();
    await cancelOpenAccountTokens(trx, spent.org_id, spent.user_id, input.now);
    await trx.deleteFrom("sessions").where("org_id", "=", spent.org_id).where("user_id", "=", spent.user_id).execute();
    return { ok: true, user: { id: spent.user_id, org_id: spent.org_id }, purpose: spent.purpose };
  });
}

/**
 * A signed-in user's new password: every other session of theirs ends (this one stays), and any
 * reset link still open stops working. Returns how many sessions were ended.
 */
export async function changePassword(
  db: Kysely<DB>,
  input: { orgId: string; userId: string; passwordHash: string; keepSessionId: string | null; now: Date },
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await trx.updateTable("users").set({ password_hash: input.passwordHash }).where("org_id", "=", input.orgId).where("id", "=", input.userId).execute();
    await cancelOpenAccountTokens(trx, input.orgId, input.userId, input.now);
    let ending = trx.deleteFrom("sessions").where("org_id", "=", input.orgId).where("user_id", "=", input.userId);
    if (input.keepSessionId) ending = ending.where("id", "<>", hashToken(input.keepSessionId));
    const result = await ending.executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}

/** Reset links written for this user since `since` (superseded ones count: each was an email). */
export async function countResetTokensSince(db: Conn, orgId: string, userId: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom("account_tokens")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .where("purpose", "=", "reset")
    .where("created_at", ">", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface PendingInvite {
  userId: string;
  /** The newest invitation, if one was sent (a user created without one shows as invited too). */
  sentAt: Date | null;
  expiresAt: Date | null;
}

/** Teammates who have not set a password yet, with their latest invitation. */
export async function listPendingInvites(db: Conn, orgId: string): Promise<PendingInvite[]> {
  const rows = await db
    .selectFrom("users as u")
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("account_tokens")
          .select(["user_id", (e) => e.fn.max("created_at").as("sent_at"), (e) => e.fn.max("expires_at").as("expires_at")])
          .where("org_id", "=", orgId)
          .where("purpose", "=", "invite")
          .groupBy("user_id")
          .as("t"),
      (j) => j.onRef("t.user_id", "=", "u.id"),
    )
    .select(["u.id", "t.sent_at", "t.expires_at"])
    .where("u.org_id", "=", orgId)
    .where("u.password_hash", "is", null)
    .execute();
  return rows.map((r) => ({ userId: r.id, sentAt: r.sent_at ? new Date(r.sent_at) : null, expiresAt: r.expires_at ? new Date(r.expires_at) : null }));
}
