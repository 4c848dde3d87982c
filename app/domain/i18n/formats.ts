/*
 * Dates, numbers, money, lists and relative times in one reader's language, by Intl (ADR 046).
 * Apart from the messages (translate.ts, i18next) so that the rep's pages, which format in
 * English, do not load i18next. Pure: no clock (callers pass `today` and `now`).
 */
import { DEFAULT_LOCALE, type Locale } from "~/domain/i18n/locales";
import { formatDay, formatDayShort, formatRelative } from "~/domain/dates";

export interface Formats {
  locale: Locale;
  /** "Di., 3. März" in the reader's language; the year added when it is not `today`'s. */
  day(iso: string, today?: string): string;
  /** "vor 3 Stunden", "gestern"…; older than a month, the day. */
  relative(moment: Date, now: Date): string;
  /** "A, B und C". */
  list(items: string[]): string;
  number(n: number): string;
  money(amount: number, currency: string): string;
  /** A chart axis' month, "Dez. 2026" ("Dec 2026" in English). */
  monthYear(iso: string): string;
  /** A chart axis' week, "28. Dez." ("28 Dec" in English). */
  dayMonth(iso: string): string;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
function dayFormat(locale: Locale, withYear: boolean) {
  const key = `${locale}:${withYear}`;
  let fmt = dayFormats.get(key);
  if (!fmt) {
    // ISO days are UTC days (app/domain/dates.ts): formatted in UTC, the same day on every server.
    fmt = new Intl.DateTimeFormat(locale, { weekday: "short", day: "numeric", month: "short", year: withYear ? "numeric" : undefined, timeZone: "UTC" });
    dayFormats.set(key, fmt);
  }
  return fmt;
}

function relativeIn(locale: Locale, moment: Date, now: Date, day: (iso: string) => string) {
  const seconds = Math.round((now.getTime() - moment.getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  if (seconds < 60) return rtf.format(0, "second");
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return rtf.format(-minutes, "minute");
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return rtf.format(-hours, "hour");
  const days = Math.floor(hours / 24);
  if (days < 31) return rtf.format(-days, "day");
  return day(moment.toISOString().slice(0, 10));
}

const utcDay = (iso: string) => new Date(`${iso}T00:00:00Z`);
const axisFormats = new Map<string, Intl.DateTimeFormat>();
function axisFormat(locale: Locale, options: Intl.DateTimeFormatOptions) {
  const key = `${locale}:${JSON.stringify(options)}`;
  let fmt = axisFormats.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" });
    axisFormats.set(key, fmt);
  }
  return fmt;
}

export function formatsFor(locale: Locale): Formats {
  // English keeps the app's own words ("Tue 3 Mar", "2 hours ago") so the rep's and the buyer's
  // pages read alike; the other languages take Intl's.
  const day = (iso: string, today?: string) =>
    locale === DEFAULT_LOCALE
      ? formatDay(iso, today)
      : dayFormat(locale, today ? today.slice(0, 4) !== iso.slice(0, 4) : false).format(new Date(`${iso}T00:00:00Z`));
  return {
    locale,
    day,
    relative: (moment, now) => (locale === DEFAULT_LOCALE ? formatRelative(moment, now) : relativeIn(locale, moment, now, (iso) => day(iso))),
    list: (items) => new Intl.ListFormat(locale, { style: "long", type: "conjunction" }).format(items),
    number: (n) => new Intl.NumberFormat(locale).format(n),
    money: (amount, currency) => new Intl.NumberFormat(locale, { style: "currency", currency }).format(amount),
    monthYear: (iso) =>
      locale === DEFAULT_LOCALE ? formatDayShort(iso).replace(/^\d+ /, "") : axisFormat(locale, { month: "short", year: "numeric" }).format(utcDay(iso)),
    dayMonth: (iso) =>
      locale === DEFAULT_LOCALE ? formatDayShort(iso).replace(/ \d+$/, "") : axisFormat(locale, { day: "numeric", month: "short" }).format(utcDay(iso)),
  };
}
