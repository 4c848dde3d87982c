import type { Kysely } from "kysely";
import { z } from "zod";
import type { DB } from "../../db/types";
import { createPlanSchema, crmFieldsSchema } from "~/domain/api-requests";
import { PlanInputError } from "~/domain/plan-validation";
import type { Actor } from "~/domain/plan-events";
import { recordDateChange } from "~/models/date-history.server";
import { diff } from "~/models/plan-commands.server";
import { runPlanCommand, runPlanCommandIn } from "~/models/plan-command.server";
import { createPlanIn, newPlanGoLiveProblem } from "~/models/plan-create.server";

/*
 * The API's writes, through the one write path (docs/decisions/004): the CRM's own id for a plan
 * and the rep's CRM close date (a command that logs an event), and creating a plan from a
 * template. The actor is the token: { side: "seller", name: "API: <token name>" }.
 */

export function apiActor(tokenName: string): Actor {
  return { side: "seller", name: `API: ${tokenName}` };
}

// The request schemas are domain (the OpenAPI document is generated from them); routes take them from here.
export { createPlanSchema, crmFieldsSchema };

export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "body";
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}

/** Sets the CRM fields; logs `plan.crm_updated` with before/after (no event when nothing changes). */
export async function updateCrmFields(
  db: Kysely<DB>,
  ctx: { orgId: string; planId: string; actor: Actor; today: string; requestId?: string },
  input: z.infer<typeof crmFieldsSchema>,
) {
  return runPlanCommand(
    db,
    { orgId: ctx.orgId, planId: ctx.planId, actor: ctx.actor, today: ctx.today, requestId: ctx.requestId, expectedVersion: input.version },
    async (trx, plan) => {
      const next = {
        ...(input.externalCrmId !== undefined ? { external_crm_id: input.externalCrmId } : {}),
        ...(input.crmCloseDate !== undefined ? { crm_close_date: input.crmCloseDate } : {}),
      };
      const changes = diff(plan, next);
      if (!Object.keys(changes).length) return { value: null, events: [] };
      await trx.updateTable("plans").set(next).where("org_id", "=", ctx.orgId).where("id", "=", ctx.planId).execute();
      if (changes.crm_close_date) {
        await recordDateChange(trx, {
          orgId: ctx.orgId,
          planId: ctx.planId,
          field: "crm_close_date",
          before: plan.crm_close_date,
          after: next.crm_close_date ?? null,
          actor: ctx.actor,
          today: ctx.today,
        });
      }
      return { value: null, events: [{ action: "plan.crm_updated", entityType: "plan", entityId: ctx.planId, changes }] };
    },
  );
}

/** A plan from a template, backward-scheduled from its go-live, with its CRM id, in one transaction. */
export async function createApiPlan(
  db: Kysely<DB>,
  ctx: { orgId: string; ownerId: string; actor: Actor; today: string; requestId?: string },
  input: z.infer<typeof createPlanSchema>,
) {
  const problem = await newPlanGoLiveProblem(db, ctx.orgId, input.goLive, ctx.today);
  if (problem) throw new PlanInputError({ goLive: [problem] });
  return db.transaction().execute(async (trx) => {
    const { plan } = await createPlanIn(
      trx,
      {
        orgId: ctx.orgId,
        ownerId: ctx.ownerId,
        buyerCompany: input.buyerCompany,
        title: input.title,
        value: input.value ?? 0,
        currency: input.currency ?? "USD",
        goLive: input.goLive,
        crmCloseDate: input.crmCloseDate ?? null,
        templateId: input.templateId,
      },
      ctx.actor,
      ctx.today,
      ctx.requestId,
    );
    if (input.externalCrmId) {
      await runPlanCommandIn(trx, { orgId: ctx.orgId, planId: plan.id, actor: ctx.actor, today: ctx.today, requestId: ctx.requestId }, async (t) => {
        await t.updateTable("plans").set({ external_crm_id: input.externalCrmId }).where("org_id", "=", ctx.orgId).where("id", "=", plan.id).execute();
        return {
          value: null,
          events: [
            { action: "plan.crm_updated", entityType: "plan", entityId: plan.id, changes: { external_crm_id: { before: null, after: input.externalCrmId } } },
          ],
        };
      });
    }
    return plan.id;
  });
}
