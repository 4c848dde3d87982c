import { Link } from "@remix-run/react";
import type { ComponentProps, ReactNode } from "react";

/* The few building blocks every page uses, so the product looks like one product. */

export function cx(...classes: Array<string | false | null | undefined>) {
  return classes.filter(Boolean).join(" ");
}

const buttonBase =
  "inline-flex items-center justify-center gap-2 rounded-md px-3.5 py-2 text-sm font-medium shadow-sm transition-colors disabled:cursor-not-allowed disabled:opacity-60 aria-disabled:cursor-wait aria-disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500";
const buttonKinds = {
  primary: "bg-brand-600 text-white hover:bg-brand-700",
  secondary: "bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50",
  danger: "bg-white text-red-700 ring-1 ring-inset ring-red-200 hover:bg-red-50",
  ghost: "text-slate-700 shadow-none hover:bg-slate-100",
};
export type ButtonKind = keyof typeof buttonKinds;

/** A button's classes, for an element that must stay itself (say, a plain `<a download>`). */
export function buttonClass(kind: ButtonKind = "primary") {
  return cx(buttonBase, buttonKinds[kind]);
}

export function Button({ kind = "primary", className, ...props }: ComponentProps<"button"> & { kind?: ButtonKind }) {
  return <button className={cx(buttonClass(kind), className)} {...props} />;
}

export function ButtonLink({ kind = "primary", className, ...props }: ComponentProps<typeof Link> & { kind?: ButtonKind }) {
  return <Link className={cx(buttonClass(kind), className)} {...props} />;
}

export function Card({ className, ...props }: ComponentProps<"div">) {
  return <div className={cx("rounded-lg bg-white shadow-sm ring-1 ring-slate-200", className)} {...props} />;
}

export function PageHeader({ title, subtitle, actions }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
        {subtitle ? <p className="mt-1 text-sm text-slate-600">{subtitle}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
    </div>
  );
}

const inputClass =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-500 focus:outline-none aria-[invalid=true]:ring-red-400";

interface FieldProps {
  label: string;
  name: string;
  error?: string;
  hint?: ReactNode;
  className?: string;
}

type FieldWiring = { id: string; "aria-invalid"?: true; "aria-describedby"?: string };

/** A label, a control and its error or hint, wired so a screen reader reads the message with the control. */
function FieldFrame({ id, label, error, hint, className, children }: Omit<FieldProps, "name"> & { id: string; children: (wiring: FieldWiring) => ReactNode }) {
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined })}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function TextField({ label, name, error, hint, className, ...input }: FieldProps & ComponentProps<"input">) {
  return (
    <FieldFrame id={input.id ?? `field-${name}`} label={label} error={error} hint={hint} className={className}>
      {(wiring) => <input {...wiring} name={name} className={cx(inputClass, "mt-1")} {...input} />}
    </FieldFrame>
  );
}

export function TextAreaField({ label, name, error, hint, className, ...textarea }: FieldProps & ComponentProps<"textarea">) {
  return (
    <FieldFrame id={textarea.id ?? `field-${name}`} label={label} error={error} hint={hint} className={className}>
      {(wiring) => <textarea {...wiring} name={name} className={cx(inputClass, "mt-1")} {...textarea} />}
    </FieldFrame>
  );
}

export function SelectField({ label, name, error, hint, className, children, ...select }: FieldProps & ComponentProps<"select">) {
  return (
    <FieldFrame id={select.id ?? `field-${name}`} label={label} error={error} hint={hint} className={className}>
      {(wiring) => (
        <select {...wiring} name={name} className={cx(inputClass, "mt-1 pr-8")} {...select}>
          {children}
        </select>
      )}
    </FieldFrame>
  );
}

export function Alert({ kind = "error", children }: { kind?: "error" | "info" | "success"; children: ReactNode }) {
  const styles = {
    error: "bg-red-50 text-red-800 ring-red-200",
    info: "bg-brand-50 text-brand-700 ring-brand-100",
    success: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  };
  return (
    <div role={kind === "error" ? "alert" : "status"} className={cx("rounded-md px-4 py-3 text-sm ring-1 ring-inset", styles[kind])}>
      {children}
    </div>
  );
}

const badgeTones = {
  green: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  amber: "bg-amber-50 text-amber-800 ring-amber-600/20",
  red: "bg-red-50 text-red-700 ring-red-600/20",
  slate: "bg-slate-100 text-slate-700 ring-slate-500/20",
  blue: "bg-brand-50 text-brand-700 ring-brand-500/20",
};
export type BadgeTone = keyof typeof badgeTones;

export function Badge({ tone = "slate", children, title }: { tone?: BadgeTone; children: ReactNode; title?: string }) {
  return (
    <span
      title={title}
      className={cx("inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", badgeTones[tone])}
    >
      {children}
    </span>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="rounded-lg border-2 border-dashed border-slate-200 bg-white px-6 py-12 text-center">
      <h2 className="text-base font-semibold text-slate-900">{title}</h2>
      {children ? <div className="mx-auto mt-2 max-w-md text-sm text-slate-600">{children}</div> : null}
      {action ? <div className="mt-5">{action}</div> : null}
    </div>
  );
}

export function ProgressBar({ done, total }: { done: number; total: number }) {
  const pct = total === 0 ? 0 : Math.round((done / total) * 100);
  return (
    <div className="flex items-center gap-2" title={`${done} of ${total} milestones done`}>
      <div
        className="h-1.5 w-20 overflow-hidden rounded-full bg-slate-200"
        role="progressbar"
        aria-valuenow={pct}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-label="Milestones done"
      >
        <div className="h-full rounded-full bg-emerald-500" style={{ width: `${pct}%` }} />
      </div>
      <span className="text-xs tabular-nums text-slate-600">
        {done}/{total}
      </span>
    </div>
  );
}

/** A column heading: its words, or `{ hidden }` for a column only screen readers need named (its buttons speak for it). */
type TableColumn = string | { hidden: string } | { label: string; className: string };

/** The header row of the app's data tables, one style everywhere; `dense` for compact tables. */
export function TableHead({ columns, dense = false }: { columns: Array<TableColumn | null>; dense?: boolean }) {
  return (
    <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
      <tr>
        {columns
          .filter((column) => column !== null)
          .map((column, i) => (
            <th
              key={i}
              scope="col"
              className={cx(dense ? "px-4 py-2" : "px-4 py-3", typeof column === "object" && "className" in column ? column.className : undefined)}
            >
              {typeof column === "string" ? column : "hidden" in column ? <span className="sr-only">{column.hidden}</span> : column.label}
            </th>
          ))}
      </tr>
    </thead>
  );
}

/** The way back from a form without saving. */
export function CancelLink({ to }: { to: string }) {
  return (
    <Link to={to} className="px-3 py-2 text-sm text-slate-600 hover:underline">
      Cancel
    </Link>
  );
}
