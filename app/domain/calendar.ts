/**
 * Working-day arithmetic on calendar dates, with no time zone anywhere.
 *
 * Dates travel as ISO strings ('YYYY-MM-DD') at the edges and as *day numbers* inside: the count of
 * days since 1970-01-01 (day 0, a Thursday), computed with integer arithmetic only. Nothing here
 * touches `Date`, so the answer never depends on the machine's time zone or on DST.
 *
 * A working calendar is a set of ISO weekdays (1 = Monday … 7 = Sunday) minus a list of holidays.
 * Every question about it ("the 3rd working day before d", "how many working days between a and b")
 * is answered through one function, `rank(day)`: the number of working days before `day`, counted
 * from a fixed origin. Ranks turn working-day arithmetic into plain integer arithmetic:
 *   - the working days are exactly the days whose rank goes up by one on the next day;
 *   - `before(d, n)` is the working day of rank `rank(d) - n`, `after(d, n)` the one of rank
 *     `rank(d + 1) + n - 1`.
 * `rank` costs O(1) for the weekdays (whole weeks times working days per week) plus one binary
 * search in the sorted holidays; so does its inverse. Nothing walks day by day, so a go-live
 * five years out or a calendar with hundreds of holidays costs the same as next week.
 */

export type ISODate = string;

/** Days since 1970-01-01 (UTC calendar, but no clock involved). */
export type DayNumber = number;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface CalendarInput {
  workingWeekdays?: readonly number[];
  holidays?: readonly ISODate[];
}

export const DEFAULT_WORKING_WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5];

const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 1970-01-05 was a Monday: weeks are counted from there so that offset 0 in a week is Monday. */
const MONDAY_ORIGIN: DayNumber = 4;

// ---------------------------------------------------------------------------------------------
// Calendar dates <-> day numbers (proleptic Gregorian, after Howard Hinnant's civil algorithms)
// ---------------------------------------------------------------------------------------------

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function daysFromCivil(year: number, month: number, day: number): DayNumber {
  // Count years from March so that the leap day is the last day of the "year".
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function civilFromDays(dayNumber: DayNumber): [number, number, number] {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return [year, month, day];
}

/**
 * The day number of an ISO date, or null when the value is not a real 'YYYY-MM-DD' date of the
 * years 0001–9999 (malformed text, month 13, 2026-02-30, 0000-00-00, a non-string…).
 */
export function parseISODate(value: unknown): DayNumber | null {
  if (typeof value !== "string") return null;
  const match = ISO_DATE_PATTERN.exec(value);
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1) return null;
  if (day > daysInMonth(year, month)) return null;
  return daysFromCivil(year, month, day);
}

export function isValidISODate(value: unknown): value is ISODate {
  return parseISODate(value) !== null;
}

/** Year, month (1–12) and day of a valid ISO date; throws a RangeError otherwise. */
export function civilDate(iso: ISODate): { y: number; m: number; d: number } {
  const [y, m, d] = civilFromDays(toDayNumber(iso));
  return { y, m, d };
}

/** The first and last dates an ISODate can name. */
export const MIN_DAY_NUMBER: DayNumber = daysFromCivil(1, 1, 1);
export const MAX_DAY_NUMBER: DayNumber = daysFromCivil(9999, 12, 31);

/** Day number of a valid ISO date; throws a RangeError otherwise. */
export function toDayNumber(iso: ISODate): DayNumber {
  const day = parseISODate(iso);
  if (day === null) throw new RangeError(`Not a valid ISO date (YYYY-MM-DD): ${String(iso)}`);
  return day;
}

/** ISO date of a day number; throws a RangeError outside 0001-01-01 … 9999-12-31. */
export function fromDayNumber(dayNumber: DayNumber): ISODate {
  if (!Number.isInteger(dayNumber) || dayNumber < MIN_DAY_NUMBER || dayNumber > MAX_DAY_NUMBER) {
    throw new RangeError(`Day number ${dayNumber} is outside the years 0001–9999`);
  }
  const [year, month, day] = civilFromDays(dayNumber);
  return `${String(year).padStart(4, "0")}-${month < 10 ? "0" : ""}${month}-${day < 10 ? "0" : ""}${day}`;
}

export function addCalendarDays(iso: ISODate, days: number): ISODate {
  return fromDayNumber(toDayNumber(iso) + days);
}

/** Whole calendar days from a to b (b later = positive). */
export function daysBetween(a: ISODate, b: ISODate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** The last day before an exclusive end date. */
export function dayBefore(iso: ISODate): ISODate {
  return addCalendarDays(iso, -1);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number. */
export function weekdayOfDayNumber(dayNumber: DayNumber): IsoWeekday {
  const offset = (((dayNumber - MONDAY_ORIGIN) % 7) + 7) % 7;
  return (offset + 1) as IsoWeekday;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of an ISO date. */
export function weekday(iso: ISODate): IsoWeekday {
  return weekdayOfDayNumber(toDayNumber(iso));
}

/** Why a `workingWeekdays` value is unusable, or null when it is fine. */
export function describeWorkingWeekdaysProblem(value: unknown): string | null {
  if (!Array.isArray(value)) return "workingWeekdays must be an array of ISO weekdays (1 = Monday … 7 = Sunday)";
  if (value.length === 0) return "workingWeekdays is empty: a calendar needs at least one working weekday";
  for (const item of value) {
    if (typeof item !== "number" || !Number.isInteger(item) || item < 1 || item > 7) {
      return `workingWeekdays contains ${JSON.stringify(item) ?? String(item)}; ISO weekdays are the integers 1 (Monday) … 7 (Sunday)`;
    }
  }
  return null;
}

/** Index of the first element of the sorted array that is ≥ value (= how many are < value). */
function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of the sorted array that is > value (= how many are ≤ value). */
function upperBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// The working calendar
// ---------------------------------------------------------------------------------------------

export class WorkingCalendar {
  /** Sorted, distinct ISO weekdays that are working days. */
  readonly workingWeekdays: readonly IsoWeekday[];
  /** Sorted, distinct day numbers of the holidays that fall on a working weekday. */
  readonly holidays: Float64Array;

  /** holidayRanks[i] = rank(holidays[i]): the working days before that holiday. */
  private readonly holidayRanks: Float64Array;
  /** Working weekdays per week. */
  private readonly perWeek: number;
  /** isWorkingOffset[o]: is the weekday at offset o from Monday (0 … 6) a working weekday. */
  private readonly isWorkingOffset: boolean[];
  /** workingBefore[o]: how many working weekdays come before offset o in a week (o = 0 … 7). */
  private readonly workingBefore: number[];
  /** workingOffsets[j]: offset from Monday of the j-th working weekday of a week. */
  private readonly workingOffsets: number[];

  constructor(workingWeekdays: readonly number[], holidayDays: readonly DayNumber[]) {
    const problem = describeWorkingWeekdaysProblem(workingWeekdays);
    if (problem !== null) throw new RangeError(problem);
    const weekdays = [...new Set(workingWeekdays)].sort((a, b) => a - b) as IsoWeekday[];
    this.workingWeekdays = weekdays;
    this.perWeek = weekdays.length;
    this.isWorkingOffset = [0, 1, 2, 3, 4, 5, 6].map((offset) => weekdays.includes((offset + 1) as IsoWeekday));
    this.workingOffsets = weekdays.map((w) => w - 1);
    this.workingBefore = [0];
    for (let offset = 0; offset < 7; offset++) {
      this.workingBefore.push(this.workingBefore[offset] + (this.isWorkingOffset[offset] ? 1 : 0));
    }

    // A holiday on a weekend (in a Mon–Fri week) changes nothing: keep only those that remove a
    // working day, so that "holidays before d" is exactly "working weekdays lost before d".
    const kept = new Set<DayNumber>();
    for (const day of holidayDays) {
      if (!Number.isInteger(day)) throw new RangeError(`Holiday ${day} is not a day number`);
      if (this.isWorkingWeekday(day)) kept.add(day);
    }
    this.holidays = Float64Array.from([...kept].sort((a, b) => a - b));
    // rank(holidays[i]) = working weekdays before it − the i holidays before it; non-decreasing.
    this.holidayRanks = this.holidays.map((day, i) => this.weekdayCount(day) - i);
  }

  private isWorkingWeekday(day: DayNumber): boolean {
    const offset = (((day - MONDAY_ORIGIN) % 7) + 7) % 7;
    return this.isWorkingOffset[offset];
  }

  isWorkingDay(day: DayNumber): boolean {
    if (!this.isWorkingWeekday(day)) return false;
    const index = lowerBound(this.holidays, day);
    return index >= this.holidays.length || this.holidays[index] !== day;
  }

  /** Working weekdays (holidays ignored) before `day`, counted from the Monday origin. */
  private weekdayCount(day: DayNumber): number {
    const sinceOrigin = day - MONDAY_ORIGIN;
    const weeks = Math.floor(sinceOrigin / 7);
    return weeks * this.perWeek + this.workingBefore[sinceOrigin - weeks * 7];
  }

  /** The working weekday (holidays ignored) whose weekdayCount is `count`. */
  private weekdayAtCount(count: number): DayNumber {
    const weeks = Math.floor(count / this.perWeek);
    return MONDAY_ORIGIN + weeks * 7 + this.workingOffsets[count - weeks * this.perWeek];
  }

  /**
   * The number of working days before `day`, counted from a fixed origin (so it may be negative).
   * Only differences of ranks mean something: working days in [a, b) = rank(b) − rank(a).
   */
  rank(day: DayNumber): number {
    return this.weekdayCount(day) - lowerBound(this.holidays, day);
  }

  /** The working day whose rank is `rank` (the inverse of `rank` on working days). */
  workingDayAtRank(rank: number): DayNumber {
    // The answer is the working weekday at count rank + h, where h is the number of holidays
    // before it. A holiday lies before the answer exactly when its own rank (the working days
    // before it) is ≤ rank, so h is one binary search in the holidays' ranks.
    return this.weekdayAtCount(rank + upperBound(this.holidayRanks, rank));
  }

  /** The n-th working day strictly before `day` (n ≥ 1). */
  before(day: DayNumber, n: number): DayNumber {
    return this.workingDayAtRank(this.rank(day) - n);
  }

  /** The n-th working day strictly after `day` (n ≥ 1). */
  after(day: DayNumber, n: number): DayNumber {
    return this.workingDayAtRank(this.rank(day + 1) + n - 1);
  }

  /** `day` itself when it is a working day, else the first working day after it. */
  onOrAfter(day: DayNumber): DayNumber {
    return this.workingDayAtRank(this.rank(day));
  }

  /**
   * Signed, half-open count: the number of working days d with from < d ≤ to when from ≤ to, and
   * minus the number of working days d with to < d ≤ from otherwise.
   */
  countWorkingDaysBetween(from: DayNumber, to: DayNumber): number {
    return this.rank(to + 1) - this.rank(from + 1);
  }

  // ISO-string conveniences for callers that do not hold day numbers.

  isWorkingDate(iso: ISODate): boolean {
    return this.isWorkingDay(toDayNumber(iso));
  }

  beforeDate(iso: ISODate, n: number): ISODate {
    return fromDayNumber(this.before(toDayNumber(iso), n));
  }

  afterDate(iso: ISODate, n: number): ISODate {
    return fromDayNumber(this.after(toDayNumber(iso), n));
  }

  onOrAfterDate(iso: ISODate): ISODate {
    return fromDayNumber(this.onOrAfter(toDayNumber(iso)));
  }

  countWorkingDaysBetweenDates(from: ISODate, to: ISODate): number {
    return this.countWorkingDaysBetween(toDayNumber(from), toDayNumber(to));
  }
}

/**
 * A working calendar from the schedule input's shape (weekdays default to Monday–Friday, holidays
 * to none). Throws a RangeError on an unusable weekday list or an invalid holiday date.
 */
export function makeCalendar(calendar: CalendarInput = {}): WorkingCalendar {
  const weekdays = calendar.workingWeekdays ?? DEFAULT_WORKING_WEEKDAYS;
  const holidays = (calendar.holidays ?? []).map((iso) => toDayNumber(iso));
  return new WorkingCalendar(weekdays, holidays);
}

/** Is this ISO date a working day of the calendar (default Monday–Friday, no holidays)? */
export function isWorkingDay(iso: ISODate, calendar: CalendarInput = {}): boolean {
  return makeCalendar(calendar).isWorkingDate(iso);
}
