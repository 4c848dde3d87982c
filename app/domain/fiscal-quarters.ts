/*
 * Fiscal quarters, pure. An organisation's fiscal year starts on the first day of its
 * `fiscal_year_start_month` (1..12) and is NAMED BY THE CALENDAR YEAR IN WHICH IT ENDS, as most
 * companies do. With a start month of 2 (February), 1 Feb 2026 – 31 Jan 2027 is FY2027; with a
 * start month of 1, the fiscal year is the calendar year (FY2026 = Jan–Dec 2026). Quarters are
 * three months from the start month: Q1 = months 1–3 of the fiscal year, and so on.
 *
 * Quarters also get an absolute, monotonic *index* (consecutive quarters differ by one), which is
 * how "did this change cross into a later quarter?" is decided here and in SQL
 * (app/models/forecast-facts.server.ts):
 *   index(date) = floor((year × 12 + month − startMonth) / 3)
 */

import { civilDate, type ISODate } from "~/domain/calendar";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The first day of the month `monthsSinceYear0` months after January of year 0. */
export function monthStart(monthsSinceYear0: number): ISODate {
  const y = Math.floor(monthsSinceYear0 / 12);
  const m = monthsSinceYear0 - y * 12 + 1;
  return `${pad(y, 4)}-${pad(m)}-01`;
}

export function monthsSinceYear0(iso: ISODate): number {
  const { y, m } = civilDate(iso);
  return y * 12 + (m - 1);
}

export function isFiscalStartMonth(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 12;
}

function checkStartMonth(startMonth: number) {
  if (!isFiscalStartMonth(startMonth)) throw new RangeError(`The fiscal year start month must be 1..12, got ${startMonth}`);
}

export interface FiscalQuarter {
  /** Named by the calendar year in which the fiscal year ends. */
  fiscalYear: number;
  quarter: 1 | 2 | 3 | 4;
  /** Absolute quarter number: consecutive quarters differ by one. */
  index: number;
  /** First day of the quarter. */
  start: ISODate;
  /** First day of the next quarter (exclusive end). */
  end: ISODate;
  /** "FY2027 Q1" */
  label: string;
  /** "FY2027-Q1": the form used in URLs. */
  key: string;
}

/** The absolute index of the fiscal quarter holding a date (see the header comment). */
export function fiscalQuarterIndex(iso: ISODate, startMonth: number): number {
  checkStartMonth(startMonth);
  return Math.floor((monthsSinceYear0(iso) - (startMonth - 1)) / 3);
}

/** The fiscal year of a date: the calendar year in which its fiscal year ends. */
export function fiscalYearOf(iso: ISODate, startMonth: number): number {
  checkStartMonth(startMonth);
  const { y, m } = civilDate(iso);
  if (startMonth === 1) return y;
  return m >= startMonth ? y + 1 : y;
}

/** The fiscal quarter with this absolute index. */
export function fiscalQuarterAt(index: number, startMonth: number): FiscalQuarter {
  checkStartMonth(startMonth);
  const first = index * 3 + (startMonth - 1); // months since year 0 of the quarter's first month
  const start = monthStart(first);
  const fiscalYear = fiscalYearOf(start, startMonth);
  const { m } = civilDate(start);
  const quarter = (Math.floor(((((m - startMonth) % 12) + 12) % 12) / 3) + 1) as 1 | 2 | 3 | 4;
  return {
    fiscalYear,
    quarter,
    index,
    start,
    end: monthStart(first + 3),
    label: `FY${fiscalYear} Q${quarter}`,
    key: `FY${fiscalYear}-Q${quarter}`,
  };
}

/** The fiscal quarter holding a date: "FY2027 Q1" and its range. */
export function fiscalQuarterOf(iso: ISODate, startMonth: number): FiscalQuarter {
  return fiscalQuarterAt(fiscalQuarterIndex(iso, startMonth), startMonth);
}

/** "FY2027-Q1" → that quarter, or null when the key is not one. */
export function parseQuarterKey(key: string, startMonth: number): FiscalQuarter | null {
  checkStartMonth(startMonth);
  const match = /^FY(\d{1,4})-Q([1-4])$/.exec(key);
  if (!match) return null;
  const fiscalYear = Number(match[1]);
  const quarter = Number(match[2]);
  // The fiscal year named N starts in calendar year N (start month 1) or N − 1.
  const startYear = startMonth === 1 ? fiscalYear : fiscalYear - 1;
  if (startYear < 1) return null;
  const first = startYear * 12 + (startMonth - 1) + (quarter - 1) * 3;
  if (first + 3 > 9999 * 12 + 11) return null; // its end must still be a date we can write
  return fiscalQuarterAt(Math.floor((first - (startMonth - 1)) / 3), startMonth);
}
