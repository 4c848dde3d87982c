import { redirect, type AppLoadContext } from "@remix-run/node";
import { identityFromClaims } from "~/domain/sso";
import { plural } from "~/domain/words";
import { publicBaseUrl } from "~/infra/env.server";
import { finishOidcSignIn, startOidcSignIn, type OidcChecks } from "~/infra/oidc-client.server";
import { startSession } from "~/infra/sessions.server";
import { recordSsoCallbackFailure, ssoCallbackWaitSeconds } from "~/models/auth-throttle.server";
import { getSsoClientSettings, recordSsoEvent, ssoAccount } from "~/models/sso.server";
import { safeRedirectPath } from "~/route-helpers/guards.server";
import { readSignedCookie, signedCookie } from "~/route-helpers/signed-cookie.server";

/*
 * Single sign-on's two legs (ADR 044). Leaving: the sign-in form posts an address whose domain has
 * SSO; we answer with a redirect to the identity provider and a short-lived, signed, HttpOnly
 * cookie holding the organisation, state, nonce and PKCE verifier. Coming back: /sso/callback
 * checks the state against that cookie, has openid-client exchange the code and check the ID
 * token, then finds or creates the account and starts a session.
 */
const PURPOSE = "sso-sign-in";
const MAX_AGE_SECONDS = 10 * 60;
export const SSO_CALLBACK_PATH = "/sso/callback";

function cookieName(secure: boolean) {
  return secure ? "__Host-pt_sso" : "pt_sso";
}

function cookie(secure: boolean, fields: Record<string, string> | null) {
  return signedCookie(cookieName(secure), PURPOSE, fields, { maxAgeSeconds: MAX_AGE_SECONDS, secure });
}

export function ssoRedirectUri(): string {
  return `${publicBaseUrl()}${SSO_CALLBACK_PATH}`;
}

export type SsoStart = { ok: true; response: Response } | { ok: false; message: string };

/** The redirect to the organisation's identity provider, or why it cannot be made. */
export async function beginSsoSignIn(context: AppLoadContext, input: { orgId: string; email: string; redirectTo: string }): Promise<SsoStart> {
  const settings = await getSsoClientSettings(context.db, input.orgId);
  if (!settings) return { ok: false, message: "Single sign-on is not set up for your organisation." };
  if (!settings.clientSecret) return { ok: false, message: "Single sign-on needs your administrator to enter the client secret again." };
  let started: { url: string; checks: OidcChecks };
  try {
    started = await startOidcSignIn(
      { issuer: settings.issuer, clientId: settings.clientId, clientSecret: settings.clientSecret },
      ssoRedirectUri(),
      input.email,
    );
  } catch {
    return {
      ok: false,
      message: "Your identity provider could not be reached. Try again in a minute, or ask your administrator to check the issuer in SSO settings.",
    };
  }
  const expires = context.now.getTime() + MAX_AGE_SECONDS * 1000;
  const fields = {
    o: input.orgId,
    s: started.checks.state,
    n: started.checks.nonce,
    v: started.checks.codeVerifier,
    r: safeRedirectPath(input.redirectTo).slice(0, 300),
    e: String(expires),
  };
  return { ok: true, response: redirect(started.url, { headers: { "Set-Cookie": cookie(context.secureCookies, fields) } }) };
}

export type SsoFinish = { ok: true; response: Response } | { ok: false; status: number; message: string; headers: Headers };

/** Completes a sign-in at the callback: a session and a redirect, or a refusal to show. */
export async function completeSsoSignIn(context: AppLoadContext, request: Request): Promise<SsoFinish> {
  const headers = new Headers({ "Set-Cookie": cookie(context.secureCookies, null) });
  const refuse = (status: number, message: string): SsoFinish => ({ ok: false, status, message, headers });
  const wait = await ssoCallbackWaitSeconds(context.db, context.clientIp, context.now);
  if (wait > 0) {
    headers.set("Retry-After", String(wait));
    return refuse(429, `Too many failed single sign-on attempts from your network. Wait ${plural(wait, "second")} and try again.`);
  }
  const failed = async (status: number, message: string, orgId?: string, detail?: string) => {
    await recordSsoCallbackFailure(context.db, context.clientIp, context.now);
    if (orgId) await recordSsoEvent(context.db, { orgId, kind: "refused", actorName: "identity provider", detail, now: context.now });
    return refuse(status, message);
  };

  const url = new URL(request.url);
  const data = readSignedCookie(request.headers.get("Cookie"), cookieName(context.secureCookies), PURPOSE);
  const fields = ["o", "s", "n", "v", "r", "e"] as const;
  if (!data || fields.some((f) => typeof data[f] !== "string")) {
    return failed(
      400,
      "This sign-in link has no sign-in to finish in this browser (it may have taken over 10 minutes, or been opened elsewhere). Start again from the sign-in page.",
    );
  }
  const state = data as Record<(typeof fields)[number], string>;
  if (Number(state.e) < context.now.getTime()) return failed(400, "That sign-in took over 10 minutes. Start again from the sign-in page.");
  if (url.searchParams.get("state") !== state.s) {
    return failed(
      400,
      "The answer from your identity provider does not belong to the sign-in this browser started. Start again from the sign-in page.",
      state.o,
      "wrong state",
    );
  }
  const settings = await getSsoClientSettings(context.db, state.o);
  if (!settings?.clientSecret) return failed(400, "Single sign-on is no longer set up for your organisation.");

  // The address the provider redirected to, as registered with it (behind a proxy, request.url is the inside one).
  const callbackUrl = new URL(`${ssoRedirectUri()}${url.search}`);
  const client = { issuer: settings.issuer, clientId: settings.clientId, clientSecret: settings.clientSecret };
  const result = await finishOidcSignIn(client, callbackUrl, { state: state.s, nonce: state.n, codeVerifier: state.v });
  if (!result.ok) {
    const message =
      result.reason === "provider-error"
        ? "Your identity provider did not sign you in. Start again from the sign-in page, or ask your administrator."
        : result.reason === "unreachable"
          ? "Your identity provider could not be reached. Try again in a minute."
          : "Your identity provider's answer could not be verified, so you are not signed in. Start again from the sign-in page.";
    return failed(result.reason === "unreachable" ? 502 : 401, message, state.o, result.detail);
  }
  const identity = identityFromClaims(result.claims, settings.domains);
  if (!identity.ok) return failed(403, identity.message, state.o, identity.message);
  const account = await ssoAccount(context.db, { orgId: state.o, email: identity.email, name: identity.name, role: settings.defaultRole, now: context.now });
  if (!account.ok) return refuse(403, account.message);
  headers.append("Set-Cookie", await startSession(context.lucia, account.user));
  return { ok: true, response: redirect(safeRedirectPath(state.r), { headers }) };
}
