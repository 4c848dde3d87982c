import type { Kysely, Transaction } from "kysely";
import type { DB, Side } from "../../db/types";
import { goLiveDateProblem } from "~/domain/go-live";
import type { Actor } from "~/domain/plan-events";
import type { Conn } from "~/models/conn";
import { recordDateChange } from "~/models/date-history.server";
import { calendarOf, getOrganisation } from "~/models/organisation.server";
import { chainEvents } from "~/models/plan-event.server";
import { storeScheduleOnPlan } from "~/models/plan-schedule.server";
import { getTemplateWithMilestones } from "~/models/template.server";

export interface NewPlanInput {
  orgId: string;
  ownerId: string;
  buyerCompany: string;
  title: string;
  value: number;
  currency: string;
  goLive: string;
  crmCloseDate?: string | null;
  templateId?: string | null;
  stakeholders?: Array<{ side: Side; name: string; email: string; title?: string }>;
}

/**
 * Creates a plan and, from a template, its milestones backward-scheduled from the go-live date:
 * plan, milestones, dependencies, stakeholders, the "created" event and the stored schedule all
 * commit together.
 */
/**
 * Why a plan a person is starting cannot go live on this date (in the past, or not one of the
 * organisation's working days), in their words; null when it can. The same rule as moving go-live.
 */
export async function newPlanGoLiveProblem(db: Conn, orgId: string, goLive: string, today: string): Promise<string | null> {
  const org = await getOrganisation(db, orgId);
  return goLiveDateProblem(goLive, today, org ? calendarOf(org) : {});
}

export async function createPlan(db: Kysely<DB>, input: NewPlanInput, actor: Actor, today: string, requestId?: string) {
  return db.transaction().execute((trx) => createPlanIn(trx, input, actor, today, requestId));
}

/** `at`: the moment of creation (default now), as PlanCommandContext.at: the demo's generated history passes its simulated day. */
export async function createPlanIn(trx: Transaction<DB>, input: NewPlanInput, actor: Actor, today: string, requestId?: string, at?: Date) {
  const plan = await trx
    .insertInto("plans")
    .values({
      org_id: input.orgId,
      owner_id: input.ownerId,
      buyer_company: input.buyerCompany,
      title: input.title,
      value: input.value,
      currency: input.currency,
      go_live: input.goLive,
      go_live_set_side: actor.side === "buyer" ? "buyer" : "seller",
      go_live_set_by_name: actor.name,
      crm_close_date: input.crmCloseDate ?? null,
      // Left to the database's clock unless the caller names the moment.
      ...(at ? { go_live_set_at: at, created_at: at, updated_at: at } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (plan.crm_close_date) {
    await recordDateChange(trx, { orgId: input.orgId, planId: plan.id, field: "crm_close_date", before: null, after: plan.crm_close_date, actor, today, at });
  }

  let milestoneCount = 0;
  if (input.templateId) {
    const template = await getTemplateWithMilestones(trx, input.orgId, input.templateId);
    if (!template) throw new Error("Template not found");
    if (template.milestones.length > 0) {
      const created = await trx
        .insertInto("milestones")
        .values(
          template.milestones.map((m) => ({
            org_id: input.orgId,
            plan_id: plan.id,
            title: m.title,
            description: m.description,
            owner_side: m.owner_side,
            duration_days: m.duration_days,
            lag_days: m.lag_days,
            is_close: m.is_close,
            position: m.position,
          })),
        )
        .returning(["id", "position"])
        .execute();
      const idByTemplateId = new Map<string, string>();
      const idByPosition = new Map(created.map((c) => [c.position, c.id]));
      for (const m of template.milestones) idByTemplateId.set(m.id, idByPosition.get(m.position)!);
      if (template.dependencies.length > 0) {
        await trx
          .insertInto("milestone_dependencies")
          .values(
            template.dependencies.map((d) => ({
              org_id: input.orgId,
              plan_id: plan.id,
              milestone_id: idByTemplateId.get(d.milestone_id)!,
              depends_on_id: idByTemplateId.get(d.depends_on_id)!,
            })),
          )
          .execute();
      }
      milestoneCount = created.length;
    }
  }

  if (input.stakeholders?.length) {
    await trx
      .insertInto("stakeholders")
      .values(
        input.stakeholders.map((s) => ({
          org_id: input.orgId,
          plan_id: plan.id,
          side: s.side,
          name: s.name,
          email: s.email.trim().toLowerCase(),
          title: s.title ?? "",
        })),
      )
      .execute();
  }

  // The plan's first log entry is written with its first stored schedule, as every change's is.
  const created = chainEvents({ seq: 0, hash: null }, [
    {
      orgId: input.orgId,
      planId: plan.id,
      actor,
      action: "plan.created",
      entityType: "plan",
      entityId: plan.id,
      changes: {
        title: { before: null, after: input.title },
        buyer_company: { before: null, after: input.buyerCompany },
        go_live: { before: null, after: input.goLive },
        ...(input.templateId ? { milestones: { before: 0, after: milestoneCount } } : {}),
      },
      requestId,
      at,
    },
  ]);
  const { schedule } = await storeScheduleOnPlan(trx, input.orgId, plan.id, today, actor, null, {
    at: at ?? new Date(),
    bumpVersion: false,
    buyerActivity: false,
    events: created,
  });
  return { plan, schedule };
}
