import { describe, expect, it } from "vitest";
import { ana, ben } from "~/domain/closed-deal-fixtures";
import {
  accuracyAtHorizon,
  accuracyByHorizon,
  accuracyByRep,
  accuracyHeadline,
  describeShare,
  horizonCounts,
  stateOn,
  type ClosedDeal,
} from "~/domain/forecast-accuracy";

/* Ana and Ben (closed-deal-fixtures.ts), worked out by hand. */
describe("forecast accuracy", () => {
  it("90 days out: Ana's seller-proposed date was 15 days early, her projection 10 days late and in the next quarter, her CRM date 91 days early; Ben's plan did not exist yet", () => {
    const f = accuracyAtHorizon([ana, ben], 90, 1);
    expect(f.tooYoung).toBe(1);
    expect(f.bySource.confirmed).toMatchObject({ deals: 0, meanAbsoluteErrorDays: null });
    expect(f.bySource.proposed).toMatchObject({ deals: 1, meanAbsoluteErrorDays: 15, withinOnTime: 0, inForecastQuarter: 1, planIds: ["a"] });
    expect(f.bySource.projected).toMatchObject({ deals: 1, meanAbsoluteErrorDays: 10, withinOnTime: 0, inForecastQuarter: 0 });
    expect(f.bySource.crm).toMatchObject({ deals: 1, meanAbsoluteErrorDays: 91, withinOnTime: 0, inForecastQuarter: 0 });
  });

  it("60 days out both deals had customer-confirmed dates, 1 and 4 days off; only Ana had a CRM date (30 days early, same quarter)", () => {
    const f = accuracyAtHorizon([ana, ben], 60, 1);
    expect(f.tooYoung).toBe(0);
    expect(f.bySource.confirmed).toMatchObject({ deals: 2, meanAbsoluteErrorDays: 2.5, withinOnTime: 2, inForecastQuarter: 2, planIds: ["a", "b"] });
    expect(f.bySource.proposed.deals).toBe(0);
    expect(f.bySource.projected).toMatchObject({ deals: 1, meanAbsoluteErrorDays: 1, withinOnTime: 1 });
    expect(f.bySource.crm).toMatchObject({ deals: 1, meanAbsoluteErrorDays: 30, withinOnTime: 0, inForecastQuarter: 1 });
  });

  it("a plan created on the horizon's day counts; one created the day after does not", () => {
    const onTheDay: ClosedDeal = { ...ben, planId: "c", createdOn: "2026-06-20", states: [{ ...ben.states[0], from: "2026-06-20" }] };
    const dayAfter: ClosedDeal = { ...ben, planId: "d", createdOn: "2026-06-21", states: [{ ...ben.states[0], from: "2026-06-21" }] };
    const f = accuracyAtHorizon([onTheDay, dayAfter], 30, 1);
    expect(f.tooYoung).toBe(1);
    expect(f.bySource.confirmed.planIds).toEqual(["c"]);
  });

  it("a state counts from its first day", () => {
    expect(stateOn(ana.states, "2026-04-14")?.forecastClose).toBe("2026-06-15");
    expect(stateOn(ana.states, "2026-04-15")?.forecastClose).toBe("2026-06-29");
    expect(stateOn(ana.states, "2026-01-01")).toBeNull();
  });

  it("a date that falls in the close's fiscal quarter under one fiscal year can fall outside it under another", () => {
    // A fiscal year from July has quarters Apr-Jun and Jul-Sep: the projection's 10 July misses the
    // close's quarter (30 June), the proposed 15 June does not.
    const july = accuracyAtHorizon([ana], 90, 7);
    expect(july.bySource.projected.inForecastQuarter).toBe(0);
    expect(july.bySource.proposed.inForecastQuarter).toBe(1);
    // Fiscal year from August: quarters May-Jul hold both 30 June and 10 July.
    const august = accuracyAtHorizon([ana], 90, 8);
    expect(august.bySource.projected.inForecastQuarter).toBe(1);
  });

  it("per rep: each rep's figures with the count behind them, most deals first", () => {
    const reps = accuracyByRep([ana, ben, { ...ana, planId: "a2" }], 1);
    expect(reps.map((r) => [r.ownerName, r.deals])).toEqual([
      ["Ana", 2],
      ["Ben", 1],
    ]);
    expect(reps[1].horizons.find((h) => h.horizon === 90)?.tooYoung).toBe(1);
  });

  it("a share is never shown without its count", () => {
    expect(describeShare(3, 4)).toBe("3 of 4 (75 %)");
    expect(describeShare(0, 0)).toBe("no deals");
  });
});

describe("the accuracy headline", () => {
  it("states the nearest horizon's customer-confirmed and CRM shares, each with its count", () => {
    const horizons = accuracyByHorizon([ana, ben], 1).map(horizonCounts);
    // 30 days out: both confirmed (Ana's 29 June, a day early; Ben's 24 July, 4 days late); Ana's CRM date 31 May, 30 days early.
    expect(accuracyHeadline(horizons)).toBe(
      "30 days before close, customer-confirmed plan dates were within a week of the real close for 2 of 2 (100 %); reps' CRM dates for 0 of 1 (0 %).",
    );
    expect(accuracyHeadline(accuracyByHorizon([], 1).map(horizonCounts))).toBeNull();
  });
});
