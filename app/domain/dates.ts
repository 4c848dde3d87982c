/*
 * Showing calendar dates to people. ISO dates ('YYYY-MM-DD') carry no time zone; they are read
 * and formatted as UTC days so a server in any zone shows the same day.
 */
import { plural } from "~/domain/words";
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function parts(iso: string) {
  const [y, m, d] = iso.split("-").map(Number);
  return { y, m, d, weekday: new Date(Date.UTC(y, m - 1, d)).getUTCDay() };
}

/** "Tue 3 Mar", with the year added when it is not the year of `today` ("Tue 3 Mar 2027"). */
export function formatDay(iso: string, today?: string): string {
  const { y, m, d, weekday } = parts(iso);
  const sameYear = today ? Number(today.slice(0, 4)) === y : true;
  return `${WEEKDAYS[weekday]} ${d} ${MONTHS[m - 1]}${sameYear ? "" : ` ${y}`}`;
}

/** "3 Mar 2027": for places where the weekday adds nothing (history, headers). */
export function formatDayShort(iso: string): string {
  const { y, m, d } = parts(iso);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day it is in a time zone at a given moment, as 'YYYY-MM-DD'. */
export function todayIn(timeZone: string, now: Date): string {
  // Building a DateTimeFormat costs far more than formatting with one (it showed in a page's CPU
  // profile under load); one per time zone is kept.
  let fmt = dayFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormats.set(timeZone, fmt);
  }
  return fmt.format(now);
}

/** Whole calendar days from a to b (b later = positive). */
export function calendarDaysBetween(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  return Math.round((Date.UTC(pb.y, pb.m - 1, pb.d) - Date.UTC(pa.y, pa.m - 1, pa.d)) / 86_400_000);
}

/** "just now", "5 min ago", "3 hours ago", "2 days ago", or the date for anything older than a month. */
export function formatRelative(moment: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - moment.getTime()) / 1000);
  if (seconds < 60) return "just now";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${plural(hours, "hour")} ago`;
  const days = Math.floor(hours / 24);
  if (days < 31) return `${plural(days, "day")} ago`;
  return formatDayShort(moment.toISOString().slice(0, 10));
}
