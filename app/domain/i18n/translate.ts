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
  const t = i18n.getFixedT(locale);
  return { ...formatsFor(locale), t: (key, values) => t(key, values ?? {}) as string };
}
