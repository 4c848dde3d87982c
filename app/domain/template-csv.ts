/**
 * Template CSV import: `parseTemplateCsv` reads CSV (or tab-separated text pasted from a
 * spreadsheet), maps its header to the template's fields and hands the rows to
 * `validateTemplateRows` (template-rows.ts), numbered as the spreadsheet numbers them.
 */

import { parseCsvRecords } from "~/domain/csv";
import {
  rowError,
  TEMPLATE_FIELD_NAMES,
  TEMPLATE_LIMITS,
  validateTemplateRows,
  type RawTemplateRow,
  type TemplateField,
  type TemplateRowError,
  type TemplateRowsResult,
} from "~/domain/template-rows";
import { listWords, quote } from "~/domain/words";

const HEADER_ALIASES: Record<TemplateField, string[]> = {
  title: ["title", "milestone", "milestonetitle", "name"],
  ownerSide: ["ownerside", "owner", "side"],
  duration: ["duration", "durationdays", "days", "workingdays"],
  dependsOn: ["dependson", "depends", "dependencies", "predecessors", "after"],
  lag: ["lag", "lagdays", "wait", "waitdays"],
  description: ["description", "details"],
  close: ["close", "isclose", "closemilestone"],
};
const REQUIRED_COLUMNS: TemplateField[] = ["title", "ownerSide", "duration"];

function headerKey(cell: string): string {
  return cell.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export const EXAMPLE_TEMPLATE_CSV = [
  "title,owner side,duration,depends on,lag,close",
  "Discovery workshop,joint,2,,,",
  "Security review,buyer,10,2,,",
  "Legal redlines,joint,8,Security review,2,",
  "Order form signature,buyer,0,4,,yes",
  "Kickoff,joint,1,5,,",
].join("\n");

/**
 * Parses a template CSV: a header row (`title, owner side, duration, depends on, lag`, optional
 * `description` and `close`; names case-, space- and underscore-insensitive, unknown columns
 * ignored), then one milestone per row. Tab-separated text pasted from a spreadsheet works too.
 */
export function parseTemplateCsv(input: string): TemplateRowsResult {
  const text = input.replace(/^\uFEFF/, "");
  if (text.trim() === "") {
    return { ok: false, errors: [rowError(0, `The file is empty. The first row must name the columns, e.g. "title, owner side, duration, depends on, lag".`)] };
  }
  const firstLine = text.split(/\r\n|\r|\n/, 1)[0];
  const delimiter = firstLine.includes("\t") && !firstLine.includes(",") ? "\t" : ",";
  const parsed = parseCsvRecords(text, delimiter);
  if (!parsed.ok) {
    // Record 0 is the header (about the whole file); record k is the spreadsheet's row k + 1.
    return { ok: false, errors: [parsed.record === 0 ? rowError(0, `Header: ${parsed.problem}`) : rowError(parsed.record + 1, parsed.problem)] };
  }

  const [header, ...body] = parsed.records;
  const columns = new Map<TemplateField, { index: number; name: string }>();
  const headerErrors: TemplateRowError[] = [];
  header.cells.forEach((cell, index) => {
    const key = headerKey(cell);
    const field = (Object.keys(HEADER_ALIASES) as TemplateField[]).find((f) => HEADER_ALIASES[f].includes(key));
    if (!field) return; // a column of the rep's own (notes, owner name…) is fine to leave out
    const existing = columns.get(field);
    if (existing) {
      headerErrors.push(
        rowError(0, `The header has two ${TEMPLATE_FIELD_NAMES[field]} columns (${quote(existing.name)} and ${quote(cell.trim())}); keep one.`),
      );
      return;
    }
    columns.set(field, { index, name: cell.trim() });
  });
  const missing = REQUIRED_COLUMNS.filter((f) => !columns.has(f));
  if (missing.length > 0) {
    const found = header.cells.map((c) => c.trim()).filter(Boolean);
    let hint = "";
    if (delimiter === "," && header.cells.length === 1 && firstLine.includes(";")) {
      hint = " The columns look separated by semicolons: export the file as comma-separated CSV.";
    }
    headerErrors.push(
      rowError(
        0,
        `The header row needs ${missing.length === 1 ? "a column" : "columns"} named ${listWords(missing.map((f) => quote(TEMPLATE_FIELD_NAMES[f])))}` +
          ` (found ${found.length > 0 ? listWords(found.map(quote)) : "nothing"}).${hint}`,
      ),
    );
  }
  if (headerErrors.length > 0) return { ok: false, errors: headerErrors };

  // Count data rows before looking at them: a huge file is refused without a thousand messages.
  const lastFilled = body.reduce((last, r, i) => (r.cells.some((c) => c.trim() !== "") ? i + 1 : last), 0);
  if (lastFilled > TEMPLATE_LIMITS.milestones) {
    const filled = body.filter((r) => r.cells.some((c) => c.trim() !== "")).length;
    if (filled > TEMPLATE_LIMITS.milestones) {
      return { ok: false, errors: [rowError(0, `The file has ${filled} milestone rows; a template can hold at most ${TEMPLATE_LIMITS.milestones}.`)] };
    }
  }

  const cellOf = (cells: string[], field: TemplateField) => {
    const column = columns.get(field);
    return column ? (cells[column.index] ?? "") : "";
  };
  // Numbered as the spreadsheet shows them: the header is row 1.
  const rows: RawTemplateRow[] = body.slice(0, lastFilled).map((record, i) => ({
    row: i + 2,
    title: cellOf(record.cells, "title"),
    description: cellOf(record.cells, "description"),
    ownerSide: cellOf(record.cells, "ownerSide"),
    duration: cellOf(record.cells, "duration"),
    lag: cellOf(record.cells, "lag"),
    dependsOn: cellOf(record.cells, "dependsOn"),
    close: cellOf(record.cells, "close"),
  }));
  const columnNames = Object.fromEntries([...columns].map(([field, c]) => [field, c.name || TEMPLATE_FIELD_NAMES[field]]));
  return validateTemplateRows(rows, {
    columnNames,
    ownerSideCountsAsContent: true,
    emptyMessage: "The file has a header row but no milestones under it.",
    source: "file",
    firstRow: 2,
  });
}
