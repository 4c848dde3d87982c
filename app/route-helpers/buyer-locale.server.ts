import { asLocale, DEFAULT_LOCALE, isLocale, type Locale } from "~/domain/i18n/locales";
import { MESSAGES, translatorOf } from "~/domain/i18n/messages";
import type { MessageTree } from "~/domain/i18n/translate";
import { negotiateLocale } from "~/infra/negotiate.server";

/** The browser's language among ours (Accept-Language), or null when it names none of them. */
export function browserLocale(request: Request): Locale | null {
  return negotiateLocale(request.headers.get("Accept-Language"));
}

/**
 * The buyer page's language (ADR 046): the one kept for this person, else their browser's
 * (Accept-Language), else English.
 */
export function buyerLocale(request: Request, stored: string | null | undefined): Locale {
  if (isLocale(stored)) return stored;
  return browserLocale(request) ?? DEFAULT_LOCALE;
}

/** The buyer page's messages in one language: all the page ships to the browser (no other language). */
export function buyerMessages(locale: Locale): MessageTree {
  return MESSAGES[locale].buyer as MessageTree;
}

/** Server-side wording (flash messages, titles) in the buyer's language. */
export function buyerTranslator(locale: string | null | undefined) {
  return translatorOf("buyer", asLocale(locale));
}
