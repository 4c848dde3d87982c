import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { signingSecret } from "~/infra/signing-secret.server";

/*
 * Secrets the portal must use again but never show (an identity provider's client secret, ADR
 * 044), kept encrypted at rest: AES-256-GCM under a key derived (HKDF-SHA256) from the signing
 * secret for each purpose. With EMAIL_SIGNING_SECRET set, a copy of the database alone cannot read
 * them; without it the key lives in the same database (ADR 018), as the signing key does.
 * Stored as "v1.<iv>.<ciphertext>.<tag>", base64url.
 */
function keyFor(purpose: string, secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "plan-together.secret-box", purpose, 32));
}

export function sealSecret(purpose: string, plain: string, secret = signingSecret()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(purpose, secret), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, body, cipher.getAuthTag()].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".");
}

/** The plain text, or null when the box was sealed under another key or for another purpose, or was altered. */
export function openSecret(purpose: string, sealed: string, secret = signingSecret()): string | null {
  const [version, iv, body, tag] = sealed.split(".");
  if (version !== "v1" || !iv || body === undefined || !tag) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyFor(purpose, secret), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
