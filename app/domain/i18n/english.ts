/*
 * The buyer-side components in English where no buyer's language is chosen: the rep's pages draw
 * the same timeline, go-live panel and comments, and read the same English messages (en.ts), so
 * each sentence has one copy. Without i18next, which only the buyer's page loads (ADR 046):
 * English needs no more than its two plural forms ("one" for a count of 1) and {{placeholders}}.
 */
import { en } from "~/domain/i18n/messages/en";
import { formatsFor } from "~/domain/i18n/formats";
import type { MessageTree, Translator, Values } from "~/domain/i18n/translate";

function lookup(tree: MessageTree, key: string): string | undefined {
  let node: MessageTree | string | undefined = tree;
  for (const part of key.split(".")) {
    if (typeof node !== "object") return undefined;
    node = node[part];
  }
  return typeof node === "string" ? node : undefined;
}

export function englishText(tree: MessageTree, key: string, values: Values = {}): string {
  const count = values.count;
  const text = (typeof count === "number" ? lookup(tree, `${key}_${count === 1 ? "one" : "other"}`) : undefined) ?? lookup(tree, key);
  // A missing key shows itself, as i18next does; the translation test keeps every key present.
  if (text === undefined) return key;
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** The buyer part's messages in English, for components drawn outside a buyer's page. */
export const ENGLISH: Translator = { ...formatsFor("en"), t: (key, values) => englishText(en.buyer, key, values) };
