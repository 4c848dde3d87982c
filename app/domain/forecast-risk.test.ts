import { describe, expect, it } from "vitest";
import { atRiskReasons, describeAtRiskReason, quietCutoff, repDateGapDays } from "~/domain/forecast-risk";

describe("rep dates and risk", () => {
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
