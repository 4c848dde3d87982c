/**
 * Holiday calendars people set (docs/scheduling.md): the organisation's holidays and working week,
 * and a plan's buyer calendar. Pure: parsing what a form sent, merging holiday lists, and finding
 * the pins a calendar change would put on a non-working day (the scheduler refuses those).
 */
import { makeCalendar, parseISODate, type CalendarInput, type ISODate } from "~/domain/calendar";
import { formatDayShort } from "~/domain/dates";
import type { MilestoneSide } from "~/domain/schedule";

export const WEEKDAYS = [
  { value: 1, name: "Monday", short: "Mon" },
  { value: 2, name: "Tuesday", short: "Tue" },
  { value: 3, name: "Wednesday", short: "Wed" },
  { value: 4, name: "Thursday", short: "Thu" },
  { value: 5, name: "Friday", short: "Fri" },
  { value: 6, name: "Saturday", short: "Sat" },
  { value: 7, name: "Sunday", short: "Sun" },
] as const;

export interface NamedHoliday {
  date: ISODate;
  name: string;
}

/** How many years of a national set are taken in: this year and the next ones a plan can reach. */
export const HOLIDAY_SET_YEARS = 3;

export const HOLIDAY_NAME_MAX = 100;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** The working week from the ticked weekday boxes (values "1" … "7"). */
export function parseWorkingWeek(values: readonly string[]): Parsed<number[]> {
  const days = new Set<number>();
  for (const value of values) {
    const day = Number(value);
    if (!Number.isInteger(day) || day < 1 || day > 7) return { ok: false, error: "Pick working days from Monday to Sunday." };
    days.add(day);
  }
  if (days.size === 0) return { ok: false, error: "Pick at least one working day: a week with none has nowhere to schedule work." };
  return { ok: true, value: [...days].sort((a, b) => a - b) };
}

/** One holiday typed in: a real date, and a name (optional, "Holiday" when left empty). */
export function parseHoliday(date: string, name: string): { ok: true; value: NamedHoliday } | { ok: false; errors: { date?: string; name?: string } } {
  const errors: { date?: string; name?: string } = {};
  const trimmedDate = date.trim();
  if (trimmedDate === "") errors.date = "Enter the holiday's date.";
  else if (parseISODate(trimmedDate) === null) errors.date = `“${trimmedDate}” is not a date; enter it as YYYY-MM-DD, e.g. 2026-12-24.`;
  const trimmedName = name.trim();
  if (trimmedName.length > HOLIDAY_NAME_MAX) errors.name = `Keep the name under ${HOLIDAY_NAME_MAX} characters.`;
  if (errors.date || errors.name) return { ok: false, errors };
  return { ok: true, value: { date: trimmedDate, name: trimmedName || "Holiday" } };
}

/** The dates, sorted and without repeats, with each date's name (a name already there is kept). */
export function mergeHolidays(dates: readonly ISODate[], names: Readonly<Record<string, string>>, added: readonly NamedHoliday[]) {
  const merged = new Map<ISODate, string>(dates.map((d) => [d, names[d] ?? "Holiday"]));
  const newDates: ISODate[] = [];
  for (const holiday of added) {
    if (merged.has(holiday.date)) continue;
    merged.set(holiday.date, holiday.name);
    newDates.push(holiday.date);
  }
  const sorted = [...merged.keys()].sort();
  return { dates: sorted, names: Object.fromEntries(sorted.map((d) => [d, merged.get(d)!])), added: newDates.sort() };
}

/** The holidays as a list for the page, by date. */
export function namedHolidays(dates: readonly ISODate[], names: Readonly<Record<string, string>>): NamedHoliday[] {
  return [...dates].sort().map((date) => ({ date, name: names[date] ?? "Holiday" }));
}

/** A pinned milestone, with what decides its calendar. */
export interface PinnedMilestone {
  planId: string;
  planTitle: string;
  milestoneTitle: string;
  side: MilestoneSide;
  pinnedDate: ISODate;
  /** The plan's buyer calendar, or null when the buyer follows the organisation's. */
  buyerCalendar: CalendarInput | null;
}

/**
 * The pins that would fall on a non-working day if the organisation's calendar became `next`:
 * a seller or joint milestone always depends on it; a buyer milestone only when its plan has no
 * buyer calendar of its own. (A joint pin must also suit the buyer's calendar, which is unchanged.)
 */
export function pinsOffCalendar(next: CalendarInput, pins: readonly PinnedMilestone[]): PinnedMilestone[] {
  const organisation = makeCalendar(next);
  return pins.filter((pin) => {
    if (pin.side === "buyer" && pin.buyerCalendar !== null) return false;
    return !organisation.isWorkingDate(pin.pinnedDate);
  });
}

/** The pins that would fall on a non-working day of a plan's new buyer calendar. */
export function pinsOffBuyerCalendar(
  organisation: CalendarInput,
  buyer: CalendarInput,
  pins: ReadonlyArray<{ side: MilestoneSide; pinnedDate: ISODate; milestoneTitle: string }>,
) {
  const org = makeCalendar(organisation);
  const own = makeCalendar(buyer);
  return pins.filter((pin) => pin.side !== "seller" && (!own.isWorkingDate(pin.pinnedDate) || (pin.side === "joint" && !org.isWorkingDate(pin.pinnedDate))));
}

/** The years a national set is imported for, from today's year. */
export function holidaySetYears(today: ISODate): { from: number; to: number } {
  const year = Number(today.slice(0, 4));
  return { from: year, to: year + HOLIDAY_SET_YEARS - 1 };
}

/** The years a buyer's national set is materialised for: from a year before today to two after go-live. */
export function buyerSetYears(today: ISODate, goLive: ISODate): { from: number; to: number } {
  const a = Number(today.slice(0, 4));
  const b = Number(goLive.slice(0, 4));
  return { from: Math.min(a, b) - 1, to: Math.max(a, b) + 2 };
}

/** A short account of a holiday-list change, for the plans' logs. */
export function describeHolidayChange(change: {
  added?: readonly NamedHoliday[];
  removed?: readonly NamedHoliday[];
  weekdays?: { before: readonly number[]; after: readonly number[] };
}): string {
  const parts: string[] = [];
  const list = (hs: readonly NamedHoliday[]) => {
    const shown = hs
      .slice(0, 3)
      .map((h) => `${formatDayShort(h.date)} (${h.name})`)
      .join(", ");
    return hs.length > 3 ? `${shown} and ${hs.length - 3} more` : shown;
  };
  if (change.added?.length) parts.push(`added ${list(change.added)}`);
  if (change.removed?.length) parts.push(`removed ${list(change.removed)}`);
  if (change.weekdays) {
    const names = (ds: readonly number[]) => ds.map((d) => WEEKDAYS[d - 1].short).join(", ");
    parts.push(`working week ${names(change.weekdays.before)} → ${names(change.weekdays.after)}`);
  }
  return parts.join("; ");
}

/**
 * The buyer's calendar for a plan's schedule input, or null when the buyer works on the
 * organisation's: a plan may set only the working week or only the holidays; the other half is
 * then the organisation's.
 */
export function buyerCalendarOf(
  organisation: { workingWeekdays: number[]; holidays: ISODate[] },
  plan: { buyer_working_weekdays: number[] | null; buyer_holidays: ISODate[] | null },
): { workingWeekdays: number[]; holidays: ISODate[] } | null {
  if (plan.buyer_working_weekdays === null && plan.buyer_holidays === null) return null;
  return { workingWeekdays: plan.buyer_working_weekdays ?? organisation.workingWeekdays, holidays: plan.buyer_holidays ?? organisation.holidays };
}
