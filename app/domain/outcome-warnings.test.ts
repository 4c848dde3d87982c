import { describe, expect, it } from "vitest";
import { warningRates, warningSignalsOf, type WarningDeal, type WarningHistoryRow } from "~/domain/outcome-warnings";

/*
 * Deals that all closed on Tue 30 June 2026, so their signals are read on Sun 31 May, 30 days
 * before; a buyer active on one of the 14 days 18–31 May was not quiet. Calendar fiscal quarters
 * (start month 1). Pure functions, fixed dates: nothing here can rot.
 */
const closedOn = "2026-06-30";

function row(
  field: WarningHistoryRow["field"],
  effectiveOn: string,
  newDate: string | null,
  oldDate: string | null = null,
  actorSide: WarningHistoryRow["actorSide"] = "seller",
): WarningHistoryRow {
  return { field, effectiveOn, newDate, oldDate, actorSide };
}
const confirmedOn = (day: string) => row("go_live_confirmed", day, "2026-09-01", "2026-09-01", "buyer");

function deal(planId: string, outcome: WarningDeal["outcome"], firstDay: string, extra: Partial<WarningDeal> = {}): WarningDeal {
  return { planId, outcome, firstDay, closedOn, history: [], buyerActivityDays: [], ...extra };
}

describe("warning signals 30 days before the close", () => {
  it("a buyer active 13 days before the warning day was not quiet; 14 days before, or only after it, was", () => {
    expect(warningSignalsOf(deal("a", "won", "2026-04-01", { buyerActivityDays: ["2026-05-18"], history: [confirmedOn("2026-04-01")] }), 1)).toEqual([]);
    expect(
      warningSignalsOf(deal("b", "won", "2026-04-01", { buyerActivityDays: ["2026-05-17", "2026-06-01"], history: [confirmedOn("2026-04-01")] }), 1),
    ).toEqual(["quiet"]);
    expect(warningSignalsOf(deal("c", "won", "2026-04-01", { buyerActivityDays: ["2026-05-31"], history: [confirmedOn("2026-04-01")] }), 1)).toEqual([]);
  });

  it("a plan that began fewer than 14 days before the warning day cannot have been quiet that long", () => {
    const confirmed = { history: [confirmedOn("2026-05-17")] };
    expect(warningSignalsOf(deal("a", "lost", "2026-05-18", confirmed), 1)).toEqual([]);
    expect(warningSignalsOf(deal("b", "lost", "2026-05-17", confirmed), 1)).toEqual(["quiet"]);
  });

  it("a plan that began after the warning day is too young; one that began on it is read", () => {
    expect(warningSignalsOf(deal("a", "lost", "2026-06-01"), 1)).toBeNull();
    expect(warningSignalsOf(deal("b", "lost", "2026-05-31"), 1)).toEqual(["unconfirmed"]);
  });

  it("counts quarter pushes made by the warning day only, and not moves within a quarter", () => {
    const history = [
      row("forecast_close_date", "2026-04-01", "2026-03-31"),
      row("forecast_close_date", "2026-04-10", "2026-04-15", "2026-03-31"), // Q1 → Q2: a push
      row("forecast_close_date", "2026-04-20", "2026-06-20", "2026-04-15"), // within Q2
      row("forecast_close_date", "2026-06-01", "2026-07-10", "2026-06-20"), // Q2 → Q3, but after the warning day
      confirmedOn("2026-04-01"),
    ];
    const active = { buyerActivityDays: ["2026-05-30"] };
    expect(warningSignalsOf(deal("a", "won", "2026-04-01", { ...active, history }), 1)).toEqual([]);
    const twice = [...history.slice(0, 3), row("forecast_close_date", "2026-05-31", "2026-07-10", "2026-06-20"), confirmedOn("2026-04-01")];
    expect(warningSignalsOf(deal("b", "won", "2026-04-01", { ...active, history: twice }), 1)).toEqual(["pushed"]);
  });

  it("reads the go-live as the plan showed it that evening: confirmed later, or moved by the seller that day, is unconfirmed", () => {
    const active = { buyerActivityDays: ["2026-05-30"] };
    expect(warningSignalsOf(deal("a", "won", "2026-04-01", { ...active, history: [confirmedOn("2026-06-01")] }), 1)).toEqual(["unconfirmed"]);
    const buyerSetThenSellerMoved = [
      row("go_live", "2026-05-20", "2026-09-01", "2026-08-01", "buyer"),
      row("go_live", "2026-05-31", "2026-09-15", "2026-09-01", "seller"),
    ];
    expect(warningSignalsOf(deal("b", "won", "2026-04-01", { ...active, history: buyerSetThenSellerMoved }), 1)).toEqual(["unconfirmed"]);
    expect(warningSignalsOf(deal("c", "won", "2026-04-01", { ...active, history: buyerSetThenSellerMoved.slice(0, 1) }), 1)).toEqual([]);
  });
});

describe("warning rates by outcome", () => {
  const pushedTwice = [
    row("forecast_close_date", "2026-04-01", "2026-03-31"),
    row("forecast_close_date", "2026-04-10", "2026-04-15", "2026-03-31"),
    row("forecast_close_date", "2026-05-01", "2026-07-10", "2026-04-15"),
  ];
  const deals = [
    deal("w1", "won", "2026-04-01", { buyerActivityDays: ["2026-05-20"], history: [confirmedOn("2026-04-10")] }),
    deal("w2", "won", "2026-04-01", { buyerActivityDays: ["2026-05-10"] }),
    deal("l1", "lost", "2026-05-31"),
    deal("l2", "lost", "2026-06-01"),
    deal("l3", "lost", "2026-05-01", { history: pushedTwice }),
    deal("n1", "no_decision", "2026-04-01", { buyerActivityDays: ["2026-05-25"], history: [confirmedOn("2026-06-15")] }),
  ];

  it("counts each outcome's deals, those too young, and each signal with its plans", () => {
    const [won, lost, none] = warningRates(deals, 1);
    expect(won).toEqual({
      outcome: "won",
      deals: 2,
      planIds: ["w1", "w2"],
      tooYoung: 0,
      signals: { quiet: { count: 1, planIds: ["w2"] }, pushed: { count: 0, planIds: [] }, unconfirmed: { count: 1, planIds: ["w2"] } },
    });
    expect(lost).toEqual({
      outcome: "lost",
      deals: 2,
      planIds: ["l1", "l3"],
      tooYoung: 1,
      signals: { quiet: { count: 1, planIds: ["l3"] }, pushed: { count: 1, planIds: ["l3"] }, unconfirmed: { count: 2, planIds: ["l1", "l3"] } },
    });
    expect(none).toMatchObject({
      outcome: "no_decision",
      deals: 1,
      tooYoung: 0,
      signals: { quiet: { count: 0 }, pushed: { count: 0 }, unconfirmed: { count: 1 } },
    });
  });

  it("always answers the three outcomes, in order, even with no deals", () => {
    expect(warningRates([], 1).map((r) => [r.outcome, r.deals, r.tooYoung])).toEqual([
      ["won", 0, 0],
      ["lost", 0, 0],
      ["no_decision", 0, 0],
    ]);
  });
});
