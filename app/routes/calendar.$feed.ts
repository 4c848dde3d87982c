import type { LoaderFunctionArgs } from "@remix-run/node";
import { findFeed, renderFeed } from "~/models/calendar-feed.server";

/*
 * GET /calendar/<token>.ics: a calendar feed for Google Calendar, Outlook or Apple Calendar, which
 * fetch it without cookies; the token in the address is the only credential (never logged: see
 * redactSecretPaths). Unknown, rotated and revoked feeds, and feeds of dead buyer links, all get the same 404.
 */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const match = /^(.+)\.ics$/.exec(params.feed ?? "");
  const feed = match ? await findFeed(context.db, match[1], context.now) : undefined;
  if (!feed) {
    return new Response("This calendar is not active.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "X-Robots-Tag": "noindex" } });
  }
  const body = await renderFeed(context.db, feed, context.now);
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'inline; filename="plan-together.ics"',
      "Cache-Control": "private, no-store",
      "X-Robots-Tag": "noindex",
    },
  });
}
