/**
 * Templates as reps write them: rows of milestones, typed into the template form or read from a
 * CSV file (template-csv.ts). `validateTemplateRows` turns raw rows of strings into milestones,
 * or into per-row errors with human messages ("Row 4: duration must be a whole number of working
 * days (got "two")"). Pure: the form, the CSV import and the server share these rules, and the
 * browser bundle imports this module.
 *
 * Rows are numbered as the person sees them: in the form from 1 (its first milestone), in a CSV
 * as the spreadsheet numbers them (the header is row 1, so the first milestone is row 2). Errors
 * and "depends on" use those same numbers, or titles.
 */

import type { OwnerSide } from "~/domain/owner-side";
import { checkTemplateGraph } from "~/domain/template-graph";
import { listWords, plural, quote } from "~/domain/words";

// ---------------------------------------------------------------------------------------------
// Shared rules and names
// ---------------------------------------------------------------------------------------------

/** The database's limits (db/migrations) and the product's, in one place. */
export const TEMPLATE_LIMITS = {
  milestones: 200,
  name: 200,
  description: 2000,
  title: 200,
  milestoneDescription: 5000,
  days: 1000,
  csvBytes: 200 * 1024,
  reportedErrors: 100,
} as const;

export interface TemplateMilestoneInput {
  key: string; // the caller's handle for dependencies (a row number, a title)
  title: string;
  description?: string;
  ownerSide: OwnerSide;
  durationDays: number;
  lagDays?: number;
  isClose?: boolean;
  dependsOn?: string[]; // keys
}

export type TemplateField = "title" | "description" | "ownerSide" | "duration" | "lag" | "dependsOn" | "close";

export const TEMPLATE_FIELD_NAMES: Record<TemplateField, string> = {
  title: "title",
  description: "description",
  ownerSide: "owner side",
  duration: "duration",
  lag: "lag",
  dependsOn: "depends on",
  close: "close",
};

export interface TemplateRowError {
  /** 1 = the first milestone row; 0 = about the whole file or form (the header, the row count). */
  row: number;
  /** The column as the user knows it: the CSV header as written, or the form field's name. */
  column?: string;
  /** Which field the error belongs to, so a form can show it beside the input. */
  field?: TemplateField;
  /** The full sentence, e.g. `Row 4: duration must be a whole number of working days (got "two")`. */
  message: string;
  /** The same without the "Row 4: " prefix, for a table that already shows the row. */
  problem: string;
}

export type TemplateRowsResult = { ok: true; milestones: TemplateMilestoneInput[] } | { ok: false; errors: TemplateRowError[] };

/** One row as typed: every value a string, exactly as the user wrote it. */
export interface RawTemplateRow {
  row: number;
  title: string;
  description: string;
  ownerSide: string;
  duration: string;
  lag: string;
  dependsOn: string;
  close: string;
}

export function rowError(row: number, problem: string, field?: TemplateField, column?: string): TemplateRowError {
  const error: TemplateRowError = { row, problem, message: row > 0 ? `Row ${row}: ${problem}` : problem };
  if (field) {
    error.field = field;
    error.column = column ?? TEMPLATE_FIELD_NAMES[field];
  }
  return error;
}

/** Keeps a report readable: the first problems, then a count of the rest. */
function capErrors(errors: TemplateRowError[]): TemplateRowError[] {
  const max = TEMPLATE_LIMITS.reportedErrors;
  if (errors.length <= max) return errors;
  const rest = errors.length - max;
  return [...errors.slice(0, max), rowError(0, `…and ${plural(rest, "more problem")} not listed here. Fix these first and try again.`)];
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

const OWNER_SIDE_ALIASES: Record<string, OwnerSide> = {
  buyer: "buyer",
  customer: "buyer",
  seller: "seller",
  vendor: "seller",
  joint: "joint",
  both: "joint",
};

/** A whole number of working days, accepting "5", "5 days", "5d"; null when it is not one. */
function readDays(raw: string): { days: number } | { problem: "not_whole" | "negative" | "too_large"; value: number | null } {
  const text = raw
    .trim()
    .toLowerCase()
    .replace(/\s*(working days?|days?|d)$/, "");
  if (/^-\d+(\.0+)?$/.test(text)) return { problem: "negative", value: Number(text) };
  if (!/^\d+(\.0+)?$/.test(text)) return { problem: "not_whole", value: null };
  const days = Number(text);
  if (days > TEMPLATE_LIMITS.days) return { problem: "too_large", value: days };
  return { days };
}

function daysProblem(what: "duration" | "lag", raw: string, result: { problem: string; value: number | null }): string {
  const max = TEMPLATE_LIMITS.days;
  if (result.problem === "negative") return `${what} can't be negative (got ${quote(raw.trim())})`;
  if (result.problem === "too_large") return `${what} can be at most ${max} working days (got ${result.value})`;
  return `${what} must be a whole number of working days (got ${quote(raw.trim())})`;
}

const YES = new Set(["yes", "y", "true", "1", "x", "close", "✓", "✔"]);
const NO = new Set(["", "no", "n", "false", "0", "-"]);

function readClose(raw: string): boolean | null {
  const value = raw.trim().toLowerCase();
  if (YES.has(value)) return true;
  if (NO.has(value)) return false;
  return null;
}

function normaliseTitle(title: string): string {
  return title.trim().replace(/\s+/g, " ").toLowerCase();
}

/**
 * Splits a "depends on" cell: ";" or "|" separate entries (titles may contain commas); an entry
 * that is a list of row numbers ("1, 3" or "1 3") is split too.
 */
export function splitDependsOn(raw: string): string[] {
  const entries: string[] = [];
  for (const part of raw.split(/[;|]/)) {
    const entry = part.trim();
    if (entry === "") continue;
    if (/^#?\d+([\s,]+#?\d+)+$/.test(entry)) entries.push(...entry.split(/[\s,]+/));
    else entries.push(entry);
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Rows → milestones
// ---------------------------------------------------------------------------------------------

export interface ValidateRowsOptions {
  /** Human column names to use in errors (the CSV's header as written). */
  columnNames?: Partial<Record<TemplateField, string>>;
  /** Does an owner side alone make a row non-blank? Yes for CSV; no for a form's default select. */
  ownerSideCountsAsContent?: boolean;
  /** What to say when every row is blank. */
  emptyMessage?: string;
  /** Where the rows come from, for messages ("not a title in this file"). */
  source?: "file" | "template";
  /** The number of the first milestone row: 1 in the form, 2 in a spreadsheet (row 1 is its header). */
  firstRow?: number;
}

function isBlankRow(row: RawTemplateRow, ownerSideCounts: boolean): boolean {
  const texts = [row.title, row.description, row.duration, row.lag, row.dependsOn];
  if (ownerSideCounts) texts.push(row.ownerSide);
  return texts.every((t) => t.trim() === "") && readClose(row.close) !== true;
}

/**
 * Validates rows typed by a person. Blank rows are skipped (but keep their number, so row
 * references stay what the user sees). Returns every problem found, not just the first.
 */
export function validateTemplateRows(rows: RawTemplateRow[], options: ValidateRowsOptions = {}): TemplateRowsResult {
  // Messages name fields in plain words; `column` keeps the header as the user wrote it.
  const column = (field: TemplateField) => TEMPLATE_FIELD_NAMES[field];
  const err = (row: number, problem: string, field?: TemplateField) =>
    rowError(row, problem, field, field ? (options.columnNames?.[field] ?? TEMPLATE_FIELD_NAMES[field]) : undefined);
  const source = options.source ?? "template";
  const firstRow = options.firstRow ?? 1;

  const filled = rows.filter((r) => !isBlankRow(r, options.ownerSideCountsAsContent ?? false));
  if (filled.length === 0) {
    return { ok: false, errors: [rowError(0, options.emptyMessage ?? "Add at least one milestone.")] };
  }
  if (filled.length > TEMPLATE_LIMITS.milestones) {
    return {
      ok: false,
      errors: [rowError(0, `There are ${filled.length} milestones; a template can hold at most ${TEMPLATE_LIMITS.milestones}.`)],
    };
  }

  const errors: TemplateRowError[] = [];
  const blankRows = new Set(rows.filter((r) => !filled.includes(r)).map((r) => r.row));
  const rowNumbers = new Set(filled.map((r) => r.row));
  const lastRow = rows.reduce((max, r) => Math.max(max, r.row), 0);
  const rowsByTitle = new Map<string, number[]>();
  for (const r of filled) {
    const t = normaliseTitle(r.title);
    if (t !== "") rowsByTitle.set(t, [...(rowsByTitle.get(t) ?? []), r.row]);
  }

  const milestones: TemplateMilestoneInput[] = [];
  // Every filled row's place in the dependency graph, even a row with a bad duration or owner:
  // a cycle through it is worth reporting in the same pass.
  const graph: TemplateMilestoneInput[] = [];
  for (const r of filled) {
    const before = errors.length;
    const title = r.title.trim().replace(/\s+/g, " ");
    if (title === "") errors.push(err(r.row, `${column("title")} is required`, "title"));
    else if (title.length > TEMPLATE_LIMITS.title) {
      errors.push(err(r.row, `${column("title")} is ${title.length} characters long; the limit is ${TEMPLATE_LIMITS.title}`, "title"));
    }

    const description = r.description.trim();
    if (description.length > TEMPLATE_LIMITS.milestoneDescription) {
      errors.push(
        err(r.row, `${column("description")} is ${description.length} characters long; the limit is ${TEMPLATE_LIMITS.milestoneDescription}`, "description"),
      );
    }

    const sideText = r.ownerSide.trim().toLowerCase();
    const ownerSide = OWNER_SIDE_ALIASES[sideText];
    if (sideText === "") errors.push(err(r.row, `${column("ownerSide")} is required: buyer, seller or joint`, "ownerSide"));
    else if (!ownerSide) errors.push(err(r.row, `${column("ownerSide")} must be buyer, seller or joint (got ${quote(r.ownerSide.trim())})`, "ownerSide"));

    let durationDays = 0;
    if (r.duration.trim() === "") {
      errors.push(err(r.row, `${column("duration")} is required: a whole number of working days (0 for an event such as a signature)`, "duration"));
    } else {
      const d = readDays(r.duration);
      if ("days" in d) durationDays = d.days;
      else errors.push(err(r.row, daysProblem("duration", r.duration, d), "duration"));
    }

    let lagDays = 0;
    if (r.lag.trim() !== "") {
      const l = readDays(r.lag);
      if ("days" in l) lagDays = l.days;
      else errors.push(err(r.row, daysProblem("lag", r.lag, l), "lag"));
    }

    const isClose = readClose(r.close);
    if (isClose === null) errors.push(err(r.row, `${column("close")} must be yes or no (got ${quote(r.close.trim())})`, "close"));

    const dependsOn: string[] = [];
    for (const entry of splitDependsOn(r.dependsOn)) {
      const number = /^#?(\d+)$/.exec(entry);
      let target: number | undefined;
      if (number) {
        const n = Number(number[1]);
        if (rowNumbers.has(n)) target = n;
        else if (blankRows.has(n)) errors.push(err(r.row, `${column("dependsOn")} row ${n}, which is empty`, "dependsOn"));
        else if (n < firstRow)
          errors.push(err(r.row, `${column("dependsOn")} row ${n}, which is the header; milestones start at row ${firstRow}`, "dependsOn"));
        else if (firstRow > 1) errors.push(err(r.row, `${column("dependsOn")} row ${n}, but the last row is ${lastRow}`, "dependsOn"));
        else errors.push(err(r.row, `${column("dependsOn")} row ${n}, but there ${lastRow === 1 ? "is only 1 row" : `are only ${lastRow} rows`}`, "dependsOn"));
      } else {
        const matches = rowsByTitle.get(normaliseTitle(entry)) ?? [];
        if (matches.length === 1) target = matches[0];
        else if (matches.length === 0) errors.push(err(r.row, `${column("dependsOn")} ${quote(entry)}, which is not a title in this ${source}`, "dependsOn"));
        else
          errors.push(
            err(
              r.row,
              `${column("dependsOn")} ${quote(entry)}, which is the title of rows ${listWords(matches.map(String))}; use the row number instead`,
              "dependsOn",
            ),
          );
      }
      if (target === undefined) continue;
      if (target === r.row) errors.push(err(r.row, `a milestone can't depend on itself`, "dependsOn"));
      else if (!dependsOn.includes(String(target))) dependsOn.push(String(target));
    }

    const key = String(r.row);
    const milestone = { key, title, description, ownerSide: ownerSide ?? "joint", durationDays, lagDays, isClose: isClose === true, dependsOn };
    graph.push({ ...milestone, title: title || `row ${r.row}` });
    if (errors.length === before) milestones.push(milestone);
  }

  for (const problem of checkTemplateGraph(graph)) {
    const rowOf = Number(problem.keys[0]);
    errors.push(
      err(
        problem.kind === "several_close" ? Number(problem.keys[problem.keys.length - 1]) : rowOf,
        problem.message,
        problem.kind === "cycle" ? "dependsOn" : "close",
      ),
    );
  }

  if (errors.length > 0) return { ok: false, errors: capErrors(errors.sort((a, b) => a.row - b.row)) };
  return { ok: true, milestones };
}
