import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fiscalQuarterOf } from "~/domain/fiscal-quarters";
import { countPushes, isFlaggedForPushes, isQuarterPush, quarterStarts } from "~/domain/forecast-pushes";

describe("pushes into later quarters", () => {
  const start = 2; // quarters: Feb–Apr, May–Jul, Aug–Oct, Nov–Jan

  it("counts only changes that cross into a later fiscal quarter", () => {
    expect(isQuarterPush({ oldDate: "2027-04-30", newDate: "2027-05-01" }, start)).toBe(true);
    expect(isQuarterPush({ oldDate: "2027-02-01", newDate: "2027-04-30" }, start)).toBe(false); // same quarter
    expect(isQuarterPush({ oldDate: "2027-05-01", newDate: "2027-04-30" }, start)).toBe(false); // pulled in
    expect(isQuarterPush({ oldDate: "2027-01-31", newDate: "2027-02-01" }, start)).toBe(true); // across the fiscal year
    expect(isQuarterPush({ oldDate: "2027-01-31", newDate: "2027-02-01" }, 1)).toBe(false); // same quarter with a January start
    expect(isQuarterPush({ oldDate: null, newDate: "2027-09-01" }, start)).toBe(false); // first date
    expect(isQuarterPush({ oldDate: "2027-03-01", newDate: null }, start)).toBe(false); // cleared
  });

  it("counts a jump over several quarters once, and a push after a pull-in again", () => {
    const history = [
      { oldDate: null, newDate: "2027-03-10" }, // set (Q1)
      { oldDate: "2027-03-10", newDate: "2027-03-28" }, // within Q1
      { oldDate: "2027-03-28", newDate: "2027-09-15" }, // Q1 → Q3: one push
      { oldDate: "2027-09-15", newDate: "2027-06-01" }, // pulled into Q2
      { oldDate: "2027-06-01", newDate: "2027-08-01" }, // Q2 → Q3: a push again
    ];
    expect(countPushes(history, start)).toBe(2);
    expect(isFlaggedForPushes(countPushes(history, start))).toBe(true);
    expect(countPushes(history.slice(0, 3), start)).toBe(1);
    expect(isFlaggedForPushes(1)).toBe(false);
    expect(countPushes([], start)).toBe(0);
  });

  it("lists quarter starts around today for SQL's width_bucket", () => {
    const starts = quarterStarts("2026-12-02", 2, 2);
    expect(starts).toEqual(["2026-05-01", "2026-08-01", "2026-11-01", "2027-02-01", "2027-05-01", "2027-08-01"]);
    const bucket = (d: string) => starts.filter((b) => b <= d).length;
    for (const [a, b] of [
      ["2026-11-01", "2027-01-31"],
      ["2026-10-31", "2026-11-01"],
      ["2027-02-01", "2027-07-31"],
    ]) {
      expect(bucket(b) > bucket(a)).toBe(isQuarterPush({ oldDate: a, newDate: b }, 2));
    }
  });

  it("agrees with comparing quarter labels chronologically", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 12 }), (s, offsets) => {
        const dates = offsets.map((o) => new Date(Date.UTC(2026, 0, 1 + o)).toISOString().slice(0, 10));
        const history = dates.map((d, i) => ({ oldDate: i === 0 ? null : dates[i - 1], newDate: d }));
        const byStart = (d: string) => fiscalQuarterOf(d, s).start;
        const expected = history.filter((h) => h.oldDate && byStart(h.newDate) > byStart(h.oldDate)).length;
        expect(countPushes(history, s)).toBe(expected);
      }),
    );
  });
});
