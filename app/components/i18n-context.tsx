import { createContext, Fragment, useContext, type ReactNode } from "react";
import { ENGLISH } from "~/domain/i18n/english";
import type { Translator, Values } from "~/domain/i18n/translate";

/*
 * The buyer page's language (ADR 046), as components read it. Apart from the provider
 * (app/components/i18n.tsx) so that the shared components asking for it (dates, badges) do not
 * bring the provider and the language switcher into the rep's pages.
 */
export const I18nContext = createContext<Translator | null>(null);

/** The reader's translator on a buyer page; English elsewhere (the rep's pages, the buyer's sign-in before a language is known). */
export function useT(): Translator {
  return useContext(I18nContext) ?? ENGLISH;
}

/**
 * A translated sentence with elements inside it (a date with its ISO tooltip, a link): each slot's
 * placeholder is filled with a marker, and the sentence is split around the markers. The
 * translation decides where each element goes; no sentence is glued from pieces.
 */
export function T({ k, values, slots }: { k: string; values?: Values; slots: Record<string, ReactNode> }) {
  const { t } = useT();
  const marks = Object.fromEntries(Object.keys(slots).map((name) => [name, `\uE000${name}\uE000`]));
  const pieces = t(k, { ...values, ...marks }).split(/\uE000(\w+)\uE000/);
  return <>{pieces.map((piece, i) => (i % 2 === 1 ? <Fragment key={i}>{slots[piece]}</Fragment> : piece))}</>;
}
