import type { Kysely } from "kysely";
import type { DB } from "../../db/types";
import { afterFailure, secondsToWait, signupRule, ssoCallbackRule, throttleRules, type KeyedRule, type ThrottleState } from "~/domain/login-throttle";

/*
 * Failure counters shared by every app server (they live in PostgreSQL, not in memory): failed
 * logins, guessed buyer-link tokens, and sign-ups per address.
 */
function toState(row: { failures: number; window_started_at: Date; blocked_until: Date | null } | undefined) {
  return row ? { failures: row.failures, windowStartedAt: row.window_started_at, blockedUntil: row.blocked_until } : undefined;
}

/** Seconds the caller must still wait before another attempt (0 = go ahead). */
export async function throttleWaitSeconds(db: Kysely<DB>, keys: string[], now = new Date()): Promise<number> {
  const rows = await db.selectFrom("auth_throttle").selectAll().where("key", "in", keys).execute();
  return Math.max(0, ...rows.map((row) => secondsToWait(toState(row), now)));
}

export async function recordThrottleFailure(db: Kysely<DB>, rules: KeyedRule[], now = new Date()) {
  await db.transaction().execute(async (trx) => {
    for (const { key, rule } of rules) {
      // One statement creates or locks the row and returns it: a separate read could find it gone
      // (a successful login clears the account's counters at the same moment) and fail with a 500.
      const row = await trx
        .insertInto("auth_throttle")
        .values({ key, window_started_at: now })
        .onConflict((c) => c.column("key").doUpdateSet({ key: (eb) => eb.ref("excluded.key") }))
        .returningAll()
        .executeTakeFirstOrThrow();
      const next: ThrottleState = afterFailure(row.failures === 0 ? undefined : toState(row), rule, now);
      await trx
        .updateTable("auth_throttle")
        .set({ failures: next.failures, window_started_at: next.windowStartedAt, blocked_until: next.blockedUntil })
        .where("key", "=", key)
        .execute();
    }
  });
}

/** A password check outside the sign-in page (changing it): counted like a sign-in from a new browser. */
export function loginWaitSeconds(db: Kysely<DB>, email: string, ip: string, now = new Date()) {
  return throttleWaitSeconds(
    db,
    throttleRules(email, ip).map((r) => r.key),
    now,
  );
}

export function recordLoginFailure(db: Kysely<DB>, email: string, ip: string, now = new Date()) {
  return recordThrottleFailure(db, throttleRules(email, ip), now);
}

/** Forgets the counters a success earned back (see keysClearedBySuccess). */
export async function clearThrottle(db: Kysely<DB>, keys: string[]) {
  if (keys.length > 0) await db.deleteFrom("auth_throttle").where("key", "in", keys).execute();
}

export function signupWaitSeconds(db: Kysely<DB>, ip: string, now = new Date()) {
  return throttleWaitSeconds(db, [signupRule(ip).key], now);
}

/** Every sign-up that got past validation counts, whether or not it created an organisation. */
export function recordSignupAttempt(db: Kysely<DB>, ip: string, now = new Date()) {
  return recordThrottleFailure(db, [signupRule(ip)], now);
}

export function ssoCallbackWaitSeconds(db: Kysely<DB>, ip: string, now = new Date()) {
  return throttleWaitSeconds(db, [ssoCallbackRule(ip).key], now);
}

export function recordSsoCallbackFailure(db: Kysely<DB>, ip: string, now = new Date()) {
  return recordThrottleFailure(db, [ssoCallbackRule(ip)], now);
}
