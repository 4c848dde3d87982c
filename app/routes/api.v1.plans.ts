import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { decodeCursor, parseLimit, problem } from "~/domain/api";
import { PLAN_STATUSES } from "~/domain/plan-outcome";
import { todayIn } from "~/domain/dates";
import { apiActor, createApiPlan, createPlanSchema, fieldErrorsOf } from "~/models/api-commands.server";
import { getApiPlan, listApiPlans, templateInOrg, userInOrg } from "~/models/api.server";
import { getOrganisation } from "~/models/organisation.server";
import { apiHandler, apiJson, methodNotAllowed, problemResponse, readJsonObject, requireApiToken } from "~/route-helpers/api.server";

const STATUSES = PLAN_STATUSES;

/** GET /api/v1/plans?limit=&cursor=&status= : the organisation's plans, a page at a time. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const token = await requireApiToken(context, request, "read");
    const params = new URL(request.url).searchParams;
    const limit = parseLimit(params.get("limit"));
    if (!limit.ok) return problemResponse(problem(400, "invalid-parameter", limit.message, { limit: [limit.message] }));
    const rawCursor = params.get("cursor");
    const cursor = rawCursor ? decodeCursor(rawCursor) : null;
    if (rawCursor && !cursor)
      return problemResponse(
        problem(400, "invalid-parameter", "This cursor is not one we gave out: pass nextCursor from the previous page as is.", { cursor: ["Unknown cursor."] }),
      );
    const status = params.get("status");
    if (status !== null && !(STATUSES as readonly string[]).includes(status)) {
      return problemResponse(problem(400, "invalid-parameter", `status must be one of ${STATUSES.join(", ")}.`, { status: ["Unknown status."] }));
    }
    const page = await listApiPlans(context.db, token.orgId, {
      limit: limit.value,
      cursor,
      status: (status ?? undefined) as (typeof STATUSES)[number] | undefined,
      now: context.now,
    });
    return apiJson(page);
  });
}

/** POST /api/v1/plans : a plan from a template, backward-scheduled from its go-live date. */
export async function action({ context, request }: ActionFunctionArgs) {
  return apiHandler(async () => {
    const token = await requireApiToken(context, request, "read_write");
    if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
    const parsed = createPlanSchema.safeParse(await readJsonObject(request));
    if (!parsed.success) return problemResponse(problem(422, "invalid-input", "Some fields are missing or invalid.", fieldErrorsOf(parsed.error)));
    const input = parsed.data;
    const ownerId = input.ownerId ?? token.createdBy;
    if (!ownerId)
      return problemResponse(problem(422, "invalid-input", "Name the plan's owner: the token's creator no longer exists.", { ownerId: ["Required."] }));
    if (!(await userInOrg(context.db, token.orgId, ownerId)))
      return problemResponse(problem(422, "invalid-input", "No such active user in your organisation.", { ownerId: ["Unknown or deactivated user."] }));
    if (!(await templateInOrg(context.db, token.orgId, input.templateId)))
      return problemResponse(problem(422, "invalid-input", "No such template in your organisation.", { templateId: ["Unknown template."] }));
    const org = await getOrganisation(context.db, token.orgId);
    const today = todayIn(org?.time_zone ?? "UTC", context.now);
    const planId = await createApiPlan(context.db, { orgId: token.orgId, ownerId, actor: apiActor(token.name), today, requestId: context.requestId }, input);
    return apiJson(await getApiPlan(context.db, token.orgId, planId, context.now), { status: 201, headers: { Location: `/api/v1/plans/${planId}` } });
  });
}
