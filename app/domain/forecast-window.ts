/*
 * The window of quarters the forecast page shows (`?from=FY2028-Q1`), and the query string its
 * links carry (team, rep, window).
 */

import type { ISODate } from "~/domain/calendar";
import { fiscalQuarterAt, fiscalQuarterIndex, parseQuarterKey } from "~/domain/fiscal-quarters";

/** How far the window may move from the current quarter: a year back, two years ahead. */
export const WINDOW_QUARTERS_BACK = 4;
export const WINDOW_QUARTERS_AHEAD = 8;

export interface ForecastWindow {
  /** The absolute index of the window's first quarter. */
  fromQuarter: number;
  /** The `from` to put in links: null when the window starts at the current quarter (the default). */
  from: string | null;
  /** Whether the window starts at the current quarter. */
  isCurrent: boolean;
  /** Quarters from the current one to the window's first (negative: back). */
  offset: number;
  /** The window one quarter earlier / later (null past the limits), as `from` values ("" = the current quarter). */
  earlier: string | null;
  later: string | null;
  /** The quarters the window can start at, for the picker. */
  options: Array<{ key: string; label: string }>;
}

/** Reads `from` (a fiscal quarter key, within the limits); a message for anything else. */
export function parseForecastWindow(
  from: string | null,
  today: ISODate,
  startMonth: number,
): { ok: true; value: ForecastWindow } | { ok: false; message: string } {
  const current = fiscalQuarterIndex(today, startMonth);
  const min = current - WINDOW_QUARTERS_BACK;
  const max = current + WINDOW_QUARTERS_AHEAD;
  let index = current;
  const asked = from?.trim() ?? "";
  if (asked !== "") {
    const quarter = parseQuarterKey(asked, startMonth);
    if (!quarter) return { ok: false, message: "That quarter isn't one we know: use a fiscal quarter like FY2027-Q1." };
    if (quarter.index < min || quarter.index > max) {
      return { ok: false, message: `The forecast shows quarters from ${fiscalQuarterAt(min, startMonth).label} to ${fiscalQuarterAt(max, startMonth).label}.` };
    }
    index = quarter.index;
  }
  const keyAt = (i: number) => (i === current ? "" : fiscalQuarterAt(i, startMonth).key);
  return {
    ok: true,
    value: {
      fromQuarter: index,
      from: index === current ? null : fiscalQuarterAt(index, startMonth).key,
      isCurrent: index === current,
      offset: index - current,
      earlier: index > min ? keyAt(index - 1) : null,
      later: index < max ? keyAt(index + 1) : null,
      options: Array.from({ length: max - min + 1 }, (_, k) => {
        const q = fiscalQuarterAt(min + k, startMonth);
        const next = fiscalQuarterAt(min + k + 1, startMonth);
        return { key: q.key, label: `${q.label} – ${next.label}${min + k === current ? " (now)" : ""}` };
      }),
    },
  };
}

/** How the page heads a quarter of the window: "This quarter", "Next quarter", "3 quarters ahead", "Last quarter". */
export function quarterHeading(offsetFromNow: number): string {
  if (offsetFromNow === 0) return "This quarter";
  if (offsetFromNow === 1) return "Next quarter";
  if (offsetFromNow === -1) return "Last quarter";
  return offsetFromNow > 0 ? `${offsetFromNow} quarters ahead` : `${-offsetFromNow} quarters back`;
}

/** The forecast's own query (team, rep, window) as a query string, for links between its pages and the export. */
export function forecastQuery(q: { team?: string | null; rep?: string | null; from?: string | null }, extra?: URLSearchParams): string {
  const params = new URLSearchParams(extra);
  if (q.team) params.set("team", q.team);
  if (q.rep) params.set("rep", q.rep);
  if (q.from) params.set("from", q.from);
  const text = params.toString();
  return text ? `?${text}` : "";
}
