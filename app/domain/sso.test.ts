import { describe, expect, it } from "vitest";
import { emailDomain, identityFromClaims, parseSsoSettings } from "~/domain/sso";

const valid = {
  issuer: "https://idp.example.com/realms/acme/",
  clientId: "plan-together",
  clientSecret: "s",
  domains: "@Acme.com, acme.co.uk",
  required: false,
  defaultRole: "rep",
};

describe("SSO settings", () => {
  it("accepts https issuers and tidies domains", () => {
    const parsed = parseSsoSettings(valid, false);
    expect(parsed).toEqual({
      ok: true,
      value: {
        issuer: "https://idp.example.com/realms/acme",
        clientId: "plan-together",
        clientSecret: "s",
        domains: ["acme.com", "acme.co.uk"],
        required: false,
        defaultRole: "rep",
      },
    });
  });

  it("refuses plain http off this machine, a missing secret, bad domains and the admin role", () => {
    const parsed = parseSsoSettings({ ...valid, issuer: "http://idp.example.com", clientSecret: "", domains: "acme", defaultRole: "admin" }, false);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors).sort()).toEqual(["clientSecret", "defaultRole", "domains", "issuer"]);
    expect(parseSsoSettings({ ...valid, issuer: "http://127.0.0.1:4000" }, false).ok).toBe(true);
  });

  it("keeps the stored secret when the field is left empty", () => {
    const parsed = parseSsoSettings({ ...valid, clientSecret: "  " }, true);
    expect(parsed.ok && parsed.value.clientSecret).toBeNull();
  });
});

describe("identity from ID token claims", () => {
  it("takes a verified address in the organisation's domains", () => {
    expect(identityFromClaims({ email: "Ada@Acme.com", email_verified: true, name: "Ada L" }, ["acme.com"])).toEqual({
      ok: true,
      email: "ada@acme.com",
      name: "Ada L",
    });
    expect(identityFromClaims({ email: "ada@acme.com", given_name: "Ada", family_name: "Lovelace" }, ["acme.com"])).toMatchObject({ name: "Ada Lovelace" });
  });

  it("refuses an unverified address, another domain and no address", () => {
    expect(identityFromClaims({ email: "ada@acme.com", email_verified: false }, ["acme.com"]).ok).toBe(false);
    expect(identityFromClaims({ email: "ada@other.com", email_verified: true }, ["acme.com"]).ok).toBe(false);
    expect(identityFromClaims({ sub: "1" }, ["acme.com"]).ok).toBe(false);
    expect(emailDomain("x@Sub.Example.org")).toBe("sub.example.org");
  });
});
