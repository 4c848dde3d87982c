import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvLine } from "./csv";
import {
  assembleRollup,
  atRiskReasons,
  bucketBoundaries,
  chooseForecastRep,
  chooseForecastScope,
  compactMoney,
  countPushes,
  dayBefore,
  describeAtRiskReason,
  describeDrillDown,
  describeRange,
  drillDownHref,
  fiscalQuarterAt,
  fiscalQuarterIndex,
  fiscalQuarterOf,
  fiscalYearOf,
  FORECAST_CSV_HEADER,
  formatMoney,
  forecastCsvRow,
  forecastPeriods,
  parseForecastWindow,
  WINDOW_QUARTERS_AHEAD,
  WINDOW_QUARTERS_BACK,
  isFlaggedForPushes,
  isQuarterPush,
  parseDrillDown,
  parsePeriodKey,
  parseQuarterKey,
  periodContains,
  periodOfBucket,
  provenanceOf,
  quarterStarts,
  quietCutoff,
  repDateGapDays,
  rollupPeriods,
  type ForecastExportPlan,
  type RollupRow,
} from "./forecast";

describe("fiscal quarters", () => {
  it("uses the calendar year with a January start", () => {
    expect(fiscalQuarterOf("2026-01-01", 1)).toMatchObject({ fiscalYear: 2026, quarter: 1, label: "FY2026 Q1", key: "FY2026-Q1", start: "2026-01-01", end: "2026-04-01" });
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
    expect(rollupPeriods(p).map((x) => x.key)).toEqual(["earlier", "FY2027-Q4", "FY2028-Q1", "later", "2026-12", "2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "none"]);
  });

  it("moves the window of quarters forward and back, within a year back and two years ahead", () => {
    const moved = forecastPeriods("2026-12-02", 2, 6, fiscalQuarterIndex("2026-12-02", 2) + 2); // FY2028 Q2 = May–Jul 2027
    expect([moved.thisQuarter.key, moved.nextQuarter.key]).toEqual(["FY2028-Q2", "FY2028-Q3"]);
    expect(moved.months[0]).toMatchObject({ key: "2027-05", start: "2027-05-01" });
    expect(moved.earlier.label).toBe("Before FY2028 Q2");
    expect(moved.later.label).toBe("After FY2028 Q3");

    const current = parseForecastWindow(null, "2026-12-02", 2);
    expect(current).toMatchObject({ ok: true, value: { from: null, isCurrent: true, earlier: "FY2027-Q3", later: "FY2028-Q1" } });
    const ahead = parseForecastWindow("FY2028-Q1", "2026-12-02", 2);
    expect(ahead).toMatchObject({ ok: true, value: { from: "FY2028-Q1", isCurrent: false, earlier: "", later: "FY2028-Q2" } });
    if (!current.ok) throw new Error("unreachable");
    expect(current.value.options).toHaveLength(WINDOW_QUARTERS_BACK + WINDOW_QUARTERS_AHEAD + 1);
    expect(current.value.options[WINDOW_QUARTERS_BACK]).toEqual({ key: "FY2027-Q4", label: "FY2027 Q4 – FY2028 Q1 (now)" });
    expect(parseForecastWindow("FY2030-Q1", "2026-12-02", 2)).toMatchObject({ ok: false, message: "The forecast shows quarters from FY2026 Q4 to FY2029 Q4." });
    expect(parseForecastWindow("FY2030-Q4", "2026-12-02", 2)).toMatchObject({ ok: false });
    expect(parseForecastWindow("next", "2026-12-02", 2)).toMatchObject({ ok: false });
    // "later" in a moved window means after ITS second quarter.
    expect(parsePeriodKey("later", "2026-12-02", 2, fiscalQuarterIndex("2027-05-01", 2))).toMatchObject({ start: "2027-11-01", end: null });
  });

  it("narrows a manager's forecast to one rep of the team, and refuses anyone else", () => {
    const team = { kind: "team" as const, managerId: "m1", title: "Maya Chen's team" };
    const reps = [{ id: "r1", name: "Sam Okafor" }];
    expect(chooseForecastRep({ role: "manager" }, team, null, reps)).toEqual({ ok: true, scope: team, rep: null, notice: null });
    expect(chooseForecastRep({ role: "manager" }, team, "r1", reps)).toEqual({ ok: true, scope: { kind: "owner", ownerId: "r1", title: "Sam Okafor's plans" }, rep: "r1", notice: null });
    expect(chooseForecastRep({ role: "admin" }, team, "r9", reps)).toEqual({ ok: true, scope: team, rep: null, notice: "That rep isn't on this team; this is Maya Chen's team." });
    expect(chooseForecastRep({ role: "rep" }, { kind: "owner", ownerId: "r1", title: "x" }, "r2", [])).toMatchObject({ ok: true, rep: null, notice: expect.stringContaining("own plans") });
  });

  it("puts every date in exactly one of earlier / this quarter / next quarter / later", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }), fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }), (start, t, d) => {
        const today = t.toISOString().slice(0, 10);
        const date = d.toISOString().slice(0, 10);
        const p = forecastPeriods(today, start);
        const hits = [p.earlier, p.thisQuarter, p.nextQuarter, p.later].filter((x) => periodContains(x, date));
        expect(hits).toHaveLength(1);
        expect(periodContains(p.none, date)).toBe(false);
        expect(periodContains(p.all, date)).toBe(true);
      }),
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

describe("the rollup", () => {
  const periods = forecastPeriods("2026-12-02", 2, 3); // Q4 = Nov–Jan, next Q1 = Feb–Apr; months Dec, Jan, Feb
  const row = (period: string, confirmed: boolean, slipping: boolean, plans: number, value: number, currency = "USD"): RollupRow => ({ period, currency, confirmed, slipping, plans, value });

  it("splits each period into confirmed / proposed and on track / slipping", () => {
    const r = assembleRollup(
      [
        row("FY2027-Q4", true, false, 2, 300), row("FY2027-Q4", false, true, 1, 50), row("FY2027-Q4", false, false, 3, 70),
        row("2026-12", true, false, 1, 100), row("2027-01", false, true, 1, 50),
        row("FY2028-Q1", true, true, 1, 1000),
        row("earlier", false, false, 1, 5), row("later", true, false, 1, 7), row("none", false, false, 2, 9),
      ],
      periods,
    );
    expect(r.thisQuarter).toMatchObject({ total: { plans: 6, value: 420 }, confirmed: { plans: 2, value: 300 }, proposed: { plans: 4, value: 120 }, onTrack: { plans: 5, value: 370 }, slipping: { plans: 1, value: 50 } });
    expect(r.nextQuarter).toMatchObject({ total: { plans: 1, value: 1000 }, confirmed: { plans: 1, value: 1000 }, slipping: { plans: 1, value: 1000 } });
    expect(r.months.map((m) => [m.period.key, m.total.plans, m.total.value])).toEqual([["2026-12", 1, 100], ["2027-01", 1, 50], ["2027-02", 0, 0]]);
    // Months overlap quarters: "all" is the partition only.
    expect(r.all).toMatchObject({ total: { plans: 11, value: 1441 }, confirmed: { plans: 4, value: 1307 }, proposed: { plans: 7, value: 134 }, slipping: { plans: 2, value: 1050 } });
    expect(r.earlier.total).toEqual({ plans: 1, value: 5 });
    expect(r.later.total).toEqual({ plans: 1, value: 7 });
    expect(r.none.total).toEqual({ plans: 2, value: 9 });
    expect(r.others).toEqual([]);
  });

  it("never adds other currencies into the headline; lists them per currency", () => {
    const r = assembleRollup(
      [row("FY2027-Q4", true, false, 1, 100), row("FY2027-Q4", false, false, 2, 500, "EUR"), row("2026-12", false, false, 1, 200, "EUR"), row("later", false, true, 1, 40, "GBP"), row("FY2027-Q4", true, true, 1, 1, "EUR")],
      periods,
    );
    expect(r.thisQuarter.total).toEqual({ plans: 1, value: 100 });
    expect(r.all.total).toEqual({ plans: 1, value: 100 });
    expect(r.others.map((o) => o.currency)).toEqual(["EUR", "GBP"]);
    expect(r.others[0].total).toEqual({ plans: 3, value: 501 }); // the month row is not counted twice
    expect(r.others[0].periods.map((p) => [p.period.key, p.total.plans])).toEqual([["FY2027-Q4", 3], ["2026-12", 1]]);
    expect(r.others[1]).toMatchObject({ total: { plans: 1, value: 40 } });
  });

  it("ignores rows for periods it was not asked about", () => {
    const r = assembleRollup([row("2030-01", true, false, 9, 9)], periods);
    expect(r.all.total.plans).toBe(0);
  });
});

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
    for (const [a, b] of [["2026-11-01", "2027-01-31"], ["2026-10-31", "2026-11-01"], ["2027-02-01", "2027-07-31"]]) {
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

describe("provenance, rep dates and risk", () => {
  it("calls a plan customer-confirmed only when a buyer confirmed its go-live", () => {
    expect(provenanceOf({ goLiveConfirmedAt: "2026-11-02T10:00:00Z" })).toBe("confirmed");
    expect(provenanceOf({ goLiveConfirmedAt: new Date() })).toBe("confirmed");
    expect(provenanceOf({ goLiveConfirmedAt: null })).toBe("proposed");
  });

  it("measures how much earlier the rep's CRM date is than the plan's", () => {
    expect(repDateGapDays("2026-12-15", "2027-01-20")).toBe(36);
    expect(repDateGapDays("2027-02-27", "2027-03-01")).toBe(2);
    expect(repDateGapDays("2027-01-20", "2027-01-20")).toBeNull();
    expect(repDateGapDays("2027-02-01", "2027-01-20")).toBeNull(); // the rep is later: not quota-driven
    expect(repDateGapDays(null, "2027-01-20")).toBeNull();
    expect(repDateGapDays("2027-01-20", null)).toBeNull();
  });

  const now = new Date("2026-12-02T12:00:00Z");
  const base = { slipDays: 0, overdueBuyerMilestones: 0, lastBuyerActivityAt: "2026-12-01T09:00:00Z", createdAt: "2026-09-01T00:00:00Z" };

  it("finds no risk in a healthy plan", () => {
    expect(atRiskReasons(base, now)).toEqual([]);
  });

  it("lists each reason, most severe first", () => {
    const reasons = atRiskReasons({ ...base, slipDays: 3, overdueBuyerMilestones: 2, lastBuyerActivityAt: "2026-11-01T12:00:00Z" }, now);
    expect(reasons).toEqual([
      { code: "slipping", slipDays: 3 },
      { code: "overdue_buyer_milestones", count: 2 },
      { code: "buyer_quiet", days: 31, never: false },
    ]);
    expect(reasons.map(describeAtRiskReason)).toEqual(["Projected go-live 3 working days late", "2 buyer milestones overdue", "No buyer activity for 31 days"]);
    expect(describeAtRiskReason({ code: "slipping", slipDays: 1 })).toBe("Projected go-live 1 working day late");
    expect(describeAtRiskReason({ code: "overdue_buyer_milestones", count: 1 })).toBe("1 buyer milestone overdue");
  });

  it("counts a buyer quiet from exactly 14 days, and from the plan's start when never active", () => {
    expect(quietCutoff(now).toISOString()).toBe("2026-11-18T12:00:00.000Z");
    expect(atRiskReasons({ ...base, lastBuyerActivityAt: "2026-11-18T12:00:00Z" }, now)).toEqual([{ code: "buyer_quiet", days: 14, never: false }]);
    expect(atRiskReasons({ ...base, lastBuyerActivityAt: "2026-11-18T12:00:01Z" }, now)).toEqual([]);
    expect(atRiskReasons({ ...base, lastBuyerActivityAt: null, createdAt: "2026-11-25T00:00:00Z" }, now)).toEqual([]);
    const never = atRiskReasons({ ...base, lastBuyerActivityAt: null, createdAt: "2026-11-02T12:00:00Z" }, now);
    expect(never).toEqual([{ code: "buyer_quiet", days: 30, never: true }]);
    expect(describeAtRiskReason(never[0])).toBe("No buyer activity since it started 30 days ago");
  });
});

describe("drill-down parameters", () => {
  const today = "2026-12-02";
  const parse = (query: string) => parseDrillDown(new URLSearchParams(query), today, 2);

  it("reads every filter", () => {
    const r = parse("period=FY2027-Q4&confirmed=yes&slipping=no&currency=eur&flag=at_risk");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ period: { key: "FY2027-Q4" }, confirmed: true, slipping: false, currency: "EUR", flag: "at_risk" });
    expect(describeDrillDown(r.value)).toBe("FY2027 Q4 · customer-confirmed · on track · in EUR · at risk");
  });

  it("knows each list behind the page's counts", () => {
    for (const flag of ["at_risk", "overdue_buyer", "buyer_quiet", "pushed", "rep_earlier"]) {
      expect(parse(`flag=${flag}`), flag).toMatchObject({ ok: true, value: { flag } });
    }
    const quiet = parse("flag=buyer_quiet");
    if (quiet.ok) expect(describeDrillDown(quiet.value)).toBe("All active plans · no buyer activity for 14+ days");
  });

  it("defaults to every active plan", () => {
    const r = parse("");
    expect(r).toMatchObject({ ok: true, value: { period: { kind: "all" }, confirmed: null, slipping: null, currency: null, flag: null } });
  });

  it("names what is wrong instead of failing", () => {
    for (const q of ["period=FY2027-Q9", "period=", "confirmed=maybe", "slipping=1", "currency=DOLLARS", "currency=U$D", "flag=__proto__", "flag=hasOwnProperty"]) {
      const r = parse(q);
      expect(r.ok, q).toBe(false);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(5);
    }
  });

  it("builds links that parse back to the same filter", () => {
    const href = drillDownHref({ period: "2027-01", confirmed: false, slipping: true, currency: "USD", flag: "pushed" }, "00000000-0000-4000-8000-000000000001");
    expect(href).toBe("/forecast/plans?period=2027-01&confirmed=no&slipping=yes&currency=USD&flag=pushed&team=00000000-0000-4000-8000-000000000001");
    const r = parseDrillDown(new URL(href, "http://x").searchParams, today, 2);
    expect(r).toMatchObject({ ok: true, value: { period: { key: "2027-01" }, confirmed: false, slipping: true, currency: "USD", flag: "pushed" } });
    expect(drillDownHref({})).toBe("/forecast/plans?period=all");
  });
});

describe("scope", () => {
  const managers = [{ id: "m1", name: "Maya Chen" }, { id: "m2", name: "Omar Haddad" }];

  it("gives reps their own plans and managers their team", () => {
    expect(chooseForecastScope({ id: "r1", name: "Sam Okafor", role: "rep" }, null, [])).toEqual({ ok: true, scope: { kind: "owner", ownerId: "r1", title: "Sam Okafor's plans" }, team: null, notice: null });
    expect(chooseForecastScope({ id: "m1", name: "Maya Chen", role: "manager" }, "", [])).toEqual({ ok: true, scope: { kind: "team", managerId: "m1", title: "Maya Chen's team" }, team: null, notice: null });
  });

  it("ignores a team picked by someone who is not an admin, and says so", () => {
    const r = chooseForecastScope({ id: "m1", name: "Maya Chen", role: "manager" }, "m2", managers);
    expect(r).toMatchObject({ ok: true, scope: { kind: "team", managerId: "m1" }, team: null });
    expect(r.ok && r.notice).toMatch(/Only an administrator/);
    expect(chooseForecastScope({ id: "r1", name: "Sam", role: "rep" }, "m1", managers)).toMatchObject({ ok: true, scope: { kind: "owner", ownerId: "r1" } });
  });

  it("lets an admin see the organisation or pick a known team, and 404s an unknown one", () => {
    const admin = { id: "a1", name: "Alex Morgan", role: "admin" as const };
    expect(chooseForecastScope(admin, null, managers)).toMatchObject({ ok: true, scope: { kind: "org", title: "Whole organisation" }, team: null });
    expect(chooseForecastScope(admin, "m2", managers)).toMatchObject({ ok: true, scope: { kind: "team", managerId: "m2", title: "Omar Haddad's team" }, team: "m2" });
    expect(chooseForecastScope(admin, "someone-else", managers)).toMatchObject({ ok: false, status: 404 });
  });
});

describe("CSV export and money", () => {
  const plan: ForecastExportPlan = {
    id: "6f1c0f5e-0000-4000-8000-000000000001", buyerCompany: "=Acme, Inc.", title: 'Rollout "A"', ownerName: "Sam Okafor", status: "active",
    value: 184000, currency: "USD", goLive: "2027-03-01", goLiveSetSide: "seller", goLiveSetByName: "Sam Okafor",
    goLiveConfirmedByName: "Dana Lee", goLiveConfirmedAt: "2026-11-20T10:00:00.000Z", projectedGoLive: "2027-03-03", slipDays: 2,
    forecastCloseDate: "2027-01-20", crmCloseDate: "2026-12-15", milestonesDone: 2, milestonesTotal: 11, overdueBuyerMilestones: 1,
    lastBuyerActivityAt: null, createdAt: "2026-10-01T00:00:00.000Z", pushes: 2,
  };

  it("exports one row per plan with every figure of the page", () => {
    const now = new Date("2026-12-02T12:00:00Z");
    const row = forecastCsvRow(plan, { startMonth: 2, now });
    expect(row).toHaveLength(FORECAST_CSV_HEADER.length);
    const byName = Object.fromEntries(FORECAST_CSV_HEADER.map((h, i) => [h, row[i]]));
    expect(byName).toMatchObject({
      buyer_company: "=Acme, Inc.", forecast_close_date: "2027-01-20", period: "FY2027 Q4",
      go_live_provenance: "Customer-confirmed", go_live_set_by: "Sam Okafor (seller)", go_live_confirmed_by: "Dana Lee",
      slip_days: 2, on_track_or_slipping: "slipping", rep_date_earlier_by_days: 36, quarter_pushes: 2, pushed_2_or_more_times: true,
      at_risk: true, overdue_buyer_milestones: 1, plan_path: "/plans/6f1c0f5e-0000-4000-8000-000000000001",
    });
    expect(byName.at_risk_reasons).toBe("Projected go-live 2 working days late; 1 buyer milestone overdue; No buyer activity since it started 62 days ago");
    const line = csvLine(row);
    expect(line).toContain(`"'=Acme, Inc."`);
    expect(line).toContain(`"Rollout ""A"""`);
    const far = forecastCsvRow({ ...plan, forecastCloseDate: "2028-01-01", crmCloseDate: null, pushes: 0 }, { startMonth: 2, now });
    // Its own quarter, never a label relative to the day of the export ("After FY2028 Q1"), in one column.
    expect(far[FORECAST_CSV_HEADER.indexOf("period")]).toBe("FY2028 Q4");
    expect(FORECAST_CSV_HEADER.filter((h) => /quarter$|period/.test(h))).toEqual(["period"]);
    expect(far[FORECAST_CSV_HEADER.indexOf("rep_date_earlier_by_days")]).toBeNull();
    const none = forecastCsvRow({ ...plan, forecastCloseDate: null }, { startMonth: 2, now });
    expect(none[FORECAST_CSV_HEADER.indexOf("period")]).toBe("No close date");
  });

  it("formats money like the plan pages, whole units", () => {
    expect(formatMoney(184000)).toBe("$184,000");
    expect(formatMoney(50000, "EUR")).toBe("€50,000");
    expect(formatMoney(1234.6, "GBP")).toBe("£1,235");
    expect(formatMoney(5, "XYZ")).toMatch(/5/);
  });

  it("formats compact values", () => {
    expect(compactMoney(1_250_000)).toBe("$1.3M");
    expect(compactMoney(840_000)).toBe("$840K");
    expect(compactMoney(0)).toBe("$0");
  });
});
