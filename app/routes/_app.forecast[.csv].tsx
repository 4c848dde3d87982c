import type { LoaderFunctionArgs } from "@remix-run/node";
import { FORECAST_CSV_HEADER, forecastCsvFilename, forecastCsvRow, forecastPeriods, toCsv } from "~/domain/forecast";
import { forecastContext, forecastExportRows } from "~/models/forecast.server";
import { requireUser } from "~/utils/guards.server";

/* GET /forecast.csv[?team=…]: the forecast as CSV, one row per active plan in the same scope as the page. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const params = new URL(request.url).searchParams;
  const ctx = await forecastContext(context.db, user, params.get("team"), context.now);
  if (!ctx.ok) return new Response(ctx.message, { status: ctx.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

  const plans = await forecastExportRows(context.db, ctx.scope);
  const periods = forecastPeriods(ctx.today, ctx.fiscalYearStartMonth);
  const body = toCsv(FORECAST_CSV_HEADER, plans.map((plan) => forecastCsvRow(plan, { startMonth: ctx.fiscalYearStartMonth, periods, now: context.now })));
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${forecastCsvFilename(ctx.today)}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
