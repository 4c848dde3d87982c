/*
 * The languages a buyer's page and emails are written in (ADR 046), and how one is chosen from a
 * browser's Accept-Language. The rep's pages stay in the organisation's language (English).
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

/**
 * The best language for an Accept-Language header (RFC 9110 §12.5.4): ranges by their q-value
 * (default 1, ties keep the header's order); a region falls back to its language ("de-AT" → de);
 * q=0 refuses one; "*" takes the default. Null when nothing in the header is spoken here, so the
 * caller decides the fallback.
 */
export function negotiateLocale(header: string | null | undefined): Locale | null {
  if (!header) return null;
  const ranges = header
    .split(",")
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(";");
      let q = 1;
      for (const param of params) {
        const [name, value] = param.trim().split("=");
        if (name?.trim().toLowerCase() === "q") {
          const n = Number(value);
          q = Number.isFinite(n) && n >= 0 && n <= 1 ? n : 0;
        }
      }
      return { tag: tag.trim().toLowerCase(), q, index };
    })
    .filter((r) => r.tag && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const refused = new Set(
    header
      .split(",")
      .map((part) => part.trim().toLowerCase())
      .filter((part) => /;\s*q=0(\.0*)?$/.test(part))
      .map((part) => part.split(";")[0].trim()),
  );
  for (const { tag } of ranges) {
    if (tag === "*") return refused.has(DEFAULT_LOCALE) ? (LOCALES.find((l) => !refused.has(l)) ?? null) : DEFAULT_LOCALE;
    const language = tag.split("-")[0];
    if (isLocale(language) && !refused.has(language)) return language;
  }
  return null;
}
