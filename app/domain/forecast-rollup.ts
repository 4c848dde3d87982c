/* The forecast's rollup: count and value per period, confirmed vs proposed, on track vs slipping. */

import { rollupPeriods, type ForecastPeriods, type Period } from "~/domain/forecast-periods";

/** The currency the forecast's headline values are in; plans in others are listed separately. */
export const FORECAST_CURRENCY = "USD";

/** One row of the SQL rollup: plans of one currency in one period with one provenance and state. */
export interface RollupRow {
  period: string;
  currency: string;
  confirmed: boolean;
  slipping: boolean;
  plans: number;
  value: number;
}

export interface Tally {
  plans: number;
  value: number;
}

export interface PeriodTotals {
  period: Period;
  total: Tally;
  confirmed: Tally;
  proposed: Tally;
  onTrack: Tally;
  slipping: Tally;
}

export interface OtherCurrency {
  currency: string;
  /** Every active plan in that currency, whichever its period. */
  total: Tally;
  periods: Array<{ period: Period; total: Tally }>;
}

const zero = (): Tally => ({ plans: 0, value: 0 });
const add = (t: Tally, plans: number, value: number) => {
  t.plans += plans;
  t.value += value;
};

/**
 * Turns the SQL rows into one line per period in `currency` (the headline), and per-currency
 * totals for the plans in any other currency (values in different currencies are never summed).
 * `all` is computed from the partition earlier + this quarter + next quarter + later + none.
 */
export function assembleRollup(rows: RollupRow[], periods: ForecastPeriods, currency = FORECAST_CURRENCY) {
  const ordered = rollupPeriods(periods);
  const partition = new Set([periods.earlier.key, periods.thisQuarter.key, periods.nextQuarter.key, periods.later.key, periods.none.key]);
  const blank = (period: Period): PeriodTotals => ({ period, total: zero(), confirmed: zero(), proposed: zero(), onTrack: zero(), slipping: zero() });
  const byKey = new Map(ordered.map((p) => [p.key, blank(p)]));
  const all = blank(periods.all);
  const others = new Map<string, { total: Tally; periods: Map<string, Tally> }>();

  for (const row of rows) {
    const period = byKey.get(row.period);
    if (!period) continue;
    if (row.currency !== currency) {
      const other = others.get(row.currency) ?? { total: zero(), periods: new Map<string, Tally>() };
      others.set(row.currency, other);
      const tally = other.periods.get(row.period) ?? zero();
      other.periods.set(row.period, tally);
      add(tally, row.plans, row.value);
      if (partition.has(row.period)) add(other.total, row.plans, row.value);
      continue;
    }
    const targets = partition.has(row.period) ? [period, all] : [period];
    for (const t of targets) {
      add(t.total, row.plans, row.value);
      add(row.confirmed ? t.confirmed : t.proposed, row.plans, row.value);
      add(row.slipping ? t.slipping : t.onTrack, row.plans, row.value);
    }
  }

  const get = (p: Period) => byKey.get(p.key)!;
  return {
    currency,
    all,
    thisQuarter: get(periods.thisQuarter),
    nextQuarter: get(periods.nextQuarter),
    months: periods.months.map(get),
    earlier: get(periods.earlier),
    later: get(periods.later),
    none: get(periods.none),
    others: [...others.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, o]): OtherCurrency => ({
        currency: code,
        total: o.total,
        periods: ordered.filter((p) => o.periods.has(p.key)).map((p) => ({ period: p, total: o.periods.get(p.key)! })),
      })),
  };
}

export type ForecastRollup = ReturnType<typeof assembleRollup>;
