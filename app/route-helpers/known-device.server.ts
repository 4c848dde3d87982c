import { randomUUID } from "node:crypto";
import { readSignedCookie, signedCookie } from "~/route-helpers/signed-cookie.server";

/*
 * The "known device" cookie (OWASP's device cookie): set when a browser signs in, it names the
 * account and a random id for this browser, signed so it cannot be made up. At the next sign-in to
 * the same account, that browser is throttled only for its own failures (ADR 019). It proves
 * nothing on its own: the password is still checked, and it opens no session.
 */
const NAME = "pt_device";
const PURPOSE = "known-device";
const MAX_AGE_SECONDS = 180 * 24 * 60 * 60;

export interface KnownDevice {
  userId: string;
  deviceId: string;
}

export function readKnownDevice(cookieHeader: string | null): KnownDevice | null {
  const data = readSignedCookie(cookieHeader, NAME, PURPOSE);
  if (!data || typeof data.u !== "string" || typeof data.d !== "string") return null;
  return { userId: data.u, deviceId: data.d };
}

/** The Set-Cookie that makes this browser a known device for `userId` (keeping its id if it had one). */
export function knownDeviceCookie(userId: string, deviceId: string | undefined, secure: boolean): string {
  // Only the sign-in page needs it.
  return signedCookie(NAME, PURPOSE, { u: userId, d: deviceId ?? randomUUID() }, { maxAgeSeconds: MAX_AGE_SECONDS, secure, path: "/login" });
}
