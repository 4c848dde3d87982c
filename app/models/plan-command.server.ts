import { sql, type Kysely, type Transaction, type Updateable } from "kysely";
import type { DB, Milestone, MilestonesTable, Plan, PlansTable } from "../../db/types";
import type { Actor } from "~/domain/plan-events";
import type { ScheduleResult } from "~/domain/schedule";
import { PREPARED } from "~/infra/prepared-statements.server";
import { queueNotifications } from "~/models/notifications.server";
import { chainEvents, type NewPlanEvent } from "~/models/plan-event.server";
import { storeScheduleOnPlan } from "~/models/plan-schedule.server";
import { queueWebhooks, type WebhookTarget } from "~/models/webhooks.server";

/*
 * The one write path for plans. Every change, by a rep, a manager or a buyer, runs through
 * `runPlanCommand`, which in ONE transaction: locks the plan, checks the version the editor saw,
 * applies the change, appends its events to the hash-chained log, writes the emails they call for
 * (and the webhook deliveries) to the outboxes, bumps the version of what it changed (the plan's fields or one milestone) and
 * recomputes and stores the schedule. Either all of it commits or none of it does.
 */

/** Someone else saved first: the edit is rejected, not applied, and the caller re-shows the form. */
export class PlanVersionConflict extends Error {
  constructor(
    readonly entity: "plan" | "milestone",
    readonly entityId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`This ${entity} was changed by someone else since you opened it.`);
    this.name = "PlanVersionConflict";
  }
}

export class PlanNotFound extends Error {
  constructor(readonly planId: string) {
    super("Plan not found");
    this.name = "PlanNotFound";
  }
}

/** The milestone a change names is not on this plan (or does not exist). */
export class MilestoneNotFound extends PlanNotFound {
  constructor(
    planId: string,
    readonly milestoneId: string,
  ) {
    super(planId);
    this.name = "MilestoneNotFound";
  }
}

/** The named milestone as it was before the change, for the command's checks and its log entry's before/after. */
export type MilestoneBefore = Milestone;

export type PlanEventSpec = Omit<NewPlanEvent, "orgId" | "planId" | "actor" | "requestId" | "at">;

export interface PlanCommandContext {
  orgId: string;
  planId: string;
  actor: Actor;
  today: string;
  requestId?: string | null;
  /** The plan version the editor saw, for changes to the plan's own fields (checked and bumped). */
  expectedVersion?: number;
  /**
   * The milestone version the editor saw, for changes to one milestone (checked and bumped). `set`
   * is a change of that milestone's own columns, made by the same UPDATE as the bump.
   */
  expectedMilestone?: { id: string; version: number; set?: Updateable<MilestonesTable> };
  /** Whether the actor may change this plan; a refusal looks like a missing plan (404). */
  authorize?: (plan: Plan, trx: Transaction<DB>) => boolean | Promise<boolean>;
  /** Why the change was made: kept with the forecast-date history. */
  reason?: string | null;
  /** The moment of the change (default now); the demo's generated history passes its simulated day. */
  at?: Date;
}

export interface PlanCommandResult<T> {
  value: T;
  plan: Plan;
  schedule: ScheduleResult;
}

/** The milestone a command named in `expectedMilestone`, as it was (always there for those commands). */
export function namedMilestone(milestone: MilestoneBefore | null): MilestoneBefore {
  if (!milestone) throw new Error("A milestone command ran without expectedMilestone");
  return milestone;
}

/** The change itself; `milestone` is the named milestone before it (with `expectedMilestone`). */
export type CommandApply<T> = (trx: Transaction<DB>, plan: Plan, milestone: MilestoneBefore | null) => Promise<{ value: T; events: PlanEventSpec[] }>;

/**
 * The plan's columns, named one by one: the lock below and the two plan pages are prepared
 * statements (ADR 007), and with `plans.*` a migration adding a column would change their result
 * type and fail them on every pooled connection (ADR 031). The compile-time check after it keeps
 * the list complete.
 */
export const PLAN_COLUMNS = [
  "org_id",
  "id",
  "owner_id",
  "buyer_company",
  "title",
  "value",
  "currency",
  "status",
  "go_live",
  "go_live_set_side",
  "go_live_set_by_name",
  "go_live_set_at",
  "go_live_confirmed_by_name",
  "go_live_confirmed_at",
  "crm_close_date",
  "external_crm_id",
  "version",
  "projected_go_live",
  "slip_days",
  "forecast_close_date",
  "schedule_computed_on",
  "milestones_total",
  "milestones_done",
  "last_buyer_activity_at",
  "created_at",
  "updated_at",
  "last_event_seq",
  "last_event_hash",
  "close_date_pushes",
  "overdue_buyer_milestones",
  "buyer_holiday_region",
  "buyer_working_weekdays",
  "buyer_holidays",
  "closed_on",
  "loss_reason",
  "close_note",
] as const satisfies ReadonlyArray<keyof PlansTable>;
type UnlistedPlanColumn = Exclude<keyof PlansTable, (typeof PLAN_COLUMNS)[number]>;
const _everyPlanColumnListed: [UnlistedPlanColumn] extends [never] ? true : UnlistedPlanColumn = true;

/**
 * The milestone's columns, named one by one for the same reason, as the bump returns them from the
 * row it read before updating: Citus refuses any non-IMMUTABLE function (`row_to_json`) in a
 * RETURNING clause, so the row comes back as columns.
 */
const MILESTONE_COLUMNS = [
  "org_id",
  "id",
  "plan_id",
  "title",
  "description",
  "owner_side",
  "owner_stakeholder_id",
  "duration_days",
  "lag_days",
  "pinned_date",
  "completed_on",
  "is_close",
  "position",
  "version",
  "start_date",
  "due_date",
  "projected_start",
  "projected_finish",
  "float_days",
  "schedule_status",
  "created_at",
  "updated_at",
] as const satisfies ReadonlyArray<keyof MilestonesTable>;
type UnlistedMilestoneColumn = Exclude<keyof MilestonesTable, (typeof MILESTONE_COLUMNS)[number]>;
const _everyMilestoneColumnListed: [UnlistedMilestoneColumn] extends [never] ? true : UnlistedMilestoneColumn = true;

export async function runPlanCommand<T>(db: Kysely<DB>, ctx: PlanCommandContext, apply: CommandApply<T>): Promise<PlanCommandResult<T>> {
  // Handed a transaction (the demo seed's, which builds a year of deals in one), the command joins
  // it: Kysely cannot nest transactions, and the seed's all-or-nothing is what it wants.
  if (db.isTransaction) return runPlanCommandIn(db as Transaction<DB>, ctx, apply);
  return db.transaction().execute((trx) => runPlanCommandIn(trx, ctx, apply));
}

/** The same, inside a transaction the caller already holds (creating a plan, the seed). */
export async function runPlanCommandIn<T>(trx: Transaction<DB>, ctx: PlanCommandContext, apply: CommandApply<T>): Promise<PlanCommandResult<T>> {
  // The lock also reads the organisation's active webhook endpoints (chat channels too, ADR 045): the change's deliveries are
  // queued at the end without another round trip.
  // Prepared (ADR 007), like the bump and the schedule read after it: every change sends these three.
  // The endpoints are filtered by the organisation parameter, not correlated on plans.org_id: Citus
  // runs FOR UPDATE only on one shard, and proves that from each table's own org_id = constant.
  const locked = await trx
    .selectFrom("plans")
    .modifyFront(PREPARED)
    .select(PLAN_COLUMNS)
    .select(
      sql<WebhookTarget[]>`(select coalesce(json_agg(json_build_object('id', e.id, 'events', e.events, 'kind', e.kind, 'owner_id', e.owner_id)), '[]'::json)
      from webhook_endpoints e where e.org_id = ${ctx.orgId} and e.active)`.as("webhook_endpoints"),
    )
    .where("org_id", "=", ctx.orgId)
    .where("id", "=", ctx.planId)
    .forUpdate()
    .executeTakeFirst();
  if (!locked) throw new PlanNotFound(ctx.planId);
  const { webhook_endpoints: endpoints, ...plan } = locked;
  if (ctx.authorize && !(await ctx.authorize(plan, trx))) throw new PlanNotFound(ctx.planId);
  if (ctx.expectedVersion !== undefined && ctx.expectedVersion !== plan.version) {
    throw new PlanVersionConflict("plan", plan.id, ctx.expectedVersion, plan.version);
  }
  let milestone: MilestoneBefore | null = null;
  if (ctx.expectedMilestone) {
    const { id, version, set } = ctx.expectedMilestone;
    // Bump first: the row lock this takes serialises concurrent edits of the same milestone. It
    // also makes `set` and returns the row as it was (the FROM subquery reads it before this
    // update). A stale version throws below, which rolls back whatever `set` changed.
    const assignments = Object.entries(set ?? {}).map(([column, value]) => sql`${sql.ref(column)} = ${value}`);
    // One prepared shape per set of columns a command changes (a handful, fixed in code).
    const { rows } = await sql<MilestoneBefore & { bumped_version: number }>`
      ${PREPARED}update milestones m set ${sql.join([...assignments, sql`version = m.version + 1`, sql`updated_at = ${ctx.at ?? new Date()}`])}
      from (select ${sql.join(MILESTONE_COLUMNS.map((column) => sql.ref(column)))} from milestones where org_id = ${ctx.orgId} and plan_id = ${ctx.planId} and id = ${id}) old
      where m.org_id = ${ctx.orgId} and m.id = old.id
      returning m.version as bumped_version, ${sql.join(MILESTONE_COLUMNS.map((column) => sql`old.${sql.ref(column)}`))}`.execute(trx);
    const bumped = rows[0];
    if (!bumped) throw new MilestoneNotFound(ctx.planId, id);
    if (bumped.bumped_version !== version + 1) throw new PlanVersionConflict("milestone", id, version, bumped.bumped_version - 1);
    const { bumped_version: _bumped, ...before } = bumped;
    milestone = before;
  }

  const { value, events } = await apply(trx, plan, milestone);
  const at = ctx.at ?? new Date();
  // Chained after the head on the plan row locked above; the rows and the new head are written by
  // the statement that stores the schedule (storeScheduleOnPlan).
  const logged = chainEvents(
    { seq: plan.last_event_seq, hash: plan.last_event_hash },
    events.map((event) => ({ ...event, orgId: ctx.orgId, planId: ctx.planId, actor: ctx.actor, requestId: ctx.requestId, at })),
  );
  // The emails these events call for go into the outbox in this same transaction.
  await queueNotifications(trx, ctx, events, at);
  // The plan's own touch (its version for changes to its fields, updated_at, buyer activity) goes
  // into the UPDATE that stores the schedule, which also returns the plan as it now is.
  const { schedule, plan: updated } = await storeScheduleOnPlan(trx, ctx.orgId, ctx.planId, ctx.today, ctx.actor, ctx.reason ?? null, {
    at,
    bumpVersion: ctx.expectedVersion !== undefined,
    buyerActivity: ctx.actor.side === "buyer",
    events: logged,
  });
  // Beside the emails: the webhook deliveries these events call for, in this same transaction.
  // After the schedule is stored, because only then is a change of the forecast close date known.
  await queueWebhooks(trx, ctx, events, plan, updated, at, endpoints);
  return { value, plan: updated, schedule };
}
