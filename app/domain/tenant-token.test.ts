import { describe, expect, it } from "vitest";
import { tenantToken, tenantTokenLookup } from "~/domain/tenant-token";

// The platform's own encoder, to check the hand-written one against (Web Crypto and btoa: no Node import here).
const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
const secret = () => base64url(crypto.getRandomValues(new Uint8Array(32)));
const randomUUID = () => crypto.randomUUID();
const uuidBytes = (uuid: string) => Uint8Array.from(uuid.replace(/-/g, "").match(/../g)!, (h) => parseInt(h, 16));

describe("tokens that carry their organisation", () => {
  it("puts the organisation's 16 bytes in base64url in front, and reads back the same organisation", () => {
    for (const orgId of [randomUUID(), randomUUID(), "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"]) {
      const s = secret();
      const token = tenantToken(orgId, s);
      expect(token).toBe(`${base64url(uuidBytes(orgId))}.${s}`);
      expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
      expect(tenantTokenLookup(token)).toEqual({ orgId });
    }
  });

  it("reads an upper-case organisation id as the same organisation", () => {
    const orgId = randomUUID();
    expect(tenantTokenLookup(tenantToken(orgId.toUpperCase(), secret()))).toEqual({ orgId });
  });

  it("looks an old token (the secret alone) up by its hash, in the shape given for its kind", () => {
    expect(tenantTokenLookup(secret())).toEqual({ orgId: null });
    const luciaId = "abcdefghijklmnopqrstuvwxyz234567abcdefgh";
    expect(tenantTokenLookup(luciaId)).toBeNull();
    expect(tenantTokenLookup(luciaId, /^[a-z2-7]{40}$/)).toEqual({ orgId: null });
  });

  it("finds nowhere a token whose org part is malformed, rather than falling back to the hash alone", () => {
    const orgId = randomUUID();
    const token = tenantToken(orgId, secret());
    const [org, rest] = token.split(".");
    // The last character carries 2 bits and 4 spare zero bits (A, Q, g or w): setting one spells the same bytes another way.
    const respelled = `${org.slice(0, 21)}${{ A: "B", Q: "R", g: "h", w: "x" }[org[21]]}`;
    for (const bad of [
      `${respelled}.${rest}`,
      `${org.slice(1)}.${rest}`,
      `${org}A.${rest}`,
      `${org.slice(0, 20)}+/.${rest}`,
      `${org}.${rest.slice(1)}`,
      `${org}.${rest}.x`,
      `${org}..${rest}`,
      `.${rest}`,
      "",
    ]) {
      expect(tenantTokenLookup(bad), bad).toBeNull();
    }
  });

  it("refuses to make a token for something that is not an organisation id", () => {
    expect(() => tenantToken("not-a-uuid", secret())).toThrow();
  });
});
