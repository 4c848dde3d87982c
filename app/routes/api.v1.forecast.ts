import type { LoaderFunctionArgs } from "@remix-run/node";
import { problem } from "~/domain/api";
import { apiForecast } from "~/models/api.server";
import { apiHandler, apiJson, problemResponse, requireApiToken } from "~/route-helpers/api.server";

/** GET /api/v1/forecast : the organisation's rollup of active plans by forecast close date. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const token = await requireApiToken(context, request, "read");
    const forecast = await apiForecast(context.db, token.orgId, context.now);
    return forecast ? apiJson(forecast) : problemResponse(problem(404, "not-found", "Your organisation no longer exists."));
  });
}
