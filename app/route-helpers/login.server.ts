import type { Kysely } from "kysely";
import type { DB, User } from "../../db/types";
import { keysClearedBySuccess, knownDeviceRule, throttleRules } from "~/domain/login-throttle";
import { clearThrottle, recordThrottleFailure, throttleWaitSeconds } from "~/models/auth-throttle.server";
import { findLoginAccount, normaliseEmail } from "~/models/user.server";
import type { KnownDevice } from "~/route-helpers/known-device.server";
import { spendPasswordCheckTime, verifyPassword } from "~/infra/password.server";

export type LoginOutcome =
  { ok: true; user: User; deviceId: string | undefined } | { ok: false; reason: "invalid" } | { ok: false; reason: "throttled"; waitSeconds: number };

export interface LoginAttempt {
  email: string;
  password: string;
  ip: string;
  /** The browser's known-device cookie, if it has one (for any account). */
  device: KnownDevice | null;
  now?: Date;
}

/**
 * Checks credentials with the same answer for an unknown email and a wrong password, after the
 * throttle has had its say: a browser known to this account answers only for its own failures,
 * any other one to the account-wide and address-wide counts too (ADR 019).
 */
export async function attemptLogin(db: Kysely<DB>, attempt: LoginAttempt): Promise<LoginOutcome> {
  const now = attempt.now ?? new Date();
  const email = normaliseEmail(attempt.email);
  const account = await findLoginAccount(db, email);
  const knownDevice = account && attempt.device?.userId === account.id ? attempt.device : null;
  const rules = knownDevice ? [knownDeviceRule(knownDevice.deviceId)] : throttleRules(email, attempt.ip);

  const waitSeconds = await throttleWaitSeconds(
    db,
    rules.map((r) => r.key),
    now,
  );
  if (waitSeconds > 0) return { ok: false, reason: "throttled", waitSeconds };

  const matches = account ? await verifyPassword(account.password_hash, attempt.password) : await spendPasswordCheckTime(attempt.password).then(() => false);
  if (!account || !matches) {
    await recordThrottleFailure(db, rules, now);
    return { ok: false, reason: "invalid" };
  }
  await clearThrottle(db, keysClearedBySuccess(rules));
  return { ok: true, user: account, deviceId: knownDevice?.deviceId };
}
