import type { ActionFunctionArgs } from "@remix-run/node";
import { reopenPlanSchema } from "~/domain/plan-outcome-schema";
import { reopenPlan } from "~/models/plan-outcome.server";
import { apiPlanCommand } from "~/route-helpers/api.server";

/** POST /api/v1/plans/:planId/reopen {version?}; the body may be left out. */
export async function action(args: ActionFunctionArgs) {
  return apiPlanCommand(args, reopenPlanSchema, (ctx, input) => reopenPlan(args.context.db, ctx, input), { bodyOptional: true });
}
