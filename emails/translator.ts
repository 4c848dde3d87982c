import { asLocale } from "~/domain/i18n/locales";
import { MESSAGES } from "~/domain/i18n/messages";
import { createTranslator, type MessageTree } from "~/domain/i18n/translate";

/**
 * An email's words and dates in its recipient's language (ADR 046): a buyer's kept one, English
 * for a seller or a buyer who kept none. Keys are relative to `email` ("invite.subject").
 */
export function emailTranslator(locale: string | null | undefined) {
  const l = asLocale(locale);
  return createTranslator(l, MESSAGES[l].email as MessageTree);
}
