import type { ActionFunctionArgs } from "@remix-run/node";
import { problem } from "~/domain/api";
import { clonePlanSchema } from "~/domain/api-requests";
import { fieldErrorsOf } from "~/models/api-commands.server";
import { getApiPlan, userInOrg } from "~/models/api.server";
import { clonePlan } from "~/models/plan-clone.server";
import { apiCommandContext, apiHandler, apiJson, methodNotAllowed, problemResponse, readJsonObject, requireApiToken } from "~/route-helpers/api.server";

/** POST /api/v1/plans/:planId/clone {title, goLive, buyerCompany?, value?, currency?, copyPeople?, ownerId?}: the new plan, 201. */
export async function action({ context, request, params }: ActionFunctionArgs) {
  return apiHandler(async () => {
    const token = await requireApiToken(context, request, "read_write");
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const parsed = clonePlanSchema.safeParse(await readJsonObject(request));
    if (!parsed.success) return problemResponse(problem(422, "invalid-input", "Some fields are missing or invalid.", fieldErrorsOf(parsed.error)));
    const input = parsed.data;
    if (input.ownerId && !(await userInOrg(context.db, token.orgId, input.ownerId)))
      return problemResponse(problem(422, "invalid-input", "No such active user in your organisation.", { ownerId: ["Unknown or deactivated user."] }));
    const ctx = await apiCommandContext(context, token, params.planId ?? "");
    if (!ctx) return problemResponse(problem(404, "not-found", "No plan with this id in your organisation."));
    const clone = await clonePlan(context.db, ctx, input);
    return apiJson(await getApiPlan(context.db, token.orgId, clone.id, context.now), { status: 201, headers: { Location: `/api/v1/plans/${clone.id}` } });
  });
}
