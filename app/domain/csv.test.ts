import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvCell, csvLine, parseCsvRecords, toCsv } from "~/domain/csv";

describe("writing CSV", () => {
  it("quotes per RFC 4180", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("cr\rhere")).toBe('"cr\rhere"');
    expect(csvCell("")).toBe("");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(42)).toBe("42");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(Number.NaN)).toBe("");
    expect(csvCell(true)).toBe("yes");
    expect(csvCell(false)).toBe("no");
    expect(csvCell("Zürich Ünïcode")).toBe("Zürich Ünïcode");
  });

  it("neutralises text a spreadsheet would run as a formula", () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell("+1 555")).toBe("'+1 555");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("=1,2")).toBe(`"'=1,2"`);
    expect(csvCell("a=b")).toBe("a=b");
  });

  it("writes a document with CRLF line ends", () => {
    expect(
      toCsv(
        ["a", "b"],
        [
          [1, "x,y"],
          [null, "=z"],
        ],
      ),
    ).toBe('a,b\r\n1,"x,y"\r\n,\'=z\r\n');
    expect(csvLine(["a", 1, null])).toBe("a,1,");
  });

  it("reads every field it writes back with the import's parser", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const width = rows[0].length;
        const table = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ""));
        const parsed = parseCsvRecords(toCsv(table[0], table.slice(1)));
        // Formulas come back with their apostrophe; a line end inside a value is read as LF.
        const expected = table.map((r) => r.map((cell) => (cell !== "" && "=+-@\t\r".includes(cell[0]) ? `'${cell}` : cell).replace(/\r\n?/g, "\n")));
        expect(parsed.ok && parsed.records.map((record) => record.cells)).toEqual(expected);
      }),
    );
  });
});

describe("reading CSV", () => {
  it("keeps empty cells, a quoted empty cell and a lone CR line ending", () => {
    const parsed = parseCsvRecords('a,,""\rb,"x"\n');
    expect(parsed).toEqual({
      ok: true,
      records: [
        { cells: ["a", "", ""], line: 1 },
        { cells: ["b", "x"], line: 2 },
      ],
    });
  });

  it("keeps a quote inside an unquoted cell as text", () => {
    expect(parseCsvRecords('5" screen,b')).toEqual({ ok: true, records: [{ cells: ['5" screen', "b"], line: 1 }] });
  });
});
