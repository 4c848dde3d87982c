import { Form } from "@remix-run/react";
import { selectClass } from "~/components/forecast/forecast-filters";
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

/** Whose closed deals (an admin's team, one rep) and which quarters they closed in, as a GET form: the address carries the choice. */
export function AccuracyFilters({ data }: { data: AccuracyFiltersData }) {
  const { team, rep, window } = data;
  return (
    <Card className="mb-4 p-3 sm:p-4">
      <Form method="get" className="flex flex-wrap items-end gap-3" aria-label="Accuracy filters">
        {data.isAdmin ? (
          <div className="min-w-[12rem] flex-1 sm:flex-none">
            <label htmlFor="team" className="block text-xs font-medium text-slate-600">
              Team
            </label>
            <select id="team" name="team" defaultValue={team ?? ""} className={selectClass}>
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
            <select id="rep" name="rep" defaultValue={rep ?? ""} className={selectClass}>
              <option value="">Everyone</option>
              {data.reps.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="min-w-[10rem] flex-1 sm:flex-none">
          <label htmlFor="from" className="block text-xs font-medium text-slate-600">
            Closed from
          </label>
          <select id="from" name="from" defaultValue={window.fromKey} className={selectClass}>
            {window.options.map((o) => (
              <option key={o.key} value={o.key}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="min-w-[10rem] flex-1 sm:flex-none">
          <label htmlFor="to" className="block text-xs font-medium text-slate-600">
            Through
          </label>
          <select id="to" name="to" defaultValue={window.toKey} className={selectClass}>
            {window.options.map((o) => (
              <option key={o.key} value={o.key}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" kind="secondary">
          Show
        </Button>
      </Form>
    </Card>
  );
}
