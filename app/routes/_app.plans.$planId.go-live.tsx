import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DateText } from "~/components/date-text";
import { GoLivePreviewPanel } from "~/components/go-live-preview";
import { goLiveProvenance, PlanTitle } from "~/components/plan-header";
import { Alert, Button, CancelLink, Card, TextField } from "~/components/ui";
import { formatDay } from "~/domain/dates";
import { goLiveChangeSchema, PlanInputError } from "~/domain/plan-validation";
import { ScheduleError } from "~/domain/schedule";
import { changeGoLive } from "~/models/plan-commands.server";
import type { GoLivePreview } from "~/domain/go-live";
import { previewGoLive } from "~/models/plan-schedule.server";
import { commandFailure, formString, formVersion, requirePlan, type CommandFailure } from "~/route-helpers/plan-route.server";

export const meta: MetaFunction = () => [{ title: "Change go-live · Plan Together" }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { plan, today } = await requirePlan(context, request, params.planId);
  return { plan, today, provenance: goLiveProvenance(plan).text };
}

type ActionResult =
  | { stage: "preview"; values: { goLive: string; reason: string }; preview: GoLivePreview }
  | ({ stage: "error"; values: { goLive: string; reason: string } } & Omit<CommandFailure, "ok">);

/**
 * Two steps, both plain form posts: "Preview" shows which dates move, "Save" applies the change
 * through the write path with the plan version the rep was looking at.
 */
export async function action({ context, request, params }: ActionFunctionArgs) {
  const { plan, today, editor } = await requirePlan(context, request, params.planId);
  const form = await request.formData();
  const values = { goLive: formString(form, "goLive"), reason: formString(form, "reason") };
  const fail = (formError: string, fieldErrors: CommandFailure["fieldErrors"], status = 400) =>
    data<ActionResult>({ stage: "error", values, formError, fieldErrors, conflict: null }, { status });

  // Saving a date other than the one previewed shows its preview first: the button named the previewed date.
  const previewed = formString(form, "previewed");
  if (formString(form, "intent") === "preview" || (previewed && previewed !== values.goLive.trim())) {
    const parsed = goLiveChangeSchema.safeParse(values);
    if (!parsed.success) return fail("Please fix the highlighted fields.", parsed.error.flatten().fieldErrors);
    if (parsed.data.goLive === plan.go_live) return fail("That is already the go-live date.", { goLive: ["Pick a different date."] });
    try {
      const preview = await previewGoLive(context.db, plan.org_id, plan.id, parsed.data.goLive, today);
      if (preview.problem)
        return fail(`${preview.problem} The earliest go-live the plan can make is ${formatDay(preview.earliestFeasible, today)}.`, {
          goLive: [preview.problem],
        });
      return data<ActionResult>({ stage: "preview", values, preview });
    } catch (error) {
      // previewGoLive explains an unschedulable date as an input error naming milestones by title.
      if (error instanceof ScheduleError || error instanceof PlanInputError) return fail(error.message, { goLive: [error.message] });
      throw error;
    }
  }

  try {
    await changeGoLive(context.db, editor, plan.org_id, plan.id, formVersion(form), values);
  } catch (error) {
    const failure = await commandFailure(context, plan.org_id, plan.id, error, today);
    return data<ActionResult>({ stage: "error", values, ...failure.data, formError: failure.data.formError }, failure.init ?? undefined);
  }
  return redirect(`/plans/${plan.id}`);
}

export default function ChangeGoLive() {
  const { plan, today, provenance } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const values = result?.values ?? { goLive: plan.go_live, reason: "" };
  const errors = result?.stage === "error" ? result.fieldErrors : {};
  return (
    <>
      <PlanTitle plan={plan} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card className="p-5">
          <h2 className="text-lg font-semibold text-slate-900">Change the go-live date</h2>
          <p className="mt-1 text-sm text-slate-600">
            Now <DateText iso={plan.go_live} today={today} className="font-medium text-slate-900" />. {provenance}.
          </p>
          <p className="mt-2 text-sm text-slate-600">
            A date you set is shown to the buyer as <em>proposed by the seller</em> until one of their people confirms it.
          </p>
          <Form method="post" className="mt-5 space-y-4" noValidate>
            <input type="hidden" name="version" value={plan.version} />
            {result?.stage === "preview" ? <input type="hidden" name="previewed" value={result.values.goLive} /> : null}
            {result?.stage === "error" ? (
              <Alert>
                {result.formError}
                {result.conflict ? <span className="mt-1 block">Their change: {result.conflict.what}.</span> : null}
              </Alert>
            ) : null}
            <TextField label="New go-live date" name="goLive" type="date" required defaultValue={values.goLive} error={errors.goLive?.[0]} />
            <TextField
              label="Why it moves"
              name="reason"
              required
              maxLength={1000}
              defaultValue={values.reason}
              error={errors.reason?.[0]}
              hint="The buyer sees this in the plan's activity."
            />
            <div className="flex flex-wrap gap-2">
              <Button type="submit" name="intent" value="preview" kind={result?.stage === "preview" ? "secondary" : "primary"} disabled={busy}>
                Preview what moves
              </Button>
              {result?.stage === "preview" ? (
                <Button type="submit" name="intent" value="save" disabled={busy}>
                  {`Move go-live to ${formatDay(values.goLive, today)}`}
                </Button>
              ) : null}
              <CancelLink to={`/plans/${plan.id}`} />
            </div>
          </Form>
        </Card>
        {result?.stage === "preview" ? <GoLivePreviewPanel preview={result.preview} today={today} goLive={result.values.goLive} audience="rep" /> : null}
      </div>
    </>
  );
}
