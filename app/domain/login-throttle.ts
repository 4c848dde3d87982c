/*
 * Slowing down password guessing without locking the real user out: failures are counted per
 * key inside a rolling window; past a threshold each further attempt must wait, doubling up to a
 * cap. Nothing blocks for longer than the cap, and a success clears the account's own counter.
 */
export interface ThrottleState {
  failures: number;
  windowStartedAt: Date;
  blockedUntil: Date | null;
}

export interface ThrottleRule {
  threshold: number;
}

export const THROTTLE_WINDOW_MS = 15 * 60_000;
export const MAX_BACKOFF_MS = 5 * 60_000;

/** Keys checked at each login attempt, strictest first. */
export function throttleRules(email: string, ip: string): Array<{ key: string; rule: ThrottleRule }> {
  return [
    // One person at one address mistyping: a few tries, then short waits.
    { key: `account-ip:${email}|${ip}`, rule: { threshold: 5 } },
    // One account from many addresses: a distributed guess at one password.
    { key: `account:${email}`, rule: { threshold: 30 } },
    // One address trying many accounts.
    { key: `ip:${ip}`, rule: { threshold: 50 } },
  ];
}

export function secondsToWait(state: ThrottleState | undefined, now: Date): number {
  if (!state?.blockedUntil) return 0;
  return Math.max(0, Math.ceil((state.blockedUntil.getTime() - now.getTime()) / 1000));
}

export function afterFailure(state: ThrottleState | undefined, rule: ThrottleRule, now: Date): ThrottleState {
  const fresh = !state || now.getTime() - state.windowStartedAt.getTime() > THROTTLE_WINDOW_MS;
  const failures = fresh ? 1 : state.failures + 1;
  const windowStartedAt = fresh ? now : state.windowStartedAt;
  if (failures < rule.threshold) return { failures, windowStartedAt, blockedUntil: null };
  const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - rule.threshold));
  return { failures, windowStartedAt, blockedUntil: new Date(now.getTime() + backoff) };
}

/**
 * Buyer-link guessing: only unknown tokens count, so a real buyer opening a real link is never
 * slowed; an address that misses this often in the window must wait.
 */
export function linkGuessRule(ip: string): { key: string; rule: ThrottleRule } {
  return { key: `link-ip:${ip}`, rule: { threshold: 10 } };
}

/**
 * Sign-ups: each one costs a password hash and leaves an organisation behind, so one address may
 * create a few in the window; past that each further one waits, doubling like failed logins.
 */
export function signupRule(ip: string): { key: string; rule: ThrottleRule } {
  return { key: `signup-ip:${ip}`, rule: { threshold: 5 } };
}
