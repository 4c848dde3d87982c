/*
 * Which closed deals the accuracy page measures: those closed in a run of whole fiscal quarters
 * (`?from=FY2026-Q4&to=FY2027-Q3`). By default the last four finished quarters: a year, with no
 * quarter only half over.
 */

import type { ISODate } from "~/domain/calendar";
import { fiscalQuarterAt, fiscalQuarterIndex, parseQuarterKey } from "~/domain/fiscal-quarters";

/** How far back a window may start: three years of closed deals. */
export const ACCURACY_QUARTERS_BACK = 12;
export const DEFAULT_ACCURACY_QUARTERS = 4;

export interface AccuracyWindow {
  /** First day of the first quarter (inclusive) and first day after the last (exclusive). */
  start: ISODate;
  end: ISODate;
  /** "FY2026 Q4 – FY2027 Q3", or one quarter's label. */
  label: string;
  /** The keys to carry in links: null for the default window. */
  from: string | null;
  to: string | null;
  isDefault: boolean;
  /** The quarters a window can start or end at, oldest first; the current one is marked "so far". */
  options: Array<{ key: string; label: string }>;
  fromKey: string;
  toKey: string;
}

/** Reads `from` and `to` (fiscal quarter keys, from ≤ to, none in the future); a message for anything else. */
export function parseAccuracyWindow(
  from: string | null,
  to: string | null,
  today: ISODate,
  startMonth: number,
): { ok: true; value: AccuracyWindow } | { ok: false; message: string; field: "from" | "to" } {
  const current = fiscalQuarterIndex(today, startMonth);
  const min = current - ACCURACY_QUARTERS_BACK;
  const at = (i: number) => fiscalQuarterAt(i, startMonth);
  const read = (raw: string | null, fallback: number, name: "from" | "to"): number | string => {
    const asked = raw?.trim() ?? "";
    if (asked === "") return fallback;
    const quarter = parseQuarterKey(asked, startMonth);
    if (!quarter) return `“${name}” isn't a quarter we know: use a fiscal quarter like ${at(current - 1).key}.`;
    if (quarter.index > current) return `Only closed deals can be measured: “${name}” can be ${at(current).label} at the latest.`;
    if (quarter.index < min) return `Accuracy goes back three years: “${name}” can be ${at(min).label} at the earliest.`;
    return quarter.index;
  };
  const fromIndex = read(from, current - DEFAULT_ACCURACY_QUARTERS, "from");
  if (typeof fromIndex === "string") return { ok: false, message: fromIndex, field: "from" };
  const toIndex = read(to, current - 1, "to");
  if (typeof toIndex === "string") return { ok: false, message: toIndex, field: "to" };
  if (fromIndex > toIndex) {
    return { ok: false, message: `The window must start no later than it ends: ${at(fromIndex).label} is after ${at(toIndex).label}.`, field: "to" };
  }

  const isDefault = fromIndex === current - DEFAULT_ACCURACY_QUARTERS && toIndex === current - 1;
  const first = at(fromIndex);
  const last = at(toIndex);
  return {
    ok: true,
    value: {
      start: first.start,
      end: last.end,
      label: fromIndex === toIndex ? first.label : `${first.label} – ${last.label}`,
      from: isDefault ? null : first.key,
      to: isDefault ? null : last.key,
      isDefault,
      fromKey: first.key,
      toKey: last.key,
      options: Array.from({ length: current - min + 1 }, (_, k) => {
        const q = at(min + k);
        return { key: q.key, label: min + k === current ? `${q.label} (so far)` : q.label };
      }),
    },
  };
}

/** The accuracy page's own query (team, rep, window) as a query string, for its links, drill-downs and export. */
export function accuracyQuery(
  q: { team?: string | null; rep?: string | null; from?: string | null; to?: string | null },
  extra?: Record<string, string>,
): string {
  const params = new URLSearchParams(extra);
  if (q.team) params.set("team", q.team);
  if (q.rep) params.set("rep", q.rep);
  if (q.from) params.set("from", q.from);
  if (q.to) params.set("to", q.to);
  const text = params.toString();
  return text ? `?${text}` : "";
}
