import type { HeadersFunction } from "@remix-run/node";

/**
 * A page's answer takes its headers from its `headers` export, not from what the loader or action
 * returned: this passes on the two our pages set, the action's `Retry-After` (a throttled form)
 * and the loader's `Set-Cookie` (a spent flash message, ADR 011).
 */
export const passOnPageHeaders: HeadersFunction = ({ actionHeaders, loaderHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  const cookie = loaderHeaders.get("Set-Cookie");
  if (cookie) headers.set("Set-Cookie", cookie);
  return headers;
};
