/* The accuracy export: one row per won deal, with the date each source gave at each horizon and how far the close landed from it. */

import type { CsvValue } from "~/domain/csv";
import { ACCURACY_HORIZONS, DATE_SOURCES, dateFromSource, judgeForecast, stateAtHorizon, type ClosedDeal } from "~/domain/forecast-accuracy";

export interface AccuracyCsvDeal extends ClosedDeal {
  buyerCompany: string;
  title: string;
  value: number;
  currency: string;
}

export const ACCURACY_CSV_HEADER = [
  "plan_id",
  "buyer_company",
  "plan_title",
  "rep",
  "value",
  "currency",
  "closed_on",
  "first_day",
  ...ACCURACY_HORIZONS.flatMap((h) => [
    `go_live_confirmed_${h}d`,
    ...DATE_SOURCES.flatMap((s) => [`${s}_date_${h}d`, `${s}_days_late_${h}d`, `${s}_in_quarter_${h}d`]),
  ]),
];

/** Days late are signed (negative: the deal closed before the date); a source with no date that day leaves its cells empty. */
export function accuracyCsvRow(deal: AccuracyCsvDeal, fiscalYearStartMonth: number): CsvValue[] {
  const cells: CsvValue[] = [deal.planId, deal.buyerCompany, deal.title, deal.ownerName, deal.value, deal.currency, deal.closedOn, deal.createdOn];
  for (const horizon of ACCURACY_HORIZONS) {
    const state = stateAtHorizon(deal, horizon);
    cells.push(state ? (state.goLiveConfirmed ? "yes" : "no") : "too young");
    for (const source of DATE_SOURCES) {
      const forecast = state && dateFromSource(state, source);
      if (!forecast) {
        cells.push(null, null, null);
        continue;
      }
      const judged = judgeForecast(forecast, deal.closedOn, fiscalYearStartMonth);
      cells.push(forecast, judged.errorDays, judged.inForecastQuarter ? "yes" : "no");
    }
  }
  return cells;
}

/** "forecast-accuracy-FY2026-Q4-to-FY2027-Q3.csv" */
export function accuracyCsvFilename(window: { fromKey: string; toKey: string }): string {
  return window.fromKey === window.toKey ? `forecast-accuracy-${window.fromKey}.csv` : `forecast-accuracy-${window.fromKey}-to-${window.toKey}.csv`;
}
