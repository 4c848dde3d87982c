import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/types";
import { formatDay } from "~/domain/dates";
import { closeDateProblem, closedOnPrefix, isClosedStatus } from "~/domain/plan-outcome";
import { closePlanSchema, reopenPlanSchema } from "~/domain/plan-outcome-schema";
import { parseOrThrow, PlanInputError } from "~/domain/plan-validation";
import { runPlanCommandIn, type PlanCommandContext } from "~/models/plan-command.server";

/*
 * Closing a plan and reopening it (docs/decisions/026-closing-a-plan.md), by the rep, their
 * manager (the context's `authorize`) or the API, through the one write path: the outcome, the
 * close date and the reason change together with their log entry and webhook, or not at all.
 */

/** Closes an open (active or paused) plan; `raw` is the close form's or the API's body. */
export async function closePlan(db: Kysely<DB>, ctx: PlanCommandContext, raw: unknown) {
  return db.transaction().execute((trx) => closePlanIn(trx, ctx, raw));
}

/** The same, inside a transaction the caller holds (the demo seed). */
export async function closePlanIn(trx: Transaction<DB>, ctx: PlanCommandContext, raw: unknown) {
  const input = parseOrThrow(closePlanSchema, raw);
  const closedOn = input.closedOn ?? ctx.today;
  const problem = closeDateProblem(closedOn, ctx.today);
  if (problem) throw new PlanInputError({ closedOn: [problem] }, problem);
  const next = {
    status: input.outcome,
    closed_on: closedOn,
    loss_reason: input.outcome === "lost" ? (input.lossReason ?? null) : null,
    close_note: input.closeNote ? input.closeNote : null,
  };
  return runPlanCommandIn(trx, { ...ctx, expectedVersion: ctx.expectedVersion ?? input.version }, async (t, plan) => {
    if (isClosedStatus(plan.status)) {
      const already = `This plan is already closed (${closedOnPrefix(plan.status).toLowerCase()} ${formatDay(plan.closed_on ?? ctx.today, ctx.today)}). Reopen it first to record a different outcome.`;
      throw new PlanInputError({ form: [already] }, already);
    }
    await t.updateTable("plans").set(next).where("org_id", "=", ctx.orgId).where("id", "=", ctx.planId).execute();
    const changes: Record<string, { before: unknown; after: unknown }> = {
      status: { before: plan.status, after: next.status },
      closed_on: { before: null, after: next.closed_on },
    };
    if (next.loss_reason) changes.loss_reason = { before: null, after: next.loss_reason };
    if (next.close_note) changes.close_note = { before: null, after: next.close_note };
    return { value: null, events: [{ action: "plan.closed", entityType: "plan", entityId: ctx.planId, changes }] };
  });
}

/** Back to active, the close fields cleared; the log keeps how it had ended. */
export async function reopenPlan(db: Kysely<DB>, ctx: PlanCommandContext, raw: unknown = {}) {
  const input = parseOrThrow(reopenPlanSchema, raw);
  return db.transaction().execute((outer) =>
    runPlanCommandIn(outer, { ...ctx, expectedVersion: ctx.expectedVersion ?? input.version }, async (trx, plan) => {
      if (!isClosedStatus(plan.status)) {
        const open = "This plan is not closed: there is nothing to reopen.";
        throw new PlanInputError({ form: [open] }, open);
      }
      await trx
        .updateTable("plans")
        .set({ status: "active", closed_on: null, loss_reason: null, close_note: null })
        .where("org_id", "=", ctx.orgId)
        .where("id", "=", ctx.planId)
        .execute();
      const changes: Record<string, { before: unknown; after: unknown }> = {
        status: { before: plan.status, after: "active" },
        closed_on: { before: plan.closed_on, after: null },
      };
      if (plan.loss_reason) changes.loss_reason = { before: plan.loss_reason, after: null };
      if (plan.close_note) changes.close_note = { before: plan.close_note, after: null };
      return { value: null, events: [{ action: "plan.reopened", entityType: "plan", entityId: ctx.planId, changes }] };
    }),
  );
}
