import { describe, expect, it } from "vitest";
import { isDelivered, webhookEventsFor, webhookRetryDelaySeconds, type PlanSnapshot } from "~/domain/webhooks";

describe("retries", () => {
  it("back off exponentially up to four hours", () => {
    expect([1, 2, 3, 4].map(webhookRetryDelaySeconds)).toEqual([30, 60, 120, 240]);
    expect(webhookRetryDelaySeconds(40)).toBe(4 * 3600);
  });
  it("count only 2xx as delivered", () => {
    expect([200, 204, 299].every(isDelivered)).toBe(true);
    expect([301, 400, 410, 500].some(isDelivered)).toBe(false);
  });
});

describe("which events a command calls for", () => {
  const plan: PlanSnapshot = {
    id: "p",
    title: "T",
    buyerCompany: "B",
    externalCrmId: "006X",
    goLive: "2027-03-01",
    goLiveSetBy: "Sam",
    goLiveSetSide: "seller",
    goLiveConfirmedBy: null,
    forecastCloseDate: "2027-02-01",
    crmCloseDate: null,
    projectedGoLive: "2027-03-01",
    slipDays: 0,
  };
  const actor = { name: "Dana", side: "buyer" };

  it("maps go-live changes, confirmations and completions, then the forecast date's move", () => {
    const events = webhookEventsFor(
      [
        { action: "plan.go_live_changed", changes: { go_live: { before: "2027-02-15", after: "2027-03-01" } }, reason: "Budget" },
        { action: "milestone.completed", entityId: "m1", changes: { completed_on: { before: null, after: "2026-12-01" } } },
        { action: "plan.go_live_confirmed", changes: {} },
        { action: "comment.added", changes: {} },
      ],
      { forecastCloseDate: "2027-01-15" },
      plan,
      actor,
    );
    expect(events.map((e) => e.type)).toEqual(["plan.go_live_changed", "milestone.completed", "plan.go_live_confirmed", "plan.forecast_date_changed"]);
    expect(events[0].data.goLive).toEqual({ before: "2027-02-15", after: "2027-03-01" });
    expect(events[3].data.forecastCloseDate).toEqual({ before: "2027-01-15", after: "2027-02-01" });
  });

  it("calls for nothing when nothing it covers happened", () => {
    expect(webhookEventsFor([{ action: "comment.added", changes: {} }], { forecastCloseDate: "2027-02-01" }, plan, actor)).toEqual([]);
  });
});
