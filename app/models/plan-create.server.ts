import type { Kysely, Transaction } from "kysely";
import type { DB, Side } from "../../db/types";
import { goLiveDateProblem } from "~/domain/go-live";
import { blueprintOf, type PlanBlueprint } from "~/domain/plan-clone";
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
  /** A plan's contents given whole (a clone's, ADR 040) instead of a template's. */
  blueprint?: PlanBlueprint;
  /** The plan a clone comes from, named in the new plan's first log entry. */
  clonedFrom?: { title: string };
  /** The customer's calendar, when a clone carries it over from a plan of the same customer. */
  buyerCalendar?: { region: string | null; weekdays: number[] | null; holidays: string[] | null };
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
      ...(input.buyerCalendar
        ? {
            buyer_holiday_region: input.buyerCalendar.region,
            buyer_working_weekdays: input.buyerCalendar.weekdays === null ? null : JSON.stringify(input.buyerCalendar.weekdays),
            buyer_holidays: input.buyerCalendar.holidays === null ? null : JSON.stringify(input.buyerCalendar.holidays),
          }
        : {}),
      // Left to the database's clock unless the caller names the moment.
      ...(at ? { go_live_set_at: at, created_at: at, updated_at: at } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (plan.crm_close_date) {
    await recordDateChange(trx, { orgId: input.orgId, planId: plan.id, field: "crm_close_date", before: null, after: plan.crm_close_date, actor, today, at });
  }

  const blueprint = input.blueprint ?? (input.templateId ? await templateBlueprint(trx, input.orgId, input.templateId) : null);
  const people = [
    ...(blueprint?.people ?? []),
    ...(input.stakeholders ?? []).map((s, k) => ({ key: `input:${k}`, side: s.side, name: s.name, email: s.email, title: s.title ?? "", userId: null })),
  ];
  // People first: the milestones they own name them by their new ids.
  const personIds = await insertPeople(trx, input.orgId, plan.id, people);
  const milestoneCount = blueprint ? await insertMilestones(trx, input.orgId, plan.id, blueprint, personIds) : 0;

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
        ...(blueprint ? { milestones: { before: 0, after: milestoneCount } } : {}),
        ...(input.clonedFrom ? { cloned_from: { before: null, after: input.clonedFrom.title } } : {}),
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

/** A template's milestones and dependencies as a blueprint keyed by the template's milestone ids. */
async function templateBlueprint(trx: Transaction<DB>, orgId: string, templateId: string): Promise<PlanBlueprint> {
  const template = await getTemplateWithMilestones(trx, orgId, templateId);
  if (!template) throw new Error("Template not found");
  const milestones = template.milestones.map((m) => ({ ...m, owner_stakeholder_id: null }));
  return blueprintOf({ milestones, dependencies: template.dependencies, people: [] }, false);
}

/** Inserts the plan's people; their new ids by the blueprint's keys. */
async function insertPeople(trx: Transaction<DB>, orgId: string, planId: string, people: PlanBlueprint["people"]) {
  const ids = new Map<string, string>();
  if (people.length === 0) return ids;
  const rows = await trx
    .insertInto("stakeholders")
    .values(
      people.map((p) => ({
        org_id: orgId,
        plan_id: planId,
        side: p.side,
        name: p.name,
        email: p.email.trim().toLowerCase(),
        title: p.title,
        user_id: p.userId,
      })),
    )
    .returning(["id", "email"])
    .execute();
  // Emails are unique on a plan: they tie each returned row to its person.
  const idByEmail = new Map(rows.map((r) => [r.email, r.id]));
  for (const p of people) ids.set(p.key, idByEmail.get(p.email.trim().toLowerCase())!);
  return ids;
}

/** Inserts the blueprint's milestones in order (position = index) and their dependencies; how many. */
async function insertMilestones(trx: Transaction<DB>, orgId: string, planId: string, blueprint: PlanBlueprint, personIds: Map<string, string>) {
  if (blueprint.milestones.length === 0) return 0;
  const created = await trx
    .insertInto("milestones")
    .values(
      blueprint.milestones.map((m, position) => ({
        org_id: orgId,
        plan_id: planId,
        title: m.title,
        description: m.description,
        owner_side: m.ownerSide,
        owner_stakeholder_id: m.ownerKey === null ? null : (personIds.get(m.ownerKey) ?? null),
        duration_days: m.durationDays,
        lag_days: m.lagDays,
        is_close: m.isClose,
        position,
      })),
    )
    .returning(["id", "position"])
    .execute();
  const idByPosition = new Map(created.map((c) => [c.position, c.id]));
  const idByKey = new Map(blueprint.milestones.map((m, position) => [m.key, idByPosition.get(position)!]));
  if (blueprint.dependencies.length > 0) {
    await trx
      .insertInto("milestone_dependencies")
      .values(
        blueprint.dependencies.map((d) => ({
          org_id: orgId,
          plan_id: planId,
          milestone_id: idByKey.get(d.milestoneKey)!,
          depends_on_id: idByKey.get(d.dependsOnKey)!,
        })),
      )
      .execute();
  }
  return created.length;
}
