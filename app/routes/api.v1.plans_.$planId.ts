import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { problem } from "~/domain/api";
import { todayIn } from "~/domain/dates";
import { isUuid } from "~/domain/ids";
import { apiActor, crmFieldsSchema, fieldErrorsOf, updateCrmFields } from "~/models/api-commands.server";
import { getApiPlan } from "~/models/api.server";
import { getOrganisation } from "~/models/organisation.server";
import { apiHandler, apiJson, methodNotAllowed, problemResponse, readJsonObject, requireApiToken } from "~/route-helpers/api.server";

const notFound = () => problemResponse(problem(404, "not-found", "No plan with this id in your organisation."));

/** GET /api/v1/plans/:planId */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const token = await requireApiToken(context, request, "read");
    if (!isUuid(params.planId)) return notFound();
    const plan = await getApiPlan(context.db, token.orgId, params.planId, context.now);
    return plan ? apiJson(plan) : notFound();
  });
}

/** PATCH /api/v1/plans/:planId {externalCrmId?, crmCloseDate?, version?} */
export async function action({ context, request, params }: ActionFunctionArgs) {
  return apiHandler(async () => {
    const token = await requireApiToken(context, request, "read_write");
    if (request.method !== "PATCH") return methodNotAllowed(["GET", "PATCH"]);
    if (!isUuid(params.planId)) return notFound();
    const parsed = crmFieldsSchema.safeParse(await readJsonObject(request));
    if (!parsed.success) return problemResponse(problem(422, "invalid-input", "Some fields are missing or invalid.", fieldErrorsOf(parsed.error)));
    const org = await getOrganisation(context.db, token.orgId);
    const today = todayIn(org?.time_zone ?? "UTC", context.now);
    await updateCrmFields(
      context.db,
      { orgId: token.orgId, planId: params.planId, actor: apiActor(token.name), today, requestId: context.requestId },
      parsed.data,
    );
    return apiJson(await getApiPlan(context.db, token.orgId, params.planId, context.now));
  });
}
