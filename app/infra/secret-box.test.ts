import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "~/infra/secret-box.server";

const KEY = "k".repeat(40);

describe("secret box", () => {
  it("opens what it sealed, and the stored text is not the secret", () => {
    const sealed = sealSecret("sso-client-secret", "s3cr3t-value", KEY);
    expect(sealed).not.toContain("s3cr3t");
    expect(openSecret("sso-client-secret", sealed, KEY)).toBe("s3cr3t-value");
    // A fresh IV each time: the same secret is stored differently.
    expect(sealSecret("sso-client-secret", "s3cr3t-value", KEY)).not.toBe(sealed);
  });

  it("refuses another key, another purpose and an altered box", () => {
    const sealed = sealSecret("sso-client-secret", "s3cr3t-value", KEY);
    expect(openSecret("sso-client-secret", sealed, "x".repeat(40))).toBeNull();
    expect(openSecret("other-purpose", sealed, KEY)).toBeNull();
    const [v, iv, body, tag] = sealed.split(".");
    const flipped = (body[0] === "A" ? "B" : "A") + body.slice(1);
    expect(openSecret("sso-client-secret", [v, iv, flipped, tag].join("."), KEY)).toBeNull();
    expect(openSecret("sso-client-secret", "not a box", KEY)).toBeNull();
  });
});
