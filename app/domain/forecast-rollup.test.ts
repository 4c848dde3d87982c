import { describe, expect, it } from "vitest";
import { forecastPeriods } from "~/domain/forecast-periods";
import { assembleRollup, type RollupRow } from "~/domain/forecast-rollup";

describe("the rollup", () => {
  const periods = forecastPeriods("2026-12-02", 2, 3); // Q4 = Nov–Jan, next Q1 = Feb–Apr; months Dec, Jan, Feb
  const row = (period: string, confirmed: boolean, slipping: boolean, plans: number, value: number, currency = "USD"): RollupRow => ({
    period,
    currency,
    confirmed,
    slipping,
    plans,
    value,
  });

  it("splits each period into confirmed / proposed and on track / slipping", () => {
    const r = assembleRollup(
      [
        row("FY2027-Q4", true, false, 2, 300),
        row("FY2027-Q4", false, true, 1, 50),
        row("FY2027-Q4", false, false, 3, 70),
        row("2026-12", true, false, 1, 100),
        row("2027-01", false, true, 1, 50),
        row("FY2028-Q1", true, true, 1, 1000),
        row("earlier", false, false, 1, 5),
        row("later", true, false, 1, 7),
        row("none", false, false, 2, 9),
      ],
      periods,
    );
    expect(r.thisQuarter).toMatchObject({
      total: { plans: 6, value: 420 },
      confirmed: { plans: 2, value: 300 },
      proposed: { plans: 4, value: 120 },
      onTrack: { plans: 5, value: 370 },
      slipping: { plans: 1, value: 50 },
    });
    expect(r.nextQuarter).toMatchObject({ total: { plans: 1, value: 1000 }, confirmed: { plans: 1, value: 1000 }, slipping: { plans: 1, value: 1000 } });
    expect(r.months.map((m) => [m.period.key, m.total.plans, m.total.value])).toEqual([
      ["2026-12", 1, 100],
      ["2027-01", 1, 50],
      ["2027-02", 0, 0],
    ]);
    // Months overlap quarters: "all" is the partition only.
    expect(r.all).toMatchObject({
      total: { plans: 11, value: 1441 },
      confirmed: { plans: 4, value: 1307 },
      proposed: { plans: 7, value: 134 },
      slipping: { plans: 2, value: 1050 },
    });
    expect(r.earlier.total).toEqual({ plans: 1, value: 5 });
    expect(r.later.total).toEqual({ plans: 1, value: 7 });
    expect(r.none.total).toEqual({ plans: 2, value: 9 });
    expect(r.others).toEqual([]);
  });

  it("never adds other currencies into the headline; lists them per currency", () => {
    const r = assembleRollup(
      [
        row("FY2027-Q4", true, false, 1, 100),
        row("FY2027-Q4", false, false, 2, 500, "EUR"),
        row("2026-12", false, false, 1, 200, "EUR"),
        row("later", false, true, 1, 40, "GBP"),
        row("FY2027-Q4", true, true, 1, 1, "EUR"),
      ],
      periods,
    );
    expect(r.thisQuarter.total).toEqual({ plans: 1, value: 100 });
    expect(r.all.total).toEqual({ plans: 1, value: 100 });
    expect(r.others.map((o) => o.currency)).toEqual(["EUR", "GBP"]);
    expect(r.others[0].total).toEqual({ plans: 3, value: 501 }); // the month row is not counted twice
    expect(r.others[0].periods.map((p) => [p.period.key, p.total.plans])).toEqual([
      ["FY2027-Q4", 3],
      ["2026-12", 1],
    ]);
    expect(r.others[1]).toMatchObject({ total: { plans: 1, value: 40 } });
  });

  it("ignores rows for periods it was not asked about", () => {
    const r = assembleRollup([row("2030-01", true, false, 9, 9)], periods);
    expect(r.all.total.plans).toBe(0);
  });
});
