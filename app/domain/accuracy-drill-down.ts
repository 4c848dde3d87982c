/*
 * The deals behind one number of the accuracy page, as a URL (`/forecast/accuracy/plans?h=30&source=confirmed&only=on_time`)
 * read and written. Pure: the page recomputes the figures and picks the deals the cell counted.
 */

import {
  ACCURACY_HORIZONS,
  DATE_SOURCE_LABELS,
  DATE_SOURCES,
  dateFromSource,
  judgeForecast,
  ON_TIME_DAYS,
  stateAtHorizon,
  type ClosedDeal,
  type DateSource,
  type Horizon,
  type Judgement,
} from "~/domain/forecast-accuracy";

export const CELL_ONLY = ["on_time", "in_quarter"] as const;
export type CellOnly = (typeof CELL_ONLY)[number];

export type AccuracyCell =
  /** The deals a date source gave a date for, `horizon` days before close (or only those on time, or in the forecast's quarter). */
  | { kind: "horizon"; horizon: Horizon; source: DateSource; only: CellOnly | null }
  /** The deals younger than the horizon at close: left out of that horizon's figures. */
  | { kind: "too_young"; horizon: Horizon };

const isHorizon = (value: number): value is Horizon => (ACCURACY_HORIZONS as readonly number[]).includes(value);
const isSource = (value: string): value is DateSource => (DATE_SOURCES as readonly string[]).includes(value);
const isOnly = (value: string): value is CellOnly => (CELL_ONLY as readonly string[]).includes(value);

/** Reads `h` with `source` (and `only`), or `young`; a message for anything else. */
export function parseAccuracyCell(params: URLSearchParams): { ok: true; value: AccuracyCell } | { ok: false; message: string } {
  const horizons = ACCURACY_HORIZONS.join(", ");
  const young = params.get("young");
  if (young !== null) {
    const horizon = Number(young);
    return isHorizon(horizon) ? { ok: true, value: { kind: "too_young", horizon } } : { ok: false, message: `“young” must be one of ${horizons}.` };
  }
  const horizon = Number(params.get("h"));
  if (!isHorizon(horizon)) return { ok: false, message: `Say which number: “h” must be one of ${horizons} (days before close).` };
  const source = params.get("source") ?? "";
  if (!isSource(source)) return { ok: false, message: `“source” must be one of ${DATE_SOURCES.join(", ")}.` };
  const only = params.get("only") || null;
  if (only !== null && !isOnly(only)) return { ok: false, message: `“only” must be ${CELL_ONLY.join(" or ")}.` };
  return { ok: true, value: { kind: "horizon", horizon, source, only } };
}

/** The query parameters of a cell, to add to the page's own (team, rep, window). */
export function accuracyCellParams(cell: AccuracyCell): Record<string, string> {
  if (cell.kind === "too_young") return { young: String(cell.horizon) };
  return { h: String(cell.horizon), source: cell.source, ...(cell.only ? { only: cell.only } : {}) };
}

/** "Plan date, customer-confirmed · 30 days before close · within a week" */
export function describeAccuracyCell(cell: AccuracyCell): string {
  if (cell.kind === "too_young") return `Deals younger than ${cell.horizon} days at close`;
  const only = cell.only === "on_time" ? " · within a week" : cell.only === "in_quarter" ? " · closed in the forecast's quarter" : "";
  return `${DATE_SOURCE_LABELS[cell.source]} · ${cell.horizon} days before close${only}`;
}

export interface CellDeal {
  planId: string;
  /** What the source said on the horizon day, and how it fared; null for deals too young. */
  judged: Judgement | null;
}

/** The deals a horizon cell counted, with the date each was given; in the order of `deals`. */
export function dealsInCell(deals: ClosedDeal[], cell: AccuracyCell, fiscalYearStartMonth: number): CellDeal[] {
  const found: CellDeal[] = [];
  for (const deal of deals) {
    const state = stateAtHorizon(deal, cell.horizon);
    if (cell.kind === "too_young") {
      if (!state) found.push({ planId: deal.planId, judged: null });
      continue;
    }
    const forecast = state && dateFromSource(state, cell.source);
    if (!forecast) continue;
    const judged = judgeForecast(forecast, deal.closedOn, fiscalYearStartMonth);
    if (cell.only === "on_time" && !judged.onTime) continue;
    if (cell.only === "in_quarter" && !judged.inForecastQuarter) continue;
    found.push({ planId: deal.planId, judged });
  }
  return found;
}

/** "12 days late", "3 days early", "on the day": how far the close landed from a forecast. */
export function describeError(errorDays: number): string {
  if (errorDays === 0) return "on the day";
  const n = Math.abs(errorDays);
  return `${n} ${n === 1 ? "day" : "days"} ${errorDays > 0 ? "late" : "early"}${n <= ON_TIME_DAYS ? " (within a week)" : ""}`;
}
