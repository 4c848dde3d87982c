import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fiscalQuarterAt, fiscalQuarterIndex, fiscalQuarterOf, fiscalYearOf, parseQuarterKey } from "~/domain/fiscal-quarters";
import { dayBefore } from "~/domain/calendar";

describe("fiscal quarters", () => {
  it("uses the calendar year with a January start", () => {
    expect(fiscalQuarterOf("2026-01-01", 1)).toMatchObject({
      fiscalYear: 2026,
      quarter: 1,
      label: "FY2026 Q1",
      key: "FY2026-Q1",
      start: "2026-01-01",
      end: "2026-04-01",
    });
    expect(fiscalQuarterOf("2026-03-31", 1).label).toBe("FY2026 Q1");
    expect(fiscalQuarterOf("2026-04-01", 1).label).toBe("FY2026 Q2");
    expect(fiscalQuarterOf("2026-12-31", 1)).toMatchObject({ label: "FY2026 Q4", start: "2026-10-01", end: "2027-01-01" });
  });

  it("names the fiscal year by the calendar year in which it ends", () => {
    // February start (the demo organisation): 1 Feb 2026 – 31 Jan 2027 is FY2027.
    expect(fiscalQuarterOf("2026-02-01", 2)).toMatchObject({ fiscalYear: 2027, quarter: 1, start: "2026-02-01", end: "2026-05-01" });
    expect(fiscalQuarterOf("2026-01-31", 2)).toMatchObject({ fiscalYear: 2026, quarter: 4, start: "2025-11-01", end: "2026-02-01" });
    expect(fiscalQuarterOf("2027-01-15", 2)).toMatchObject({ label: "FY2027 Q4", start: "2026-11-01", end: "2027-02-01" });
    // April start: 1 Apr 2026 – 31 Mar 2027 is FY2027; Q3 is Oct–Dec.
    expect(fiscalQuarterOf("2026-11-30", 4)).toMatchObject({ label: "FY2027 Q3", start: "2026-10-01", end: "2027-01-01" });
    expect(fiscalQuarterOf("2027-03-31", 4)).toMatchObject({ label: "FY2027 Q4", start: "2027-01-01", end: "2027-04-01" });
    // December start: the quarter straddles the new year.
    expect(fiscalQuarterOf("2026-12-01", 12)).toMatchObject({ label: "FY2027 Q1", start: "2026-12-01", end: "2027-03-01" });
    expect(fiscalQuarterOf("2027-02-28", 12).label).toBe("FY2027 Q1");
    expect(fiscalQuarterOf("2026-11-30", 12)).toMatchObject({ label: "FY2026 Q4", start: "2026-09-01", end: "2026-12-01" });
    expect(fiscalYearOf("2026-06-30", 7)).toBe(2026);
    expect(fiscalYearOf("2026-07-01", 7)).toBe(2027);
  });

  it("handles leap days and the first and last years", () => {
    expect(fiscalQuarterOf("2028-02-29", 3)).toMatchObject({ label: "FY2028 Q4", start: "2027-12-01", end: "2028-03-01" });
    expect(fiscalQuarterOf("0001-01-01", 1).label).toBe("FY1 Q1");
    expect(fiscalQuarterOf("9999-12-31", 1)).toMatchObject({ label: "FY9999 Q4", start: "9999-10-01" });
  });

  it("numbers consecutive quarters consecutively, whatever the start month", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2, max: 9000 }), fc.integer({ min: 1, max: 12 }), (start, year, month) => {
        const q = fiscalQuarterOf(`${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-15`, start);
        const next = fiscalQuarterAt(q.index + 1, start);
        expect(next.start).toBe(q.end);
        expect(fiscalQuarterIndex(q.start, start)).toBe(q.index);
        expect(fiscalQuarterIndex(dayBefore(q.end), start)).toBe(q.index);
        expect(fiscalQuarterIndex(q.end, start)).toBe(q.index + 1);
        expect(next.quarter).toBe(q.quarter === 4 ? 1 : q.quarter + 1);
        expect(next.fiscalYear).toBe(q.quarter === 4 ? q.fiscalYear + 1 : q.fiscalYear);
        expect(parseQuarterKey(q.key, start)).toEqual(q);
      }),
    );
  });

  it("starts Q1 in the start month", () => {
    for (let start = 1; start <= 12; start++) {
      const q1 = fiscalQuarterOf(`2026-${String(start).padStart(2, "0")}-10`, start);
      expect(q1.quarter).toBe(1);
      expect(q1.start).toBe(`2026-${String(start).padStart(2, "0")}-01`);
      expect(q1.fiscalYear).toBe(start === 1 ? 2026 : 2027);
    }
  });

  it("refuses bad input", () => {
    expect(() => fiscalQuarterOf("2026-02-30", 1)).toThrow(RangeError);
    expect(() => fiscalQuarterOf("2026-1-1", 1)).toThrow(RangeError);
    expect(() => fiscalQuarterOf("2026-01-01", 0)).toThrow(RangeError);
    expect(() => fiscalQuarterOf("2026-01-01", 13)).toThrow(RangeError);
    expect(() => fiscalQuarterOf("2026-01-01", 2.5)).toThrow(RangeError);
    expect(parseQuarterKey("FY2027-Q5", 2)).toBeNull();
    expect(parseQuarterKey("FY2027Q1", 2)).toBeNull();
    expect(parseQuarterKey("fy2027-q1", 2)).toBeNull();
  });

  it("parses a quarter key back to the quarter's dates", () => {
    expect(parseQuarterKey("FY2027-Q1", 2)).toMatchObject({ start: "2026-02-01", end: "2026-05-01" });
    expect(parseQuarterKey("FY2027-Q4", 4)).toMatchObject({ start: "2027-01-01", end: "2027-04-01" });
    expect(parseQuarterKey("FY2026-Q3", 1)).toMatchObject({ start: "2026-07-01", end: "2026-10-01" });
  });
});
