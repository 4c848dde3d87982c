import { describe, expect, it } from "vitest";
import { csvLine } from "~/domain/csv";
import { FORECAST_CSV_HEADER, forecastCsvRow, type ForecastExportPlan } from "~/domain/forecast-csv";

describe("the CSV export", () => {
  const plan: ForecastExportPlan = {
    id: "6f1c0f5e-0000-4000-8000-000000000001",
    buyerCompany: "=Acme, Inc.",
    title: 'Rollout "A"',
    ownerName: "Sam Okafor",
    status: "active",
    value: 184000,
    currency: "USD",
    goLive: "2027-03-01",
    goLiveSetSide: "seller",
    goLiveSetByName: "Sam Okafor",
    goLiveConfirmedByName: "Dana Lee",
    goLiveConfirmedAt: "2026-11-20T10:00:00.000Z",
    projectedGoLive: "2027-03-03",
    slipDays: 2,
    forecastCloseDate: "2027-01-20",
    crmCloseDate: "2026-12-15",
    milestonesDone: 2,
    milestonesTotal: 11,
    overdueBuyerMilestones: 1,
    lastBuyerActivityAt: null,
    createdAt: "2026-10-01T00:00:00.000Z",
    pushes: 2,
  };

  it("exports one row per plan with every figure of the page", () => {
    const now = new Date("2026-12-02T12:00:00Z");
    const row = forecastCsvRow(plan, { startMonth: 2, now });
    expect(row).toHaveLength(FORECAST_CSV_HEADER.length);
    const byName = Object.fromEntries(FORECAST_CSV_HEADER.map((h, i) => [h, row[i]]));
    expect(byName).toMatchObject({
      buyer_company: "=Acme, Inc.",
      forecast_close_date: "2027-01-20",
      period: "FY2027 Q4",
      go_live_provenance: "Customer-confirmed",
      go_live_set_by: "Sam Okafor (seller)",
      go_live_confirmed_by: "Dana Lee",
      slip_days: 2,
      on_track_or_slipping: "slipping",
      rep_date_earlier_by_days: 36,
      quarter_pushes: 2,
      pushed_2_or_more_times: true,
      at_risk: true,
      overdue_buyer_milestones: 1,
      plan_path: "/plans/6f1c0f5e-0000-4000-8000-000000000001",
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
});
