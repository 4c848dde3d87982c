import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { isValidISODate } from "~/domain/calendar";
import { LOSS_REASONS, MAX_CLOSE_NOTE, PLAN_OUTCOMES } from "~/domain/plan-outcome";

/*
 * What closing and reopening a plan accept (ADR 026), apart from plan-outcome.ts so that pages
 * which only show an outcome (the buyer's) do not load zod in the browser (ADR 041).
 */
extendZodWithOpenApi(z);

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
