import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePlan } from "~/route-helpers/plan-route.server";
import { downloadResponse } from "~/route-helpers/resource-route.server";

/* A file on the plan, for the reps who may see the plan: always downloaded, never shown (ADR 035). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { plan, editor } = await requirePlan(context, request, params.planId);
  return downloadResponse(context, editor, plan.org_id, plan.id, params.versionId);
}
