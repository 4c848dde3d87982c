/*
 * Why a plan is at risk (slipping, buyer milestones overdue, buyer quiet), and the rep's CRM date
 * that the plan does not back. Pure: `now` is an input.
 */

import { daysBetween, type ISODate } from "~/domain/calendar";
import type { EconomicBuyerState } from "~/domain/stakeholder-map";

import { plural } from "~/domain/words";

/** A buyer silent this many days (or more) puts a plan at risk. */
export const QUIET_DAYS = 14;

/**
 * Days by which the rep's own CRM close date is earlier than the plan's forecast close date, or
 * null when it is not earlier (or either is missing): the quota-driven date the plan does not back.
 */
export function repDateGapDays(crmCloseDate: ISODate | null, forecastCloseDate: ISODate | null): number | null {
  if (!crmCloseDate || !forecastCloseDate || crmCloseDate >= forecastCloseDate) return null;
  return daysBetween(crmCloseDate, forecastCloseDate);
}

/** What the plan's own facts say: these put a plan on the at-risk list. */
export type PlanRiskReason =
  { code: "slipping"; slipDays: number } | { code: "overdue_buyer_milestones"; count: number } | { code: "buyer_quiet"; days: number; never: boolean };

/** With the stakeholder map's signals, which only annotate a listed plan. */
export type AtRiskReason = PlanRiskReason | { code: "no_economic_buyer" } | { code: "economic_buyer_unseen" };

export interface AtRiskInput {
  slipDays: number;
  /** Open buyer-owned milestones whose due date is before today. */
  overdueBuyerMilestones: number;
  lastBuyerActivityAt: Date | string | null;
  /** When the plan was created: a buyer cannot have been quiet for longer than that. */
  createdAt: Date | string;
}

const DAY_MS = 86_400_000;

/** Buyer activity (or, with none yet, plan creation) at or before this moment is "quiet". */
export function quietCutoff(now: Date): Date {
  return new Date(now.getTime() - QUIET_DAYS * DAY_MS);
}

/**
 * Why a plan is at risk, in order of severity: its projection misses go-live; buyer-owned
 * milestones are overdue; no buyer activity for QUIET_DAYS days (counted from the plan's creation
 * when the buyer has never been active). Empty when it is not at risk.
 */
export function atRiskReasons(plan: AtRiskInput, now: Date): PlanRiskReason[] {
  const reasons: PlanRiskReason[] = [];
  if (plan.slipDays > 0) reasons.push({ code: "slipping", slipDays: plan.slipDays });
  if (plan.overdueBuyerMilestones > 0) reasons.push({ code: "overdue_buyer_milestones", count: plan.overdueBuyerMilestones });
  const never = plan.lastBuyerActivityAt === null || plan.lastBuyerActivityAt === undefined;
  const since = new Date(never ? plan.createdAt : plan.lastBuyerActivityAt!);
  if (since.getTime() <= quietCutoff(now).getTime()) {
    reasons.push({ code: "buyer_quiet", days: Math.floor((now.getTime() - since.getTime()) / DAY_MS), never });
  }
  return reasons;
}

/**
 * The stakeholder map's signals on a plan already listed as at risk (ADR 036): they annotate the
 * list, they do not put a plan on it (a plan nobody has mapped yet is not at risk for that).
 */
export function economicBuyerReasons(state: EconomicBuyerState): AtRiskReason[] {
  if (state === "none") return [{ code: "no_economic_buyer" }];
  if (state === "unseen") return [{ code: "economic_buyer_unseen" }];
  return [];
}

export function describeAtRiskReason(reason: AtRiskReason): string {
  switch (reason.code) {
    case "no_economic_buyer":
      return "No economic buyer named";
    case "economic_buyer_unseen":
      return "The economic buyer never opened the plan";
    case "slipping":
      return `Projected go-live ${plural(reason.slipDays, "working day")} late`;
    case "overdue_buyer_milestones":
      return `${plural(reason.count, "buyer milestone")} overdue`;
    case "buyer_quiet":
      return reason.never ? `No buyer activity since it started ${reason.days} days ago` : `No buyer activity for ${reason.days} days`;
  }
}

export const AT_RISK_SHORT: Record<AtRiskReason["code"], string> = {
  slipping: "Misses go-live",
  overdue_buyer_milestones: "Buyer milestones overdue",
  buyer_quiet: "Buyer quiet",
  no_economic_buyer: "No economic buyer",
  economic_buyer_unseen: "Economic buyer unseen",
};
