import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { MilestoneForm } from "~/components/milestone-form";
import { emptyMilestone, readMilestoneForm } from "~/domain/milestone-form-values";
import { PlanTitle } from "~/components/plan-header";
import { Card } from "~/components/ui";
import { addMilestone } from "~/models/plan-commands.server";
import { teamOwnerCandidates } from "~/models/milestone-owner.server";
import { loadPlanContents } from "~/models/plan-page.server";
import { commandFailure, requirePlan } from "~/route-helpers/plan-route.server";
import { milestoneCommandInput } from "~/route-helpers/milestone-input.server";

export const meta: MetaFunction = () => [{ title: "Add a milestone · Plan Together" }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { plan } = await requirePlan(context, request, params.planId);
  const [{ milestones, stakeholders }, team] = await Promise.all([
    loadPlanContents(context.db, plan.org_id, plan.id),
    teamOwnerCandidates(context.db, plan.org_id, plan.id, plan.owner_id),
  ]);
  return {
    plan,
    milestones: milestones.map(({ id, title }) => ({ id, title })),
    stakeholders: stakeholders.filter((s) => !s.user_deactivated).map(({ id, name, side }) => ({ id, name, side })),
    team,
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { plan, today, editor } = await requirePlan(context, request, params.planId);
  const values = readMilestoneForm(await request.formData());
  try {
    await addMilestone(context.db, editor, plan.org_id, plan.id, milestoneCommandInput(values));
  } catch (error) {
    const failure = await commandFailure(context, plan.org_id, plan.id, error, today);
    return data({ values, ...failure.data }, failure.init ?? undefined);
  }
  return redirect(`/plans/${plan.id}#milestones`);
}

export default function NewMilestone() {
  const { plan, milestones, stakeholders, team } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <PlanTitle plan={plan} />
      <Card className="max-w-3xl p-5">
        <h2 className="mb-4 text-lg font-semibold text-slate-900">Add a milestone</h2>
        <MilestoneForm
          values={result?.values ?? emptyMilestone}
          errors={result?.fieldErrors ?? {}}
          formError={result?.formError}
          otherMilestones={milestones}
          stakeholders={stakeholders}
          team={team}
          submitLabel="Add milestone"
          cancelTo={`/plans/${plan.id}`}
          busy={busy}
        />
      </Card>
    </>
  );
}
