import { describe, expect, it } from "vitest";
import { ana, ben } from "~/domain/closed-deal-fixtures";
import { ACCURACY_CSV_HEADER, accuracyCsvRow } from "~/domain/accuracy-csv";
import { accuracyCellParams, dealsInCell, describeAccuracyCell, describeError, parseAccuracyCell, planIdsOfCell } from "~/domain/accuracy-drill-down";
import type { OutcomeWarnings } from "~/domain/outcome-warnings";
import type { SlipAttribution } from "~/domain/slip-attribution";

const params = (q: string) => new URLSearchParams(q);

describe("the deals behind an accuracy number", () => {
  it("reads a cell from the URL and writes it back the same", () => {
    const cell = parseAccuracyCell(params("h=30&source=confirmed&only=on_time"));
    expect(cell).toEqual({ ok: true, value: { kind: "horizon", horizon: 30, source: "confirmed", only: "on_time" } });
    if (!cell.ok) throw new Error("unreachable");
    expect(accuracyCellParams(cell.value)).toEqual({ h: "30", source: "confirmed", only: "on_time" });
    expect(describeAccuracyCell(cell.value)).toBe("Plan date, customer-confirmed · 30 days before close · within a week");
    expect(parseAccuracyCell(params("young=90"))).toEqual({ ok: true, value: { kind: "too_young", horizon: 90 } });
  });

  it("refuses what it does not know, saying what would do", () => {
    expect(parseAccuracyCell(params("h=45&source=crm"))).toEqual({
      ok: false,
      message: "Say which number: “h” must be one of 90, 60, 30 (days before close).",
    });
    expect(parseAccuracyCell(params("h=30&source=gut"))).toEqual({ ok: false, message: "“source” must be one of confirmed, proposed, projected, crm." });
    expect(parseAccuracyCell(params("h=30&source=crm&only=late"))).toEqual({ ok: false, message: "“only” must be on_time or in_quarter." });
    expect(parseAccuracyCell(params("young=7"))).toEqual({ ok: false, message: "“young” must be one of 90, 60, 30." });
  });

  it("picks the deals a cell counted, with the date each was given and how far off it was", () => {
    // 60 days out both had confirmed dates: Ana's a day early (closed 1 day late), Ben's 4 days late (closed 4 days early).
    expect(dealsInCell([ana, ben], { kind: "horizon", horizon: 60, source: "confirmed", only: null }, 1)).toEqual([
      { planId: "a", judged: { forecast: "2026-06-29", errorDays: 1, onTime: true, inForecastQuarter: true } },
      { planId: "b", judged: { forecast: "2026-07-24", errorDays: -4, onTime: true, inForecastQuarter: true } },
    ]);
    // 90 days out only Ana existed; her CRM date (31 March) was 91 days early and a quarter off.
    expect(dealsInCell([ana, ben], { kind: "horizon", horizon: 90, source: "crm", only: "in_quarter" }, 1)).toEqual([]);
    expect(dealsInCell([ana, ben], { kind: "horizon", horizon: 90, source: "crm", only: null }, 1)).toEqual([
      { planId: "a", judged: { forecast: "2026-03-31", errorDays: 91, onTime: false, inForecastQuarter: false } },
    ]);
    expect(dealsInCell([ana, ben], { kind: "too_young", horizon: 90 }, 1)).toEqual([{ planId: "b", judged: null }]);
  });

  it("says how far the close landed from a date in words", () => {
    expect(describeError(0)).toBe("on the day");
    expect(describeError(1)).toBe("1 day late (within a week)");
    expect(describeError(-7)).toBe("7 days early (within a week)");
    expect(describeError(8)).toBe("8 days late");
  });

  it("exports a deal's dates at every horizon, leaving a horizon it was too young for empty", () => {
    const row = accuracyCsvRow({ ...ben, buyerCompany: "Initech", title: "Dashboards", value: 1000, currency: "USD" }, 1);
    const cells = Object.fromEntries(ACCURACY_CSV_HEADER.map((h, i) => [h, row[i]]));
    expect(row).toHaveLength(ACCURACY_CSV_HEADER.length);
    expect(cells).toMatchObject({ plan_id: "b", rep: "Ben", closed_on: "2026-07-20", first_day: "2026-05-20", go_live_confirmed_90d: "too young" });
    expect(cells.confirmed_date_90d).toBeNull();
    expect(cells).toMatchObject({
      go_live_confirmed_30d: "yes",
      confirmed_date_30d: "2026-07-24",
      confirmed_days_late_30d: -4,
      confirmed_in_quarter_30d: "yes",
    });
    expect(cells.proposed_date_30d).toBeNull();
  });

  it("reads slip and warning cells, and finds the plans the page counted for them", () => {
    const cells = ["slip=side&side=buyer", "slip=title&title=Security%20review", "slip=untraced", "outcome=lost&signal=quiet", "outcome=won"].map((q) => {
      const parsed = parseAccuracyCell(params(q));
      if (!parsed.ok) throw new Error(parsed.message);
      return parsed.value;
    });
    expect(cells.map(describeAccuracyCell)).toEqual([
      "Slip caused by the buyer side",
      "Slip caused by “Security review”",
      "Won deals whose critical path could not be traced",
      "Lost deals · no buyer activity for 14 days, 30 days before close",
      "Won deals, 30 days before close",
    ]);
    expect(cells.map(accuracyCellParams).map((p) => new URLSearchParams(p).toString())).toEqual([
      "slip=side&side=buyer",
      "slip=title&title=Security+review",
      "slip=untraced",
      "outcome=lost&signal=quiet",
      "outcome=won",
    ]);
    const share = (key: string, label: string, planIds: string[]) => ({ key, label, workingDays: 3, deals: planIds.length, planIds });
    const slip: SlipAttribution = {
      deals: 3,
      dealsWithSlip: 2,
      totalWorkingDays: 6,
      untracedDeals: 1,
      untracedPlanIds: ["c"],
      bySide: [share("buyer", "Buyer side", ["a"]), share("seller", "Seller side", ["b"]), share("joint", "Joint", [])],
      byTitle: [share("security review", "Security review", ["a"]), share("migration", "Migration", ["b"])],
    };
    const signals = (quiet: string[]) => ({
      quiet: { count: quiet.length, planIds: quiet },
      pushed: { count: 0, planIds: [] },
      unconfirmed: { count: 0, planIds: [] },
    });
    const warnings: OutcomeWarnings[] = [
      { outcome: "won", deals: 2, planIds: ["a", "b"], tooYoung: 0, signals: signals([]) },
      { outcome: "lost", deals: 2, planIds: ["x", "y"], tooYoung: 1, signals: signals(["y"]) },
      { outcome: "no_decision", deals: 0, planIds: [], tooYoung: 0, signals: signals([]) },
    ];
    expect(cells.map((cell) => planIdsOfCell(cell, slip, warnings))).toEqual([["a"], ["a"], ["c"], ["y"], ["a", "b"]]);
    // A title matches whatever its case or spacing in the URL.
    expect(planIdsOfCell({ kind: "slip", by: "title", title: " security  REVIEW " }, slip, null)).toEqual(["a"]);
  });

  it("refuses slip and warning cells it does not know", () => {
    expect(parseAccuracyCell(params("slip=side&side=vendor"))).toEqual({ ok: false, message: "“side” must be one of buyer, seller, joint." });
    expect(parseAccuracyCell(params("slip=title&title=%20"))).toEqual({ ok: false, message: "Name the milestone: “title” is empty." });
    expect(parseAccuracyCell(params("slip=who"))).toEqual({ ok: false, message: "“slip” must be side, title or untraced." });
    expect(parseAccuracyCell(params("outcome=paused"))).toEqual({ ok: false, message: "“outcome” must be one of won, lost, no_decision." });
    expect(parseAccuracyCell(params("outcome=lost&signal=late"))).toEqual({ ok: false, message: "“signal” must be one of quiet, pushed, unconfirmed." });
  });
});
