import { useMemo, type ReactNode } from "react";
import { Form } from "@remix-run/react";
import { LOCALE_NAMES, LOCALES, type Locale } from "~/domain/i18n/locales";
import { translatorFor, type MessageTree } from "~/domain/i18n/translate";
import { I18nContext, useT } from "~/components/i18n-context";
import { Button } from "~/components/ui";

/*
 * The buyer page's language (ADR 046). The page's loader sends its reader's messages (one
 * language, the buyer part only); shared components ask `useT()` and, outside a buyer page (the
 * rep's pages), get the same messages in English (app/domain/i18n/english.ts).
 */
export function I18nProvider({ locale, messages, children }: { locale: Locale; messages: MessageTree; children: ReactNode }) {
  const translator = useMemo(() => translatorFor(locale, messages), [locale, messages]);
  return <I18nContext.Provider value={translator}>{children}</I18nContext.Provider>;
}

/** The language switcher: a plain POST form (works without JavaScript), each language in its own name. */
export function LanguageSwitcher() {
  const { t, locale } = useT();
  return (
    <Form method="post" className="flex items-end gap-2" aria-label={t("language.label")}>
      <label className="text-xs text-slate-600">
        {t("language.label")}
        <select
          name="locale"
          defaultValue={locale}
          className="mt-0.5 block rounded-md border-0 py-1 pl-2 pr-7 text-xs ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 focus:outline-none"
        >
          {LOCALES.map((l) => (
            <option key={l} value={l} lang={l}>
              {LOCALE_NAMES[l]}
            </option>
          ))}
        </select>
      </label>
      <Button type="submit" name="intent" value="locale" kind="secondary" className="py-1 text-xs">
        {t("language.submit")}
      </Button>
    </Form>
  );
}
