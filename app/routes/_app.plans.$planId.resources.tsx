import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ResourcesPage, type ResourceContext } from "~/components/resources";
import { loadPlanWorkspace } from "~/models/plan-page.server";
import { requireUser, viewerOf } from "~/route-helpers/guards.server";
import { requirePlan } from "~/route-helpers/plan-route.server";
import { resourceAction, resourcesPageData } from "~/route-helpers/resource-route.server";
import { ENGLISH } from "~/domain/i18n/english";

/* The plan's files and links on a page of their own; the plan page's forms post here (ADR 035). */
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Files and links · ${data.plan.buyer_company} · Plan Together` : "Files and links · Plan Together" },
];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const page = await loadPlanWorkspace(context.db, viewerOf(user), params.planId ?? "", { activityLimit: 1 });
  if (!page) throw new Response("This plan does not exist, or it is not shared with you.", { status: 404 });
  const { body, headers } = resourcesPageData(context, request, `/plans/${page.plan.id}/resources`, page);
  return data(body, { headers });
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { plan, editor } = await requirePlan(context, request, params.planId);
  return resourceAction(context, request, {
    editor,
    orgId: plan.org_id,
    planId: plan.id,
    planPath: `/plans/${plan.id}`,
    maySetRequirements: true,
    t: ENGLISH.t,
  });
}

export default function PlanResourcesPage() {
  const { plan, milestones, resources, now, flash } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const ctx: ResourceContext = {
    actionUrl: `/plans/${plan.id}/resources`,
    downloadHref: (versionId) => `/plans/${plan.id}/files/${versionId}`,
    from: "resources",
    now,
    side: "seller",
    flash,
    failure: failure && !failure.ok ? failure : null,
  };
  return <ResourcesPage plan={plan} planPath={`/plans/${plan.id}`} milestones={milestones} data={resources} ctx={ctx} />;
}
