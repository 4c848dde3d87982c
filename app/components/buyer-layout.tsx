import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import type { CSSProperties, ReactNode } from "react";
import { useT } from "~/components/i18n-context";
import { accentCssVariables } from "~/domain/branding";

/** The seller organisation's look on its buyers' pages (ADR 039); either part may be unset. */
export interface BuyerBrand {
  accent: string | null;
  logoPath: string | null;
}

/** The buyer's pages: no navigation, no login wall, no marketing; just whose plan this is. */
/** `lang`: the language the page is written in, when it is the buyer's (ADR 046). */
export function BuyerLayout({ seller, brand, lang, children }: { seller?: string; brand?: BuyerBrand; lang?: string; children: ReactNode }) {
  // An inline style attribute is allowed by the CSP (style-src 'unsafe-inline'); the accent is a
  // checked hex colour, so nothing typed by a person reaches the CSS unchecked.
  const accent = brand?.accent ? (accentCssVariables(brand.accent) as CSSProperties) : undefined;
  // The plan's page speaks its reader's language (ADR 046).
  const { t } = useT();
  return (
    <div className="min-h-screen" style={accent} lang={lang}>
      <header className={accent ? "border-b-2 border-brand-600 bg-white" : "border-b border-slate-200 bg-white"}>
        <div className="mx-auto flex max-w-5xl items-center gap-2 px-4 py-3 sm:px-6">
          {brand?.logoPath && seller ? (
            <>
              <img src={brand.logoPath} alt={seller} className="h-8 w-auto max-w-40 object-contain" />
              <span className="truncate text-sm text-slate-500">{t("layout.onPlanTogether")}</span>
            </>
          ) : (
            <>
              <img src="/favicon.svg" alt="" className="h-6 w-6" />
              <span className="shrink-0 text-sm font-semibold text-slate-900">Plan Together</span>
              {seller ? <span className="truncate text-sm text-slate-500">{t("layout.sharedBy", { seller })}</span> : null}
            </>
          )}
        </div>
      </header>
      <main id="main" className="mx-auto max-w-5xl px-4 py-6 sm:px-6">
        {children}
      </main>
    </div>
  );
}

/** The words a buyer's error page was thrown with, already in the reader's language (app/route-helpers/buyer-route.server.ts). */
function thrownWords(error: unknown): { lang: string; heading: string; body: string } | null {
  if (!isRouteErrorResponse(error) || typeof error.data !== "object" || !error.data) return null;
  const { lang, heading, body } = error.data as Record<string, unknown>;
  return typeof lang === "string" && typeof heading === "string" && typeof body === "string" ? { lang, heading, body } : null;
}

/**
 * Errors on buyer pages: never a hint whether a link or a plan existed, never a login prompt.
 * An unknown link, a device not signed in, the guessing throttle: worded by the server in the
 * browser's language. Anything unexpected: English, the one language known without a request.
 */
export function BuyerErrorPage() {
  const error = useRouteError();
  const { t } = useT();
  // A 404 thrown without words (a plan gone while a form was open) reads like an unknown link.
  const problem = isRouteErrorResponse(error) && error.status === 404 ? "errors.linkInactive" : "errors.unexpected";
  const said = thrownWords(error) ?? { lang: "en", heading: t(`${problem}.heading`), body: t(`${problem}.body`) };
  return (
    <BuyerLayout lang={said.lang}>
      <div className="mx-auto max-w-md py-16 text-center">
        <h1 className="text-xl font-semibold text-slate-900">{said.heading}</h1>
        <p className="mt-3 text-sm text-slate-600">{said.body}</p>
      </div>
    </BuyerLayout>
  );
}
