/*
 * Dates, numbers, money, lists and relative times in one reader's language, by Intl (ADR 046).
 * Pure: no clock (callers pass `today` and `now`).
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

/*
 * Intl's formatters, each made once per language and options: making one costs more than using it
 * (a buyer's page formats a few hundred values per request), and they are immutable.
 */
const formatters = new Map<string, unknown>();
function formatter<F>(key: string, make: () => F): F {
  let made = formatters.get(key) as F | undefined;
  if (made === undefined) formatters.set(key, (made = make()));
  return made;
}

// ISO days are UTC days (app/domain/dates.ts): formatted in UTC, the same day on every server.
const dayFormat = (locale: Locale, withYear: boolean) =>
  formatter(
    `day:${locale}:${withYear}`,
    () => new Intl.DateTimeFormat(locale, { weekday: "short", day: "numeric", month: "short", year: withYear ? "numeric" : undefined, timeZone: "UTC" }),
  );

function relativeIn(locale: Locale, moment: Date, now: Date, day: (iso: string) => string) {
  const seconds = Math.round((now.getTime() - moment.getTime()) / 1000);
  const rtf = formatter(`relative:${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: "auto" }));
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
const axisFormat = (locale: Locale, options: Intl.DateTimeFormatOptions) =>
  formatter(`axis:${locale}:${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" }));

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
    list: (items) => formatter(`list:${locale}`, () => new Intl.ListFormat(locale, { style: "long", type: "conjunction" })).format(items),
    number: (n) => formatter(`number:${locale}`, () => new Intl.NumberFormat(locale)).format(n),
    money: (amount, currency) => formatter(`money:${locale}:${currency}`, () => new Intl.NumberFormat(locale, { style: "currency", currency })).format(amount),
    monthYear: (iso) =>
      locale === DEFAULT_LOCALE ? formatDayShort(iso).replace(/^\d+ /, "") : axisFormat(locale, { month: "short", year: "numeric" }).format(utcDay(iso)),
    dayMonth: (iso) =>
      locale === DEFAULT_LOCALE ? formatDayShort(iso).replace(/ \d+$/, "") : axisFormat(locale, { day: "numeric", month: "short" }).format(utcDay(iso)),
  };
}
