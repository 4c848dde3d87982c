/*
 * CSV, read and written (RFC 4180), for the template import, the forecast export and the tests.
 * Pure: the template form's bundle may import it. Written here rather than taken from a library:
 * the import's messages name the line a quote problem starts on, and the export neutralises
 * formulas, both of which a library would need wrapping for (ADR 024).
 */

export type CsvValue = string | number | boolean | null | undefined;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or LF, with quotes doubled.
 * Text that a spreadsheet would run as a formula (starting with = + - @, or a tab or CR that some
 * spreadsheets skip) is neutralised with a leading apostrophe. Numbers are written as numbers: they
 * come from us, not from a person, and a negative number is not a formula.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: CsvValue[]): string {
  return cells.map(csvCell).join(",");
}

/** A whole CSV document: CRLF line ends, including after the last row. */
export function toCsv(header: string[], rows: CsvValue[][]): string {
  return [header, ...rows].map(csvLine).join("\r\n") + "\r\n";
}

/** RFC 4180 records. `line` is the 1-based line where each record starts. */
export function parseCsvRecords(
  text: string,
  delimiter = ",",
): { ok: true; records: Array<{ cells: string[]; line: number }> } | { ok: false; record: number; line: number; problem: string } {
  const records: Array<{ cells: string[]; line: number }> = [];
  let cells: string[] = [];
  let cell = "";
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;
  let quotedCellDone = false; // just closed a quoted cell: only a delimiter or a line end may follow

  const endRecord = () => {
    cells.push(cell);
    records.push({ cells, line: recordLine });
    cells = [];
    cell = "";
    quotedCellDone = false;
  };

  while (i < n) {
    const c = text[i];
    if (c === '"' && cell === "" && !quotedCellDone) {
      // A quoted cell: up to the next lone quote; "" is a quote; commas and newlines are text.
      const startLine = line;
      i++;
      let closed = false;
      while (i < n) {
        const q = text[i];
        if (q === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        if (q === "\r") {
          cell += "\n";
          i += text[i + 1] === "\n" ? 2 : 1;
          line++;
          continue;
        }
        if (q === "\n") line++;
        cell += q;
        i++;
      }
      if (!closed) {
        return {
          ok: false,
          record: records.length,
          line: startLine,
          problem: `a quoted value that starts on line ${startLine} is never closed: a closing " is missing`,
        };
      }
      quotedCellDone = true;
      continue;
    }
    if (c === delimiter) {
      cells.push(cell);
      cell = "";
      quotedCellDone = false;
      i++;
      continue;
    }
    if (c === "\r" || c === "\n") {
      endRecord();
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    if (quotedCellDone) {
      if (c === " " || c === "\t") {
        i++; // spaces after a closing quote are harmless
        continue;
      }
      return {
        ok: false,
        record: records.length,
        line,
        problem: `there is text after a closing quote on line ${line}. Put the whole value in quotes and write any quote inside it twice ("")`,
      };
    }
    cell += c;
    i++;
  }
  if (cell !== "" || cells.length > 0 || quotedCellDone) endRecord();
  return { ok: true, records };
}
