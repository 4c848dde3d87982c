import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { DateText } from "~/components/date-text";
import { PlanTitle } from "~/components/plan-header";
import { Alert, Button, CancelLink, Card, SelectField, TextAreaField, TextField } from "~/components/ui";
import { formatDay } from "~/domain/dates";
import { closedOnPrefix, isClosedStatus, LOSS_REASON_LABELS, LOSS_REASONS, MAX_CLOSE_NOTE, PLAN_OUTCOME_LABELS, PLAN_OUTCOMES } from "~/domain/plan-outcome";
import { editorContext } from "~/models/plan-commands.server";
import { closePlan } from "~/models/plan-outcome.server";
import { redirectWithFlash } from "~/route-helpers/flash.server";
import { commandFailure, formString, formVersion, requirePlan } from "~/route-helpers/plan-route.server";

export const meta: MetaFunction = () => [{ title: "Close the plan · Plan Together" }];

const FIELDS = ["outcome", "closedOn", "lossReason", "closeNote"] as const;
type Values = Record<(typeof FIELDS)[number], string>;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { plan, today } = await requirePlan(context, request, params.planId);
  return { plan, today };
}

/** One plain form post: the outcome, the day it closed and, for a loss, why; values come back with any refusal. */
export async function action({ context, request, params }: ActionFunctionArgs) {
  const { plan, today, editor } = await requirePlan(context, request, params.planId);
  const form = await request.formData();
  const values = Object.fromEntries(FIELDS.map((f) => [f, formString(form, f)])) as Values;
  // The reason list stays on the page whatever the outcome (no JavaScript needed): only a loss keeps it.
  const input = {
    outcome: values.outcome,
    closedOn: values.closedOn.trim() || undefined,
    lossReason: values.outcome === "lost" ? values.lossReason || undefined : undefined,
    closeNote: values.closeNote.trim() || undefined,
  };
  try {
    await closePlan(context.db, editorContext(editor, plan.org_id, plan.id, { expectedVersion: formVersion(form) }), input);
  } catch (error) {
    const failure = await commandFailure(context, plan.org_id, plan.id, error, today);
    return data({ values, currentVersion: plan.version, ...failure.data }, failure.init ?? undefined);
  }
  const closedOn = input.closedOn ?? today;
  const words = input.outcome === "won" || input.outcome === "lost" || input.outcome === "no_decision" ? closedOnPrefix(input.outcome) : "Closed on";
  return redirectWithFlash(context, `/plans/${plan.id}`, { target: "outcome", message: `Closed. ${words} ${formatDay(closedOn, today)}.` });
}

/** The field each error belongs to, in the page's order: focus goes to the first. */
const FOCUS_ORDER: Array<[string, string]> = [
  ["outcome", "outcome-won"],
  ["closedOn", "field-closedOn"],
  ["lossReason", "field-lossReason"],
  ["closeNote", "field-closeNote"],
];

export default function ClosePlan() {
  const { plan, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const alertRef = useRef<HTMLDivElement>(null);
  const v: Values = result?.values ?? { outcome: "", closedOn: today, lossReason: "", closeNote: "" };
  const e = result?.fieldErrors ?? {};
  const firstError = FOCUS_ORDER.find(([field]) => e[field]?.length)?.[1] ?? null;

  // With JavaScript the page is not reloaded after a refusal: move focus as a fresh page's autofocus would.
  useEffect(() => {
    if (!result) return;
    const target = firstError ? document.getElementById(firstError) : alertRef.current;
    target?.focus();
  }, [result, firstError]);

  if (isClosedStatus(plan.status)) {
    return (
      <>
        <PlanTitle plan={plan} />
        <Card className="max-w-2xl p-5">
          <h2 className="text-lg font-semibold text-slate-900">This plan is closed</h2>
          {result?.formError ? (
            <div ref={alertRef} tabIndex={-1} className="mt-3 focus:outline-none">
              <Alert>{result.formError}</Alert>
            </div>
          ) : null}
          <p className="mt-2 text-sm text-slate-700">
            {closedOnPrefix(plan.status)} <DateText iso={plan.closed_on} today={today} />. To record a different outcome, reopen it from{" "}
            <Link to={`/plans/${plan.id}`} className="font-medium text-brand-700 underline">
              the plan's page
            </Link>{" "}
            first.
          </p>
        </Card>
      </>
    );
  }

  const outcomeError = e.outcome?.[0];
  return (
    <>
      <PlanTitle plan={plan} />
      <Card className="max-w-2xl p-5">
        <h2 className="text-lg font-semibold text-slate-900">Close the plan</h2>
        <p className="mt-1 text-sm text-slate-600">
          Record how the deal ended and on which day. The buyer's page becomes read-only and reminders stop; you can reopen the plan later.
        </p>
        <Form method="post" className="mt-5 space-y-5" noValidate>
          <input type="hidden" name="version" value={result?.conflict ? result.currentVersion : plan.version} />
          {result?.formError ? (
            <div ref={alertRef} tabIndex={-1} className="focus:outline-none">
              <Alert>
                {result.formError}
                {result.conflict ? <span className="mt-1 block">Their change: {result.conflict.what}.</span> : null}
              </Alert>
            </div>
          ) : null}
          <fieldset aria-describedby={outcomeError ? "outcome-error" : undefined}>
            <legend className="text-sm font-medium text-slate-800">How did it end?</legend>
            <div className="mt-2 space-y-2">
              {PLAN_OUTCOMES.map((outcome) => (
                <label key={outcome} className="flex items-center gap-2 text-sm text-slate-800">
                  <input
                    type="radio"
                    id={`outcome-${outcome}`}
                    name="outcome"
                    value={outcome}
                    defaultChecked={v.outcome === outcome}
                    aria-invalid={outcomeError ? true : undefined}
                    autoFocus={firstError === `outcome-${outcome}`}
                    className="h-4 w-4 border-slate-300 text-brand-600 focus-visible:outline-2 focus-visible:outline-brand-600"
                  />
                  {PLAN_OUTCOME_LABELS[outcome]}
                </label>
              ))}
            </div>
            {outcomeError ? (
              <p id="outcome-error" className="mt-2 text-sm text-red-700">
                {outcomeError}
              </p>
            ) : null}
          </fieldset>
          <TextField
            label="Closed on"
            name="closedOn"
            type="date"
            max={today}
            defaultValue={v.closedOn}
            error={e.closedOn?.[0]}
            autoFocus={firstError === "field-closedOn"}
            hint="The day the deal really closed: today or earlier."
          />
          <SelectField
            label="Why was it lost?"
            name="lossReason"
            defaultValue={v.lossReason}
            error={e.lossReason?.[0]}
            autoFocus={firstError === "field-lossReason"}
            hint="Only for a lost deal."
          >
            <option value="">Pick a reason</option>
            {LOSS_REASONS.map((reason) => (
              <option key={reason} value={reason}>
                {LOSS_REASON_LABELS[reason]}
              </option>
            ))}
          </SelectField>
          <TextAreaField
            label="Note (optional)"
            name="closeNote"
            rows={3}
            maxLength={MAX_CLOSE_NOTE}
            defaultValue={v.closeNote}
            error={e.closeNote?.[0]}
            autoFocus={firstError === "field-closeNote"}
            hint="What happened, in your words. Your team sees it; the buyer does not."
          />
          <div className="flex gap-2">
            <Button type="submit" disabled={busy}>
              Close the plan
            </Button>
            <CancelLink to={`/plans/${plan.id}`} />
          </div>
        </Form>
      </Card>
    </>
  );
}
