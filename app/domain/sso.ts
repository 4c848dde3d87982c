import type { Role } from "~/domain/roles";

/*
 * Single sign-on with OpenID Connect (ADR 044): the rules that need no I/O.
 */

export type SsoRole = Exclude<Role, "admin">;

export interface SsoSettingsInput {
  issuer: string;
  clientId: string;
  /** Empty: keep the stored secret (it is never shown back). */
  clientSecret: string;
  domains: string;
  required: boolean;
  defaultRole: string;
}

export interface SsoSettings {
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  domains: string[];
  required: boolean;
  defaultRole: SsoRole;
}

export type SsoSettingsErrors = Partial<Record<"issuer" | "clientId" | "clientSecret" | "domains" | "defaultRole", string>>;

const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** An http:// issuer is accepted on this machine only (a provider started by a test or a developer). */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
}

/** The part of an address after its last "@", lower-cased; "" when there is none. */
export function emailDomain(email: string): string {
  const at = email.lastIndexOf("@");
  return at < 0
    ? ""
    : email
        .slice(at + 1)
        .trim()
        .toLowerCase();
}

/** Checks the settings form; `hasSecret`: a secret is stored, so an empty field keeps it. */
export function parseSsoSettings(input: SsoSettingsInput, hasSecret: boolean): { ok: true; value: SsoSettings } | { ok: false; errors: SsoSettingsErrors } {
  const errors: SsoSettingsErrors = {};
  const issuerText = input.issuer.trim().replace(/\/+$/, "");
  let issuer = "";
  try {
    const url = new URL(issuerText);
    if (url.search || url.hash || url.username || url.password) errors.issuer = "Enter the issuer without a query, fragment or user name.";
    else if (url.protocol !== "https:" && !isLoopbackHttp(url)) errors.issuer = "The issuer must be an https:// address.";
    else if (issuerText.length > 500) errors.issuer = "Keep the issuer under 500 characters.";
    else issuer = issuerText;
  } catch {
    errors.issuer = "Enter the issuer URL your identity provider shows, e.g. https://login.example.com/realms/acme.";
  }
  const clientId = input.clientId.trim();
  if (!clientId) errors.clientId = "Enter the client id your identity provider gave this app.";
  else if (clientId.length > 500) errors.clientId = "Keep the client id under 500 characters.";
  const secret = input.clientSecret.trim();
  if (!secret && !hasSecret) errors.clientSecret = "Enter the client secret.";
  else if (secret.length > 1000) errors.clientSecret = "Keep the client secret under 1000 characters.";
  const domains = [
    ...new Set(
      input.domains
        .split(/[\s,;]+/)
        .map((d) => d.trim().toLowerCase().replace(/^@/, ""))
        .filter(Boolean),
    ),
  ];
  const bad = domains.find((d) => !DOMAIN.test(d));
  if (domains.length === 0) errors.domains = "Enter at least one email domain, e.g. example.com.";
  else if (bad) errors.domains = `"${bad.slice(0, 60)}" is not an email domain; enter domains like example.com, separated by commas.`;
  else if (domains.length > 20) errors.domains = "Enter at most 20 domains.";
  const defaultRole = input.defaultRole === "manager" || input.defaultRole === "rep" ? input.defaultRole : null;
  if (!defaultRole) errors.defaultRole = "Pick Rep or Manager.";
  if (Object.keys(errors).length > 0 || !defaultRole) return { ok: false, errors };
  return { ok: true, value: { issuer, clientId, clientSecret: secret || null, domains, required: input.required, defaultRole } };
}

/** Who an identity provider says signed in, as far as this app can use it. */
export type SsoIdentity = { ok: true; email: string; name: string } | { ok: false; message: string };

/**
 * Reads the ID token's claims: a verified email address in one of the organisation's domains (an
 * identity provider speaks for its own domains only, never for an address held elsewhere).
 */
export function identityFromClaims(claims: Record<string, unknown>, domains: string[]): SsoIdentity {
  const email = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : "";
  if (!email || !email.includes("@") || email.length > 320)
    return { ok: false, message: "Your identity provider did not send an email address; ask your administrator to release the email claim to this app." };
  if (claims.email_verified === false) return { ok: false, message: `Your identity provider says ${email} is not verified.` };
  if (!domains.includes(emailDomain(email))) return { ok: false, message: `${email} is not in a domain your organisation signs in with single sign-on.` };
  const given = [claims.given_name, claims.family_name].filter((p): p is string => typeof p === "string" && p.trim() !== "").join(" ");
  const raw = typeof claims.name === "string" && claims.name.trim() ? claims.name : given || email.slice(0, email.indexOf("@"));
  return { ok: true, email, name: raw.trim().slice(0, 200) };
}
