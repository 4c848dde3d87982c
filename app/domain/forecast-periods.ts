/*
 * The periods the manager forecast groups close dates by: this and next fiscal quarter, months,
 * and the open ends (earlier, later, no close date), with the same rules as the SQL that buckets
 * them (app/models/forecast.server.ts). Pure: `today` is an input.
 */

import { civilDate, dayBefore, type ISODate, isValidISODate } from "~/domain/calendar";
import { fiscalQuarterAt, fiscalQuarterIndex, monthStart, monthsSinceYear0, parseQuarterKey, type FiscalQuarter } from "~/domain/fiscal-quarters";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** How many months the forecast breaks down, starting with the current month. */
export const FORECAST_MONTHS = 6;

export type PeriodKind = "quarter" | "month" | "earlier" | "later" | "none" | "all";

export interface Period {
  /** The form used in URLs: "FY2027-Q1", "2026-12", "earlier", "later", "none", "all". */
  key: string;
  kind: PeriodKind;
  /** "FY2027 Q1", "Dec 2026", "Before FY2027 Q1", … */
  label: string;
  /** Inclusive first day; null = unbounded (or, for "none", no date at all). */
  start: ISODate | null;
  /** Exclusive end; null = unbounded. */
  end: ISODate | null;
}

export interface ForecastPeriods {
  today: ISODate;
  thisQuarter: Period;
  nextQuarter: Period;
  /** The current month and the ones after it. */
  months: Period[];
  /** Close dates before this quarter (signed earlier, or stored before the date passed). */
  earlier: Period;
  /** Close dates after next quarter. */
  later: Period;
  /** Plans with no close milestone, so no forecast close date. */
  none: Period;
  all: Period;
}

function quarterPeriod(q: FiscalQuarter): Period {
  return { key: q.key, kind: "quarter", label: q.label, start: q.start, end: q.end };
}

function monthPeriod(first: number): Period {
  const start = monthStart(first);
  const { y, m } = civilDate(start);
  return { key: start.slice(0, 7), kind: "month", label: `${MONTHS[m - 1]} ${y}`, start, end: monthStart(first + 1) };
}

/**
 * This quarter, next quarter, the next `months` months (from the current one) and the rest. With
 * `fromQuarter` (an absolute quarter index, see fiscalQuarterIndex) the two quarters shown are that
 * one and the one after it, and the months start at its first month: the manager's moved window.
 * (`thisQuarter` and `nextQuarter` then name the window's first and second quarter.)
 */
export function forecastPeriods(today: ISODate, startMonth: number, months = FORECAST_MONTHS, fromQuarter?: number): ForecastPeriods {
  const current = fiscalQuarterIndex(today, startMonth);
  const index = fromQuarter ?? current;
  const thisQuarter = fiscalQuarterAt(index, startMonth);
  const nextQuarter = fiscalQuarterAt(index + 1, startMonth);
  const first = index === current ? monthsSinceYear0(today) : monthsSinceYear0(thisQuarter.start);
  return {
    today,
    thisQuarter: quarterPeriod(thisQuarter),
    nextQuarter: quarterPeriod(nextQuarter),
    months: Array.from({ length: Math.max(0, months) }, (_, k) => monthPeriod(first + k)),
    earlier: { key: "earlier", kind: "earlier", label: `Before ${thisQuarter.label}`, start: null, end: thisQuarter.start },
    later: { key: "later", kind: "later", label: `After ${nextQuarter.label}`, start: nextQuarter.end, end: null },
    none: { key: "none", kind: "none", label: "No close date", start: null, end: null },
    all: { key: "all", kind: "all", label: "All active plans", start: null, end: null },
  };
}

/** Every period the rollup groups by, in display order (periods overlap: months sit in quarters). */
export function rollupPeriods(periods: ForecastPeriods): Period[] {
  return [periods.earlier, periods.thisQuarter, periods.nextQuarter, periods.later, ...periods.months, periods.none];
}

/**
 * The boundaries that SQL's width_bucket(date, boundaries) needs to place a date in one of these
 * periods, which must be contiguous (each ends where the next starts). Open ends (null) are the
 * buckets below the first and above the last boundary.
 */
export function bucketBoundaries(periods: Period[]): ISODate[] {
  periods.forEach((p, i) => {
    const next = periods[i + 1];
    if (next && p.end !== next.start) throw new RangeError(`Periods ${p.key} and ${next.key} are not contiguous`);
    if ((i > 0 && p.start === null) || (next && p.end === null)) throw new RangeError(`Only the first period may start open and only the last may end open`);
  });
  const bounds = periods.flatMap((p, i) => (i === 0 && p.start ? [p.start, p.end] : [p.end]));
  return bounds.filter((b): b is ISODate => b !== null);
}

/** The period width_bucket's answer names (see bucketBoundaries), or null outside them all. */
export function periodOfBucket(periods: Period[], bucket: number | null): Period | null {
  if (bucket === null || periods.length === 0) return null;
  const index = periods[0].start === null ? bucket : bucket - 1;
  return periods[index] ?? null;
}

/**
 * A period named in a URL: any fiscal quarter ("FY2027-Q1"), any month ("2026-12"), or one of
 * earlier / later / none / all relative to today's quarters. Null when it is none of these.
 */
export function parsePeriodKey(key: string | null | undefined, today: ISODate, startMonth: number, fromQuarter?: number): Period | null {
  if (key === null || key === undefined || key.length > 20) return null;
  const periods = forecastPeriods(today, startMonth, 0, fromQuarter);
  if (key === "earlier" || key === "later" || key === "none" || key === "all") return periods[key];
  const quarter = parseQuarterKey(key, startMonth);
  if (quarter) return quarterPeriod(quarter);
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (month && isValidISODate(`${key}-01`)) return monthPeriod(Number(month[1]) * 12 + Number(month[2]) - 1);
  return null;
}

/** Whether a plan's forecast close date falls in a period (the same rule as the SQL). */
export function periodContains(period: Period, closeDate: ISODate | null): boolean {
  if (period.kind === "all") return true;
  if (period.kind === "none") return closeDate === null;
  if (closeDate === null) return false;
  return (period.start === null || closeDate >= period.start) && (period.end === null || closeDate < period.end);
}

/** "1 Feb – 30 Apr 2027": a period's range in words, inclusive. */
export function describeRange(period: Period): string {
  if (!period.start || !period.end) return "";
  const last = dayBefore(period.end);
  const a = civilDate(period.start);
  const b = civilDate(last);
  const left = a.y === b.y ? `${a.d} ${MONTHS[a.m - 1]}` : `${a.d} ${MONTHS[a.m - 1]} ${a.y}`;
  return `${left} – ${b.d} ${MONTHS[b.m - 1]} ${b.y}`;
}
