import type { ActionFunctionArgs } from "@remix-run/node";
import { closePlanSchema } from "~/domain/plan-outcome-schema";
import { closePlan } from "~/models/plan-outcome.server";
import { apiPlanCommand } from "~/route-helpers/api.server";

/** POST /api/v1/plans/:planId/close {outcome, closedOn?, lossReason?, closeNote?, version?} */
export async function action(args: ActionFunctionArgs) {
  return apiPlanCommand(args, closePlanSchema, (ctx, input) => closePlan(args.context.db, ctx, input));
}
