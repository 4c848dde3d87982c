import type { Kysely } from "kysely";
import { z } from "zod";
import type { DB } from "../../db/types";
import { isValidISODate } from "../domain/calendar";
import { CURRENCIES, PlanInputError } from "../domain/plan-validation";
import type { Actor } from "../domain/plan-events";
import { diff } from "./plan-commands.server";
import { runPlanCommand, runPlanCommandIn } from "./plan-command.server";
import { createPlanIn, newPlanGoLiveProblem } from "./plan-create.server";

/*
 * The API's writes, through the one write path (docs/decisions/004): the CRM's own id for a plan
 * and the rep's CRM close date (a command that logs an event), and creating a plan from a
 * template. The actor is the token: { side: "seller", name: "API: <token name>" }.
 */

export function apiActor(tokenName: string): Actor {
  return { side: "seller", name: `API: ${tokenName}` };
}

// The calendar's own validator (years 1–9999), as the pages use: JavaScript's Date accepts year 0,
// which PostgreSQL's date type refuses (a 500 before).
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2027-03-31.").refine(isValidISODate, "Not a real date (years 0001 to 9999).");

export const crmFieldsSchema = z
  .object({
    externalCrmId: z.string().trim().min(1, "Leave it out or send null to clear it.").max(200, "Keep it under 200 characters.").nullable().optional(),
    crmCloseDate: isoDate.nullable().optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((v) => v.externalCrmId !== undefined || v.crmCloseDate !== undefined, { message: "Send externalCrmId, crmCloseDate or both." });

export const createPlanSchema = z
  .object({
    templateId: z.string().uuid("Not a template id."),
    goLive: isoDate,
    buyerCompany: z.string().trim().min(1, "Name the customer.").max(200),
    title: z.string().trim().min(1, "Give the plan a title.").max(200),
    value: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    currency: z.enum(CURRENCIES, { errorMap: () => ({ message: `One of ${CURRENCIES.join(", ")}.` }) }).optional(),
    ownerId: z.string().uuid("Not a user id.").optional(),
    crmCloseDate: isoDate.nullable().optional(),
    externalCrmId: z.string().trim().min(1).max(200).nullable().optional(),
  })
  .strict();

export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "body";
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}

/** Sets the CRM fields; logs `plan.crm_updated` with before/after (no event when nothing changes). */
export async function updateCrmFields(db: Kysely<DB>, ctx: { orgId: string; planId: string; actor: Actor; today: string; requestId?: string }, input: z.infer<typeof crmFieldsSchema>) {
  return runPlanCommand(db, { orgId: ctx.orgId, planId: ctx.planId, actor: ctx.actor, today: ctx.today, requestId: ctx.requestId, expectedVersion: input.version }, async (trx, plan) => {
    const next = {
      ...(input.externalCrmId !== undefined ? { external_crm_id: input.externalCrmId } : {}),
      ...(input.crmCloseDate !== undefined ? { crm_close_date: input.crmCloseDate } : {}),
    };
    const changes = diff(plan, next);
    if (!Object.keys(changes).length) return { value: null, events: [] };
    await trx.updateTable("plans").set(next).where("org_id", "=", ctx.orgId).where("id", "=", ctx.planId).execute();
    return { value: null, events: [{ action: "plan.crm_updated", entityType: "plan", entityId: ctx.planId, changes }] };
  });
}

/** A plan from a template, backward-scheduled from its go-live, with its CRM id, in one transaction. */
export async function createApiPlan(db: Kysely<DB>, ctx: { orgId: string; ownerId: string; actor: Actor; today: string; requestId?: string }, input: z.infer<typeof createPlanSchema>) {
  const problem = await newPlanGoLiveProblem(db, ctx.orgId, input.goLive, ctx.today);
  if (problem) throw new PlanInputError({ goLive: [problem] });
  return db.transaction().execute(async (trx) => {
    const { plan } = await createPlanIn(trx, {
      orgId: ctx.orgId, ownerId: ctx.ownerId, buyerCompany: input.buyerCompany, title: input.title, value: input.value ?? 0,
      currency: input.currency ?? "USD", goLive: input.goLive, crmCloseDate: input.crmCloseDate ?? null, templateId: input.templateId,
    }, ctx.actor, ctx.today, ctx.requestId);
    if (input.externalCrmId) {
      await runPlanCommandIn(trx, { orgId: ctx.orgId, planId: plan.id, actor: ctx.actor, today: ctx.today, requestId: ctx.requestId }, async (t) => {
        await t.updateTable("plans").set({ external_crm_id: input.externalCrmId }).where("org_id", "=", ctx.orgId).where("id", "=", plan.id).execute();
        return { value: null, events: [{ action: "plan.crm_updated", entityType: "plan", entityId: plan.id, changes: { external_crm_id: { before: null, after: input.externalCrmId } } }] };
      });
    }
    return plan.id;
  });
}
