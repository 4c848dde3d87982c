import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { PlanTitle } from "~/components/plan-header";
import { Alert, Button, Card, SelectField, TextField } from "~/components/ui";
import { CURRENCIES } from "~/domain/plan-validation";
import { updatePlanDetails } from "~/models/plan-commands.server";
import { commandFailure, formString, formVersion, requirePlan } from "~/utils/plan-route.server";

export const meta: MetaFunction = () => [{ title: "Plan details · Plan Together" }];

const FIELDS = ["buyerCompany", "title", "value", "currency", "crmCloseDate"] as const;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { plan } = await requirePlan(context, request, params.planId);
  return { plan };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { plan, today, editor } = await requirePlan(context, request, params.planId);
  const form = await request.formData();
  const values = Object.fromEntries(FIELDS.map((f) => [f, formString(form, f)])) as Record<(typeof FIELDS)[number], string>;
  const status = formString(form, "status");
  try {
    await updatePlanDetails(context.db, editor, plan.org_id, plan.id, formVersion(form), { ...values, status });
  } catch (error) {
    const failure = await commandFailure(context, plan.org_id, plan.id, error, today);
    return data({ values, status, currentVersion: plan.version, ...failure.data }, failure.init ?? undefined);
  }
  return redirect(`/plans/${plan.id}`);
}

export default function EditPlan() {
  const { plan } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const v = result?.values ?? { buyerCompany: plan.buyer_company, title: plan.title, value: String(plan.value), currency: plan.currency, crmCloseDate: plan.crm_close_date ?? "" };
  const e = result?.fieldErrors ?? {};
  return (
    <>
      <PlanTitle plan={plan} />
      <Card className="max-w-2xl p-5">
        <h2 className="mb-4 text-lg font-semibold text-slate-900">Plan details</h2>
        <Form method="post" className="space-y-5" noValidate>
          <input type="hidden" name="version" value={result?.conflict ? result.currentVersion : plan.version} />
          {result?.formError ? (
            <Alert>
              {result.formError}
              {result.conflict ? <span className="mt-1 block">Their change: {result.conflict.what}.</span> : null}
            </Alert>
          ) : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField label="Buyer company" name="buyerCompany" defaultValue={v.buyerCompany} error={e.buyerCompany?.[0]} />
            <TextField label="Plan title" name="title" defaultValue={v.title} error={e.title?.[0]} />
            <TextField label="Deal value" name="value" inputMode="numeric" defaultValue={v.value} error={e.value?.[0]} />
            <SelectField label="Currency" name="currency" defaultValue={v.currency} error={e.currency?.[0]}>
              {CURRENCIES.map((c) => <option key={c} value={c}>{c}</option>)}
            </SelectField>
            <TextField label="Your CRM close date" name="crmCloseDate" type="date" defaultValue={v.crmCloseDate} error={e.crmCloseDate?.[0]} hint="Compared with the plan's forecast close date." />
            <SelectField label="Status" name="status" defaultValue={result?.status ?? plan.status} error={e.status?.[0]}>
              <option value="active">Active</option>
              <option value="paused">Paused</option>
              <option value="won">Won</option>
              <option value="lost">Lost</option>
            </SelectField>
          </div>
          <div className="flex gap-2">
            <Button type="submit" disabled={busy}>Save details</Button>
            <Link to={`/plans/${plan.id}`} className="px-3 py-2 text-sm text-slate-600 hover:underline">Cancel</Link>
          </div>
        </Form>
      </Card>
    </>
  );
}
