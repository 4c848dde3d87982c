import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

export function AuthLayout({ title, subtitle, children, footer }: { title: string; subtitle?: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex items-center justify-center gap-2">
          <img src="/favicon.svg" alt="" className="h-8 w-8" />
          <span className="text-lg font-semibold tracking-tight text-slate-900">Plan Together</span>
        </div>
        <div className="rounded-lg bg-white px-6 py-8 shadow-sm ring-1 ring-slate-200">
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">{title}</h1>
          {subtitle ? <p className="mt-1 text-sm text-slate-600">{subtitle}</p> : null}
          <div className="mt-6">{children}</div>
        </div>
        {footer ? <div className="mt-6 text-center text-sm text-slate-600">{footer}</div> : null}
      </div>
    </main>
  );
}

/** A way out under an account form: a short question and the page that answers it. */
export function AuthFooterLink({ prompt, to, children }: { prompt?: string; to: string; children: ReactNode }) {
  return (
    <>
      {prompt ? `${prompt} ` : null}
      <Link to={to} className="font-medium text-brand-600 hover:underline">
        {children}
      </Link>
    </>
  );
}
