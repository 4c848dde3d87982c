import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { isValidISODate } from "~/domain/calendar";
import { formatDay } from "~/domain/dates";

/*
 * How a deal ended (docs/decisions/026-closing-a-plan.md): the words, their labels and what a
 * close may contain. Closing needs the real close date and, for a loss, a reason, so it is its own
 * command and form; "paused" is not an outcome and stays a plain status.
 */
extendZodWithOpenApi(z);

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

/**
 * What closing a plan accepts, from the close form and the API alike. The close date defaults to
 * the caller's today, which only the write path knows (a domain schema has no clock): see
 * `closeDateProblem`.
 */
export const closePlanSchema = z
  .object({
    outcome: z
      .enum(PLAN_OUTCOMES, { errorMap: () => ({ message: "Pick how the deal ended: won, lost or no decision." }) })
      .openapi({ description: "How the deal ended." }),
    closedOn: z.string().trim().refine(isValidISODate, "Enter the close date as a real date (YYYY-MM-DD).").optional().openapi({
      format: "date",
      description: "The day the deal really closed, YYYY-MM-DD: today or earlier. Default: today in the organisation's time zone.",
    }),
    lossReason: z
      .enum(LOSS_REASONS, { errorMap: () => ({ message: "Pick why the deal was lost." }) })
      .nullable()
      .optional()
      .openapi({ description: "Required when the outcome is lost; refused otherwise." }),
    closeNote: z
      .string()
      .trim()
      .max(MAX_CLOSE_NOTE, `Keep the note under ${MAX_CLOSE_NOTE.toLocaleString("en")} characters.`)
      .nullable()
      .optional(),
    version: z.number().int().min(1).optional().openapi({ description: "The plan version you read; a stale one answers 409." }),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.outcome === "lost" && !v.lossReason) ctx.addIssue({ code: "custom", path: ["lossReason"], message: "Pick why the deal was lost." });
    if (v.outcome !== "lost" && v.lossReason) ctx.addIssue({ code: "custom", path: ["lossReason"], message: "A reason is kept for lost deals only." });
  })
  // The refinement as JSON Schema can say it: a lost deal names its reason.
  .openapi("ClosePlan", {
    anyOf: [{ properties: { outcome: { enum: ["won", "no_decision"] } } }, { required: ["lossReason"], properties: { lossReason: { type: "string" } } }],
  });
export type ClosePlanInput = z.infer<typeof closePlanSchema>;

export const reopenPlanSchema = z
  .object({ version: z.number().int().min(1).optional().openapi({ description: "The plan version you read; a stale one answers 409." }) })
  .strict()
  .openapi("ReopenPlan");

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
