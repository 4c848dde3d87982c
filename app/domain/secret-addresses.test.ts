import { describe, expect, it } from "vitest";
import { isBuyerLinkPage, isPrivateAddressPage, redactSecretPaths } from "~/domain/secret-addresses";

describe("secret addresses", () => {
  it("redacts the secret segment of every kind of credential address, wherever it appears in a line", () => {
    expect(redactSecretPaths("/s/Zm9vYmFy/x")).toBe("/s/[token]/x");
    expect(redactSecretPaths("/o/abc.def")).toBe("/o/[token]");
    expect(redactSecretPaths('GET "/calendar/feedtoken.ics?x=1" failed')).toBe('GET "/calendar/[token]?x=1" failed');
    expect(redactSecretPaths("at http://host/email-preferences/signed#top")).toBe("at http://host/email-preferences/[token]#top");
    expect(redactSecretPaths("/password/set/t0k3n")).toBe("/password/set/[token]");
    // A plan's id is no secret (the page asks for the buyer's cookie).
    expect(redactSecretPaths("/p/7f1c/resources")).toBe("/p/7f1c/resources");
    expect(redactSecretPaths("/settings/sso")).toBe("/settings/sso");
  });

  it("tells the buyer's pages and the other credential pages from the rest", () => {
    for (const path of ["/s/tok", "/o/signed", "/p/plan-id"]) expect([isBuyerLinkPage(path), isPrivateAddressPage(path)]).toEqual([true, true]);
    for (const path of ["/email-preferences/tok", "/password/set/tok"]) expect([isBuyerLinkPage(path), isPrivateAddressPage(path)]).toEqual([false, true]);
    for (const path of ["/plans/plan-id", "/settings/sso", "/", "/p", "/build/x.js"])
      expect([isBuyerLinkPage(path), isPrivateAddressPage(path)]).toEqual([false, false]);
  });
});
