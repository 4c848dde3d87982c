/*
 * The languages a buyer's page and emails are written in (ADR 046), and how one is chosen from a
 * browser's Accept-Language (app/infra/negotiate.server.ts). The rep's pages stay in the organisation's language (English).
 */
export const LOCALES = ["en", "de", "fr", "es"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** Each language named in itself, for the switcher: a reader finds their own language by its own name. */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", de: "Deutsch", fr: "Français", es: "Español" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** A stored or posted code as a locale the app speaks, else the default. */
export function asLocale(value: unknown): Locale {
  return isLocale(value) ? value : DEFAULT_LOCALE;
}
