import { readToken, signToken } from "~/infra/signed-token.server";
import { signingSecret } from "~/infra/signing-secret.server";

/*
 * A short-lived, HttpOnly cookie holding a few fields signed for one purpose: the flash message,
 * the known device, a single sign-on in flight. Made up or altered, it reads as nothing.
 */

/** The raw value of cookie `name` in a Cookie header. */
export function cookieValue(cookieHeader: string | null, name: string): string | undefined {
  return new RegExp(`(?:^|;\\s*)${name.replace(/[^A-Za-z0-9_-]/g, "\\$&")}=([^;]*)`).exec(cookieHeader ?? "")?.[1];
}

/** The fields of cookie `name` signed for `purpose`, or null when it is absent or not ours. */
export function readSignedCookie(cookieHeader: string | null, name: string, purpose: string): Record<string, unknown> | null {
  return readToken(purpose, cookieValue(cookieHeader, name), signingSecret());
}

/** The Set-Cookie for `fields` signed for `purpose`; null fields blank the cookie (Max-Age 0). */
export function signedCookie(
  name: string,
  purpose: string,
  fields: Record<string, string> | null,
  options: { maxAgeSeconds: number; secure: boolean; path?: string },
): string {
  const value = fields ? signToken(purpose, fields, signingSecret()) : "";
  const maxAge = fields ? options.maxAgeSeconds : 0;
  return `${name}=${value}; Path=${options.path ?? "/"}; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${options.secure ? "; Secure" : ""}`;
}
