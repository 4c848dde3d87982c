import type { AppLoadContext } from "@remix-run/node";
import { parseAccuracyWindow } from "~/domain/accuracy-window";
import { wonDealsClosedIn } from "~/models/forecast-accuracy.server";
import { forecastContext } from "~/models/forecast.server";
import { calendarOf, getOrganisation } from "~/models/organisation.server";
import { requireUser } from "~/route-helpers/guards.server";

/**
 * What every accuracy route starts with: the viewer's scope as on /forecast (their team, or one
 * rep of it), the window of closed deals, the organisation's working calendar (slip is counted in
 * working days), and the won deals in the window with what each showed day by day.
 */
export async function requireAccuracy(context: AppLoadContext, request: Request) {
  const user = requireUser(context, request);
  const params = new URL(request.url).searchParams;
  const ctx = await forecastContext(context.db, user, params.get("team"), context.now, { rep: params.get("rep") });
  if (!ctx.ok) throw new Response(ctx.message, { status: ctx.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const parsed = parseAccuracyWindow(params.get("from"), params.get("to"), ctx.today, ctx.fiscalYearStartMonth);
  if (!parsed.ok) throw new Response(parsed.message, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const window = parsed.value;
  const range = { from: window.start, to: window.end };
  const [deals, org] = await Promise.all([wonDealsClosedIn(context.db, ctx.scope, range), getOrganisation(context.db, user.orgId)]);
  if (!org) throw new Response("Your organisation no longer exists.", { status: 404 });
  return {
    user,
    params,
    ctx,
    window,
    range,
    deals,
    calendar: calendarOf(org),
    generatedThrough: null as string | null,
    query: { team: ctx.team, rep: ctx.rep, from: window.from, to: window.to },
  };
}
