import { createHash } from "node:crypto";
import * as oidc from "openid-client";
import { isLoopbackHttp } from "~/domain/sso";

/*
 * The one module that knows openid-client (v6; ADR 044). Authorization code flow with PKCE (S256),
 * state and nonce; the ID token's signature, issuer, audience, expiry and nonce, and the
 * authorization response's `iss` (RFC 9207, when the provider sends it) are checked by the library.
 */

export interface OidcClientSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** What the browser must bring back to the callback (kept in a signed, HttpOnly cookie). */
export interface OidcChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

// Discovery is a network round trip: a provider's metadata is kept for a while per setting.
const CACHE_MS = 10 * 60_000;
const cache = new Map<string, { config: oidc.Configuration; until: number }>();

function cacheKey(s: OidcClientSettings): string {
  return createHash("sha256")
    .update(JSON.stringify([s.issuer, s.clientId, s.clientSecret]))
    .digest("base64url");
}

async function configurationFor(settings: OidcClientSettings): Promise<oidc.Configuration> {
  const key = cacheKey(settings);
  const hit = cache.get(key);
  if (hit && hit.until > Date.now()) return hit.config;
  const issuer = new URL(settings.issuer);
  const config = await oidc.discovery(issuer, settings.clientId, settings.clientSecret, undefined, {
    // Plain http only for a provider on this machine (a test's or a developer's); ADR 044.
    execute: isLoopbackHttp(issuer) ? [oidc.allowInsecureRequests] : [],
    timeout: 10,
  });
  if (cache.size > 200) cache.clear();
  cache.set(key, { config, until: Date.now() + CACHE_MS });
  return config;
}

/** The provider's authorization URL for a new sign-in, and the checks its answer must pass. */
export async function startOidcSignIn(settings: OidcClientSettings, redirectUri: string, loginHint: string): Promise<{ url: string; checks: OidcChecks }> {
  const config = await configurationFor(settings);
  const checks = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: "openid email profile",
    response_type: "code",
    code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
    code_challenge_method: "S256",
    state: checks.state,
    nonce: checks.nonce,
    login_hint: loginHint,
  });
  return { url: url.href, checks };
}

export type OidcResult = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: "provider-error" | "rejected" | "unreachable"; detail: string };

/**
 * Exchanges the code in `callbackUrl` (with the PKCE verifier) and checks the ID token. Never
 * throws for what the provider or the browser sent: a refusal names what failed.
 */
export async function finishOidcSignIn(settings: OidcClientSettings, callbackUrl: URL, checks: OidcChecks): Promise<OidcResult> {
  let config: oidc.Configuration;
  try {
    config = await configurationFor(settings);
  } catch (error) {
    return { ok: false, reason: "unreachable", detail: describe(error) };
  }
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) return { ok: false, reason: "rejected", detail: "no ID token" };
    return { ok: true, claims: { ...claims } };
  } catch (error) {
    if (error instanceof oidc.AuthorizationResponseError)
      return { ok: false, reason: "provider-error", detail: `${error.error}: ${error.error_description ?? ""}`.trim() };
    return { ok: false, reason: "rejected", detail: describe(error) };
  }
}

function describe(error: unknown): string {
  if (error instanceof oidc.ResponseBodyError) return `${error.error}${error.error_description ? `: ${error.error_description}` : ""}`;
  if (error instanceof Error) return `${(error as { code?: string }).code ?? error.name}: ${error.message}`.slice(0, 300);
  return String(error).slice(0, 300);
}
