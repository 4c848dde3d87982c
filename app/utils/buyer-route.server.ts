import type { AppLoadContext, HeadersFunction } from "@remix-run/node";
import { todayIn } from "../domain/dates";
import { linkGuessRule } from "../domain/login-throttle";
import { recordThrottleFailure, throttleWaitSeconds } from "../models/auth-throttle.server";
import { buyerCookieName, findBuyer, readCookie } from "../models/buyer-access.server";
import { getOrganisation } from "../models/organisation.server";

/**
 * Buyer pages are never cached. A thrown response's own headers (the throttle's Retry-After) are
 * kept: Remix renders the error page with the route's headers, not the thrown response's. So is
 * the loader's Set-Cookie (a spent flash message).
 */
export const buyerPageHeaders: HeadersFunction = ({ errorHeaders, loaderHeaders }) => {
  const headers = new Headers(errorHeaders);
  headers.set("Cache-Control", "no-store");
  const cookie = loaderHeaders.get("Set-Cookie");
  if (cookie) headers.set("Set-Cookie", cookie);
  return headers;
};

/** Revoked, expired, guessed and never-existing links all get the same answer. */
export function linkNotFound(): never {
  throw new Response("This link is not active.", { status: 404, headers: { "X-Robots-Tag": "noindex" } });
}

export async function refuseIfGuessing(context: AppLoadContext) {
  const wait = await throttleWaitSeconds(context.db, [linkGuessRule(context.clientIp).key], context.now);
  if (wait > 0) {
    throw new Response(`Too many unknown links from your network. Try again in ${wait} seconds.`, {
      status: 429,
      headers: { "Retry-After": String(wait), "X-Robots-Tag": "noindex" },
    });
  }
}

export async function recordGuess(context: AppLoadContext) {
  await recordThrottleFailure(context.db, [linkGuessRule(context.clientIp)], context.now);
}

/** The buyer behind this device for this plan, or the same 404 as an unknown link. */
export async function requireBuyer(context: AppLoadContext, request: Request, planId: string | undefined) {
  const buyer = planId ? await findBuyer(context.db, planId, readCookie(request.headers.get("Cookie"), buyerCookieName(planId)), context.now) : undefined;
  if (!buyer) linkNotFound();
  const org = await getOrganisation(context.db, buyer.org_id);
  return { buyer, org: org!, today: todayIn(org?.time_zone ?? "UTC", context.now) };
}
