import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/types";
import { blueprintOf, type CloneRequest } from "~/domain/plan-clone";
import { PlanInputError } from "~/domain/plan-validation";
import { stakeholderIsDeactivatedUser } from "~/models/milestone-owner.server";
import { runPlanCommandIn, type PlanCommandContext } from "~/models/plan-command.server";
import { createPlanIn, newPlanGoLiveProblem } from "~/models/plan-create.server";
import { readPlanShape } from "~/models/template.server";

/*
 * Cloning a plan for another buying unit of the same customer (ADR 040). One transaction: the
 * source is locked and authorized through the write path, which logs "cloned into …" on it; the
 * copy is created the way a plan from a template is, its schedule computed backward from its own
 * go-live, its first log entry naming the source.
 */

/**
 * `ctx` is the write path's context on the source plan (its `authorize` decides who may read it;
 * a refusal is a 404). Returns the new plan. Throws PlanInputError for a go-live the new plan
 * cannot have.
 */
export async function clonePlan(db: Kysely<DB>, ctx: PlanCommandContext, details: CloneRequest) {
  const problem = await newPlanGoLiveProblem(db, ctx.orgId, details.goLive, ctx.today);
  if (problem) throw new PlanInputError({ goLive: [problem] }, problem);
  return db.transaction().execute(async (outer) => {
    const { value } = await runPlanCommandIn(outer, ctx, async (trx, source) => {
      const ownerId = details.ownerId ?? (await activeOwnerOf(trx, ctx.orgId, source.owner_id));
      const { milestones, dependencies } = await readPlanShape(trx, ctx.orgId, source.id);
      const people = details.copyPeople
        ? await trx
            .selectFrom("stakeholders as s")
            .select(["s.id", "s.side", "s.name", "s.email", "s.title", "s.user_id"])
            .select(stakeholderIsDeactivatedUser(ctx.orgId).as("deactivated"))
            .where("s.org_id", "=", ctx.orgId)
            .where("s.plan_id", "=", source.id)
            .orderBy("s.created_at")
            .orderBy("s.id")
            .execute()
        : [];
      const { plan } = await createPlanIn(
        trx,
        {
          orgId: ctx.orgId,
          ownerId,
          buyerCompany: details.buyerCompany ?? source.buyer_company,
          title: details.title,
          value: details.value ?? source.value,
          currency: details.currency ?? source.currency,
          goLive: details.goLive,
          blueprint: blueprintOf({ milestones, dependencies, people }, details.copyPeople),
          clonedFrom: { title: source.title },
          buyerCalendar: { region: source.buyer_holiday_region, weekdays: source.buyer_working_weekdays, holidays: source.buyer_holidays },
        },
        ctx.actor,
        ctx.today,
        ctx.requestId ?? undefined,
        ctx.at,
      );
      return {
        value: plan,
        events: [
          {
            action: "plan.cloned",
            entityType: "plan",
            entityId: plan.id,
            changes: { clone: { before: null, after: plan.title } },
          },
        ],
      };
    });
    return value;
  });
}

/** The source plan's owner, to own the copy too; a deactivated one cannot take a new plan (ADR 021). */
async function activeOwnerOf(trx: Transaction<DB>, orgId: string, ownerId: string) {
  const owner = await trx
    .selectFrom("users")
    .select(["name", "deactivated_at"])
    .where("org_id", "=", orgId)
    .where("id", "=", ownerId)
    .executeTakeFirstOrThrow();
  if (owner.deactivated_at) {
    const message = `${owner.name}, who owns this plan, is deactivated: name the new plan's owner.`;
    throw new PlanInputError({ ownerId: [message] }, message);
  }
  return ownerId;
}
