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

export function LinkNotActive() {
  return (
    <BuyerLayout>
      <div className="mx-auto max-w-md py-16 text-center">
        <h1 className="text-xl font-semibold text-slate-900">This link is not active</h1>
        <p className="mt-3 text-sm text-slate-600">Shared plan links expire, and the person who shared one can withdraw it. Ask them to send you a new link.</p>
      </div>
    </BuyerLayout>
  );
}

/**
 * A plan's page on a device without a live session for it. Says what is true (this device is not
 * signed in here) and how to fix it, and nothing about the plan.
 */
export function DeviceNotSignedIn({ ended }: { ended: boolean }) {
  return (
    <BuyerLayout>
      <div className="mx-auto max-w-md py-16 text-center">
        <h1 className="text-xl font-semibold text-slate-900">This plan can&apos;t be shown on this device</h1>
        {ended ? (
          <p className="mt-3 text-sm text-slate-600">
            This device was signed in for this plan, but that has ended: the link it was opened with expired or was withdrawn. Open the link in your most recent
            email about the plan, or ask the person who shared it for a new one.
          </p>
        ) : (
          <p className="mt-3 text-sm text-slate-600">
            This device isn&apos;t signed in for this plan yet. Open the link from your email on this device: it signs you in here, with no account or password.
          </p>
        )}
      </div>
    </BuyerLayout>
  );
}

/** Errors on buyer pages: never a hint whether a link or a plan existed, never a login prompt. */
export function BuyerErrorPage() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const refusal = isRouteErrorResponse(error) && typeof error.data === "object" && error.data ? (error.data as { refusal?: unknown }).refusal : undefined;
  if (status === 404 && (refusal === "no-device" || refusal === "device-ended")) return <DeviceNotSignedIn ended={refusal === "device-ended"} />;
  if (status === 404) return <LinkNotActive />;
  const message =
    status === 429 && isRouteErrorResponse(error) && typeof error.data === "string"
      ? error.data
      : "Something went wrong on our side. Please reload the page in a moment.";
  return (
    <BuyerLayout>
      <div className="mx-auto max-w-md py-16 text-center">
        <h1 className="text-xl font-semibold text-slate-900">{status === 429 ? "Please wait a moment" : "Something went wrong"}</h1>
        <p className="mt-3 text-sm text-slate-600">{message}</p>
      </div>
    </BuyerLayout>
  );
}
