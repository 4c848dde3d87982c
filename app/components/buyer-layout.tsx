import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";

/** The buyer's pages: no navigation, no login wall, no marketing; just whose plan this is. */
export function BuyerLayout({ seller, children }: { seller?: string; children: ReactNode }) {
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl items-center gap-2 px-4 py-3 sm:px-6">
          <img src="/favicon.svg" alt="" className="h-6 w-6" />
          <span className="shrink-0 text-sm font-semibold text-slate-900">Plan Together</span>
          {seller ? <span className="truncate text-sm text-slate-500">· shared by {seller}</span> : null}
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
        <p className="mt-3 text-sm text-slate-600">
          Shared plan links expire, and the person who shared one can withdraw it. Ask them to send you a new link.
        </p>
      </div>
    </BuyerLayout>
  );
}

/** Errors on buyer pages: never a hint whether a link existed, never a login prompt. */
export function BuyerErrorPage() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
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
