import { HolidaySetOptions } from "~/components/holiday-set-options";
import { WeekdayChoice } from "~/components/weekday-choice";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { PlanTitle } from "~/components/plan-header";
import { Alert, Button, CancelLink, Card, SelectField, TextField } from "~/components/ui";
import { CurrencyOptions } from "~/components/currency-options";
import { parseWorkingWeek } from "~/domain/holiday-calendar";

import { isClosedStatus, PLAN_STATUS_LABELS } from "~/domain/plan-outcome";
import { getOrganisationCalendar, setBuyerCalendar } from "~/models/holiday-calendar.server";
import { updatePlanDetails } from "~/models/plan-commands.server";
import { holidaySetGroups, holidaySetLabel } from "~/infra/holiday-sets.server";
import { badRequest, commandFailure, formString, formVersion, requirePlan } from "~/route-helpers/plan-route.server";

export const meta: MetaFunction = () => [{ title: "Plan details · Plan Together" }];

const FIELDS = ["buyerCompany", "title", "value", "currency", "crmCloseDate"] as const;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { plan } = await requirePlan(context, request, params.planId);
  const organisation = await getOrganisationCalendar(context.db, plan.org_id);
  return {
    plan,
    sets: holidaySetGroups(),
    organisationWeek: organisation.workingWeekdays,
    organisationRegion: organisation.region ? holidaySetLabel(organisation.region) : null,
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { plan, today, editor } = await requirePlan(context, request, params.planId);
  const form = await request.formData();
  if (formString(form, "intent") === "buyer-calendar") return saveBuyerCalendar(context, plan, editor, today, form);
  const values = Object.fromEntries(FIELDS.map((f) => [f, formString(form, f)])) as Record<(typeof FIELDS)[number], string>;
  const status = formString(form, "status");
  try {
    // A closed plan's form has no status field: its status is left as it is.
    await updatePlanDetails(context.db, editor, plan.org_id, plan.id, formVersion(form), { ...values, status: status || undefined });
  } catch (error) {
    const failure = await commandFailure(context, plan.org_id, plan.id, error, today);
    return data({ values, status, currentVersion: plan.version, ...failure.data }, failure.init ?? undefined);
  }
  return redirect(`/plans/${plan.id}`);
}

/** The buyer's own calendar: their country's public holidays and their working week (docs/scheduling.md). */
async function saveBuyerCalendar(
  context: ActionFunctionArgs["context"],
  plan: { org_id: string; id: string; version: number },
  editor: Parameters<typeof setBuyerCalendar>[1],
  today: string,
  form: FormData,
) {
  const calendar = { region: formString(form, "buyerRegion"), weekdays: form.getAll("buyerWeekday").map(String) };
  const week = parseWorkingWeek(calendar.weekdays);
  if (!week.ok) return data({ calendar, ...badRequest(week.error, { buyerWeekdays: [week.error] }).data, currentVersion: plan.version }, { status: 400 });
  try {
    await setBuyerCalendar(context.db, editor, plan.org_id, plan.id, formVersion(form), { region: calendar.region || null, weekdays: week.value });
  } catch (error) {
    const failure = await commandFailure(context, plan.org_id, plan.id, error, today);
    return data({ calendar, currentVersion: plan.version, ...failure.data }, failure.init ?? undefined);
  }
  return redirect(`/plans/${plan.id}`);
}

export default function EditPlan() {
  const { plan, sets, organisationWeek, organisationRegion } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const calendarResult = result && "calendar" in result ? result : null;
  const detailsResult = result && "values" in result ? result : null;
  const busy = useNavigation().state !== "idle";
  const v = detailsResult?.values ?? {
    buyerCompany: plan.buyer_company,
    title: plan.title,
    value: String(plan.value),
    currency: plan.currency,
    crmCloseDate: plan.crm_close_date ?? "",
  };
  const e = detailsResult?.fieldErrors ?? {};
  const ce = calendarResult?.fieldErrors ?? {};
  const buyerRegion = calendarResult?.calendar.region ?? plan.buyer_holiday_region ?? "";
  const buyerWeek = calendarResult?.calendar.weekdays ?? (plan.buyer_working_weekdays ?? organisationWeek).map(String);
  return (
    <>
      <PlanTitle plan={plan} />
      <Card className="max-w-2xl p-5">
        <h2 className="mb-4 text-lg font-semibold text-slate-900">Plan details</h2>
        <Form method="post" className="space-y-5" noValidate>
          <input type="hidden" name="version" value={detailsResult?.conflict ? detailsResult.currentVersion : plan.version} />
          {detailsResult?.formError ? (
            <Alert>
              {detailsResult.formError}
              {detailsResult.conflict ? <span className="mt-1 block">Their change: {detailsResult.conflict.what}.</span> : null}
            </Alert>
          ) : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField label="Buyer company" name="buyerCompany" defaultValue={v.buyerCompany} error={e.buyerCompany?.[0]} />
            <TextField label="Plan title" name="title" defaultValue={v.title} error={e.title?.[0]} />
            <TextField label="Deal value" name="value" inputMode="numeric" defaultValue={v.value} error={e.value?.[0]} />
            <SelectField label="Currency" name="currency" defaultValue={v.currency} error={e.currency?.[0]}>
              <CurrencyOptions />
            </SelectField>
            <TextField
              label="Your CRM close date"
              name="crmCloseDate"
              type="date"
              defaultValue={v.crmCloseDate}
              error={e.crmCloseDate?.[0]}
              hint="Compared with the plan's forecast close date."
            />
            {isClosedStatus(plan.status) ? (
              <div>
                <p className="text-sm font-medium text-slate-800">Status</p>
                <p className="mt-2 text-sm text-slate-700">
                  {PLAN_STATUS_LABELS[plan.status]}: reopen it from{" "}
                  <Link to={`/plans/${plan.id}`} className="font-medium text-brand-700 underline">
                    the plan's page
                  </Link>{" "}
                  to change that.
                </p>
              </div>
            ) : (
              <SelectField
                label="Status"
                name="status"
                defaultValue={detailsResult?.status ?? plan.status}
                error={e.status?.[0]}
                hint={
                  <>
                    Won, lost or no decision?{" "}
                    <Link to={`/plans/${plan.id}/close`} className="font-medium text-brand-700 underline">
                      Close the plan
                    </Link>{" "}
                    with its date and reason.
                  </>
                }
              >
                <option value="active">Active</option>
                <option value="paused">Paused</option>
              </SelectField>
            )}
          </div>
          <div className="flex gap-2">
            <Button type="submit" disabled={busy}>
              Save details
            </Button>
            <CancelLink to={`/plans/${plan.id}`} />
          </div>
        </Form>
      </Card>
      <Card className="mt-6 max-w-2xl p-5">
        <h2 className="text-lg font-semibold text-slate-900">The buyer's calendar</h2>
        <p className="mt-1 text-sm text-slate-600">
          Buyer milestones are scheduled on the buyer's working days, joint ones on days both sides work. When the buyer is in another country, pick its public
          holidays and working week here.
        </p>
        <Form method="post" className="mt-4 space-y-5" noValidate>
          <input type="hidden" name="intent" value="buyer-calendar" />
          <input type="hidden" name="version" value={plan.version} />
          {calendarResult?.formError ? (
            <Alert>
              {calendarResult.formError}
              {calendarResult.conflict ? <span className="mt-1 block">Their change: {calendarResult.conflict.what}.</span> : null}
            </Alert>
          ) : null}
          <SelectField label="Buyer's public holidays" name="buyerRegion" defaultValue={buyerRegion} error={ce.buyerRegion?.[0]}>
            <option value="">Same as ours{organisationRegion ? ` (${organisationRegion})` : ""}</option>
            <HolidaySetOptions groups={sets} />
          </SelectField>
          <WeekdayChoice
            name="buyerWeekday"
            checked={buyerWeek}
            legend="Buyer's working week"
            error={ce.buyerWeekdays?.[0]}
            legendClassName="text-sm font-medium text-slate-800"
            gridClassName="mt-2 flex flex-wrap gap-x-4 gap-y-2"
          />
          <Button type="submit" disabled={busy}>
            Save the buyer's calendar
          </Button>
        </Form>
      </Card>
    </>
  );
}
