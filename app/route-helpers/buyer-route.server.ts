import type { AppLoadContext, HeadersFunction } from "@remix-run/node";
import { todayIn } from "~/domain/dates";
import { linkGuessRule } from "~/domain/login-throttle";
import { recordThrottleFailure, throttleWaitSeconds } from "~/models/auth-throttle.server";
import { buyerCookieName, findBuyer, readCookie } from "~/models/buyer-access.server";
import { getOrganisation } from "~/models/organisation.server";
import type { Locale } from "~/domain/i18n/locales";
import { buyerLocale, buyerTranslator } from "~/route-helpers/buyer-locale.server";

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

/**
 * What a buyer's error page says, already in the reader's language (ADR 046): an error page has
 * no loader data to learn the language from, so the thrown response carries its words. Nobody is
 * known yet on these answers, so the language is the browser's.
 */
export type BuyerRefusal = { lang: Locale; heading: string; body: string };

function refusal(request: Request, heading: string, body: string, values: Record<string, number> = {}): BuyerRefusal {
  const lang = buyerLocale(request, null);
  const { t } = buyerTranslator(lang);
  return { lang, heading: t(heading), body: t(body, values) };
}

/** Revoked, expired, guessed and never-existing links all get the same answer. */
export function linkNotFound(request: Request): never {
  throw Response.json(refusal(request, "errors.linkInactive.heading", "errors.linkInactive.body"), { status: 404, headers: { "X-Robots-Tag": "noindex" } });
}

export async function refuseIfGuessing(context: AppLoadContext, request: Request) {
  const wait = await throttleWaitSeconds(context.db, [linkGuessRule(context.clientIp).key], context.now);
  if (wait > 0) {
    throw Response.json(refusal(request, "errors.tooManyGuesses.heading", "errors.tooManyGuesses.body", { count: wait }), {
      status: 429,
      headers: { "Retry-After": String(wait), "X-Robots-Tag": "noindex" },
    });
  }
}

export async function recordGuess(context: AppLoadContext) {
  await recordThrottleFailure(context.db, [linkGuessRule(context.clientIp)], context.now);
}

/**
 * A plan's page reached without a live device session for it (a calendar event's address, a
 * forwarded page, a link withdrawn since). Worded from what this device holds, never from the
 * plan: a stranger gets the same answer whether the id names a plan or not. 404, like an unknown link.
 */
export function deviceNotSignedIn(request: Request, planId: string | undefined): never {
  const held = planId ? readCookie(request.headers.get("Cookie"), buyerCookieName(planId)) : undefined;
  const body = refusal(request, "errors.notOnDevice", held ? "errors.deviceEnded" : "errors.deviceNotSignedIn");
  throw Response.json(body, { status: 404, headers: { "X-Robots-Tag": "noindex" } });
}

/** The buyer behind this device for this plan, or a 404 saying how to open the plan here. */
export async function requireBuyer(context: AppLoadContext, request: Request, planId: string | undefined) {
  const buyer = planId ? await findBuyer(context.db, planId, readCookie(request.headers.get("Cookie"), buyerCookieName(planId)), context.now) : undefined;
  if (!buyer) deviceNotSignedIn(request, planId);
  const org = await getOrganisation(context.db, buyer.org_id);
  return { buyer, org: org!, today: todayIn(org?.time_zone ?? "UTC", context.now) };
}
