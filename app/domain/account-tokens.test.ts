import { describe, expect, it } from "vitest";
import { accountTokenState, INVITE_TTL_MS, mayEmailReset, RESET_TTL_MS, resetRequestRules, tokenExpiry } from "~/domain/account-tokens";
import { newPasswordErrors } from "~/domain/passwords";

const now = new Date("2026-12-04T10:00:00Z");

describe("set-password links (ADR 020)", () => {
  it("gives an invitation 7 days and a reset 1 hour", () => {
    expect(tokenExpiry("invite", now).toISOString()).toBe("2026-12-11T10:00:00.000Z");
    expect(tokenExpiry("reset", now).toISOString()).toBe("2026-12-04T11:00:00.000Z");
    expect(INVITE_TTL_MS).toBe(7 * 86_400_000);
    expect(RESET_TTL_MS).toBe(3_600_000);
  });

  it("reads a link as used before replaced before expired, and usable until its last millisecond", () => {
    const expiresAt = new Date(now.getTime() + 1);
    expect(accountTokenState({ expiresAt, usedAt: null, replacedAt: null }, now)).toBe("usable");
    expect(accountTokenState({ expiresAt: now, usedAt: null, replacedAt: null }, now)).toBe("expired");
    expect(accountTokenState({ expiresAt: now, usedAt: null, replacedAt: now }, now)).toBe("replaced");
    expect(accountTokenState({ expiresAt: now, usedAt: now, replacedAt: now }, now)).toBe("used");
  });

  it("caps reset emails at 3 an hour and 10 a day", () => {
    expect(mayEmailReset(2, 9)).toBe(true);
    expect(mayEmailReset(3, 3)).toBe(false);
    expect(mayEmailReset(0, 10)).toBe(false);
  });

  it("throttles reset requests by the address asked about and by the client, never by whether an account exists", () => {
    expect(resetRequestRules("jo@example.com", "203.0.113.9").map((r) => r.key)).toEqual(["reset-email:jo@example.com", "reset-ip:203.0.113.9"]);
  });

  it("checks a new password like sign-up, then that both copies match", () => {
    expect(newPasswordErrors("short", "short")).toEqual({ password: "Use at least 10 characters." });
    expect(newPasswordErrors("x".repeat(1001), "x".repeat(1001))).toEqual({ password: "Keep it under 1,000 characters." });
    expect(newPasswordErrors("long-enough-1", "long-enough-2")).toEqual({ confirm: "The two passwords don't match. Type the same password twice." });
    expect(newPasswordErrors("long-enough-1", "long-enough-1")).toEqual({});
  });
});
