import type { ActionFunctionArgs } from "@remix-run/node";
import { problem } from "~/domain/api";
import { reopenPlanSchema } from "~/domain/plan-outcome";
import { fieldErrorsOf } from "~/models/api-commands.server";
import { getApiPlan } from "~/models/api.server";
import { reopenPlan } from "~/models/plan-outcome.server";
import { apiCommandContext, apiHandler, apiJson, methodNotAllowed, problemResponse, readJsonObject, requireApiToken } from "~/utils/api.server";

const notFound = () => problemResponse(problem(404, "not-found", "No plan with this id in your organisation."));

/** POST /api/v1/plans/:planId/reopen {version?}; the body may be left out. */
export async function action({ context, request, params }: ActionFunctionArgs) {
  return apiHandler(async () => {
    const token = await requireApiToken(context, request, "read_write");
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const planId = params.planId ?? "";
    const hasBody = request.headers.has("content-type") || Number(request.headers.get("content-length") ?? 0) > 0;
    const parsed = reopenPlanSchema.safeParse(hasBody ? await readJsonObject(request) : {});
    if (!parsed.success) return problemResponse(problem(422, "invalid-input", "Some fields are missing or invalid.", fieldErrorsOf(parsed.error)));
    const ctx = await apiCommandContext(context, token, planId);
    if (!ctx) return notFound();
    await reopenPlan(context.db, ctx, parsed.data);
    return apiJson(await getApiPlan(context.db, token.orgId, planId));
  });
}
