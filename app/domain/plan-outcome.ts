import { formatDay } from "~/domain/dates";

/*
 * How a deal ended (docs/decisions/026-closing-a-plan.md): the words, their labels and what a
 * close may contain. Closing needs the real close date and, for a loss, a reason, so it is its own
 * command and form; "paused" is not an outcome and stays a plain status. What a close accepts
 * is in plan-outcome-schema.ts: this module is on the buyer's page, which does not ship zod.
 */
export const PLAN_OUTCOMES = ["won", "lost", "no_decision"] as const;
export type PlanOutcome = (typeof PLAN_OUTCOMES)[number];

/** Every status a plan can have: open ones (active, paused) and the outcomes. */
export const PLAN_STATUSES = ["active", "paused", ...PLAN_OUTCOMES] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const PLAN_STATUS_LABELS: Record<PlanStatus, string> = {
  active: "Active",
  paused: "Paused",
  won: "Won",
  lost: "Lost",
  no_decision: "No decision",
};

export const PLAN_OUTCOME_LABELS: Record<PlanOutcome, string> = {
  won: "Won: the customer signed",
  lost: "Lost: the customer chose otherwise",
  no_decision: "No decision: the customer did not decide",
};

export const LOSS_REASONS = ["competitor", "no_decision", "budget", "timing", "other"] as const;
export type LossReason = (typeof LOSS_REASONS)[number];

export const LOSS_REASON_LABELS: Record<LossReason, string> = {
  competitor: "Went with a competitor",
  no_decision: "Decided not to buy anything",
  budget: "No budget",
  timing: "Not now (timing)",
  other: "Other",
};

export const MAX_CLOSE_NOTE = 2000;

/** What a buyer who posts to a closed plan (from a page opened before it closed) is told. */
export const CLOSED_FOR_BUYERS = "This plan has been closed, so it can no longer be changed. Reload the page to see it as it ended.";

export function isClosedStatus(status: string): status is PlanOutcome {
  return (PLAN_OUTCOMES as readonly string[]).includes(status);
}

/** A close date may be today or earlier (the deal closed), never later (that is a forecast). */
export function closeDateProblem(closedOn: string, today: string): string | null {
  return closedOn > today ? `A plan closes on the day it really closed: ${formatDay(closedOn, today)} has not come yet. Pick today or an earlier day.` : null;
}

/** The words before a closed plan's date: "Won on" <date>. */
export function closedOnPrefix(status: PlanOutcome): string {
  return status === "won" ? "Won on" : status === "lost" ? "Lost on" : "Closed without a decision on";
}

/** A stored loss reason in words (null for none, or a word this version does not know). */
export function lossReasonLabel(reason: string | null | undefined): string | null {
  return reason && (LOSS_REASONS as readonly string[]).includes(reason) ? LOSS_REASON_LABELS[reason as LossReason] : null;
}
