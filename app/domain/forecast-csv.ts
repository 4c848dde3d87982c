/* The forecast's CSV export: one row per plan with every figure the page shows about it. */

import type { ISODate } from "~/domain/calendar";
import type { CsvValue } from "~/domain/csv";
import { fiscalQuarterOf } from "~/domain/fiscal-quarters";
import { isFlaggedForPushes } from "~/domain/forecast-pushes";
import { atRiskReasons, describeAtRiskReason, repDateGapDays } from "~/domain/forecast-risk";
import { PROVENANCE_LABEL, provenanceOf } from "~/domain/go-live-provenance";

/** One plan as the export sees it (the model's row, with dates as ISO strings). */
export interface ForecastExportPlan {
  id: string;
  buyerCompany: string;
  title: string;
  ownerName: string;
  status: string;
  value: number;
  currency: string;
  goLive: ISODate;
  goLiveSetSide: string;
  goLiveSetByName: string;
  goLiveConfirmedByName: string | null;
  goLiveConfirmedAt: Date | string | null;
  projectedGoLive: ISODate | null;
  slipDays: number;
  forecastCloseDate: ISODate | null;
  crmCloseDate: ISODate | null;
  milestonesDone: number;
  milestonesTotal: number;
  overdueBuyerMilestones: number;
  lastBuyerActivityAt: Date | string | null;
  createdAt: Date | string;
  pushes: number;
}

export const FORECAST_CSV_HEADER = [
  "plan_id",
  "buyer_company",
  "plan_title",
  "rep",
  "status",
  "value",
  "currency",
  "forecast_close_date",
  "period",
  "go_live",
  "go_live_provenance",
  "go_live_set_by",
  "go_live_confirmed_by",
  "go_live_confirmed_at",
  "projected_go_live",
  "slip_days",
  "on_track_or_slipping",
  "crm_close_date",
  "rep_date_earlier_by_days",
  "quarter_pushes",
  "pushed_2_or_more_times",
  "at_risk",
  "at_risk_reasons",
  "overdue_buyer_milestones",
  "milestones_done",
  "milestones_total",
  "last_buyer_activity_at",
  "plan_path",
];

const isoMoment = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** The export's row for one plan: every figure the forecast page shows about it. */
export function forecastCsvRow(plan: ForecastExportPlan, ctx: { startMonth: number; now: Date }): CsvValue[] {
  const reasons = atRiskReasons(
    { slipDays: plan.slipDays, overdueBuyerMilestones: plan.overdueBuyerMilestones, lastBuyerActivityAt: plan.lastBuyerActivityAt, createdAt: plan.createdAt },
    ctx.now,
  );
  const close = plan.forecastCloseDate;
  return [
    plan.id,
    plan.buyerCompany,
    plan.title,
    plan.ownerName,
    plan.status,
    plan.value,
    plan.currency,
    close,
    csvPeriod(close, ctx.startMonth),
    plan.goLive,
    PROVENANCE_LABEL[provenanceOf({ goLiveConfirmedAt: plan.goLiveConfirmedAt })],
    `${plan.goLiveSetByName} (${plan.goLiveSetSide})`,
    plan.goLiveConfirmedByName,
    isoMoment(plan.goLiveConfirmedAt),
    plan.projectedGoLive,
    plan.slipDays,
    plan.slipDays > 0 ? "slipping" : "on track",
    plan.crmCloseDate,
    repDateGapDays(plan.crmCloseDate, close),
    plan.pushes,
    isFlaggedForPushes(plan.pushes),
    reasons.length > 0,
    reasons.map(describeAtRiskReason).join("; "),
    plan.overdueBuyerMilestones,
    plan.milestonesDone,
    plan.milestonesTotal,
    isoMoment(plan.lastBuyerActivityAt),
    `/plans/${plan.id}`,
  ];
}

/**
 * The export's one period column: the fiscal quarter the close date falls in ("FY2028 Q3"), never
 * a label relative to the day of the export ("After FY2028 Q1"), so a pivot table groups every plan
 * by its own quarter; "No close date" for a plan without one.
 */
export function csvPeriod(close: ISODate | null, startMonth: number): string {
  return close === null ? "No close date" : fiscalQuarterOf(close, startMonth).label;
}

/** "forecast-2026-12-02.csv", or "forecast-2026-12-02-from-FY2028-Q1.csv" for a moved window. */
export function forecastCsvFilename(today: ISODate, from?: string | null): string {
  return from ? `forecast-${today}-from-${from}.csv` : `forecast-${today}.csv`;
}
