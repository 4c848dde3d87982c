import type { Kysely } from "kysely";
import type { DB, User } from "../../db/types";
import { loginWaitSeconds, recordLoginFailure, recordLoginSuccess } from "../models/auth-throttle.server";
import { findLoginCandidates, normaliseEmail } from "../models/user.server";
import { spendPasswordCheckTime, verifyPassword } from "./password.server";

export type LoginOutcome =
  | { ok: true; user: User }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; waitSeconds: number };

/**
 * Checks credentials with the same answer for an unknown email and a wrong password, after the
 * throttle has had its say. An address with accounts in several organisations signs in to the
 * oldest account whose password matches.
 */
export async function attemptLogin(db: Kysely<DB>, rawEmail: string, password: string, ip: string): Promise<LoginOutcome> {
  const email = normaliseEmail(rawEmail);
  const waitSeconds = await loginWaitSeconds(db, email, ip);
  if (waitSeconds > 0) return { ok: false, reason: "throttled", waitSeconds };

  const candidates = await findLoginCandidates(db, email);
  if (candidates.length === 0) await spendPasswordCheckTime(password);
  for (const candidate of candidates) {
    if (await verifyPassword(candidate.password_hash, password)) {
      await recordLoginSuccess(db, email, ip);
      return { ok: true, user: candidate };
    }
  }
  await recordLoginFailure(db, email, ip);
  return { ok: false, reason: "invalid" };
}
