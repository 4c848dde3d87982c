import type { ReactNode } from "react";
import { WEEKDAYS } from "~/domain/holiday-calendar";

/**
 * A working week as seven checkboxes under a legend, with its error read with the group. The
 * organisation's week (settings) and a buyer's own week (plan details) use it.
 */
export function WeekdayChoice({
  name,
  checked,
  legend,
  error,
  legendClassName,
  gridClassName,
}: {
  name: string;
  /** The weekdays ticked, as the form posted them ("1" = Monday … "7" = Sunday). */
  checked: string[];
  legend: ReactNode;
  error?: string;
  legendClassName: string;
  gridClassName: string;
}) {
  const errorId = `${name}-error`;
  return (
    <fieldset aria-describedby={error ? errorId : undefined}>
      <legend className={legendClassName}>{legend}</legend>
      <div className={gridClassName}>
        {WEEKDAYS.map((day) => (
          <label key={day.value} className="flex items-center gap-2 text-sm text-slate-800">
            <input
              type="checkbox"
              name={name}
              value={day.value}
              defaultChecked={checked.includes(String(day.value))}
              className="h-4 w-4 rounded border-slate-300 text-brand-600 focus-visible:outline-2 focus-visible:outline-brand-600"
            />
            {day.name}
          </label>
        ))}
      </div>
      {error ? (
        <p id={errorId} className="mt-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
