/*
 * The buyer-side components in English where no buyer's language is chosen: the rep's pages draw
 * the same timeline, go-live panel and comments, and read the same English messages (en.ts), so
 * each sentence has one copy.
 */
import { en } from "~/domain/i18n/messages/en";
import { translatorFor, type MessageTree, type Translator } from "~/domain/i18n/translate";

/** The buyer part's messages in English, for components drawn outside a buyer's page: the same translator an English buyer page uses. */
export const ENGLISH: Translator = translatorFor("en", en.buyer as MessageTree);
