import type { Locale } from "~/domain/i18n/locales";
import { translatorFor, type MessageTree, type Translator } from "~/domain/i18n/translate";
import { de } from "~/domain/i18n/messages/de";
import { en } from "~/domain/i18n/messages/en";
import { es } from "~/domain/i18n/messages/es";
import { fr } from "~/domain/i18n/messages/fr";

/** Every language's messages. Server-side only: a page ships just its reader's part (`buyer`). */
export const MESSAGES: Record<Locale, MessageTree> = { en, de, fr, es };

/**
 * One part of the messages (`buyer`, `email`) in one language, as a translator made once for the
 * process: the messages never change, and a buyer's page asks on every request.
 */
export function translatorOf(part: "buyer" | "email", locale: Locale): Translator {
  return translatorFor(locale, MESSAGES[locale][part] as MessageTree);
}
