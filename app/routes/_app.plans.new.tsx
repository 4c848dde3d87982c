import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { Alert, Button, CancelLink, Card, PageHeader, SelectField, TextField } from "~/components/ui";
import { CurrencyOptions } from "~/components/currency-options";
import { todayIn } from "~/domain/dates";
import { newPlanSchema, PlanInputError } from "~/domain/plan-validation";
import { ScheduleError } from "~/domain/schedule";
import { createPlan, newPlanGoLiveProblem } from "~/models/plan-create.server";
import { listTemplates } from "~/models/template.server";
import { activePlansForCompany } from "~/models/plan.server";
import { requireUser, viewerOf } from "~/route-helpers/guards.server";

export const meta: MetaFunction = () => [{ title: "New plan · Plan Together" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const templates = await listTemplates(context.db, user.orgId);
  const templateId = new URL(request.url).searchParams.get("template") ?? "";
  return { templates: templates.map(({ id, name, milestone_count }) => ({ id, name, milestoneCount: Number(milestone_count) })), templateId };
}

const FIELDS = ["buyerCompany", "title", "value", "currency", "goLive", "crmCloseDate", "templateId"] as const;

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const form = await request.formData();
  const values = Object.fromEntries(FIELDS.map((f) => [f, String(form.get(f) ?? "")])) as Record<(typeof FIELDS)[number], string>;
  const parsed = newPlanSchema.safeParse(values);
  if (!parsed.success)
    return data(
      { values, formError: "Please fix the highlighted fields.", fieldErrors: parsed.error.flatten().fieldErrors as Partial<Record<string, string[]>> },
      { status: 400 },
    );
  const input = parsed.data;
  // Someone already works this account: say so, with the plan, and let the rep go on (a second click).
  // The acknowledgement names the company: changing the name after the warning checks the new one.
  if (form.get("duplicateOk") !== input.buyerCompany.trim().toLowerCase()) {
    const existing = await activePlansForCompany(context.db, viewerOf(user), input.buyerCompany);
    if (existing.length) return data({ values, formError: null, fieldErrors: {} as Partial<Record<string, string[]>>, existing }, { status: 200 });
  }
  const templates = await listTemplates(context.db, user.orgId);
  if (input.templateId && !templates.some((t) => t.id === input.templateId)) {
    return data(
      {
        values,
        formError: "Please fix the highlighted fields.",
        fieldErrors: { templateId: ["Pick a template from the list."] } as Partial<Record<string, string[]>>,
      },
      { status: 400 },
    );
  }
  const today = todayIn(user.organisation.timeZone, context.now);
  const goLiveProblem = await newPlanGoLiveProblem(context.db, user.orgId, input.goLive, today);
  if (goLiveProblem)
    return data(
      { values, formError: "Please fix the highlighted fields.", fieldErrors: { goLive: [goLiveProblem] } as Partial<Record<string, string[]>> },
      { status: 400 },
    );
  try {
    const { plan } = await createPlan(
      context.db,
      {
        orgId: user.orgId,
        ownerId: user.id,
        buyerCompany: input.buyerCompany,
        title: input.title,
        value: input.value,
        currency: input.currency,
        goLive: input.goLive,
        crmCloseDate: input.crmCloseDate,
        templateId: input.templateId,
      },
      { side: "seller", name: user.name, userId: user.id },
      today,
      context.requestId,
    );
    return redirect(`/plans/${plan.id}`);
  } catch (error) {
    // The write path explains an unschedulable plan as an input error naming milestones by title.
    if (error instanceof ScheduleError || error instanceof PlanInputError) {
      return data(
        {
          values,
          formError: `This template cannot be scheduled: ${error.message}`,
          fieldErrors: { templateId: [error.message] } as Partial<Record<string, string[]>>,
        },
        { status: 400 },
      );
    }
    throw error;
  }
}

export default function NewPlan() {
  const { templates, templateId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const v = result?.values;
  const e = result?.fieldErrors ?? {};
  const existing = result && "existing" in result ? result.existing : null;
  const warning = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (existing?.length) warning.current?.focus();
  }, [existing]);
  return (
    <>
      <PageHeader title="New plan" subtitle="Start from the buyer's go-live date; the template's milestones are scheduled back from it." />
      <Card className="max-w-2xl p-5">
        <Form method="post" className="space-y-5" noValidate>
          {result?.formError ? <Alert>{result.formError}</Alert> : null}
          {existing?.length ? (
            <div ref={warning} tabIndex={-1} className="rounded-md focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500">
              <Alert kind="info">
                <p className="font-medium">
                  {existing[0].buyer_company} already has {existing.length === 1 ? "an active plan" : `${existing.length} active plans`}:
                </p>
                <ul className="mt-1 list-disc pl-5">
                  {existing.map((p) => (
                    <li key={p.id}>
                      {p.visible ? (
                        <Link to={`/plans/${p.id}`} className="font-medium underline">
                          {p.title}
                        </Link>
                      ) : (
                        <span className="font-medium">{p.title}</span>
                      )}
                      {p.mine ? " (yours)" : ` (${p.owner_name}'s)`}
                    </li>
                  ))}
                </ul>
                <p className="mt-1">Open it instead, or create this plan anyway.</p>
              </Alert>
              <input type="hidden" name="duplicateOk" value={existing[0].buyer_company.trim().toLowerCase()} />
            </div>
          ) : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField label="Buyer company" name="buyerCompany" required defaultValue={v?.buyerCompany} error={e.buyerCompany?.[0]} />
            <TextField label="Plan title" name="title" required defaultValue={v?.title} error={e.title?.[0]} placeholder="e.g. Analytics rollout" />
            <TextField label="Deal value" name="value" inputMode="numeric" required defaultValue={v?.value} error={e.value?.[0]} placeholder="120000" />
            <SelectField label="Currency" name="currency" defaultValue={v?.currency ?? "USD"} error={e.currency?.[0]}>
              <CurrencyOptions />
            </SelectField>
            <TextField
              label="Buyer's go-live date"
              name="goLive"
              type="date"
              required
              defaultValue={v?.goLive}
              error={e.goLive?.[0]}
              hint="When the customer wants to be live, not when you want to sign."
            />
            <TextField
              label="Your CRM close date (optional)"
              name="crmCloseDate"
              type="date"
              defaultValue={v?.crmCloseDate}
              error={e.crmCloseDate?.[0]}
              hint="Kept to compare with the plan's own forecast."
            />
          </div>
          <SelectField label="Start from" name="templateId" defaultValue={v?.templateId ?? templateId} error={e.templateId?.[0]}>
            <option value="">A blank plan</option>
            {templates.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.milestoneCount} milestones)
              </option>
            ))}
          </SelectField>
          <div className="flex gap-2">
            <Button type="submit" disabled={busy}>
              {busy ? "Creating…" : existing?.length ? "Create it anyway" : "Create plan"}
            </Button>
            <CancelLink to="/plans" />
          </div>
        </Form>
      </Card>
    </>
  );
}
