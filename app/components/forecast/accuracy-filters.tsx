import { Form } from "@remix-run/react";
import { ScopeSelects, selectClass } from "~/components/forecast/forecast-filters";
import { Button, Card } from "~/components/ui";
import type { AccuracyWindow } from "~/domain/accuracy-window";

export interface AccuracyFiltersData {
  team: string | null;
  rep: string | null;
  window: AccuracyWindow;
  isAdmin: boolean;
  managers: Array<{ id: string; name: string }>;
  reps: Array<{ id: string; name: string }>;
}

function QuarterSelect({ name, label, value, window }: { name: "from" | "to"; label: string; value: string; window: AccuracyWindow }) {
  return (
    <div className="min-w-[10rem] flex-1 sm:flex-none">
      <label htmlFor={name} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <select id={name} name={name} defaultValue={value} className={selectClass}>
        {window.options.map((o) => (
          <option key={o.key} value={o.key}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Whose closed deals (an admin's team, one rep) and which quarters they closed in, as a GET form: the address carries the choice. */
export function AccuracyFilters({ data }: { data: AccuracyFiltersData }) {
  return (
    <Card className="mb-4 p-3 sm:p-4">
      <Form method="get" className="flex flex-wrap items-end gap-3" aria-label="Accuracy filters">
        <ScopeSelects data={data} />
        <QuarterSelect name="from" label="Closed from" value={data.window.fromKey} window={data.window} />
        <QuarterSelect name="to" label="Through" value={data.window.toKey} window={data.window} />
        <Button type="submit" kind="secondary">
          Show
        </Button>
      </Form>
    </Card>
  );
}
