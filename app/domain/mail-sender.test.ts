import { describe, expect, it } from "vitest";
import { formatAddress, fromOnBehalf, parseMailFrom } from "~/domain/mail-sender";

describe("fromOnBehalf", () => {
  it("names the person via the configured sender, at the configured address", () => {
    expect(fromOnBehalf("Plan Together <plans@example.com>", "Sam Okafor")).toEqual({ name: "Sam Okafor via Plan Together", address: "plans@example.com" });
    expect(fromOnBehalf("Acme Plans <noreply@acme.test>", "Priya Raman")).toEqual({ name: "Priya Raman via Acme Plans", address: "noreply@acme.test" });
  });

  it("falls back to the product name for a bare address, and to MAIL_FROM itself without a person", () => {
    expect(fromOnBehalf("plans@example.com", "Sam Okafor")).toEqual({ name: "Sam Okafor via Plan Together", address: "plans@example.com" });
    expect(fromOnBehalf("Plan Together <plans@example.com>", undefined)).toEqual({ name: "Plan Together", address: "plans@example.com" });
    expect(fromOnBehalf("Plan Together <plans@example.com>", "\r\n")).toEqual({ name: "Plan Together", address: "plans@example.com" });
  });

  it("never lets a name break a header line", () => {
    expect(fromOnBehalf("x@y.z", "Eve\r\nBcc: a@b.c").name).not.toMatch(/[\r\n]/);
  });
});

describe("parseMailFrom / formatAddress", () => {
  it("reads quoted and unquoted display names", () => {
    expect(parseMailFrom('"Plan Together" <p@x.io>')).toEqual({ name: "Plan Together", address: "p@x.io" });
  });

  it("quotes names with commas and quotes", () => {
    expect(formatAddress('Okafor, Sam "SO"', "sam@x.io")).toBe('"Okafor, Sam \\"SO\\"" <sam@x.io>');
    expect(formatAddress("", "sam@x.io")).toBe("sam@x.io");
  });
});
