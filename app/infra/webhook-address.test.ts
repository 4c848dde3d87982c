import { describe, expect, it } from "vitest";
import { checkWebhookUrl, isAllowedAddress, isNonPublicAddress, NO_PRIVATE_DESTINATIONS, parseAddressPolicy } from "~/infra/webhook-address.server";

const policy = (raw: string) => {
  const parsed = parseAddressPolicy(raw);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.policy;
};

describe("webhook destinations (issue 17, item 3)", () => {
  it("refuses every spelling of a loopback, private, link-local or reserved host when it is saved", () => {
    const refused = [
      "https://127.0.0.1/h",
      "https://169.254.169.254/latest/meta-data/",
      "https://[::1]/h",
      "https://2130706433/h",
      "https://0x7f.0.0.1/h",
      "https://[::ffff:127.0.0.1]/h",
      "https://10.1.2.3/h",
      "https://localhost/h",
      "https://LOCALHOST./h",
      "https://api.localhost/h",
      "https://0.0.0.0/h",
      "https://0/h",
      "https://172.16.0.1/h",
      "https://192.168.1.1/h",
      "https://100.64.0.1/h",
      "https://224.0.0.1/h",
      "https://255.255.255.255/h",
      "https://[fd00::1]/h",
      "https://[fe80::1]/h",
      "https://[ff02::1]/h",
      "https://[64:ff9b::7f00:1]/h",
      "https://[2002:7f00:1::]/h",
      "https://017700000001/h",
    ];
    for (const url of refused) expect(checkWebhookUrl(url, NO_PRIVATE_DESTINATIONS), url).toMatchObject({ ok: false });
  });

  it("accepts public https addresses and refuses plain http, credentials and other schemes", () => {
    expect(checkWebhookUrl("https://crm.example.com/hook", NO_PRIVATE_DESTINATIONS)).toMatchObject({ ok: true, host: "crm.example.com", literal: false });
    expect(checkWebhookUrl("https://93.184.216.34/hook", NO_PRIVATE_DESTINATIONS)).toMatchObject({ ok: true, literal: true });
    expect(checkWebhookUrl("https://[2606:4700::1111]/hook", NO_PRIVATE_DESTINATIONS)).toMatchObject({ ok: true, host: "2606:4700::1111" });
    expect(checkWebhookUrl("http://crm.example.com/hook", NO_PRIVATE_DESTINATIONS).ok).toBe(false);
    expect(checkWebhookUrl("https://user:pw@crm.example.com/hook", NO_PRIVATE_DESTINATIONS).ok).toBe(false);
    expect(checkWebhookUrl("not a url", NO_PRIVATE_DESTINATIONS).ok).toBe(false);
    expect(checkWebhookUrl("ftp://crm.example.com", NO_PRIVATE_DESTINATIONS).ok).toBe(false);
  });

  it("lets WEBHOOK_ALLOW_PRIVATE open exactly the listed addresses, ranges and names (http included)", () => {
    const allow = policy(" 127.0.0.1, 10.20.0.0/16 ,fd00:1::/32, crm.internal ");
    expect(checkWebhookUrl("http://127.0.0.1:4000/h", allow).ok).toBe(true);
    expect(checkWebhookUrl("http://10.20.3.4/h", allow).ok).toBe(true);
    expect(checkWebhookUrl("https://10.21.3.4/h", allow).ok).toBe(false);
    expect(checkWebhookUrl("https://127.0.0.2/h", allow).ok).toBe(false);
    expect(checkWebhookUrl("https://[fd00:1::5]/h", allow).ok).toBe(true);
    expect(checkWebhookUrl("http://crm.internal/h", allow).ok).toBe(true);
    expect(checkWebhookUrl("http://crm.example.com/h", allow).ok).toBe(false);
    expect(isAllowedAddress("10.9.9.9", "crm.internal", allow)).toBe(true);
    expect(isAllowedAddress("10.9.9.9", "other.example.com", allow)).toBe(false);
    expect(isAllowedAddress("10.20.9.9", "other.example.com", allow)).toBe(true);
  });

  it("checks resolved addresses the same way, IPv4-mapped IPv6 included", () => {
    for (const a of ["127.0.0.1", "::ffff:127.0.0.1", "::ffff:a9fe:a9fe", "::", "::1", "169.254.169.254", "fe80::1", "not-an-ip"])
      expect(isNonPublicAddress(a), a).toBe(true);
    for (const a of ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"]) expect(isNonPublicAddress(a), a).toBe(false);
  });

  it("names a bad allow-list entry", () => {
    expect(parseAddressPolicy("10.0.0.0/33")).toMatchObject({ ok: false, message: expect.stringContaining("10.0.0.0/33") });
    expect(parseAddressPolicy("crm internal")).toMatchObject({ ok: false });
    expect(parseAddressPolicy("")).toMatchObject({ ok: true });
  });
});
