import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { cx } from "~/components/ui";
import type { drillDownHref } from "~/domain/forecast-drill-down";
import { plural } from "~/domain/words";

/** What a number on the forecast stands for, and how to link to the plans behind it. */
export type Filter = Parameters<typeof drillDownHref>[0];
export type Href = (filter: Filter) => string;

export const plansWord = (n: number) => plural(n, "plan");
export const linkClass = "rounded-sm font-medium text-brand-700 underline-offset-2 hover:underline";

/** A number that opens the plans behind it (a zero has nothing behind it, so it is plain text). */
export function NumberLink({ to, count, children, label, className }: { to: string; count: number; children: ReactNode; label: string; className?: string }) {
  if (count === 0) return <span className={cx("text-slate-500", className)}>{children}</span>;
  return (
    <Link to={to} className={cx(linkClass, className)} aria-label={label}>
      {children}
    </Link>
  );
}
