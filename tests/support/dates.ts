/*
 * Dates for tests that talk to a server running on the real clock. A literal calendar date rots:
 * one day it is in the past, or in this year (and the app drops the year when it shows it). These
 * helpers compute dates from the test's own clock instead, so an expectation means the same thing
 * on a weekend, on 31 December or at a quarter end. They use plain Date arithmetic, not the app's
 * calendar code, so an expectation built with them does not lean on the code it checks.
 */

const DAY_MS = 86_400_000;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const utc = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

/** Today's calendar day in UTC (the demo organisation's time zone), from the test's clock. */
export function testToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** `iso` moved by whole calendar days. */
export function daysAfter(iso: string, days: number): string {
  return new Date(utc(iso) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The first Wednesday at least `days` after `from` whose whole working week (Monday to Friday)
 * holds none of `holidays`: a go-live there is a working day, and so are the days just before it,
 * whatever day the test runs.
 */
export function quietWednesday(from: string, days: number, holidays: Iterable<string> = []): string {
  const off = new Set(holidays);
  let day = daysAfter(from, days);
  day = daysAfter(day, (3 - new Date(utc(day)).getUTCDay() + 7) % 7);
  while ([-2, -1, 0, 1, 2].some((k) => off.has(daysAfter(day, k)))) day = daysAfter(day, 7);
  return day;
}

/**
 * A date as the app shows it: "Wed 3 Mar", with the year when it is not the viewer's year
 * ("Wed 3 Mar 2027"). Written out here rather than imported, so a test checks the app's wording.
 */
export function shownDay(iso: string, today: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  const weekday = WEEKDAYS[new Date(utc(iso)).getUTCDay()];
  return `${weekday} ${d} ${MONTHS[m - 1]}${iso.slice(0, 4) === today.slice(0, 4) ? "" : ` ${y}`}`;
}
