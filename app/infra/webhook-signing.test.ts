import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhookSignature } from "~/infra/webhook-signing.server";

const secret = "whsec_test-secret";
const body = JSON.stringify({ id: "e1", type: "plan.go_live_changed", data: { plan: { id: "p" } } });
const now = new Date("2026-12-01T10:00:00Z");

describe("webhook signatures", () => {
  it("verify a body signed with the same secret within the replay window", () => {
    const header = signWebhook(secret, body, now);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, header, body, now)).toEqual({ ok: true, timestamp: Math.floor(now.getTime() / 1000) });
    expect(verifyWebhookSignature(secret, header, body, new Date(now.getTime() + 299_000)).ok).toBe(true);
  });

  it("refuse a tampered body, another secret, an old or future timestamp and malformed headers", () => {
    const header = signWebhook(secret, body, now);
    expect(verifyWebhookSignature(secret, header, body.replace("p", "q"), now)).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyWebhookSignature("whsec_other", header, body, now)).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyWebhookSignature(secret, header, body, new Date(now.getTime() + 301_000))).toEqual({ ok: false, reason: "expired" });
    expect(verifyWebhookSignature(secret, header, body, new Date(now.getTime() - 301_000))).toEqual({ ok: false, reason: "expired" });
    // The timestamp is signed: moving it forward breaks the signature.
    const t = Math.floor(now.getTime() / 1000);
    expect(verifyWebhookSignature(secret, header.replace(`t=${t}`, `t=${t + 10}`), body, now)).toEqual({ ok: false, reason: "mismatch" });
    for (const bad of [null, "", "t=1", "v1=abc", "t=abc,v1=" + "0".repeat(64), "garbage"]) {
      expect(verifyWebhookSignature(secret, bad, body, now)).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("accept any of several v1 signatures (secret rotation)", () => {
    const header = signWebhook(secret, body, now);
    const other = signWebhook("whsec_old", body, now).split(",")[1];
    expect(verifyWebhookSignature(secret, `${header},${other}`, body, now).ok).toBe(true);
  });
});
