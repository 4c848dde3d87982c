/*
 * Translating for one reader's language (ADR 046, ADR 051): messages by their dotted key, in the
 * plural form the language's rules give a count (Intl.PluralRules, CLDR's), with their named
 * {{placeholders}} filled; formats.ts (Intl) for dates, numbers, money, lists and relative times.
 * Every message we have is that and nothing more (no nesting, formats or context: the translation
 * test keeps it so), which is what this file does; the same test holds its output to i18next's
 * for every message of every language. Pure: no I/O, no clock.
 */
import type { Locale } from "~/domain/i18n/locales";
import { formatsFor, type Formats } from "~/domain/i18n/formats";

export type MessageTree = { [key: string]: string | MessageTree };
export type Values = Record<string, string | number>;

export interface Translator extends Formats {
  /** A message by its dotted key, placeholders filled ({{name}}); `count` picks the plural form. */
  t(key: string, values?: Values): string;
}

/** Every message of a tree by its dotted key ("people.heading"). */
function indexMessages(tree: MessageTree, prefix = "", into = new Map<string, string>()): Map<string, string> {
  for (const [key, node] of Object.entries(tree)) {
    if (typeof node === "string") into.set(prefix + key, node);
    else indexMessages(node, `${prefix}${key}.`, into);
  }
  return into;
}

const PLACEHOLDER = /\{\{(\w+)\}\}/g;

export function createTranslator(locale: Locale, messages: MessageTree): Translator {
  const index = indexMessages(messages);
  const plural = new Intl.PluralRules(locale);
  return {
    ...formatsFor(locale),
    t(key, values) {
      const count = values?.count;
      // As i18next looks: a count of 0 tries "key_zero" first, then the form the rules give
      // ("key_one", "key_many"…), then the key itself; a key found nowhere shows itself.
      const text =
        (typeof count === "number" ? ((count === 0 ? index.get(`${key}_zero`) : undefined) ?? index.get(`${key}_${plural.select(count)}`)) : undefined) ??
        index.get(key) ??
        key;
      if (values === undefined) return text;
      // A value given as undefined is left empty, one not given keeps its placeholder (i18next's rules).
      return text.replace(PLACEHOLDER, (whole, name: string) => {
        if (!Object.hasOwn(values, name)) return whole;
        const value = values[name];
        return value === undefined ? "" : String(value);
      });
    },
  };
}

const made = new WeakMap<MessageTree, Map<Locale, Translator>>();

/**
 * The translator of one message tree in one language, made once for the process: the messages
 * never change, and a buyer's page would otherwise index them anew on every request.
 */
export function translatorFor(locale: Locale, messages: MessageTree): Translator {
  let byLocale = made.get(messages);
  if (!byLocale) made.set(messages, (byLocale = new Map()));
  let translator = byLocale.get(locale);
  if (!translator) byLocale.set(locale, (translator = createTranslator(locale, messages)));
  return translator;
}
