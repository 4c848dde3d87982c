import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CurrencyOptions } from "~/components/currency-options";
import { PlanTitle } from "~/components/plan-header";
import { Alert, Button, CancelLink, Card, SelectField, TextField } from "~/components/ui";
import { formatDay } from "~/domain/dates";
import { cloneFormSchema } from "~/domain/plan-clone";
import { PlanInputError, type FieldErrors } from "~/domain/plan-validation";
import { ScheduleError } from "~/domain/schedule";
import { plural } from "~/domain/words";
import { editorContext } from "~/models/plan-commands.server";
import { clonePlan } from "~/models/plan-clone.server";
import { redirectWithFlash } from "~/route-helpers/flash.server";
import { commandFailure, formString, requirePlan } from "~/route-helpers/plan-route.server";

export const meta: MetaFunction = () => [{ title: "Clone the plan · Plan Together" }];

const FIELDS = ["buyerCompany", "title", "value", "currency", "goLive"] as const;
type Values = Record<(typeof FIELDS)[number], string> & { copyPeople: boolean };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { plan, today } = await requirePlan(context, request, params.planId);
  return { plan, today };
}

/** One plain form post: the new plan's details and whether to copy the people; values come back with any refusal. */
export async function action({ context, request, params }: ActionFunctionArgs) {
  const { user, plan, today, editor } = await requirePlan(context, request, params.planId);
  const form = await request.formData();
  const values: Values = {
    ...(Object.fromEntries(FIELDS.map((f) => [f, formString(form, f)])) as Record<(typeof FIELDS)[number], string>),
    copyPeople: form.get("copyPeople") === "on",
  };
  const refuse = (fieldErrors: FieldErrors, formError = "Please fix the highlighted fields.") => data({ values, formError, fieldErrors }, { status: 400 });
  const parsed = cloneFormSchema.safeParse(values);
  if (!parsed.success) return refuse(parsed.error.flatten().fieldErrors as FieldErrors);
  let clone: Awaited<ReturnType<typeof clonePlan>>;
  try {
    // The rep who clones owns the copy, as whoever starts a plan does.
    clone = await clonePlan(context.db, editorContext(editor, plan.org_id, plan.id), { ...parsed.data, ownerId: user.id });
  } catch (error) {
    if (error instanceof PlanInputError) return refuse(error.fieldErrors);
    if (error instanceof ScheduleError) return refuse({}, `The copy cannot be scheduled: ${error.message}`);
    const failure = await commandFailure(context, plan.org_id, plan.id, error, today);
    return data({ values, formError: failure.data.formError, fieldErrors: failure.data.fieldErrors }, failure.init ?? undefined);
  }
  return redirectWithFlash(context, `/plans/${clone.id}`, {
    target: "clone",
    message: `Cloned from “${plan.title}”: its milestones are scheduled back from go-live ${formatDay(clone.go_live, today)}.`,
  });
}

/** The field each error belongs to, in the page's order: focus goes to the first. */
const FOCUS_ORDER = ["title", "buyerCompany", "goLive", "value", "currency"] as const;

export default function ClonePlan() {
  const { plan, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const alertRef = useRef<HTMLDivElement>(null);
  const v: Values = result?.values ?? {
    title: plan.title,
    buyerCompany: plan.buyer_company,
    value: String(plan.value),
    currency: plan.currency,
    goLive: "",
    copyPeople: false,
  };
  const e: FieldErrors = result?.fieldErrors ?? {};
  const firstError = FOCUS_ORDER.find((field) => e[field]?.length);

  // With JavaScript the page is not reloaded after a refusal: move focus as a fresh page's autofocus would.
  useEffect(() => {
    if (!result) return;
    const target = firstError ? document.getElementById(`field-${firstError}`) : alertRef.current;
    target?.focus();
  }, [result, firstError]);

  return (
    <>
      <PlanTitle plan={plan} />
      <Card className="max-w-2xl p-5">
        <h2 className="text-lg font-semibold text-slate-900">Clone for another team</h2>
        <p className="mt-1 text-sm text-slate-600">
          A new plan for another buying unit of {plan.buyer_company}: {plural(plan.milestones_total, "milestone")} with their durations, lags and dependencies,
          scheduled back from the new go-live. Nothing is marked done, pinned dates are left behind, and this plan stays as it is.
        </p>
        <Form method="post" className="mt-5 space-y-5" noValidate>
          {result?.formError ? (
            <div ref={alertRef} tabIndex={-1} className="focus:outline-none">
              <Alert>{result.formError}</Alert>
            </div>
          ) : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              label="New plan title"
              name="title"
              required
              defaultValue={v.title}
              error={e.title?.[0]}
              autoFocus={firstError === "title"}
              hint="Name the team it is for, e.g. “Analytics rollout: EMEA finance”."
            />
            <TextField
              label="Buyer company"
              name="buyerCompany"
              required
              defaultValue={v.buyerCompany}
              error={e.buyerCompany?.[0]}
              autoFocus={firstError === "buyerCompany"}
            />
            <TextField
              label="Buyer's go-live date"
              name="goLive"
              type="date"
              required
              min={today}
              defaultValue={v.goLive}
              error={e.goLive?.[0]}
              autoFocus={firstError === "goLive"}
              hint="When this team wants to be live."
            />
            <TextField
              label="Deal value"
              name="value"
              inputMode="numeric"
              required
              defaultValue={v.value}
              error={e.value?.[0]}
              autoFocus={firstError === "value"}
            />
            <SelectField label="Currency" name="currency" defaultValue={v.currency} error={e.currency?.[0]} autoFocus={firstError === "currency"}>
              <CurrencyOptions />
            </SelectField>
          </div>
          <div>
            <label className="flex items-start gap-2 text-sm text-slate-800">
              <input
                type="checkbox"
                name="copyPeople"
                defaultChecked={v.copyPeople}
                aria-describedby="copy-people-hint"
                className="mt-0.5 h-4 w-4 rounded border-slate-300 text-brand-600 focus-visible:outline-2 focus-visible:outline-brand-600"
              />
              Copy the people too
            </label>
            <p id="copy-people-hint" className="mt-1 pl-6 text-xs text-slate-500">
              Buyers and your team, with the milestones they own. Buyers get no link yet: share one with each from the new plan.
            </p>
          </div>
          <div className="flex gap-2">
            <Button type="submit" disabled={busy}>
              {busy ? "Cloning…" : "Clone the plan"}
            </Button>
            <CancelLink to={`/plans/${plan.id}`} />
          </div>
        </Form>
      </Card>
    </>
  );
}
