import type { LoaderFunctionArgs } from "@remix-run/node";
import { ACCURACY_CSV_HEADER, accuracyCsvFilename, accuracyCsvRow } from "~/domain/accuracy-csv";
import { toCsv } from "~/domain/csv";
import { wonDealsClosedIn } from "~/models/forecast-accuracy.server";
import { requireAccuracy } from "~/route-helpers/accuracy-route.server";

/* GET /forecast/accuracy.csv[?team=…&rep=…&from=…&to=…]: the accuracy page's deals as CSV, one row per won deal. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const { ctx, window, range } = await requireAccuracy(context, request);
  const deals = await wonDealsClosedIn(context.db, ctx.scope, range);
  const body = toCsv(
    ACCURACY_CSV_HEADER,
    deals.map((deal) => accuracyCsvRow(deal, ctx.fiscalYearStartMonth)),
  );
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${accuracyCsvFilename(window)}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
