import { addCalendarDays, type ISODate } from "~/domain/calendar";
import { replayDateHistory, stateOn, type DateHistoryRow } from "~/domain/forecast-accuracy";
import { countPushes, isFlaggedForPushes, PUSH_FLAG_THRESHOLD } from "~/domain/forecast-pushes";
import { QUIET_DAYS } from "~/domain/forecast-risk";
import { PLAN_OUTCOMES, type PlanOutcome } from "~/domain/plan-outcome";

/*
 * Did lost deals show earlier warning than won ones (issue 19, ADR 028)? Three signals, each read
 * as it stood a fixed number of days before the close, counted per outcome: rates, not a model.
 * Pure: the caller reads each deal's history and buyer activity days and passes them in.
 */

/** The signals are read this many calendar days before the close: early enough to have acted on them. */
export const WARNING_LEAD_DAYS = 30;

export const WARNING_SIGNALS = ["quiet", "pushed", "unconfirmed"] as const;
export type WarningSignal = (typeof WARNING_SIGNALS)[number];

export const WARNING_LABELS: Record<WarningSignal, string> = {
  quiet: `No buyer activity for ${QUIET_DAYS} days`,
  pushed: `Pushed into a later quarter ${PUSH_FLAG_THRESHOLD}+ times`,
  unconfirmed: "Go-live not confirmed by the customer",
};

/** A date history row with the date it replaced, which a quarter push is measured from. */
export interface WarningHistoryRow extends DateHistoryRow {
  oldDate: ISODate | null;
}

export interface WarningDeal {
  planId: string;
  outcome: PlanOutcome;
  /** The plan's first history day (ADR 028). */
  firstDay: ISODate;
  closedOn: ISODate;
  /** Its date history in replay order (rows after the warning day are ignored). */
  history: WarningHistoryRow[];
  /** Days (in the organisation's time zone) with buyer activity; only the latest on or before the warning day matters. */
  buyerActivityDays: ISODate[];
}

export interface SignalCount {
  count: number;
  planIds: string[];
}

export interface OutcomeWarnings {
  outcome: PlanOutcome;
  /** Deals old enough to be read on their warning day: the denominator of every rate. */
  deals: number;
  planIds: string[];
  /** Deals whose plan began after their warning day: left out, and counted so the page can say so. */
  tooYoung: number;
  signals: Record<WarningSignal, SignalCount>;
}

/** The day a deal's signals are read: WARNING_LEAD_DAYS calendar days before it closed. */
export function warningDay(closedOn: ISODate): ISODate {
  return addCalendarDays(closedOn, -WARNING_LEAD_DAYS);
}

/**
 * The signals a deal showed on its warning day, or null when its plan had not begun by then.
 * Quiet as on the forecast (forecast-risk.ts): the last buyer activity, or the plan's start when
 * the buyer was never active, QUIET_DAYS or more days before that day.
 */
export function warningSignalsOf(deal: WarningDeal, fiscalYearStartMonth: number): WarningSignal[] | null {
  const day = warningDay(deal.closedOn);
  if (deal.firstDay > day) return null;
  const signals: WarningSignal[] = [];
  const activeSince = addCalendarDays(day, -(QUIET_DAYS - 1));
  const quietSince = addCalendarDays(day, -QUIET_DAYS);
  if (deal.firstDay <= quietSince && !deal.buyerActivityDays.some((d) => d >= activeSince && d <= day)) signals.push("quiet");
  const known = deal.history.filter((row) => row.effectiveOn <= day);
  const closeChanges = known.filter((row) => row.field === "forecast_close_date");
  if (isFlaggedForPushes(countPushes(closeChanges, fiscalYearStartMonth))) signals.push("pushed");
  if (!stateOn(replayDateHistory(known), day)?.goLiveConfirmed) signals.push("unconfirmed");
  return signals;
}

/** Per outcome (won, lost, no decision, always all three in that order): how many deals showed each signal. */
export function warningRates(deals: WarningDeal[], fiscalYearStartMonth: number): OutcomeWarnings[] {
  const rows = new Map<PlanOutcome, OutcomeWarnings>(
    PLAN_OUTCOMES.map((outcome) => [
      outcome,
      {
        outcome,
        deals: 0,
        planIds: [],
        tooYoung: 0,
        signals: Object.fromEntries(WARNING_SIGNALS.map((s): [WarningSignal, SignalCount] => [s, { count: 0, planIds: [] }])) as Record<
          WarningSignal,
          SignalCount
        >,
      },
    ]),
  );
  for (const deal of deals) {
    const row = rows.get(deal.outcome)!;
    const signals = warningSignalsOf(deal, fiscalYearStartMonth);
    if (!signals) {
      row.tooYoung += 1;
      continue;
    }
    row.deals += 1;
    row.planIds.push(deal.planId);
    for (const s of signals) {
      row.signals[s].count += 1;
      row.signals[s].planIds.push(deal.planId);
    }
  }
  return [...rows.values()];
}

/** What a page or the API sends of the warning rates: counts only (a drill-down recomputes the plans). */
export interface WarningCounts {
  outcome: PlanOutcome;
  deals: number;
  tooYoung: number;
  signals: Record<WarningSignal, number>;
}

export function warningCounts(rows: OutcomeWarnings[]): WarningCounts[] {
  return rows.map((w) => ({
    outcome: w.outcome,
    deals: w.deals,
    tooYoung: w.tooYoung,
    signals: Object.fromEntries(WARNING_SIGNALS.map((signal) => [signal, w.signals[signal].count])) as Record<WarningSignal, number>,
  }));
}
