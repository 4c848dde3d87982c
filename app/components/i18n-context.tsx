import { createContext, Fragment, useContext, type ReactNode } from "react";
import type { Translator, Values } from "~/domain/i18n/translate";

/*
 * The buyer page's language (ADR 046), as components read it. Apart from the provider
 * (app/components/i18n.tsx) so that the shared components asking for it (dates, badges) do not
 * bring i18next into the rep's pages: only the buyer's page loads it.
 */
export const I18nContext = createContext<Translator | null>(null);

/** The reader's translator on a buyer page, null elsewhere. */
export function useTranslator(): Translator | null {
  return useContext(I18nContext);
}

/** The reader's translator; only for components drawn inside `I18nProvider`. */
export function useT(): Translator {
  const translator = useContext(I18nContext);
  if (!translator) throw new Error("useT() outside I18nProvider");
  return translator;
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
