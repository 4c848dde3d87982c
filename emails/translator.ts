import { asLocale } from "~/domain/i18n/locales";
import { translatorOf } from "~/domain/i18n/messages";

/**
 * An email's words and dates in its recipient's language (ADR 046): a buyer's kept one, English
 * for a seller or a buyer who kept none. Keys are relative to `email` ("invite.subject").
 */
export function emailTranslator(locale: string | null | undefined) {
  return translatorOf("email", asLocale(locale));
}
