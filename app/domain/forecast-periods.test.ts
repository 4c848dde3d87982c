import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketBoundaries, describeRange, forecastPeriods, parsePeriodKey, periodContains, periodOfBucket, rollupPeriods } from "~/domain/forecast-periods";

describe("forecast periods", () => {
  it("gives this quarter, next quarter, the months from the current one, and the rest", () => {
    const p = forecastPeriods("2026-12-02", 2, 6);
    expect(p.thisQuarter).toEqual({ key: "FY2027-Q4", kind: "quarter", label: "FY2027 Q4", start: "2026-11-01", end: "2027-02-01" });
    expect(p.nextQuarter).toEqual({ key: "FY2028-Q1", kind: "quarter", label: "FY2028 Q1", start: "2027-02-01", end: "2027-05-01" });
    expect(p.months.map((m) => [m.key, m.label, m.start, m.end])).toEqual([
      ["2026-12", "Dec 2026", "2026-12-01", "2027-01-01"],
      ["2027-01", "Jan 2027", "2027-01-01", "2027-02-01"],
      ["2027-02", "Feb 2027", "2027-02-01", "2027-03-01"],
      ["2027-03", "Mar 2027", "2027-03-01", "2027-04-01"],
      ["2027-04", "Apr 2027", "2027-04-01", "2027-05-01"],
      ["2027-05", "May 2027", "2027-05-01", "2027-06-01"],
    ]);
    expect(p.earlier).toMatchObject({ key: "earlier", label: "Before FY2027 Q4", start: null, end: "2026-11-01" });
    expect(p.later).toMatchObject({ key: "later", label: "After FY2028 Q1", start: "2027-05-01", end: null });
    expect(rollupPeriods(p).map((x) => x.key)).toEqual([
      "earlier",
      "FY2027-Q4",
      "FY2028-Q1",
      "later",
      "2026-12",
      "2027-01",
      "2027-02",
      "2027-03",
      "2027-04",
      "2027-05",
      "none",
    ]);
  });

  it("puts every date in exactly one of earlier / this quarter / next quarter / later", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }),
        fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }),
        (start, t, d) => {
          const today = t.toISOString().slice(0, 10);
          const date = d.toISOString().slice(0, 10);
          const p = forecastPeriods(today, start);
          const hits = [p.earlier, p.thisQuarter, p.nextQuarter, p.later].filter((x) => periodContains(x, date));
          expect(hits).toHaveLength(1);
          expect(periodContains(p.none, date)).toBe(false);
          expect(periodContains(p.all, date)).toBe(true);
        },
      ),
    );
  });

  it("gives width_bucket boundaries for contiguous periods and maps buckets back", () => {
    const p = forecastPeriods("2026-12-02", 2, 3);
    const partition = [p.earlier, p.thisQuarter, p.nextQuarter, p.later];
    expect(bucketBoundaries(partition)).toEqual(["2026-11-01", "2027-02-01", "2027-05-01"]);
    expect([0, 1, 2, 3].map((b) => periodOfBucket(partition, b)?.key)).toEqual(["earlier", "FY2027-Q4", "FY2028-Q1", "later"]);
    expect(periodOfBucket(partition, 4)).toBeNull();
    expect(periodOfBucket(partition, null)).toBeNull();
    expect(bucketBoundaries(p.months)).toEqual(["2026-12-01", "2027-01-01", "2027-02-01", "2027-03-01"]);
    // width_bucket: 0 below the first boundary, n above the last.
    expect([0, 1, 2, 3, 4].map((b) => periodOfBucket(p.months, b)?.key ?? null)).toEqual([null, "2026-12", "2027-01", "2027-02", null]);
    expect(() => bucketBoundaries([p.thisQuarter, p.months[1]])).toThrow(RangeError);
    expect(() => bucketBoundaries([p.later, p.earlier])).toThrow(RangeError);
  });

  it("agrees with periodContains about which bucket a date falls in", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: -400, max: 800 }), (start, offset) => {
        const p = forecastPeriods("2026-12-02", start, 6);
        const date = new Date(Date.UTC(2026, 11, 2 + offset)).toISOString().slice(0, 10);
        for (const periods of [[p.earlier, p.thisQuarter, p.nextQuarter, p.later], p.months]) {
          const bounds = bucketBoundaries(periods);
          const bucket = bounds.filter((b) => b <= date).length; // what width_bucket answers
          const expected = periods.find((x) => periodContains(x, date)) ?? null;
          expect(periodOfBucket(periods, bucket)?.key ?? null).toBe(expected?.key ?? null);
        }
      }),
    );
  });

  it("parses period keys, relative ones against today", () => {
    expect(parsePeriodKey("FY2027-Q4", "2026-12-02", 2)).toMatchObject({ kind: "quarter", start: "2026-11-01", end: "2027-02-01" });
    expect(parsePeriodKey("2027-02", "2026-12-02", 2)).toMatchObject({ kind: "month", label: "Feb 2027", start: "2027-02-01", end: "2027-03-01" });
    expect(parsePeriodKey("earlier", "2026-12-02", 2)).toMatchObject({ end: "2026-11-01" });
    expect(parsePeriodKey("later", "2026-12-02", 2)).toMatchObject({ start: "2027-05-01" });
    expect(parsePeriodKey("none", "2026-12-02", 2)?.kind).toBe("none");
    expect(parsePeriodKey("all", "2026-12-02", 2)?.kind).toBe("all");
    for (const bad of ["", "2027-13", "2027-00", "FY2027-Q0", "Q1", "2027", "x".repeat(50), "2027-02-01", "constructor", null, undefined]) {
      expect(parsePeriodKey(bad, "2026-12-02", 2)).toBeNull();
    }
  });

  it("tests membership with an inclusive start and an exclusive end", () => {
    const q = parsePeriodKey("FY2026-Q1", "2026-02-01", 1)!;
    expect(periodContains(q, "2026-01-01")).toBe(true);
    expect(periodContains(q, "2026-03-31")).toBe(true);
    expect(periodContains(q, "2026-04-01")).toBe(false);
    expect(periodContains(q, "2025-12-31")).toBe(false);
    expect(periodContains(q, null)).toBe(false);
    expect(periodContains(parsePeriodKey("none", "2026-02-01", 1)!, null)).toBe(true);
  });

  it("writes ranges in words", () => {
    expect(describeRange(parsePeriodKey("FY2027-Q4", "2026-12-02", 2)!)).toBe("1 Nov 2026 – 31 Jan 2027");
    expect(describeRange(parsePeriodKey("2028-02", "2026-12-02", 2)!)).toBe("1 Feb – 29 Feb 2028");
    expect(describeRange(parsePeriodKey("later", "2026-12-02", 2)!)).toBe("");
  });
});
