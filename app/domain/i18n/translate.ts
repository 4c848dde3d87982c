/*
 * Translating and formatting for one reader's language (ADR 046): i18next for the messages
 * (named placeholders, CLDR plural forms through Intl.PluralRules), Intl for dates, numbers,
 * money, lists and relative times. Pure: no I/O, no clock (callers pass `today` and `now`).
 */
import { createInstance } from "i18next";
import { DEFAULT_LOCALE, type Locale } from "~/domain/i18n/locales";
import { formatDay, formatRelative } from "~/domain/dates";

export type MessageTree = { [key: string]: string | MessageTree };
export type Values = Record<string, string | number>;

export interface Translator {
  locale: Locale;
  /** A message by its dotted key, placeholders filled ({{name}}); `count` picks the plural form. */
  t(key: string, values?: Values): string;
  /** "Di., 3. März" in the reader's language; the year added when it is not `today`'s. */
  day(iso: string, today?: string): string;
  /** "vor 3 Stunden", "gestern"…; older than a month, the day. */
  relative(moment: Date, now: Date): string;
  /** "A, B und C". */
  list(items: string[]): string;
  number(n: number): string;
  money(amount: number, currency: string): string;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function dayFormat(locale: Locale, withYear: boolean) {
  const key = `${locale}:${withYear}`;
  let fmt = formats.get(key);
  if (!fmt) {
    // ISO days are UTC days (app/domain/dates.ts): formatted in UTC, the same day on every server.
    fmt = new Intl.DateTimeFormat(locale, { weekday: "short", day: "numeric", month: "short", year: withYear ? "numeric" : undefined, timeZone: "UTC" });
    formats.set(key, fmt);
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

export function createTranslator(locale: Locale, messages: MessageTree): Translator {
  const i18n = createInstance();
  // Synchronous: the resources are already here, nothing is fetched.
  void i18n.init({
    lng: locale,
    fallbackLng: false,
    resources: { [locale]: { translation: messages } },
    initAsync: false,
    // React and the email renderer escape text; escaping here too would show "&amp;".
    interpolation: { escapeValue: false },
  });
  const t = i18n.getFixedT(locale);
  // English keeps the app's own words ("Tue 3 Mar", "2 hours ago") so the rep's and the buyer's
  // pages read alike; the other languages take Intl's.
  const day = (iso: string, today?: string) =>
    locale === DEFAULT_LOCALE
      ? formatDay(iso, today)
      : dayFormat(locale, today ? today.slice(0, 4) !== iso.slice(0, 4) : false).format(new Date(`${iso}T00:00:00Z`));
  return {
    locale,
    t: (key, values) => t(key, values ?? {}) as string,
    day,
    relative: (moment, now) => (locale === DEFAULT_LOCALE ? formatRelative(moment, now) : relativeIn(locale, moment, now, (iso) => day(iso))),
    list: (items) => new Intl.ListFormat(locale, { style: "long", type: "conjunction" }).format(items),
    number: (n) => new Intl.NumberFormat(locale).format(n),
    money: (amount, currency) => new Intl.NumberFormat(locale, { style: "currency", currency }).format(amount),
  };
}
