import type { Locale } from "~/domain/i18n/locales";
import type { MessageTree } from "~/domain/i18n/translate";
import { de } from "~/domain/i18n/messages/de";
import { en } from "~/domain/i18n/messages/en";
import { es } from "~/domain/i18n/messages/es";
import { fr } from "~/domain/i18n/messages/fr";

/** Every language's messages. Server-side only: a page ships just its reader's part (`buyer`). */
export const MESSAGES: Record<Locale, MessageTree> = { en, de, fr, es };
