/*
 * The deals behind one number of the accuracy page, as a URL (`/forecast/accuracy/plans?h=30&source=confirmed&only=on_time`)
 * read and written. Pure: the page recomputes the figures and picks the deals the cell counted.
 */

import { OWNER_SIDES, type OwnerSide } from "~/domain/owner-side";
import { WARNING_LABELS, WARNING_LEAD_DAYS, WARNING_SIGNALS, type OutcomeWarnings, type WarningSignal } from "~/domain/outcome-warnings";
import { PLAN_OUTCOMES, type PlanOutcome } from "~/domain/plan-outcome";
import { SLIP_SIDE_LABELS, titleKey, type SlipAttribution } from "~/domain/slip-attribution";
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
  | { kind: "too_young"; horizon: Horizon }
  /** The won deals whose as-built critical path overran on one side's milestones, or on milestones of one title. */
  | { kind: "slip"; by: "side"; side: OwnerSide }
  | { kind: "slip"; by: "title"; title: string }
  /** The won deals whose critical path could not be walked back to the plan's start. */
  | { kind: "untraced" }
  /** The deals of one outcome read on their warning day, or only those showing one signal. */
  | { kind: "warning"; outcome: PlanOutcome; signal: WarningSignal | null };

const isHorizon = (value: number): value is Horizon => (ACCURACY_HORIZONS as readonly number[]).includes(value);
const isSource = (value: string): value is DateSource => (DATE_SOURCES as readonly string[]).includes(value);
const isOnly = (value: string): value is CellOnly => (CELL_ONLY as readonly string[]).includes(value);

const isSide = (value: string): value is OwnerSide => (OWNER_SIDES as readonly string[]).includes(value);
const isOutcome = (value: string): value is PlanOutcome => (PLAN_OUTCOMES as readonly string[]).includes(value);
const isSignal = (value: string): value is WarningSignal => (WARNING_SIGNALS as readonly string[]).includes(value);

/** Reads `h` with `source` (and `only`), `young`, `slip` with `side` or `title`, or `outcome` (and `signal`); a message for anything else. */
export function parseAccuracyCell(params: URLSearchParams): { ok: true; value: AccuracyCell } | { ok: false; message: string } {
  const horizons = ACCURACY_HORIZONS.join(", ");
  const young = params.get("young");
  if (young !== null) {
    const horizon = Number(young);
    return isHorizon(horizon) ? { ok: true, value: { kind: "too_young", horizon } } : { ok: false, message: `“young” must be one of ${horizons}.` };
  }
  const slip = params.get("slip");
  if (slip !== null) {
    if (slip === "untraced") return { ok: true, value: { kind: "untraced" } };
    if (slip === "side") {
      const side = params.get("side") ?? "";
      return isSide(side)
        ? { ok: true, value: { kind: "slip", by: "side", side } }
        : { ok: false, message: `“side” must be one of ${OWNER_SIDES.join(", ")}.` };
    }
    if (slip === "title") {
      const title = params.get("title")?.trim() ?? "";
      return title ? { ok: true, value: { kind: "slip", by: "title", title } } : { ok: false, message: "Name the milestone: “title” is empty." };
    }
    return { ok: false, message: "“slip” must be side, title or untraced." };
  }
  const outcome = params.get("outcome");
  if (outcome !== null) {
    if (!isOutcome(outcome)) return { ok: false, message: `“outcome” must be one of ${PLAN_OUTCOMES.join(", ")}.` };
    const signal = params.get("signal") || null;
    if (signal !== null && !isSignal(signal)) return { ok: false, message: `“signal” must be one of ${WARNING_SIGNALS.join(", ")}.` };
    return { ok: true, value: { kind: "warning", outcome, signal } };
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
  switch (cell.kind) {
    case "too_young":
      return { young: String(cell.horizon) };
    case "slip":
      return cell.by === "side" ? { slip: "side", side: cell.side } : { slip: "title", title: cell.title };
    case "untraced":
      return { slip: "untraced" };
    case "warning":
      return { outcome: cell.outcome, ...(cell.signal ? { signal: cell.signal } : {}) };
    case "horizon":
      return { h: String(cell.horizon), source: cell.source, ...(cell.only ? { only: cell.only } : {}) };
  }
}

export const OUTCOME_WORDS: Record<PlanOutcome, string> = { won: "Won", lost: "Lost", no_decision: "No decision" };

/** "Plan date, customer-confirmed · 30 days before close · within a week" */
export function describeAccuracyCell(cell: AccuracyCell): string {
  switch (cell.kind) {
    case "too_young":
      return `Deals younger than ${cell.horizon} days at close`;
    case "slip":
      return cell.by === "side" ? `Slip caused by the ${SLIP_SIDE_LABELS[cell.side].toLowerCase()}` : `Slip caused by “${cell.title}”`;
    case "untraced":
      return "Won deals whose critical path could not be traced";
    case "warning":
      return `${OUTCOME_WORDS[cell.outcome]} deals${cell.signal ? ` · ${WARNING_LABELS[cell.signal].toLowerCase()}` : ""}, ${WARNING_LEAD_DAYS} days before close`;
    case "horizon": {
      const only = cell.only === "on_time" ? " · within a week" : cell.only === "in_quarter" ? " · closed in the forecast's quarter" : "";
      return `${DATE_SOURCE_LABELS[cell.source]} · ${cell.horizon} days before close${only}`;
    }
  }
}

/** The plans a slip or warning cell counted, from the figures the page showed. */
export function planIdsOfCell(cell: AccuracyCell, slip: SlipAttribution | null, warnings: OutcomeWarnings[] | null): string[] {
  if (cell.kind === "slip" && slip) {
    const shares = cell.by === "side" ? slip.bySide : slip.byTitle;
    return shares.find((s) => s.key === (cell.by === "side" ? cell.side : titleKey(cell.title)))?.planIds ?? [];
  }
  if (cell.kind === "untraced" && slip) return slip.untracedPlanIds;
  if (cell.kind === "warning" && warnings) {
    const row = warnings.find((w) => w.outcome === cell.outcome);
    if (!row) return [];
    return cell.signal ? row.signals[cell.signal].planIds : row.planIds;
  }
  return [];
}

export interface CellDeal {
  planId: string;
  /** What the source said on the horizon day, and how it fared; null for deals too young. */
  judged: Judgement | null;
}

/** The deals a horizon cell counted, with the date each was given; in the order of `deals`. */
export function dealsInCell(deals: ClosedDeal[], cell: Extract<AccuracyCell, { kind: "horizon" | "too_young" }>, fiscalYearStartMonth: number): CellDeal[] {
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
