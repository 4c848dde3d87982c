import type { LoaderFunctionArgs } from "@remix-run/node";
import { toCsv } from "~/domain/csv";
import { FORECAST_CSV_HEADER, forecastCsvFilename, forecastCsvRow } from "~/domain/forecast-csv";
import { forecastPeriods } from "~/domain/forecast-periods";
import { forecastContext, forecastExportRows } from "~/models/forecast.server";
import { requireUser } from "~/route-helpers/guards.server";

/*
 * GET /forecast.csv[?team=…&rep=…&from=…]: the forecast as CSV, one row per active plan in the same
 * scope as the page (one rep's, when picked). A moved window (`from`) exports the plans closing in
 * its two quarters; without one, every active plan.
 */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const params = new URL(request.url).searchParams;
  const ctx = await forecastContext(context.db, user, params.get("team"), context.now, { rep: params.get("rep"), from: params.get("from") });
  if (!ctx.ok) return new Response(ctx.message, { status: ctx.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

  const periods = forecastPeriods(ctx.today, ctx.fiscalYearStartMonth, 0, ctx.window.fromQuarter);
  const closing = ctx.window.from ? { start: periods.thisQuarter.start!, end: periods.nextQuarter.end! } : undefined;
  const plans = await forecastExportRows(context.db, ctx.scope, closing);
  const body = toCsv(
    FORECAST_CSV_HEADER,
    plans.map((plan) => forecastCsvRow(plan, { startMonth: ctx.fiscalYearStartMonth, now: context.now })),
  );
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${forecastCsvFilename(ctx.today, ctx.window.from)}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
