/*
 * A plan's health (issue 22, ADR 038): one label, on track / at risk / stalled, with the reasons
 * that led to it, read from the plan's stored schedule facts and its buyer's last activity. Pure:
 * `today` (the organisation's day) and `now` are inputs.
 *
 * The forecast's at-risk rules (forecast-risk.ts) are reused as they are, so a plan on the
 * forecast's at-risk list is never "on track" here; health adds an unconfirmed go-live close to
 * its date, and escalates to "stalled" when the buyer has been silent for a month or the go-live
 * date has passed with the plan still open.
 */

import { daysBetween, type ISODate } from "~/domain/calendar";
import { atRiskReasons, describeAtRiskReason } from "~/domain/forecast-risk";
import type { PlanStatus } from "~/domain/plan-outcome";
import { plural } from "~/domain/words";
import { ENGLISH } from "~/domain/i18n/english";
import type { Translator } from "~/domain/i18n/translate";

/** A buyer silent this many calendar days (or more) stalls the plan. */
export const STALLED_QUIET_DAYS = 30;

/** A go-live the buyer has not confirmed puts the plan at risk from this many calendar days before it. */
export const UNCONFIRMED_GO_LIVE_WINDOW_DAYS = 60;

export const HEALTH_LABELS = ["on_track", "at_risk", "stalled"] as const;
export type HealthLabel = (typeof HEALTH_LABELS)[number];

export const HEALTH_LABEL_TEXT: Record<HealthLabel, string> = {
  on_track: "On track",
  at_risk: "At risk",
  stalled: "Stalled",
};

export const HEALTH_REASON_CODES = ["go_live_passed", "slipping", "overdue_buyer_milestones", "buyer_quiet", "go_live_unconfirmed"] as const;
export type HealthReasonCode = (typeof HEALTH_REASON_CODES)[number];

/** One reason, with the label it leads to and whether the buyer's page may show it. */
export type HealthReason = { severity: Exclude<HealthLabel, "on_track">; buyerFacing: boolean } & (
  | { code: "go_live_passed"; days: number }
  | { code: "slipping"; slipDays: number }
  | { code: "overdue_buyer_milestones"; count: number }
  | { code: "buyer_quiet"; days: number; never: boolean }
  | { code: "go_live_unconfirmed"; daysToGoLive: number }
);

export interface PlanHealth {
  label: HealthLabel;
  reasons: HealthReason[];
}

/** The stored plan columns health reads (the names every plan query returns). */
export interface PlanHealthFacts {
  status: PlanStatus;
  go_live: ISODate;
  go_live_confirmed_at: Date | string | null;
  slip_days: number;
  overdue_buyer_milestones: number;
  last_buyer_activity_at: Date | string | null;
  created_at: Date | string;
}

/**
 * The plan's health on `today`, or null when it has none: a closed deal (won, lost, no decision)
 * is over, and a paused one is waiting on purpose. Reasons come most severe first.
 */
export function planHealth(plan: PlanHealthFacts, today: ISODate, now: Date): PlanHealth | null {
  if (plan.status !== "active") return null;
  const reasons: HealthReason[] = [];
  if (plan.go_live < today) reasons.push({ code: "go_live_passed", days: daysBetween(plan.go_live, today), severity: "stalled", buyerFacing: true });
  for (const risk of atRiskReasons(
    {
      slipDays: plan.slip_days,
      overdueBuyerMilestones: plan.overdue_buyer_milestones,
      lastBuyerActivityAt: plan.last_buyer_activity_at,
      createdAt: plan.created_at,
    },
    now,
  )) {
    if (risk.code === "buyer_quiet") {
      // The buyer is never told how often they visit: that is the seller's reading of the deal.
      reasons.push({ ...risk, severity: risk.days >= STALLED_QUIET_DAYS ? "stalled" : "at_risk", buyerFacing: false });
    } else {
      reasons.push({ ...risk, severity: "at_risk", buyerFacing: true });
    }
  }
  const daysToGoLive = daysBetween(today, plan.go_live);
  if (plan.go_live_confirmed_at === null && daysToGoLive >= 0 && daysToGoLive <= UNCONFIRMED_GO_LIVE_WINDOW_DAYS) {
    reasons.push({ code: "go_live_unconfirmed", daysToGoLive, severity: "at_risk", buyerFacing: true });
  }
  reasons.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "stalled" ? -1 : 1));
  const label: HealthLabel = reasons.some((r) => r.severity === "stalled") ? "stalled" : reasons.length ? "at_risk" : "on_track";
  return { label, reasons };
}

const inDays = (days: number) => (days === 0 ? "today" : `in ${plural(days, "day")}`);

/** A reason as the seller reads it: "Projected go-live 9 working days late". */
export function describeHealthReason(reason: HealthReason): string {
  switch (reason.code) {
    case "go_live_passed":
      return `Go-live date passed ${plural(reason.days, "day")} ago with the plan still open`;
    case "go_live_unconfirmed":
      return `Go-live not confirmed by the buyer (${inDays(reason.daysToGoLive)})`;
    default:
      return describeAtRiskReason(reason);
  }
}

/**
 * A buyer-facing reason as the buyer's page says it: calm, about the shared plan, and with
 * something to do. Null for a reason the buyer is not shown.
 */
export function describeHealthReasonForBuyer(reason: HealthReason, sellerName: string, words: Pick<Translator, "t"> = ENGLISH): string | null {
  if (!reason.buyerFacing) return null;
  const { t } = words;
  switch (reason.code) {
    case "go_live_passed":
      return t("health.goLivePassed", { seller: sellerName });
    case "slipping":
      return t("health.slipping", { count: reason.slipDays });
    case "overdue_buyer_milestones":
      return t("health.overdue", { count: reason.count });
    case "go_live_unconfirmed":
      return t("health.unconfirmed");
    case "buyer_quiet":
      return null;
  }
}

/** The health as the API gives it: codes, the seller's wording, and the buyer-facing flag. */
export function healthJson(health: PlanHealth | null) {
  if (!health) return null;
  return {
    label: health.label,
    reasons: health.reasons.map((reason) => ({
      code: reason.code,
      severity: reason.severity,
      buyerFacing: reason.buyerFacing,
      text: describeHealthReason(reason),
    })),
  };
}

export type PlanHealthJson = NonNullable<ReturnType<typeof healthJson>>;

/** What the buyer's page says about the plan's health: the buyer-facing reasons, in the buyer's words. */
export function buyerHealthNotes(health: PlanHealth | null, sellerName: string, words: Pick<Translator, "t"> = ENGLISH): string[] {
  return (health?.reasons ?? []).flatMap((reason) => describeHealthReasonForBuyer(reason, sellerName, words) ?? []);
}
