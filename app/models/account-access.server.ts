import { randomUUID } from "node:crypto";
import { createElement } from "react";
import type { Kysely, Transaction } from "kysely";
import type { DB, Role } from "../../db/types";
import { AccountInviteEmail, accountInviteSubject } from "../../emails/account-invite";
import { PASSWORD_RESET_SUBJECT, PasswordResetEmail } from "../../emails/password-reset";
import { renderEmail } from "../../emails/render";
import { mayEmailReset, resetRequestRules } from "~/domain/account-tokens";
import { messageIdDomain } from "~/domain/notifications";
import { newLinkToken } from "~/infra/secret-tokens.server";
import { getEnv, publicBaseUrl } from "~/infra/env.server";
import { countResetTokensSince, issueAccountToken } from "~/models/account-tokens.server";
import { recordThrottleFailure, throttleWaitSeconds } from "~/models/auth-throttle.server";
import { enqueueEmail } from "~/models/outbox.server";
import { ssoRequired } from "~/models/sso.server";
import { createUser, EmailInUseError, findLoginAccount, normaliseEmail, type PublicUser } from "~/models/user.server";

/*
 * Invitations and reset requests (issue 17, item 8; ADR 020): the user row (or nothing), the link
 * and its email are written in one transaction, through the outbox, so an email exists exactly
 * when its link does.
 */

const setPasswordUrl = (token: string) => `${publicBaseUrl(getEnv())}/password/set/${token}`;

/** "4 Dec 2026, 14:05 (Europe/Berlin)": when a link stops working, in the organisation's time zone. */
function when(at: Date, timeZone: string): string {
  try {
    return `${at.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone })} (${timeZone})`;
  } catch {
    return `${at.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} (UTC)`;
  }
}

async function organisation(trx: Transaction<DB> | Kysely<DB>, orgId: string) {
  return trx.selectFrom("organisations").select(["name", "time_zone"]).where("id", "=", orgId).executeTakeFirstOrThrow();
}

async function queueInvite(trx: Transaction<DB>, input: { user: Pick<PublicUser, "org_id" | "id" | "name" | "email">; inviterName: string; now: Date }) {
  const org = await organisation(trx, input.user.org_id);
  const { token, expiresAt } = await issueAccountToken(trx, { orgId: input.user.org_id, userId: input.user.id, purpose: "invite", now: input.now });
  const props = {
    recipientName: input.user.name,
    inviterName: input.inviterName,
    organisationName: org.name,
    email: input.user.email,
    setPasswordUrl: setPasswordUrl(token),
    expiresAt: when(expiresAt, org.time_zone),
    footer: { reason: `You get this email because ${input.inviterName} added you to ${org.name}'s team on Plan Together.` },
  };
  const rendered = await renderEmail(accountInviteSubject(props), createElement(AccountInviteEmail, props));
  await enqueueEmail(trx, {
    orgId: input.user.org_id,
    kind: "account_invite",
    to: { email: input.user.email, name: input.user.name },
    audience: "seller",
    ...rendered,
    messageIdDomain: messageIdDomain(getEnv().MAIL_FROM),
  });
  return expiresAt;
}

export type InviteOutcome = { ok: true; user: PublicUser; expiresAt: Date } | { ok: false; field: "email"; message: string };

/** Adds a teammate without a password and emails them a link to choose one (valid 7 days). */
export async function inviteTeammate(
  db: Kysely<DB>,
  input: { orgId: string; inviterName: string; name: string; email: string; role: Role; managerId: string | null; now: Date },
): Promise<InviteOutcome> {
  try {
    return await db.transaction().execute(async (trx) => {
      const user = await createUser(trx, {
        orgId: input.orgId,
        email: input.email,
        name: input.name,
        role: input.role,
        managerId: input.managerId,
        passwordHash: null,
      });
      const expiresAt = await queueInvite(trx, { user, inviterName: input.inviterName, now: input.now });
      return { ok: true as const, user, expiresAt };
    });
  } catch (error) {
    // One address, one account (ADR 019), whichever organisation holds it.
    if (error instanceof EmailInUseError)
      return { ok: false, field: "email", message: "This email already has a Plan Together account, in your organisation or another. Use another address." };
    throw error;
  }
}

/** The shortest gap between two invitations to the same person: a double click sends one email. */
export const RESEND_GAP_MS = 60_000;

export type ResendOutcome = { ok: true; user: PublicUser; expiresAt: Date } | { ok: false; message: string };

/** A new invitation for a teammate who has not set a password; the earlier link stops working. */
export async function resendInvitation(db: Kysely<DB>, input: { orgId: string; userId: string; inviterName: string; now: Date }): Promise<ResendOutcome> {
  return db.transaction().execute(async (trx): Promise<ResendOutcome> => {
    // Locks the row: two resends at once send one email each, never a mix.
    const user = await trx
      .selectFrom("users")
      .select(["org_id", "id", "email", "name", "role", "manager_id", "created_at", "deactivated_at", "password_hash"])
      .where("org_id", "=", input.orgId)
      .where("id", "=", input.userId)
      .forUpdate()
      .executeTakeFirst();
    if (!user) return { ok: false, message: "That teammate is not in your organisation." };
    if (user.password_hash !== null) return { ok: false, message: `${user.name} has already set a password and can sign in.` };
    const last = await trx
      .selectFrom("account_tokens")
      .select("created_at")
      .where("org_id", "=", input.orgId)
      .where("user_id", "=", input.userId)
      .where("purpose", "=", "invite")
      .orderBy("created_at", "desc")
      .limit(1)
      .executeTakeFirst();
    if (last && input.now.getTime() - new Date(last.created_at).getTime() < RESEND_GAP_MS) {
      return { ok: false, message: `An invitation went to ${user.email} less than a minute ago. Give it a moment to arrive.` };
    }
    const { password_hash: _hash, ...publicUser } = user;
    const expiresAt = await queueInvite(trx, { user: publicUser, inviterName: input.inviterName, now: input.now });
    return { ok: true, user: publicUser, expiresAt };
  });
}

export type ResetRequestOutcome = { throttled: false } | { throttled: true; waitSeconds: number };

/**
 * "Forgot your password?": the caller answers the same whatever happens here, unless the address
 * or the client is throttled (which does not depend on whether an account exists). An address
 * with no account gets no email at all; one with an account gets a link valid for an hour, at most
 * 3 an hour and 10 a day (mayEmailReset). The same email is rendered either way, so both take as long.
 */
export async function requestPasswordReset(db: Kysely<DB>, input: { email: string; ip: string; now: Date }): Promise<ResetRequestOutcome> {
  const email = normaliseEmail(input.email);
  const rules = resetRequestRules(email, input.ip);
  const waitSeconds = await throttleWaitSeconds(
    db,
    rules.map((r) => r.key),
    input.now,
  );
  if (waitSeconds > 0) return { throttled: true, waitSeconds };
  await recordThrottleFailure(db, rules, input.now);

  const account = await findLoginAccount(db, email);
  // Passwords are off for an organisation with mandatory single sign-on (ADR 044): no reset link, the same answer.
  if (!account || (await ssoRequired(db, account.org_id))) {
    await renderReset({ name: "", orgName: "", timeZone: "UTC", token: newLinkToken(randomUUID()), expiresAt: input.now });
    return { throttled: false };
  }
  const lastHour = await countResetTokensSince(db, account.org_id, account.id, new Date(input.now.getTime() - 60 * 60_000));
  const lastDay = await countResetTokensSince(db, account.org_id, account.id, new Date(input.now.getTime() - 24 * 60 * 60_000));
  if (!mayEmailReset(lastHour, lastDay)) return { throttled: false };
  await db.transaction().execute(async (trx) => {
    const org = await organisation(trx, account.org_id);
    const { token, expiresAt } = await issueAccountToken(trx, { orgId: account.org_id, userId: account.id, purpose: "reset", now: input.now });
    const rendered = await renderReset({ name: account.name, orgName: org.name, timeZone: org.time_zone, token, expiresAt });
    await enqueueEmail(trx, {
      orgId: account.org_id,
      kind: "password_reset",
      to: { email: account.email, name: account.name },
      audience: "seller",
      ...rendered,
      messageIdDomain: messageIdDomain(getEnv().MAIL_FROM),
    });
  });
  return { throttled: false };
}

function renderReset(p: { name: string; orgName: string; timeZone: string; token: string; expiresAt: Date }) {
  const props = {
    recipientName: p.name,
    organisationName: p.orgName,
    setPasswordUrl: setPasswordUrl(p.token),
    expiresAt: when(p.expiresAt, p.timeZone),
    footer: { reason: "You get this email because someone asked to reset the password of your Plan Together account." },
  };
  return renderEmail(PASSWORD_RESET_SUBJECT, createElement(PasswordResetEmail, props));
}
