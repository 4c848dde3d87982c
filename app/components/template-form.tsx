import { Form } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { parseWithZod } from "@conform-to/zod";
import { z } from "zod";
import { OWNER_SIDE_LABELS, OWNER_SIDES } from "~/domain/owner-side";
import {
  type RawTemplateRow,
  splitDependsOn,
  TEMPLATE_LIMITS,
  type TemplateField,
  type TemplateMilestoneInput,
  type TemplateRowError,
  validateTemplateRows,
} from "~/domain/template-rows";
import { Alert, Button, ButtonLink, Card, cx, TextAreaField, TextField } from "~/components/ui";

/*
 * The template form, shared by /templates/new and /templates/:id?edit. It works without
 * JavaScript: a fixed number of rows is rendered; "Add more rows" and "Remove" are submit buttons
 * that re-render the form with every typed value kept, and blank rows are ignored on save. The rows
 * are named as Conform nests them (rows[0].title) and read back with @conform-to/zod (ADR 023).
 * The helpers below (reading the posted form, applying add/remove, validating) are pure and run
 * on the server in the routes' actions; this file imports nothing from *.server.ts.
 */

/** One row of the form: the fields a milestone row has, less the CSV's own row number and close flag. */
export type TemplateFormRow = Omit<RawTemplateRow, "row" | "close">;

export interface TemplateFormValues {
  name: string;
  description: string;
  rows: TemplateFormRow[];
  /** The row number (1-based, as shown) of the close milestone, or "" for none. */
  close: string;
}

export interface TemplateFormErrors {
  formError?: string | null;
  fieldErrors?: { name?: string; description?: string };
  rowErrors?: TemplateRowError[];
}

export const NEW_TEMPLATE_ROWS = 5;
export const EXTRA_BLANK_ROWS = 3;
export const ADD_ROWS_STEP = 5;
/** Room for the 200 milestones a template may hold, plus some blank rows. */
export const MAX_FORM_ROWS = TEMPLATE_LIMITS.milestones + 20;

/** Conform's nested name for row `row` (1-based, as shown), e.g. `rows[0].title`. */
const fieldName = (row: number, field: keyof TemplateFormRow) => `rows[${row - 1}].${field}`;
const fieldId = (row: number, field: TemplateField) => `row-${row}-${field}`;

export function blankRow(): TemplateFormRow {
  return { title: "", description: "", ownerSide: "", duration: "", lag: "", dependsOn: "" };
}

export function withBlankRows(values: TemplateFormValues, count: number): TemplateFormValues {
  const room = Math.max(0, MAX_FORM_ROWS - values.rows.length);
  return { ...values, rows: [...values.rows, ...Array.from({ length: Math.min(count, room) }, blankRow)] };
}

export function blankTemplateValues(): TemplateFormValues {
  return withBlankRows({ name: "", description: "", rows: [], close: "" }, NEW_TEMPLATE_ROWS);
}

// Text as posted; anything else (a file, a repeated or nested name) reads as the first text or "".
const postedText = z.unknown().transform((v) => {
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === "string" ? first : "";
});
const postedRow = z.object({
  title: postedText,
  description: postedText,
  ownerSide: postedText,
  duration: postedText,
  lag: postedText,
  dependsOn: postedText,
});
// Only the shape of what was posted: the template's rules are checked by validateTemplateForm.
const postedTemplateForm = z.object({
  intent: postedText,
  name: postedText,
  description: postedText,
  close: postedText,
  version: postedText,
  rows: z.preprocess(
    // A row nobody typed in may be missing (a hole); a forged index far past the form is cut off.
    (rows) => (Array.isArray(rows) ? Array.from(rows.slice(0, MAX_FORM_ROWS), (row: unknown) => (row && typeof row === "object" ? row : {})) : []),
    z.array(postedRow),
  ),
});

/** What the form posted: the button pressed, every value typed, and the version being edited. */
export function readTemplateForm(form: FormData): { intent: string; values: TemplateFormValues; version: string | null } {
  // Conform reads the rows' nested names (rows[0].title) into arrays; its coercion would turn ""
  // into undefined, and the form's own rules want the text as typed.
  const submission = parseWithZod(form, { schema: postedTemplateForm, disableAutoCoercion: true });
  if (submission.status !== "success") throw new Error("the template form's posted shape accepts any text");
  const posted = submission.value;
  return {
    intent: posted.intent || "save",
    values: { name: posted.name, description: posted.description, rows: posted.rows, close: /^\d+$/.test(posted.close) ? posted.close : "" },
    version: posted.version || null,
  };
}

/** Renumbers "depends on" after row `removed` is taken out: later rows move up by one. */
function renumberDependsOn(dependsOn: string, removed: number): string {
  const entries = splitDependsOn(dependsOn);
  if (!entries.some((e) => /^#?\d+$/.test(e))) return dependsOn;
  const kept = entries.flatMap((entry) => {
    const match = /^#?(\d+)$/.exec(entry);
    if (!match) return [entry];
    const n = Number(match[1]);
    if (n === removed) return [];
    return [String(n > removed ? n - 1 : n)];
  });
  return kept.join(kept.every((e) => /^\d+$/.test(e)) ? ", " : "; ");
}

export function removeRow(values: TemplateFormValues, row: number): TemplateFormValues {
  if (row < 1 || row > values.rows.length) return values;
  const close = Number(values.close);
  return {
    ...values,
    rows: values.rows.filter((_, i) => i !== row - 1).map((r) => ({ ...r, dependsOn: renumberDependsOn(r.dependsOn, row) })),
    close: values.close === "" || close === row ? "" : String(close > row ? close - 1 : close),
  };
}

/** "Add more rows" and "Remove row N" re-render the form; null for "save". */
export function applyRowIntent(intent: string, values: TemplateFormValues): TemplateFormValues | null {
  if (intent === "add-rows") return withBlankRows(values, ADD_ROWS_STEP);
  const remove = /^remove-(\d+)$/.exec(intent);
  if (remove) {
    const next = removeRow(values, Number(remove[1]));
    // Keep at least one row to type into.
    return next.rows.length === 0 ? withBlankRows(next, 1) : next;
  }
  return null;
}

const headerSchema = z.object({
  name: z.string().trim().min(1, "Enter a name for the template.").max(TEMPLATE_LIMITS.name, `Keep the name under ${TEMPLATE_LIMITS.name} characters.`),
  description: z
    .string()
    .trim()
    .max(TEMPLATE_LIMITS.description, `Keep the description under ${TEMPLATE_LIMITS.description.toLocaleString("en-US")} characters.`),
});

/** A template's name and description, as the template form and the CSV import both take them. */
export function validateTemplateHeader(values: { name: string; description: string }) {
  const parsed = headerSchema.safeParse(values);
  if (parsed.success) return { ok: true as const, name: parsed.data.name.replace(/\s+/g, " "), description: parsed.data.description };
  const errors = parsed.error.flatten().fieldErrors;
  return { ok: false as const, fieldErrors: { name: errors.name?.[0], description: errors.description?.[0] } };
}

export type TemplateFormResult =
  { ok: true; name: string; description: string; milestones: TemplateMilestoneInput[] } | { ok: false; errors: TemplateFormErrors };

export function validateTemplateForm(values: TemplateFormValues): TemplateFormResult {
  const header = validateTemplateHeader(values);
  const rows: RawTemplateRow[] = values.rows.map((r, i) => ({ row: i + 1, ...r, close: values.close === String(i + 1) ? "yes" : "" }));
  const result = validateTemplateRows(rows, { source: "template" });
  if (header.ok && result.ok) return { ok: true, name: header.name, description: header.description, milestones: result.milestones };
  return {
    ok: false,
    errors: {
      fieldErrors: header.ok ? {} : header.fieldErrors,
      rowErrors: result.ok ? [] : result.errors,
    },
  };
}

/** The form's values for an existing template: its rows in order, dependencies as row numbers. */
export function templateToFormValues(template: {
  template: { name: string; description: string };
  milestones: Array<{ id: string; title: string; description: string; owner_side: string; duration_days: number; lag_days: number; is_close: boolean }>;
  dependencies: Array<{ milestone_id: string; depends_on_id: string }>;
}): TemplateFormValues {
  const rowOf = new Map(template.milestones.map((m, i) => [m.id, i + 1]));
  const rows = template.milestones.map((m) => ({
    title: m.title,
    description: m.description,
    ownerSide: m.owner_side,
    duration: String(m.duration_days),
    lag: m.lag_days === 0 ? "" : String(m.lag_days),
    dependsOn: template.dependencies
      .filter((d) => d.milestone_id === m.id)
      .map((d) => rowOf.get(d.depends_on_id)!)
      .sort((a, b) => a - b)
      .join(", "),
  }));
  const close = template.milestones.findIndex((m) => m.is_close);
  return withBlankRows(
    { name: template.template.name, description: template.template.description, rows, close: close === -1 ? "" : String(close + 1) },
    EXTRA_BLANK_ROWS,
  );
}

// ---------------------------------------------------------------------------------------------
// The component
// ---------------------------------------------------------------------------------------------

const cellInput =
  "block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-500 focus:outline-none aria-[invalid=true]:ring-red-400";
const cellLabel = "mb-1 block text-xs font-medium text-slate-600 lg:sr-only";
/* Row layout on large screens: number, title, owner, duration, lag, depends on, close, remove. */
const rowGrid = "lg:grid lg:grid-cols-[2rem_minmax(0,1fr)_8rem_5.5rem_5.5rem_7.5rem_4.5rem_5.5rem] lg:items-start lg:gap-x-3";

export function TemplateForm({
  values,
  errors,
  revision,
  version,
  submitLabel,
  cancelTo,
  busy = false,
}: {
  values: TemplateFormValues;
  errors?: TemplateFormErrors | null;
  /** Changes with every server answer: the inputs are rebuilt from `values` (what was posted). */
  revision?: string | number;
  version?: string | null;
  submitLabel: string;
  cancelTo: string;
  busy?: boolean;
}) {
  const summaryRef = useRef<HTMLDivElement>(null);
  const rowErrors = errors?.rowErrors ?? [];
  const fieldErrors = errors?.fieldErrors ?? {};
  const problems = [
    ...(fieldErrors.name ? [{ href: "#field-name", text: `Name: ${fieldErrors.name}` }] : []),
    ...(fieldErrors.description ? [{ href: "#field-description", text: `Description: ${fieldErrors.description}` }] : []),
    ...rowErrors.map((e) => ({ href: e.row > 0 ? `#${fieldId(e.row, e.field ?? "title")}` : null, text: e.message })),
  ];
  const hasProblems = problems.length > 0 || Boolean(errors?.formError);

  // With JavaScript, move focus to the summary so the problems are read out and in view.
  useEffect(() => {
    if (hasProblems) summaryRef.current?.focus();
  }, [revision, hasProblems]);

  const errorsByRow = new Map<number, TemplateRowError[]>();
  for (const e of rowErrors) if (e.row > 0) errorsByRow.set(e.row, [...(errorsByRow.get(e.row) ?? []), e]);

  return (
    <Form method="post" noValidate preventScrollReset className="space-y-6">
      {/* Enter in a text field presses the first submit button: make that "save", not "remove row 1". */}
      <button type="submit" name="intent" value="save" tabIndex={-1} aria-hidden="true" className="sr-only">
        {submitLabel}
      </button>
      {version ? <input type="hidden" name="version" value={version} /> : null}

      {hasProblems ? (
        <div ref={summaryRef} tabIndex={-1} className="focus:outline-none">
          <Alert>
            {errors?.formError ? <p className="font-medium">{errors.formError}</p> : null}
            {problems.length > 0 ? (
              <>
                <p className="font-medium">
                  {errors?.formError ? "Also fix" : "The template wasn't saved. Fix"}{" "}
                  {problems.length === 1 ? "this problem" : `these ${problems.length} problems`}; everything you typed is kept.
                </p>
                <ul className="mt-2 list-disc space-y-1 pl-5">
                  {problems.map((p, i) => (
                    <li key={i}>
                      {p.href ? (
                        <a href={p.href} className="underline hover:no-underline">
                          {p.text}
                        </a>
                      ) : (
                        p.text
                      )}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </Alert>
        </div>
      ) : null}

      <div key={revision ?? "initial"} className="space-y-6">
        <Card className="space-y-4 p-4 sm:p-6">
          <TextField
            label="Name"
            name="name"
            required
            maxLength={TEMPLATE_LIMITS.name + 50}
            defaultValue={values.name}
            error={fieldErrors.name}
            hint="Reps pick templates by name when they start a plan, e.g. “Enterprise purchase”."
          />
          <TextAreaField
            label="Description (optional)"
            name="description"
            rows={2}
            defaultValue={values.description}
            error={fieldErrors.description}
            hint="When to use this template: the kind of buyer, deal size or product."
          />
        </Card>

        <section aria-labelledby="milestones-heading" className="space-y-3">
          <div>
            <h2 id="milestones-heading" className="text-base font-semibold text-slate-900">
              Milestones
            </h2>
            <p className="mt-1 max-w-3xl text-sm text-slate-600">
              In the order they usually happen. Durations and lags are in working days (0 days = an event, like a signature).{" "}
              <span className="font-medium">Depends on</span> lists the rows that must finish first, e.g. “1, 3”; the lag is the wait after them. Blank rows are
              left out.
            </p>
          </div>

          <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-700">
            <span>
              The <span className="font-medium">close</span> is the signature: its date is the forecast close date.
            </span>
            <label className="inline-flex items-center gap-2">
              <input type="radio" name="close" value="" defaultChecked={values.close === ""} className="h-4 w-4 accent-brand-600" />
              No close milestone
            </label>
          </div>

          <Card className="divide-y divide-slate-100">
            <div aria-hidden="true" className={cx("hidden px-4 py-2 text-xs font-semibold uppercase tracking-wide text-slate-500", rowGrid)}>
              <span>#</span>
              <span>Title</span>
              <span>Owner side</span>
              <span>Duration</span>
              <span>Lag</span>
              <span>Depends on</span>
              <span>Close</span>
              <span className="sr-only">Remove</span>
            </div>
            {values.rows.map((row, i) => (
              <MilestoneRow key={i} n={i + 1} row={row} isClose={values.close === String(i + 1)} errors={errorsByRow.get(i + 1) ?? []} />
            ))}
          </Card>
        </section>
      </div>

      <div className="flex flex-col-reverse gap-3 sm:flex-row sm:items-center sm:justify-between">
        <Button type="submit" name="intent" value="add-rows" kind="secondary" formNoValidate disabled={values.rows.length >= MAX_FORM_ROWS}>
          Add {ADD_ROWS_STEP} more rows
        </Button>
        <div className="flex flex-col-reverse gap-3 sm:flex-row">
          <ButtonLink to={cancelTo} kind="ghost">
            Cancel
          </ButtonLink>
          <Button type="submit" name="intent" value="save" disabled={busy}>
            {busy ? "Saving…" : submitLabel}
          </Button>
        </div>
      </div>
    </Form>
  );
}

function MilestoneRow({ n, row, isClose, errors }: { n: number; row: TemplateFormRow; isClose: boolean; errors: TemplateRowError[] }) {
  const errorId = `row-${n}-errors`;
  const invalid = (field: TemplateField) => errors.some((e) => (e.field ?? "title") === field);
  const aria = (field: TemplateField) => (invalid(field) ? { "aria-invalid": true as const, "aria-describedby": errorId } : {});
  const descriptionPreview = row.description.trim().replace(/\s+/g, " ");
  return (
    <fieldset className={cx("px-4 py-3", errors.length > 0 && "bg-red-50/50")}>
      <legend className="sr-only">Row {n}</legend>
      <div className={cx("grid grid-cols-2 gap-3 sm:grid-cols-6", rowGrid)}>
        <div aria-hidden="true" className="col-span-2 text-sm font-semibold tabular-nums text-slate-500 sm:col-span-6 lg:col-span-1 lg:pt-1.5">
          <span className="lg:hidden">Row </span>
          {n}
        </div>
        <div className="col-span-2 sm:col-span-6 lg:col-span-1">
          <label htmlFor={fieldId(n, "title")} className={cellLabel}>
            Title
          </label>
          <input
            id={fieldId(n, "title")}
            name={fieldName(n, "title")}
            defaultValue={row.title}
            maxLength={TEMPLATE_LIMITS.title + 50}
            placeholder={n === 1 ? "e.g. Security review" : undefined}
            className={cellInput}
            {...aria("title")}
          />
        </div>
        <div className="sm:col-span-2 lg:col-span-1">
          <label htmlFor={fieldId(n, "ownerSide")} className={cellLabel}>
            Owner side
          </label>
          <select
            id={fieldId(n, "ownerSide")}
            name={fieldName(n, "ownerSide")}
            defaultValue={row.ownerSide}
            className={cx(cellInput, "pr-7")}
            {...aria("ownerSide")}
          >
            <option value="">Choose…</option>
            {OWNER_SIDES.map((side) => (
              <option key={side} value={side}>
                {OWNER_SIDE_LABELS[side]}
              </option>
            ))}
          </select>
        </div>
        <div className="sm:col-span-1 lg:col-span-1">
          <label htmlFor={fieldId(n, "duration")} className={cellLabel}>
            Duration
          </label>
          <input
            id={fieldId(n, "duration")}
            name={fieldName(n, "duration")}
            defaultValue={row.duration}
            inputMode="numeric"
            placeholder="days"
            className={cellInput}
            {...aria("duration")}
          />
        </div>
        <div className="sm:col-span-1 lg:col-span-1">
          <label htmlFor={fieldId(n, "lag")} className={cellLabel}>
            Lag
          </label>
          <input
            id={fieldId(n, "lag")}
            name={fieldName(n, "lag")}
            defaultValue={row.lag}
            inputMode="numeric"
            placeholder="0"
            className={cellInput}
            {...aria("lag")}
          />
        </div>
        <div className="sm:col-span-2 lg:col-span-1">
          <label htmlFor={fieldId(n, "dependsOn")} className={cellLabel}>
            Depends on
          </label>
          <input
            id={fieldId(n, "dependsOn")}
            name={fieldName(n, "dependsOn")}
            defaultValue={row.dependsOn}
            placeholder={n > 1 ? "e.g. 1, 2" : undefined}
            className={cellInput}
            {...aria("dependsOn")}
          />
        </div>
        <div className="flex items-center gap-2 sm:col-span-3 lg:col-span-1 lg:pt-2">
          <input
            type="radio"
            id={fieldId(n, "close")}
            name="close"
            value={String(n)}
            defaultChecked={isClose}
            className="h-4 w-4 accent-brand-600"
            {...aria("close")}
          />
          <label htmlFor={fieldId(n, "close")} className="text-sm text-slate-700">
            Close<span className="sr-only"> (row {n} is the signature)</span>
          </label>
        </div>
        <div className="flex justify-end sm:col-span-3 lg:col-span-1">
          <button
            type="submit"
            name="intent"
            value={`remove-${n}`}
            formNoValidate
            aria-label={`Remove row ${n}`}
            className="rounded-md px-2.5 py-1.5 text-xs font-medium text-slate-500 hover:bg-slate-100 hover:text-red-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500"
          >
            Remove
          </button>
        </div>
        <details className="col-span-2 sm:col-span-6 lg:col-start-2 lg:col-end-9" open={invalid("description") || undefined}>
          <summary className="cursor-pointer truncate rounded text-xs text-slate-500 hover:text-slate-800">
            {descriptionPreview ? (
              <>
                Description: <span className="text-slate-700">{descriptionPreview}</span>
              </>
            ) : (
              "Add a description"
            )}
          </summary>
          <label htmlFor={fieldId(n, "description")} className="sr-only">
            Description of row {n}
          </label>
          <textarea
            id={fieldId(n, "description")}
            name={fieldName(n, "description")}
            defaultValue={row.description}
            rows={2}
            className={cx(cellInput, "mt-2")}
            {...aria("description")}
          />
        </details>
      </div>
      {errors.length > 0 ? (
        <ul id={errorId} className="mt-2 space-y-0.5 text-sm text-red-700 lg:pl-11">
          {errors.map((e, i) => (
            <li key={i}>{e.problem.charAt(0).toUpperCase() + e.problem.slice(1)}.</li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}
