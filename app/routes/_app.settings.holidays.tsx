import { HolidaySetOptions } from "~/components/holiday-set-options";
import { WeekdayChoice } from "~/components/weekday-choice";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { DateText } from "~/components/date-text";
import { Alert, Button, Card, EmptyState, PageHeader, SelectField, TableHead, TextField } from "~/components/ui";
import { todayIn } from "~/domain/dates";
import { holidaySetYears, parseHoliday, parseWorkingWeek } from "~/domain/holiday-calendar";
import { changeOrganisationCalendar, getOrganisationCalendar, PinnedOnHoliday, type CalendarChange } from "~/models/holiday-calendar.server";
import { requireAdmin } from "~/route-helpers/guards.server";
import { holidaySetGroups, holidaySetLabel } from "~/infra/holiday-sets.server";
import { plural } from "~/domain/words";

export const meta: MetaFunction = () => [{ title: "Holidays and working week · Plan Together" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const admin = requireAdmin(context, request);
  const today = todayIn(admin.organisation.timeZone, context.now);
  const calendar = await getOrganisationCalendar(context.db, admin.orgId);
  return {
    today,
    calendar,
    regionLabel: calendar.region ? holidaySetLabel(calendar.region) : null,
    years: holidaySetYears(today),
    sets: holidaySetGroups(),
  };
}

interface Values {
  date: string;
  name: string;
  region: string;
  weekdays: string[];
}
type Errors = Partial<Record<"date" | "name" | "region" | "weekdays" | "form", string>>;

function refuse(intent: string, values: Values, errors: Errors) {
  return data({ intent, values, errors }, { status: 400 });
}

export async function action({ context, request }: ActionFunctionArgs) {
  const admin = requireAdmin(context, request);
  const today = todayIn(admin.organisation.timeZone, context.now);
  const form = await request.formData();
  const text = (name: string) => (typeof form.get(name) === "string" ? String(form.get(name)) : "");
  const intent = text("intent");
  const values: Values = { date: text("date"), name: text("name"), region: text("region"), weekdays: form.getAll("weekday").map(String) };

  let change: CalendarChange;
  if (intent === "add") {
    const holiday = parseHoliday(values.date, values.name);
    if (!holiday.ok) return refuse(intent, values, holiday.errors);
    change = { kind: "add", holidays: [holiday.value] };
  } else if (intent === "import") {
    if (!values.region || holidaySetLabel(values.region) === null) return refuse(intent, values, { region: "Pick a country or region from the list." });
    change = { kind: "import", region: values.region };
  } else if (intent === "remove") {
    const holiday = parseHoliday(values.date, "");
    if (!holiday.ok) return refuse(intent, values, { form: "That holiday could not be read; reload the page and try again." });
    change = { kind: "remove", date: holiday.value.date };
  } else if (intent === "week") {
    const week = parseWorkingWeek(values.weekdays);
    if (!week.ok) return refuse(intent, values, { weekdays: week.error });
    change = { kind: "week", weekdays: week.value };
  } else {
    return refuse(intent, values, { form: "Unknown action; reload the page and try again." });
  }

  try {
    const result = await changeOrganisationCalendar(
      context.db,
      { orgId: admin.orgId, actor: { side: "seller", name: admin.name, userId: admin.id }, today, requestId: context.requestId },
      change,
    );
    const notice = result.summary
      ? `Saved: ${result.summary}. ${result.plans === 1 ? "1 open plan was" : `${result.plans} open plans were`} re-scheduled.`
      : change.kind === "import"
        ? "Those holidays were all on the list already."
        : "Nothing changed.";
    return redirect(`/settings/holidays?notice=${encodeURIComponent(notice)}`);
  } catch (error) {
    if (error instanceof PinnedOnHoliday) {
      const field = intent === "add" ? "date" : intent === "import" ? "region" : intent === "week" ? "weekdays" : "form";
      return refuse(intent, values, { [field]: error.message });
    }
    throw error;
  }
}

export default function HolidaySettings() {
  const { today, calendar, regionLabel, years, sets } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const notice = result ? null : params.get("notice");
  const busy = useNavigation().state === "submitting";
  // A new location after each save: the forms remount, empty after a success, with the typed
  // values (their defaults) after a refusal.
  const { key: formKey } = useLocation();
  const errorsFor = (intent: string): Errors => (result?.intent === intent ? result.errors : {});
  const valuesFor = (intent: string): Values | null => (result?.intent === intent ? result.values : null);
  const upcoming = calendar.holidays.filter((h) => h.date >= today);
  const past = calendar.holidays.filter((h) => h.date < today);
  const weekValues = valuesFor("week")?.weekdays ?? calendar.workingWeekdays.map(String);
  const weekError = errorsFor("week").weekdays;

  return (
    <>
      <PageHeader
        title="Holidays and working week"
        subtitle="Milestones are scheduled on working days only. Seller and joint work follows this calendar; buyer work follows it too unless a plan sets the buyer's own calendar."
      />
      {notice ? (
        <div className="mb-4">
          <Alert kind="success">{notice}</Alert>
        </div>
      ) : null}
      {result?.errors.form ? (
        <div className="mb-4">
          <Alert>{result.errors.form}</Alert>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="overflow-x-auto lg:col-span-2">
          <div className="border-b border-slate-200 px-4 py-3">
            <h2 className="text-base font-semibold text-slate-900">Holidays</h2>
            <p className="text-xs text-slate-500">
              {regionLabel ? `Started from the public holidays of ${regionLabel}.` : "Days nobody works, whatever the weekday."}
            </p>
          </div>
          {upcoming.length === 0 ? (
            <EmptyState title="No upcoming holidays">
              Add your country's public holidays from the list, or add a day by hand, so no work is scheduled on it.
            </EmptyState>
          ) : (
            <HolidayTable holidays={upcoming} today={today} busy={busy} />
          )}
          {past.length > 0 ? (
            <details className="border-t border-slate-200 px-4 py-3 text-sm">
              <summary className="cursor-pointer rounded text-slate-600 focus-visible:outline-2 focus-visible:outline-brand-600">
                {plural(past.length, "past holiday")}
              </summary>
              <HolidayTable holidays={past} today={today} busy={busy} />
            </details>
          ) : null}
        </Card>

        <div className="space-y-6">
          <Card className="p-4">
            <h2 className="text-base font-semibold text-slate-900">Add a holiday</h2>
            <Form key={formKey} method="post" className="mt-3 space-y-4" noValidate>
              <input type="hidden" name="intent" value="add" />
              <TextField
                label="Date"
                name="date"
                type="date"
                required
                defaultValue={valuesFor("add")?.date ?? ""}
                error={errorsFor("add").date}
                autoFocus={Boolean(errorsFor("add").date)}
              />
              <TextField
                label="Name"
                name="name"
                maxLength={100}
                placeholder="Company day off"
                defaultValue={valuesFor("add")?.name ?? ""}
                error={errorsFor("add").name}
                hint="Optional."
              />
              <Button type="submit" disabled={busy}>
                Add holiday
              </Button>
            </Form>
          </Card>

          <Card className="p-4">
            <h2 className="text-base font-semibold text-slate-900">Add a country's public holidays</h2>
            <Form key={formKey} method="post" className="mt-3 space-y-4">
              <input type="hidden" name="intent" value="import" />
              <SelectField
                label="Country or region"
                name="region"
                defaultValue={valuesFor("import")?.region ?? calendar.region ?? ""}
                error={errorsFor("import").region}
                hint={`Adds its public holidays for ${years.from}–${years.to}; days already on the list stay as they are.`}
              >
                <option value="">Choose…</option>
                <HolidaySetOptions groups={sets} />
              </SelectField>
              <Button type="submit" kind="secondary" disabled={busy}>
                Add public holidays
              </Button>
            </Form>
          </Card>

          <Card className="p-4">
            <Form key={formKey} method="post" className="space-y-4">
              <input type="hidden" name="intent" value="week" />
              <WeekdayChoice
                name="weekday"
                checked={weekValues}
                legend="Working week"
                error={weekError ?? undefined}
                legendClassName="text-base font-semibold text-slate-900"
                gridClassName="mt-3 grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-2"
              />
              <Button type="submit" kind="secondary" disabled={busy}>
                Save working week
              </Button>
            </Form>
          </Card>
        </div>
      </div>
    </>
  );
}

function HolidayTable({ holidays, today, busy }: { holidays: Array<{ date: string; name: string }>; today: string; busy: boolean }) {
  return (
    <table className="min-w-full divide-y divide-slate-200 text-sm">
      <TableHead dense columns={["Date", "Holiday", { hidden: "Actions" }]} />
      <tbody className="divide-y divide-slate-100">
        {holidays.map((h) => (
          <tr key={h.date}>
            <td className="whitespace-nowrap px-4 py-2 text-slate-900">
              <DateText iso={h.date} today={today} />
            </td>
            <td className="px-4 py-2 text-slate-700">{h.name}</td>
            <td className="px-4 py-2 text-right">
              <Form method="post">
                <input type="hidden" name="intent" value="remove" />
                <input type="hidden" name="date" value={h.date} />
                <Button kind="secondary" type="submit" disabled={busy} aria-label={`Remove ${h.name} on ${h.date}`}>
                  Remove
                </Button>
              </Form>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
