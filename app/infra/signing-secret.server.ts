import { getEnv } from "~/infra/env.server";

/*
 * The key that signs email links (preferences, "open the plan") and derives calendar feed
 * addresses: EMAIL_SIGNING_SECRET when the operator sets one, otherwise a random key the portal
 * generated on its first start and keeps in its database (`loadSigningSecret`, ADR 018). Never a
 * constant in the source: anyone could forge links with one.
 */
// On globalThis, not in a module variable: the Remix build bundles its own copy of this module,
// and the server entry that loads the key must reach the copy the routes use.
const slot = Symbol.for("plan-together.signing-secret");
const store = globalThis as typeof globalThis & { [slot]?: string };

export function setSigningSecret(secret: string): void {
  store[slot] = secret;
}

export function signingSecret(): string {
  const secret = store[slot] ?? getEnv().EMAIL_SIGNING_SECRET;
  if (!secret) throw new Error("The link-signing secret is not loaded: call loadSigningSecret(db) when the process starts.");
  return secret;
}
