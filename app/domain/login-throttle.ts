/*
 * Slowing down password guessing without locking the real user out (OWASP's "device cookies"):
 * failures are counted per key inside a rolling window; past a threshold each further attempt
 * must wait, doubling up to a cap. A browser that has signed in to an account before is a known
 * device for it: it answers only for its own mistakes, so guesses at the account from elsewhere
 * cannot lock its owner out. Any other browser is counted per account and address, per account
 * and per address. Only the success's own counter is cleared by it: no success clears the
 * account-wide count, which an attacker could otherwise reset at will.
 */
export interface ThrottleState {
  failures: number;
  windowStartedAt: Date;
  blockedUntil: Date | null;
}

export interface ThrottleRule {
  threshold: number;
}

export type KeyedRule = { key: string; rule: ThrottleRule };

export const THROTTLE_WINDOW_MS = 15 * 60_000;
export const MAX_BACKOFF_MS = 5 * 60_000;

/** Keys checked when a browser new to the account signs in, strictest first. */
export function throttleRules(email: string, ip: string): KeyedRule[] {
  return [
    // One person at one address mistyping: a few tries, then short waits.
    { key: `account-ip:${email}|${ip}`, rule: { threshold: 5 } },
    // One account from many addresses: a distributed guess at one password.
    { key: `account:${email}`, rule: { threshold: 30 } },
    // One address trying many accounts.
    { key: `ip:${ip}`, rule: { threshold: 50 } },
  ];
}

/** The one key a known device answers to: its owner mistyping on it. */
export function knownDeviceRule(deviceId: string): KeyedRule {
  return { key: `device:${deviceId}`, rule: { threshold: 5 } };
}

/** What a correct password clears: the counter of the browser (or browser and address) it came from. */
export function keysClearedBySuccess(rules: KeyedRule[]): string[] {
  return rules.filter(({ key }) => key.startsWith("device:") || key.startsWith("account-ip:")).map(({ key }) => key);
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

/** Failed single sign-on returns (a wrong state, a refused code) from one address. */
export function ssoCallbackRule(ip: string): KeyedRule {
  return { key: `sso-ip:${ip}`, rule: { threshold: 20 } };
}
