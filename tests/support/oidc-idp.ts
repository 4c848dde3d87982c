import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";

/*
 * A real OpenID Connect provider (oidc-provider) on a loopback port, for the SSO tests (ADR 044).
 * Its interaction step signs in whoever `nextLogin` names and grants the scopes asked for, without
 * a form: the tests drive the browser's redirects with fetch. `codeTtlSeconds` sets the lifetime of
 * the authorization codes it issues from then on.
 */
export interface TestIdpOptions {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Claims by account id (the `sub`). */
  accounts: Record<string, Record<string, unknown>>;
}

export async function startTestIdp(options: TestIdpOptions) {
  let handler: http.RequestListener = (_req, res) => res.end();
  const server = http.createServer((req, res) => handler(req, res));
  server.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state = { nextLogin: "", codeTtlSeconds: 60 };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    findAccount: (_ctx: KoaContextWithOIDC, sub: string) =>
      options.accounts[sub] ? { accountId: sub, claims: () => ({ sub, ...options.accounts[sub] }) } : undefined,
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "given_name", "family_name"] },
    // The scope's claims in the ID token itself (the app reads no userinfo).
    conformIdTokenClaims: false,
    ttl: { AuthorizationCode: () => state.codeTtlSeconds, Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: ["test-idp-cookie-key"] },
  });
  const callback = provider.callback();

  handler = (req, res) => {
    if (!req.url?.startsWith("/interaction/")) return void callback(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === "login") {
        await provider.interactionFinished(req, res, { login: { accountId: state.nextLogin } }, { mergeWithLastSubmission: false });
        return;
      }
      const accountId = details.session!.accountId;
      const grant = details.grantId ? (await provider.Grant.find(details.grantId))! : new provider.Grant({ accountId, clientId: options.clientId });
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  };

  /**
   * Follows the browser's redirects through the provider, starting at its authorization URL, until
   * one leads off it (to the app's callback): that address.
   */
  async function authorize(authorizationUrl: string, login: string): Promise<URL> {
    state.nextLogin = login;
    const jar = new Map<string, string>();
    let location = new URL(authorizationUrl);
    for (let hops = 0; location.origin === issuer; hops++) {
      if (hops > 10) throw new Error("Too many redirects at the identity provider.");
      const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
      const response = await fetch(location, { redirect: "manual", headers: cookie ? { cookie } : {} });
      for (const set of response.headers.getSetCookie()) {
        const [pair] = set.split(";");
        const at = pair.indexOf("=");
        jar.set(pair.slice(0, at), pair.slice(at + 1));
      }
      const next = response.headers.get("location");
      if (!next) throw new Error(`The identity provider answered ${response.status} without a redirect: ${(await response.text()).slice(0, 300)}`);
      location = new URL(next, location);
    }
    return location;
  }

  return {
    issuer,
    state,
    authorize,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type TestIdp = Awaited<ReturnType<typeof startTestIdp>>;
