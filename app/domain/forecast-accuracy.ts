import { addCalendarDays, toDayNumber, type ISODate } from "~/domain/calendar";
import { fiscalQuarterIndex } from "~/domain/fiscal-quarters";

/*
 * Whose dates came true (issue 19): for deals that closed, how far each date source stood from
 * the real close date 90, 60 and 30 days before it. Pure: the caller reconstructs what each plan
 * showed on each day and passes it in.
 */

export const ACCURACY_HORIZONS = [90, 60, 30] as const;
export type Horizon = (typeof ACCURACY_HORIZONS)[number];

/** The four dates a manager could have believed: the plan's (split by who stood behind it), the plan's projection and the rep's. */
export const DATE_SOURCES = ["confirmed", "proposed", "projected", "crm"] as const;
export type DateSource = (typeof DATE_SOURCES)[number];

export const DATE_SOURCE_LABELS: Record<DateSource, string> = {
  confirmed: "Plan date, customer-confirmed",
  proposed: "Plan date, seller-proposed",
  projected: "Plan's projected date",
  crm: "Rep's CRM date",
};

/** A close date within this many calendar days of the real one counts as on time. */
export const ON_TIME_DAYS = 7;

/** What a plan showed from `from` (inclusive) until the next state began. */
export interface ForecastState {
  from: ISODate;
  forecastClose: ISODate | null;
  goLiveConfirmed: boolean;
  projectedClose: ISODate | null;
  crmClose: ISODate | null;
}

export interface ClosedDeal {
  planId: string;
  ownerId: string;
  ownerName: string;
  createdOn: ISODate;
  closedOn: ISODate;
  /** Oldest first. */
  states: ForecastState[];
}

/** The dates a plan's date history keeps, one row per change. */
export type DateHistoryField = "forecast_close_date" | "go_live" | "go_live_confirmed" | "crm_close_date" | "projected_close";

export interface DateHistoryRow {
  field: DateHistoryField;
  newDate: ISODate | null;
  actorSide: "buyer" | "seller" | "system";
  effectiveOn: ISODate;
}

/**
 * Replays a plan's date history (in the order it was written) into what the plan showed day by
 * day: one state per day with a change, the day's last change winning, as a page read that
 * evening would have shown. A go-live set by the buyer, or confirmed by them, is
 * customer-confirmed until a seller moves it.
 */
export function replayDateHistory(rows: DateHistoryRow[]): ForecastState[] {
  const states: ForecastState[] = [];
  // One mutable "now", copied into a state once per day with changes (a director's page replays thousands of plans).
  let forecastClose: ISODate | null = null;
  let goLiveConfirmed = false;
  let projectedClose: ISODate | null = null;
  let crmClose: ISODate | null = null;
  for (const row of rows) {
    switch (row.field) {
      case "forecast_close_date":
        forecastClose = row.newDate;
        break;
      case "go_live":
        goLiveConfirmed = row.actorSide === "buyer";
        break;
      case "go_live_confirmed":
        goLiveConfirmed = true;
        break;
      case "crm_close_date":
        crmClose = row.newDate;
        break;
      case "projected_close":
        projectedClose = row.newDate;
        break;
    }
    const state = { from: row.effectiveOn, forecastClose, goLiveConfirmed, projectedClose, crmClose };
    if (states.length && states[states.length - 1].from === row.effectiveOn) states[states.length - 1] = state;
    else states.push(state);
  }
  return states;
}

/** The state a plan showed on `day`: the last one that began on or before it; null before the plan existed. */
export function stateOn(states: ForecastState[], day: ISODate): ForecastState | null {
  let found: ForecastState | null = null;
  for (const s of states) {
    if (s.from <= day) found = s;
    else break;
  }
  return found;
}

/** The date a source gave on that day, or null when it gave none (e.g. a seller-proposed day for the confirmed row). */
export function dateFromSource(state: ForecastState, source: DateSource): ISODate | null {
  switch (source) {
    case "confirmed":
      return state.goLiveConfirmed ? state.forecastClose : null;
    case "proposed":
      return state.goLiveConfirmed ? null : state.forecastClose;
    case "projected":
      return state.projectedClose;
    case "crm":
      return state.crmClose;
  }
}

export interface SourceFigures {
  /** Deals behind the figures: never show a share without it. */
  deals: number;
  meanAbsoluteErrorDays: number | null;
  withinOnTime: number;
  inForecastQuarter: number;
  planIds: string[];
}

export interface HorizonFigures {
  horizon: Horizon;
  /** Deals younger than the horizon: they had no forecast that far out, so no row counts them. */
  tooYoung: number;
  tooYoungIds: string[];
  bySource: Record<DateSource, SourceFigures>;
}

function emptyFigures(): SourceFigures {
  return { deals: 0, meanAbsoluteErrorDays: null, withinOnTime: 0, inForecastQuarter: 0, planIds: [] };
}

/** The day a horizon looks back to: `horizon` calendar days before the close. */
export function horizonDay(closedOn: ISODate, horizon: number): ISODate {
  return addCalendarDays(closedOn, -horizon);
}

/** What a deal showed `horizon` days before it closed; null when it did not exist yet (too young for that horizon). */
export function stateAtHorizon(deal: ClosedDeal, horizon: number): ForecastState | null {
  const day = horizonDay(deal.closedOn, horizon);
  return deal.createdOn > day ? null : stateOn(deal.states, day);
}

export interface Judgement {
  forecast: ISODate;
  /** Calendar days from the forecast to the real close: positive when the deal closed later. */
  errorDays: number;
  onTime: boolean;
  inForecastQuarter: boolean;
}

/** How a forecast date fared against the real close date. */
export function judgeForecast(forecast: ISODate, closedOn: ISODate, fiscalYearStartMonth: number): Judgement {
  const errorDays = toDayNumber(closedOn) - toDayNumber(forecast);
  return {
    forecast,
    errorDays,
    onTime: Math.abs(errorDays) <= ON_TIME_DAYS,
    // The index alone: a director's page judges tens of thousands of dates, and the full quarter (its labels) is not needed here.
    inForecastQuarter: fiscalQuarterIndex(forecast, fiscalYearStartMonth) === fiscalQuarterIndex(closedOn, fiscalYearStartMonth),
  };
}

/** Sums for one horizon, filled deal by deal and turned into figures at the end. */
interface HorizonSums {
  horizon: Horizon;
  bySource: Record<DateSource, SourceFigures>;
  errorSums: Record<DateSource, number>;
  tooYoungIds: string[];
}

function emptySums(horizon: Horizon): HorizonSums {
  return {
    horizon,
    bySource: Object.fromEntries(DATE_SOURCES.map((s) => [s, emptyFigures()])) as Record<DateSource, SourceFigures>,
    errorSums: Object.fromEntries(DATE_SOURCES.map((s) => [s, 0])) as Record<DateSource, number>,
    tooYoungIds: [],
  };
}

/** Judges a deal at a horizon once and adds it to every set of sums given (the total's and its rep's). */
function addDeal(deal: ClosedDeal, horizon: Horizon, fiscalYearStartMonth: number, into: HorizonSums[]) {
  const state = stateAtHorizon(deal, horizon);
  if (!state) {
    for (const sums of into) sums.tooYoungIds.push(deal.planId);
    return;
  }
  for (const source of DATE_SOURCES) {
    const forecast = dateFromSource(state, source);
    if (!forecast) continue;
    const judged = judgeForecast(forecast, deal.closedOn, fiscalYearStartMonth);
    for (const sums of into) {
      const f = sums.bySource[source];
      f.deals += 1;
      f.planIds.push(deal.planId);
      sums.errorSums[source] += Math.abs(judged.errorDays);
      if (judged.onTime) f.withinOnTime += 1;
      if (judged.inForecastQuarter) f.inForecastQuarter += 1;
    }
  }
}

function figuresOf(sums: HorizonSums): HorizonFigures {
  for (const source of DATE_SOURCES) {
    const f = sums.bySource[source];
    f.meanAbsoluteErrorDays = f.deals ? sums.errorSums[source] / f.deals : null;
  }
  return { horizon: sums.horizon, tooYoung: sums.tooYoungIds.length, tooYoungIds: sums.tooYoungIds, bySource: sums.bySource };
}

export function accuracyAtHorizon(deals: ClosedDeal[], horizon: Horizon, fiscalYearStartMonth: number): HorizonFigures {
  const sums = emptySums(horizon);
  for (const deal of deals) addDeal(deal, horizon, fiscalYearStartMonth, [sums]);
  return figuresOf(sums);
}

/** The figures without the plan ids behind them: what a page or the API sends (a drill-down recomputes the ids). */
export type SourceCounts = Omit<SourceFigures, "planIds">;
export interface HorizonCounts {
  horizon: Horizon;
  tooYoung: number;
  bySource: Record<DateSource, SourceCounts>;
}

export function horizonCounts(h: HorizonFigures): HorizonCounts {
  const counts = (f: SourceFigures): SourceCounts => ({
    deals: f.deals,
    meanAbsoluteErrorDays: f.meanAbsoluteErrorDays,
    withinOnTime: f.withinOnTime,
    inForecastQuarter: f.inForecastQuarter,
  });
  return {
    horizon: h.horizon,
    tooYoung: h.tooYoung,
    bySource: Object.fromEntries(DATE_SOURCES.map((s) => [s, counts(h.bySource[s])])) as Record<DateSource, SourceCounts>,
  };
}

export function accuracyByHorizon(deals: ClosedDeal[], fiscalYearStartMonth: number): HorizonFigures[] {
  return accuracyReport(deals, fiscalYearStartMonth).horizons;
}

export interface RepAccuracy {
  ownerId: string;
  ownerName: string;
  deals: number;
  horizons: HorizonFigures[];
}

/** The same figures per rep, the reps with most closed deals first. */
export function accuracyByRep(deals: ClosedDeal[], fiscalYearStartMonth: number): RepAccuracy[] {
  return accuracyReport(deals, fiscalYearStartMonth).byRep;
}

/**
 * The figures at every horizon, in total and per rep (most closed deals first), each deal judged
 * once for both: a director's page covers thousands of deals.
 */
export function accuracyReport(deals: ClosedDeal[], fiscalYearStartMonth: number): { horizons: HorizonFigures[]; byRep: RepAccuracy[] } {
  const total = ACCURACY_HORIZONS.map(emptySums);
  const reps = new Map<string, { ownerId: string; ownerName: string; deals: number; sums: HorizonSums[] }>();
  for (const deal of deals) {
    let rep = reps.get(deal.ownerId);
    if (!rep) {
      rep = { ownerId: deal.ownerId, ownerName: deal.ownerName, deals: 0, sums: ACCURACY_HORIZONS.map(emptySums) };
      reps.set(deal.ownerId, rep);
    }
    rep.deals += 1;
    ACCURACY_HORIZONS.forEach((horizon, i) => addDeal(deal, horizon, fiscalYearStartMonth, [total[i], rep.sums[i]]));
  }
  return {
    horizons: total.map(figuresOf),
    byRep: [...reps.values()]
      .map((r) => ({ ownerId: r.ownerId, ownerName: r.ownerName, deals: r.deals, horizons: r.sums.map(figuresOf) }))
      .sort((a, b) => b.deals - a.deals || a.ownerName.localeCompare(b.ownerName)),
  };
}

/** A share with the count behind it, e.g. "3 of 4 (75 %)": a share of two deals alone says nothing. */
export function describeShare(part: number, whole: number): string {
  if (whole === 0) return "no deals";
  return `${part} of ${whole} (${Math.round((part / whole) * 100)} %)`;
}

const HEADLINE_NAMES: Record<DateSource, string> = {
  confirmed: "customer-confirmed plan dates",
  proposed: "seller-proposed plan dates",
  projected: "the plans' projected dates",
  crm: "reps' CRM dates",
};

/**
 * The one sentence a manager should take away (the page's lead and the weekly digest's): at the
 * nearest horizon, how often the customer-confirmed date and the rep's date were within a week.
 * Null when neither had a deal to judge.
 */
export function accuracyHeadline(horizons: HorizonCounts[]): string | null {
  const nearest = horizons.reduce<HorizonCounts | null>((best, h) => (best === null || h.horizon < best.horizon ? h : best), null);
  if (!nearest) return null;
  const parts = (["confirmed", "crm"] as const)
    .filter((s) => nearest.bySource[s].deals > 0)
    .map((s) => `${HEADLINE_NAMES[s]} for ${describeShare(nearest.bySource[s].withinOnTime, nearest.bySource[s].deals)}`);
  if (parts.length === 0) return null;
  return `${nearest.horizon} days before close, ${parts[0].replace(" for ", ` were within a week of the real close for `)}${parts[1] ? `; ${parts[1]}` : ""}.`;
}
