import type { LoaderFunctionArgs } from "@remix-run/node";
import { problem } from "~/domain/api";
import { isUuid } from "~/domain/ids";
import { listPlanEngagement } from "~/models/engagement.server";
import { apiHandler, apiJson, problemResponse, requireApiToken } from "~/route-helpers/api.server";

/** GET /api/v1/plans/:planId/engagement : each buyer-side person on the plan with what they opened and did (ADR 037). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const token = await requireApiToken(context, request, "read");
    const people = isUuid(params.planId) ? await listPlanEngagement(context.db, token.orgId, params.planId) : undefined;
    return people ? apiJson({ data: people }) : problemResponse(problem(404, "not-found", "No plan with this id in your organisation."));
  });
}
