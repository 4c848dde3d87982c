import type { ThrottleRule } from "~/domain/login-throttle";

/** What a set-password link was sent for: an invitation or a reset. */
export type AccountTokenPurpose = "invite" | "reset";

/*
 * Set-password links (issue 17, item 8; ADR 020), pure: how long each kind lives, what state a
 * stored link is in at a given moment, and how often a reset may be asked for. No I/O, no clock.
 */

/** An invitation waits a week: long enough for a holiday, short enough that a stale inbox opens nothing. */
export const INVITE_TTL_MS = 7 * 86_400_000;
/** A reset link lives an hour: it is asked for by someone who is at their keyboard now. */
export const RESET_TTL_MS = 60 * 60_000;

export function tokenExpiry(purpose: AccountTokenPurpose, now: Date): Date {
  return new Date(now.getTime() + (purpose === "invite" ? INVITE_TTL_MS : RESET_TTL_MS));
}

export interface StoredAccountToken {
  expiresAt: Date;
  usedAt: Date | null;
  replacedAt: Date | null;
}

export type AccountTokenState = "usable" | "used" | "replaced" | "expired";

/** Spent first (it says the most), then superseded, then out of time. */
export function accountTokenState(token: StoredAccountToken, now: Date): AccountTokenState {
  if (token.usedAt) return "used";
  if (token.replacedAt) return "replaced";
  if (token.expiresAt.getTime() <= now.getTime()) return "expired";
  return "usable";
}

/** Emails that carry a set-password link: never subject to email preferences, body blanked once sent. */
export const ACCOUNT_EMAIL_KINDS = ["account_invite", "password_reset"] as const;
export type AccountEmailKind = (typeof ACCOUNT_EMAIL_KINDS)[number];

/** At most this many reset emails reach one account in an hour, and in a day, however the requests are spread. */
export const MAX_RESET_EMAILS_PER_HOUR = 3;
export const MAX_RESET_EMAILS_PER_DAY = 10;

/** Whether another reset email may go to an account that got these many in the last hour and day. */
export function mayEmailReset(sentLastHour: number, sentLastDay: number): boolean {
  return sentLastHour < MAX_RESET_EMAILS_PER_HOUR && sentLastDay < MAX_RESET_EMAILS_PER_DAY;
}

/**
 * "Forgot your password?" requests, counted per address asked about (known or not: the same
 * answer either way) and per client address. Past the threshold each further request waits,
 * doubling, as failed logins do.
 */
export function resetRequestRules(email: string, ip: string): Array<{ key: string; rule: ThrottleRule }> {
  return [
    { key: `reset-email:${email}`, rule: { threshold: 3 } },
    { key: `reset-ip:${ip}`, rule: { threshold: 10 } },
  ];
}
