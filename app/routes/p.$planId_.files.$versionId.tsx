import type { LoaderFunctionArgs } from "@remix-run/node";
import { buyerEditor } from "~/models/buyer-commands.server";
import { requireBuyer } from "~/route-helpers/buyer-route.server";
import { downloadResponse } from "~/route-helpers/resource-route.server";

/*
 * A file on the plan, for a buyer whose device session and link for this plan are live: another
 * plan's buyer, another organisation's and a withdrawn link get the same 404 (ADR 035).
 */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { buyer, today } = await requireBuyer(context, request, params.planId);
  return downloadResponse(context, buyerEditor(buyer, today, context.requestId), buyer.org_id, buyer.plan_id, params.versionId);
}
