/*
 * Translating for one reader's language (ADR 046): i18next for the messages (named placeholders,
 * CLDR plural forms through Intl.PluralRules), formats.ts (Intl) for dates, numbers, money, lists
 * and relative times. Pure: no I/O, no clock.
 */
import { createInstance } from "i18next";
import type { Locale } from "~/domain/i18n/locales";
import { formatsFor, type Formats } from "~/domain/i18n/formats";

export type MessageTree = { [key: string]: string | MessageTree };
export type Values = Record<string, string | number>;

export interface Translator extends Formats {
  /** A message by its dotted key, placeholders filled ({{name}}); `count` picks the plural form. */
  t(key: string, values?: Values): string;
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
  // The instance's own t, not getFixedT: its language is fixed at init already, and i18next's
  // fixed t copies the instance's whole options into a new object on every call.
  const t = (key: string, values: Values) => i18n.t(key, { ...values });
  // A sentence without values reads the same every time. Through i18next, each costs its whole
  // lookup (key path, plural and nesting checks, interpolation): on a buyer's page, hundreds a
  // request and the largest share of its server time (docs/benchmarks.md). Kept here once instead;
  // the keys are the code's own, so the map is as large as the messages at most.
  const plain = new Map<string, string>();
  return {
    ...formatsFor(locale),
    t: (key, values) => {
      if (values !== undefined) return t(key, values);
      let text = plain.get(key);
      if (text === undefined) plain.set(key, (text = t(key, {})));
      return text;
    },
  };
}

const made = new WeakMap<MessageTree, Map<Locale, Translator>>();

/**
 * The translator of one message tree in one language, made once for the process: the messages
 * never change, and a buyer's page would otherwise set up i18next anew on every request.
 */
export function translatorFor(locale: Locale, messages: MessageTree): Translator {
  let byLocale = made.get(messages);
  if (!byLocale) made.set(messages, (byLocale = new Map()));
  let translator = byLocale.get(locale);
  if (!translator) byLocale.set(locale, (translator = createTranslator(locale, messages)));
  return translator;
}
