import { describe, expect, it } from "vitest";
import { afterFailure, keysClearedBySuccess, knownDeviceRule, MAX_BACKOFF_MS, secondsToWait, THROTTLE_WINDOW_MS, throttleRules } from "~/domain/login-throttle";

const t0 = new Date("2026-11-28T10:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

describe("login throttle", () => {
  it("lets the first failures through, then asks to wait, doubling", () => {
    const rule = { threshold: 3 };
    let s = afterFailure(undefined, rule, t0);
    s = afterFailure(s, rule, at(1000));
    expect(secondsToWait(s, at(1000))).toBe(0);
    s = afterFailure(s, rule, at(2000));
    expect(secondsToWait(s, at(2000))).toBe(1);
    s = afterFailure(s, rule, at(4000));
    expect(secondsToWait(s, at(4000))).toBe(2);
    s = afterFailure(s, rule, at(8000));
    expect(secondsToWait(s, at(8000))).toBe(4);
  });

  it("never blocks longer than the cap", () => {
    const rule = { threshold: 1 };
    let s = afterFailure(undefined, rule, t0);
    for (let i = 0; i < 40; i++) s = afterFailure(s, rule, at(i * 10));
    expect(secondsToWait(s, at(400))).toBeLessThanOrEqual(MAX_BACKOFF_MS / 1000);
  });

  it("forgets failures once the window has passed", () => {
    const rule = { threshold: 2 };
    let s = afterFailure(undefined, rule, t0);
    s = afterFailure(s, rule, at(THROTTLE_WINDOW_MS + 1));
    expect(s.failures).toBe(1);
    expect(secondsToWait(s, at(THROTTLE_WINDOW_MS + 1))).toBe(0);
  });

  it("lets a success clear only its own browser's counter, never the account-wide or address-wide one", () => {
    expect(keysClearedBySuccess(throttleRules("sam@example.com", "203.0.113.5"))).toEqual(["account-ip:sam@example.com|203.0.113.5"]);
    expect(keysClearedBySuccess([knownDeviceRule("d-1")])).toEqual(["device:d-1"]);
  });
});
