import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { MilestoneForm } from "~/components/milestone-form";
import { readMilestoneForm, type MilestoneFormValues } from "~/domain/milestone-form-values";
import { PlanTitle } from "~/components/plan-header";
import { Alert, Button, Card } from "~/components/ui";
import { removeMilestone, updateMilestone } from "~/models/plan-commands.server";
import { teamOwnerCandidates } from "~/models/milestone-owner.server";
import { loadPlanContents } from "~/models/plan-page.server";
import { milestoneCommandInput } from "~/route-helpers/milestone-input.server";
import { commandFailure, formString, formVersion, requirePlan } from "~/route-helpers/plan-route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.milestone.title} · Plan Together` : "Milestone · Plan Together" }];

async function loadMilestone(context: Parameters<typeof requirePlan>[0], request: Request, planId?: string, milestoneId?: string) {
  const found = await requirePlan(context, request, planId);
  const { milestones, stakeholders } = await loadPlanContents(context.db, found.plan.org_id, found.plan.id);
  const milestone = milestones.find((m) => m.id === milestoneId);
  if (!milestone) throw new Response("This milestone is no longer on the plan.", { status: 404 });
  return { ...found, milestone, milestones, stakeholders };
}

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { plan, milestone, milestones, stakeholders } = await loadMilestone(context, request, params.planId, params.milestoneId);
  const team = await teamOwnerCandidates(context.db, plan.org_id, plan.id, plan.owner_id);
  const values: MilestoneFormValues = {
    title: milestone.title,
    description: milestone.description,
    ownerSide: milestone.owner_side,
    ownerStakeholderId: milestone.owner_stakeholder_id ?? "",
    durationDays: String(milestone.duration_days),
    lagDays: String(milestone.lag_days),
    dependsOn: milestone.depends_on,
    pinnedDate: milestone.pinned_date ?? "",
    isClose: milestone.is_close,
    completedOn: milestone.completed_on ?? "",
  };
  return {
    plan,
    values,
    milestone: { id: milestone.id, title: milestone.title, version: milestone.version },
    otherMilestones: milestones.filter((m) => m.id !== milestone.id).map(({ id, title }) => ({ id, title })),
    // A deactivated teammate is offered only where they already own this milestone (ADR 021).
    stakeholders: stakeholders.filter((s) => !s.user_deactivated || s.id === milestone.owner_stakeholder_id).map(({ id, name, side }) => ({ id, name, side })),
    team,
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { plan, today, editor, milestone } = await loadMilestone(context, request, params.planId, params.milestoneId);
  const form = await request.formData();
  const values = readMilestoneForm(form);
  try {
    if (formString(form, "intent") === "remove") {
      await removeMilestone(context.db, editor, plan.org_id, plan.id, milestone.id, formVersion(form));
    } else {
      await updateMilestone(context.db, editor, plan.org_id, plan.id, milestone.id, formVersion(form), milestoneCommandInput(values));
    }
  } catch (error) {
    const failure = await commandFailure(context, plan.org_id, plan.id, error, today);
    // After a conflict the form carries the current version, so saving again is a deliberate overwrite.
    return data({ values, currentVersion: milestone.version, ...failure.data }, failure.init ?? undefined);
  }
  return redirect(`/plans/${plan.id}#milestones`);
}

export default function EditMilestone() {
  const { plan, values, milestone, otherMilestones, stakeholders, team } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [params] = useSearchParams();
  const version = result?.conflict ? result.currentVersion : milestone.version;
  return (
    <>
      <PlanTitle plan={plan} />
      <div className="grid max-w-5xl gap-6 lg:grid-cols-3">
        <Card className="p-5 lg:col-span-2">
          <h2 className="mb-4 text-lg font-semibold text-slate-900">Edit “{milestone.title}”</h2>
          {result?.conflict ? (
            <div className="mb-4">
              <Alert kind="info">Their change: {result.conflict.what}.</Alert>
            </div>
          ) : null}
          <MilestoneForm
            values={result?.values ?? values}
            errors={result?.fieldErrors ?? {}}
            formError={result?.formError}
            otherMilestones={otherMilestones}
            stakeholders={stakeholders}
            team={team}
            version={version}
            submitLabel="Save milestone"
            cancelTo={`/plans/${plan.id}`}
            busy={busy}
          />
        </Card>
        <Card className="h-fit p-5">
          <h2 className="text-base font-semibold text-slate-900">Remove this milestone</h2>
          <p className="mt-1 text-sm text-slate-600">
            Milestones that start after it keep their other dependencies. The removal is kept in the plan's activity.
          </p>
          {params.get("remove") === "confirm" ? (
            <Form method="post" className="mt-3 flex gap-2">
              <input type="hidden" name="version" value={version} />
              <Button type="submit" name="intent" value="remove" kind="danger" disabled={busy}>
                Yes, remove it
              </Button>
              <Link to="." className="px-3 py-2 text-sm text-slate-600 hover:underline">
                Keep it
              </Link>
            </Form>
          ) : (
            <Link to="?remove=confirm" className="mt-3 inline-block text-sm font-medium text-red-700 hover:underline">
              Remove milestone…
            </Link>
          )}
        </Card>
      </div>
    </>
  );
}
