import { randomUUID } from "node:crypto";
import { redirect, type AppLoadContext } from "@remix-run/node";
import { cookieValue, readSignedCookie, signedCookie } from "~/route-helpers/signed-cookie.server";

/*
 * Post/redirect/get with a message: the action redirects and leaves a short-lived, signed,
 * HttpOnly cookie naming the page it is for; that page's next load reads it once and blanks it.
 * The cookie's Path is "/" because a client-side load asks for `/plans/<id>.data`, which a
 * `Path=/plans/<id>` cookie does not reach; the page path inside the cookie keeps other pages off it.
 * A reload after that shows (and posts) nothing again, and a one-time buyer link never lands in
 * the address bar, the history or a server log.
 */
export interface Flash {
  /** A fresh id per message: the page keys its forms on it, so a success empties them. */
  id: string;
  message: string;
  /** What changed, for the page to put focus there (e.g. "people", "comment:<milestone id>"). */
  target?: string;
  /** A one-time link to show with the message (the rep's or a buyer's new share link). */
  url?: string;
  /** Whose link `url` is. */
  stakeholderId?: string;
}

const NAME = "pt_flash";
const PURPOSE = "flash";
// Long enough for a slow redirect to land; short enough that a stale message never surprises.
const MAX_AGE_SECONDS = 60;

function cookie(fields: Record<string, string> | null, secure: boolean) {
  return signedCookie(NAME, PURPOSE, fields, { maxAgeSeconds: MAX_AGE_SECONDS, secure });
}

/** A redirect to `to` (a path, optionally with #fragment) carrying `flash` for that page's next load. */
export function redirectWithFlash(context: AppLoadContext, to: string, flash: Omit<Flash, "id">) {
  const path = to.replace(/[?#].*$/, "");
  const fields = Object.fromEntries(Object.entries({ ...flash, id: randomUUID(), path }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return redirect(to, { headers: { "Set-Cookie": cookie(fields, context.secureCookies) } });
}

/** The page's pending message, if any, and the Set-Cookie that spends it (send it with the page). */
export function takeFlash(context: AppLoadContext, request: Request, path: string): { flash: Flash | null; headers: Record<string, string> } {
  const cookies = request.headers.get("Cookie");
  if (!cookieValue(cookies, NAME)) return { flash: null, headers: {} };
  const data = readSignedCookie(cookies, NAME, PURPOSE);
  const headers = { "Set-Cookie": cookie(null, context.secureCookies) };
  if (!data || typeof data.id !== "string" || typeof data.message !== "string") return { flash: null, headers };
  // Another page's message waits for that page (it expires on its own within the minute).
  if (data.path !== path) return { flash: null, headers: {} };
  const text = (key: string) => (typeof data[key] === "string" ? (data[key] as string) : undefined);
  return { flash: { id: data.id, message: data.message, target: text("target"), url: text("url"), stakeholderId: text("stakeholderId") }, headers };
}
