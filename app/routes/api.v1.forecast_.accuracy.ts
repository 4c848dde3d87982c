import type { LoaderFunctionArgs } from "@remix-run/node";
import { problem } from "~/domain/api";
import { apiForecastAccuracy } from "~/models/api.server";
import { apiHandler, apiJson, problemResponse, requireApiToken } from "~/route-helpers/api.server";

/** GET /api/v1/forecast/accuracy[?from=FY2026-Q4&to=FY2027-Q3] : whose dates came true on the deals won in those quarters. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const token = await requireApiToken(context, request, "read");
    const params = new URL(request.url).searchParams;
    const result = await apiForecastAccuracy(context.db, token.orgId, context.now, { from: params.get("from"), to: params.get("to") });
    if (!result) return problemResponse(problem(404, "not-found", "Your organisation no longer exists."));
    if (!result.ok) return problemResponse(problem(400, "invalid-parameter", result.message, { [result.param]: [result.message] }));
    return apiJson(result.body);
  });
}
