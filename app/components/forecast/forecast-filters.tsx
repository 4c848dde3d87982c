import { Form, Link } from "@remix-run/react";
import { Button, Card } from "~/components/ui";
import type { ForecastWindow } from "~/domain/forecast-window";
import { forecastQuery } from "~/domain/forecast-window";

export interface ForecastFiltersData {
  team: string | null;
  rep: string | null;
  window: ForecastWindow;
  isAdmin: boolean;
  managers: Array<{ id: string; name: string }>;
  reps: Array<{ id: string; name: string }>;
  rollup: { thisQuarter: { period: { label: string } }; nextQuarter: { period: { label: string } } };
}

export const selectClass =
  "mt-1 block w-full rounded-md border-0 bg-white py-1.5 pl-3 pr-8 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 focus:outline-none sm:w-auto";
const stepClass =
  "inline-flex items-center rounded-md px-2.5 py-1.5 text-sm font-medium text-brand-700 ring-1 ring-inset ring-slate-300 bg-white hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500";

/** The team (an admin's choice) and the rep (a manager's or an admin's) of a forecast page's GET form. */
export function ScopeSelects({ data }: { data: Pick<ForecastFiltersData, "team" | "rep" | "isAdmin" | "managers" | "reps"> }) {
  return (
    <>
      {data.isAdmin ? (
        <div className="min-w-[12rem] flex-1 sm:flex-none">
          <label htmlFor="team" className="block text-xs font-medium text-slate-600">
            Team
          </label>
          <select id="team" name="team" defaultValue={data.team ?? ""} className={selectClass}>
            <option value="">Whole organisation</option>
            {data.managers.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}'s team
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {data.reps.length ? (
        <div className="min-w-[12rem] flex-1 sm:flex-none">
          <label htmlFor="rep" className="block text-xs font-medium text-slate-600">
            Rep
          </label>
          <select id="rep" name="rep" defaultValue={data.rep ?? ""} className={selectClass}>
            <option value="">Everyone</option>
            {data.reps.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
    </>
  );
}

/**
 * Whose forecast (an admin's team, a manager's or an admin's one rep) and which quarters, as a GET
 * form: the address carries the choice, so a link or the export shows the same thing.
 */
export function ForecastFilters({ data }: { data: ForecastFiltersData }) {
  const { team, rep, window } = data;
  const step = (from: string | null, label: string, aria: string) =>
    from === null ? null : (
      <Link to={`/forecast${forecastQuery({ team, rep, from })}`} className={stepClass} aria-label={aria}>
        {label}
      </Link>
    );
  const shownLabel = `${data.rollup.thisQuarter.period.label} – ${data.rollup.nextQuarter.period.label}`;
  return (
    <Card className="mb-4 p-3 sm:p-4">
      <Form method="get" className="flex flex-wrap items-end gap-3" aria-label="Forecast filters">
        <ScopeSelects data={data} />
        <div className="min-w-[12rem] flex-1 sm:flex-none">
          <label htmlFor="from" className="block text-xs font-medium text-slate-600">
            Quarters
          </label>
          <select id="from" name="from" defaultValue={window.from ?? ""} className={selectClass}>
            {window.options.map((o) => (
              <option key={o.key} value={o.label.endsWith("(now)") ? "" : o.key}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" kind="secondary">
          Show
        </Button>
        <div className="flex items-center gap-2 sm:ml-auto" role="group" aria-label={`Quarters shown: ${shownLabel}`}>
          {step(window.earlier, "← Earlier", "Show the quarter before")}
          {window.isCurrent ? null : step("", "This quarter", "Back to this quarter")}
          {step(window.later, "Later →", "Show the quarter after")}
        </div>
      </Form>
    </Card>
  );
}
