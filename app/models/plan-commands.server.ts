import type { Kysely, Transaction } from "kysely";
import type { DB, Plan, PlanStatus } from "../../db/types";
import type { Actor } from "~/domain/plan-events";
import { planScopeCovers, type Viewer } from "~/domain/permissions";
import {
  goLiveChangeSchema,
  milestoneSchema,
  parseOrThrow,
  planEditSchema,
  planStatusSchema,
  PlanInputError,
  stakeholderSchema,
  type MilestoneInput,
} from "~/domain/plan-validation";
import { goLiveDateIssue, goLiveIssueInEnglish } from "~/domain/go-live";
import { STAKEHOLDER_MAPPED_ACTION } from "~/domain/stakeholder-map";
import { CLOSED_FOR_BUYERS, isClosedStatus } from "~/domain/plan-outcome";
import { stakeholderIsDeactivatedUser, takeTeamOwner, teamMemberAsOwner } from "~/models/milestone-owner.server";
import { recordDateChange } from "~/models/date-history.server";
import { calendarOf } from "~/models/organisation.server";
import { namedMilestone, runPlanCommand, type PlanCommandContext, type PlanEventSpec } from "~/models/plan-command.server";
import { scopeFor } from "~/models/plan.server";
import { isUuid } from "~/domain/ids";
import type { Conn } from "~/models/conn";

/*
 * The commands reps, managers and buyers run on a plan. Each validates its input, then goes
 * through runPlanCommand (one transaction: authorize, version check, change, log, schedule).
 */

export interface Editor {
  actor: Actor;
  today: string;
  requestId?: string | null;
  /** A signed-in seller: may edit the plans in their scope. */
  viewer?: Viewer;
  /** A buyer: may edit only the plan their link opens. */
  buyerPlanId?: string;
  /** The moment of the change (default now): see PlanCommandContext.at. */
  at?: Date;
}

function sellerMayEdit(viewer: Viewer | undefined) {
  return async (plan: Plan, trx: Transaction<DB>) => {
    if (!viewer) return false;
    return planScopeCovers(await scopeFor(trx, viewer), plan.owner_id);
  };
}

/**
 * A buyer changes only the plan their link opens, and only while it is open: a closed plan is
 * read-only for buyers (ADR 026). Checked under the plan's lock, so a page opened before the rep
 * closed it cannot slip a change in after. (Signing in on a new device is logged, not refused.)
 */
function buyerMayEdit(planId: string) {
  return (plan: Plan) => {
    if (plan.id !== planId) return false;
    if (isClosedStatus(plan.status)) throw new PlanInputError({ form: [CLOSED_FOR_BUYERS] }, CLOSED_FOR_BUYERS);
    return true;
  };
}

export function editorContext(editor: Editor, orgId: string, planId: string, extra: Partial<PlanCommandContext> = {}): PlanCommandContext {
  return {
    orgId,
    planId,
    actor: editor.actor,
    today: editor.today,
    requestId: editor.requestId,
    at: editor.at,
    authorize: editor.buyerPlanId ? buyerMayEdit(editor.buyerPlanId) : sellerMayEdit(editor.viewer),
    ...extra,
  };
}

/** Field-level before/after for the fields that changed. */
export function diff<T extends Record<string, unknown>>(before: T, after: Partial<T>) {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of Object.keys(after)) {
    const a = after[key];
    const b = before[key];
    if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)) changes[key] = { before: b ?? null, after: a ?? null };
  }
  return changes;
}

// ---------------------------------------------------------------------------------------------
// The plan's own fields
// ---------------------------------------------------------------------------------------------

/** Won, lost and no-decision plans leave that status by reopening (which clears how they ended), never by an edit. */
function assertOpen(plan: Plan) {
  if (isClosedStatus(plan.status)) {
    const message = "This plan is closed: reopen it from the plan's page before changing its status.";
    throw new PlanInputError({ status: [message] }, message);
  }
}

export async function updatePlanDetails(db: Kysely<DB>, editor: Editor, orgId: string, planId: string, expectedVersion: number, raw: unknown) {
  const input = parseOrThrow(planEditSchema, raw);
  return runPlanCommand(db, editorContext(editor, orgId, planId, { expectedVersion }), async (trx, plan) => {
    const status = input.status ?? plan.status;
    if (status !== plan.status) assertOpen(plan);
    const next = {
      buyer_company: input.buyerCompany,
      title: input.title,
      value: input.value,
      currency: input.currency,
      crm_close_date: input.crmCloseDate,
      status,
    };
    const changes = diff(plan, next);
    await trx.updateTable("plans").set(next).where("org_id", "=", orgId).where("id", "=", planId).execute();
    if (changes.crm_close_date)
      await recordDateChange(trx, {
        orgId,
        planId,
        field: "crm_close_date",
        before: plan.crm_close_date,
        after: next.crm_close_date,
        actor: editor.actor,
        today: editor.today,
        at: editor.at,
      });
    const onlyStatus = Object.keys(changes).length === 1 && changes.status;
    return {
      value: null,
      events: Object.keys(changes).length
        ? [{ action: onlyStatus ? "plan.status_changed" : "plan.updated", entityType: "plan", entityId: planId, changes }]
        : [],
    };
  });
}

export async function setPlanStatus(db: Kysely<DB>, editor: Editor, orgId: string, planId: string, expectedVersion: number, raw: unknown) {
  const status: PlanStatus = parseOrThrow(planStatusSchema, raw);
  return runPlanCommand(db, editorContext(editor, orgId, planId, { expectedVersion }), async (trx, plan) => {
    if (plan.status === status) return { value: null, events: [] };
    assertOpen(plan);
    await trx.updateTable("plans").set({ status }).where("org_id", "=", orgId).where("id", "=", planId).execute();
    return {
      value: null,
      events: [{ action: "plan.status_changed", entityType: "plan", entityId: planId, changes: { status: { before: plan.status, after: status } } }],
    };
  });
}

/**
 * Moves the go-live date. Its provenance follows the actor: a seller's date is "proposed by
 * seller" until a buyer confirms it; a buyer's date counts as confirmed by that buyer.
 */
export async function changeGoLive(db: Kysely<DB>, editor: Editor, orgId: string, planId: string, expectedVersion: number, raw: unknown) {
  const input = parseOrThrow(goLiveChangeSchema, raw);
  return runPlanCommand(db, editorContext(editor, orgId, planId, { expectedVersion, reason: input.reason }), async (trx, plan) => {
    if (plan.go_live === input.goLive) {
      throw new PlanInputError({ goLive: ["That is already the go-live date."] });
    }
    // Checked here, inside the transaction, so every caller (rep form, buyer page) meets the same rule.
    const org = await trx.selectFrom("organisations").select(["working_weekdays", "holidays"]).where("id", "=", orgId).executeTakeFirstOrThrow();
    const issue = goLiveDateIssue(input.goLive, editor.today, calendarOf(org));
    if (issue) {
      const problem = goLiveIssueInEnglish(issue, editor.today);
      throw new PlanInputError({ goLive: [problem] }, problem, { goLive: issue, form: issue });
    }
    const now = editor.at ?? new Date();
    const byBuyer = editor.actor.side === "buyer";
    await trx
      .updateTable("plans")
      .set({
        go_live: input.goLive,
        go_live_set_side: byBuyer ? "buyer" : "seller",
        go_live_set_by_name: editor.actor.name,
        go_live_set_at: now,
        go_live_confirmed_by_name: byBuyer ? editor.actor.name : null,
        go_live_confirmed_at: byBuyer ? now : null,
      })
      .where("org_id", "=", orgId)
      .where("id", "=", planId)
      .execute();
    await recordDateChange(trx, {
      orgId,
      planId,
      field: "go_live",
      before: plan.go_live,
      after: input.goLive,
      actor: editor.actor,
      today: editor.today,
      reason: input.reason,
      at: now,
    });
    return {
      value: null,
      events: [
        {
          action: "plan.go_live_changed",
          entityType: "plan",
          entityId: planId,
          reason: input.reason,
          changes: { go_live: { before: plan.go_live, after: input.goLive } },
        },
      ],
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Milestones
// ---------------------------------------------------------------------------------------------

async function checkReferences(
  trx: Transaction<DB>,
  orgId: string,
  planId: string,
  input: MilestoneInput,
  selfId: string | null,
  currentOwnerId: string | null = null,
) {
  const errors: Record<string, string[]> = {};
  if (input.ownerStakeholderId) {
    const owner = await trx
      .selectFrom("stakeholders as s")
      .select(["s.side", "s.name"])
      .select(stakeholderIsDeactivatedUser(orgId).as("deactivated"))
      .where("s.org_id", "=", orgId)
      .where("s.plan_id", "=", planId)
      .where("s.id", "=", input.ownerStakeholderId)
      .executeTakeFirst();
    if (!owner) errors.ownerStakeholderId = ["Pick someone on this plan."];
    // A deactivated teammate keeps what they owned until someone changes it, but is never newly picked (ADR 021).
    else if (owner.deactivated && input.ownerStakeholderId !== currentOwnerId) errors.ownerStakeholderId = [`${owner.name} is deactivated; pick someone else.`];
    else if (input.ownerSide !== "joint" && owner.side !== input.ownerSide) {
      errors.ownerStakeholderId = [`A ${input.ownerSide}-owned milestone needs an owner from the ${input.ownerSide} side.`];
    }
  }
  if (input.dependsOn.length) {
    if (selfId && input.dependsOn.includes(selfId)) errors.dependsOn = ["A milestone cannot depend on itself."];
    const found = await trx
      .selectFrom("milestones")
      .select("id")
      .where("org_id", "=", orgId)
      .where("plan_id", "=", planId)
      .where("id", "in", input.dependsOn)
      .execute();
    if (found.length !== new Set(input.dependsOn).size) errors.dependsOn = ["One of the dependencies is not on this plan."];
  }
  if (Object.keys(errors).length) throw new PlanInputError(errors);
}

async function titlesOf(trx: Transaction<DB>, orgId: string, ids: string[]) {
  if (!ids.length) return [];
  const rows = await trx.selectFrom("milestones").select(["id", "title"]).where("org_id", "=", orgId).where("id", "in", ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r.title]));
  return ids.map((id) => byId.get(id) ?? id).sort();
}

/** A teammate picked as owner joins the plan as a seller stakeholder in the same command. */
async function withTeamOwner(trx: Transaction<DB>, orgId: string, planId: string, input: MilestoneInput, ownerUserId: string | null) {
  if (!ownerUserId) return { input, joined: [] as PlanEventSpec[] };
  const { stakeholderId, events } = await teamMemberAsOwner(trx, orgId, planId, ownerUserId);
  // A copy: the parsed input stays as posted should the command run again.
  return { input: { ...input, ownerStakeholderId: stakeholderId }, joined: events };
}

function milestoneRow(input: MilestoneInput) {
  return {
    title: input.title,
    description: input.description,
    owner_side: input.ownerSide,
    owner_stakeholder_id: input.ownerStakeholderId,
    duration_days: input.durationDays,
    lag_days: input.lagDays,
    pinned_date: input.pinnedDate,
    is_close: input.isClose,
    completed_on: input.completedOn,
  };
}

function assertNotFuture(completedOn: string | null, today: string) {
  if (completedOn && completedOn > today) throw new PlanInputError({ completedOn: ["A milestone cannot be done on a future date."] });
}

export async function addMilestone(db: Kysely<DB>, editor: Editor, orgId: string, planId: string, raw: unknown) {
  const owner = takeTeamOwner(raw);
  const parsed = parseOrThrow(milestoneSchema, owner.raw);
  assertNotFuture(parsed.completedOn, editor.today);
  return runPlanCommand(db, editorContext(editor, orgId, planId), async (trx) => {
    const { input, joined } = await withTeamOwner(trx, orgId, planId, parsed, owner.ownerUserId);
    await checkReferences(trx, orgId, planId, input, null);
    if (input.isClose) await clearOtherClose(trx, orgId, planId, null);
    const last = await trx
      .selectFrom("milestones")
      .select((eb) => eb.fn.max("position").as("max"))
      .where("org_id", "=", orgId)
      .where("plan_id", "=", planId)
      .executeTakeFirst();
    const created = await trx
      .insertInto("milestones")
      .values({ org_id: orgId, plan_id: planId, ...milestoneRow(input), position: (Number(last?.max ?? -1) || 0) + 1 })
      .returning(["id"])
      .executeTakeFirstOrThrow();
    if (input.dependsOn.length) {
      await trx
        .insertInto("milestone_dependencies")
        .values(input.dependsOn.map((d) => ({ org_id: orgId, plan_id: planId, milestone_id: created.id, depends_on_id: d })))
        .execute();
    }
    const after = { ...milestoneRow(input), depends_on: await titlesOf(trx, orgId, input.dependsOn) };
    const changes = Object.fromEntries(
      Object.entries(after)
        .filter(([, v]) => v !== null && v !== "" && !(Array.isArray(v) && !v.length))
        .map(([k, v]) => [k, { before: null, after: v }]),
    );
    return { value: created.id, events: [...joined, { action: "milestone.added", entityType: "milestone", entityId: created.id, changes }] };
  });
}

/** A plan has one close milestone: marking another one moves the flag, and the log says so. */
async function clearOtherClose(trx: Transaction<DB>, orgId: string, planId: string, keepId: string | null): Promise<PlanEventSpec[]> {
  let query = trx.updateTable("milestones").set({ is_close: false }).where("org_id", "=", orgId).where("plan_id", "=", planId).where("is_close", "=", true);
  if (keepId) query = query.where("id", "<>", keepId);
  const cleared = await query.returning(["id"]).execute();
  return cleared.map((c) => ({
    action: "milestone.updated",
    entityType: "milestone" as const,
    entityId: c.id,
    changes: { is_close: { before: true, after: false } },
  }));
}

export async function updateMilestone(
  db: Kysely<DB>,
  editor: Editor,
  orgId: string,
  planId: string,
  milestoneId: string,
  expectedMilestoneVersion: number,
  raw: unknown,
) {
  const owner = takeTeamOwner(raw);
  const parsed = parseOrThrow(milestoneSchema, owner.raw);
  assertNotFuture(parsed.completedOn, editor.today);
  return runPlanCommand(
    db,
    editorContext(editor, orgId, planId, { expectedMilestone: { id: milestoneId, version: expectedMilestoneVersion } }),
    async (trx, _plan, milestone) => {
      const { input, joined } = await withTeamOwner(trx, orgId, planId, parsed, owner.ownerUserId);
      await checkReferences(trx, orgId, planId, input, milestoneId, milestone?.owner_stakeholder_id ?? null);
      const before = await trx.selectFrom("milestones").selectAll().where("org_id", "=", orgId).where("id", "=", milestoneId).executeTakeFirstOrThrow();
      const beforeDeps = await trx
        .selectFrom("milestone_dependencies")
        .select("depends_on_id")
        .where("org_id", "=", orgId)
        .where("milestone_id", "=", milestoneId)
        .execute();
      const events: PlanEventSpec[] = [...joined, ...(input.isClose && !before.is_close ? await clearOtherClose(trx, orgId, planId, milestoneId) : [])];
      const next = milestoneRow(input);
      await trx.updateTable("milestones").set(next).where("org_id", "=", orgId).where("id", "=", milestoneId).execute();
      await trx.deleteFrom("milestone_dependencies").where("org_id", "=", orgId).where("milestone_id", "=", milestoneId).execute();
      if (input.dependsOn.length) {
        await trx
          .insertInto("milestone_dependencies")
          .values(input.dependsOn.map((d) => ({ org_id: orgId, plan_id: planId, milestone_id: milestoneId, depends_on_id: d })))
          .execute();
      }
      const changes = diff(
        {
          ...before,
          depends_on: await titlesOf(
            trx,
            orgId,
            beforeDeps.map((d) => d.depends_on_id),
          ),
        },
        { ...next, depends_on: await titlesOf(trx, orgId, input.dependsOn) },
      );
      if (Object.keys(changes).length)
        events.push({
          action:
            changes.completed_on && Object.keys(changes).length === 1
              ? input.completedOn
                ? "milestone.completed"
                : "milestone.reopened"
              : "milestone.updated",
          entityType: "milestone",
          entityId: milestoneId,
          changes,
        });
      return { value: null, events };
    },
  );
}

export async function setMilestoneDone(
  db: Kysely<DB>,
  editor: Editor,
  orgId: string,
  planId: string,
  milestoneId: string,
  expectedMilestoneVersion: number,
  completedOn: string | null,
  extra: Partial<PlanCommandContext> = {},
) {
  if (completedOn !== null) parseOrThrow(milestoneSchema.shape.completedOn, completedOn);
  assertNotFuture(completedOn, editor.today);
  const change = { expectedMilestone: { id: milestoneId, version: expectedMilestoneVersion, set: { completed_on: completedOn } } };
  return runPlanCommand(db, { ...editorContext(editor, orgId, planId, change), ...extra }, async (_trx, _plan, milestone) => {
    const before = namedMilestone(milestone);
    return {
      value: null,
      events: [
        {
          action: completedOn ? "milestone.completed" : "milestone.reopened",
          entityType: "milestone",
          entityId: milestoneId,
          changes: { completed_on: { before: before.completed_on, after: completedOn } },
        },
      ],
    };
  });
}

export async function removeMilestone(db: Kysely<DB>, editor: Editor, orgId: string, planId: string, milestoneId: string, expectedMilestoneVersion: number) {
  return runPlanCommand(
    db,
    editorContext(editor, orgId, planId, { expectedMilestone: { id: milestoneId, version: expectedMilestoneVersion } }),
    async (trx, _plan, milestone) => {
      const before = namedMilestone(milestone);
      // Dependents keep their own predecessors; the removed milestone's links go with it.
      await trx.deleteFrom("milestones").where("org_id", "=", orgId).where("id", "=", milestoneId).execute();
      return {
        value: null,
        events: [{ action: "milestone.removed", entityType: "milestone", entityId: milestoneId, changes: { title: { before: before.title, after: null } } }],
      };
    },
  );
}

export async function moveMilestone(db: Kysely<DB>, editor: Editor, orgId: string, planId: string, milestoneId: string, direction: "up" | "down") {
  return runPlanCommand(db, editorContext(editor, orgId, planId), async (trx) => {
    const rows = await trx
      .selectFrom("milestones")
      .select(["id", "position", "title"])
      .where("org_id", "=", orgId)
      .where("plan_id", "=", planId)
      .orderBy("position")
      .orderBy("created_at")
      .execute();
    const index = rows.findIndex((r) => r.id === milestoneId);
    const swapWith = direction === "up" ? index - 1 : index + 1;
    if (index < 0) throw new PlanInputError({ form: ["That milestone is no longer on the plan."] });
    if (swapWith < 0 || swapWith >= rows.length) return { value: null, events: [] };
    [rows[index], rows[swapWith]] = [rows[swapWith], rows[index]];
    // Renumber the whole list: positions stay dense whatever happened before.
    for (const [position, row] of rows.entries()) {
      await trx.updateTable("milestones").set({ position }).where("org_id", "=", orgId).where("id", "=", row.id).execute();
    }
    return {
      value: null,
      events: [
        { action: "milestone.moved", entityType: "milestone", entityId: milestoneId, changes: { position: { before: index + 1, after: swapWith + 1 } } },
      ],
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Stakeholders
// ---------------------------------------------------------------------------------------------

export async function addStakeholder(db: Kysely<DB>, editor: Editor, orgId: string, planId: string, raw: unknown) {
  const input = parseOrThrow(stakeholderSchema, raw);
  return runPlanCommand(db, editorContext(editor, orgId, planId), async (trx) => {
    const existing = await trx
      .selectFrom("stakeholders")
      .select("id")
      .where("org_id", "=", orgId)
      .where("plan_id", "=", planId)
      .where("email", "=", input.email)
      .executeTakeFirst();
    if (existing) throw new PlanInputError({ email: ["Someone with this email is already on the plan."] });
    const created = await trx
      .insertInto("stakeholders")
      .values({ org_id: orgId, plan_id: planId, ...input })
      .returning(["id"])
      .executeTakeFirstOrThrow();
    return {
      value: created.id,
      events: [
        {
          action: "stakeholder.added",
          entityType: "stakeholder",
          entityId: created.id,
          changes: { name: { before: null, after: input.name }, side: { before: null, after: input.side }, email: { before: null, after: input.email } },
        },
      ],
    };
  });
}

export async function removeStakeholder(db: Kysely<DB>, editor: Editor, orgId: string, planId: string, stakeholderId: string) {
  return runPlanCommand(db, editorContext(editor, orgId, planId), async (trx) => {
    const before = await trx
      .selectFrom("stakeholders")
      .select(["name", "side"])
      .where("org_id", "=", orgId)
      .where("plan_id", "=", planId)
      .where("id", "=", stakeholderId)
      .executeTakeFirst();
    if (!before) throw new PlanInputError({ form: ["That person is no longer on the plan."] });
    // Their milestones lose their named owner; a foreign key did this until Citus needed plain keys (ADR 030).
    await trx
      .updateTable("milestones")
      .set({ owner_stakeholder_id: null })
      .where("org_id", "=", orgId)
      .where("plan_id", "=", planId)
      .where("owner_stakeholder_id", "=", stakeholderId)
      .execute();
    // Those who reported to them report to nobody now, logged on each (no dangling key; ADR 036).
    const reports = await trx
      .updateTable("stakeholders")
      .set({ reports_to_id: null })
      .where("org_id", "=", orgId)
      .where("plan_id", "=", planId)
      .where("reports_to_id", "=", stakeholderId)
      .returning("id")
      .execute();
    await trx.deleteFrom("stakeholders").where("org_id", "=", orgId).where("id", "=", stakeholderId).execute();
    return {
      value: null,
      events: [
        ...reports.map((r): PlanEventSpec => ({
          action: STAKEHOLDER_MAPPED_ACTION,
          entityType: "stakeholder",
          entityId: r.id,
          changes: { reports_to: { before: before.name, after: null } },
        })),
        { action: "stakeholder.removed", entityType: "stakeholder", entityId: stakeholderId, changes: { name: { before: before.name, after: null } } },
      ],
    };
  });
}

export const MILESTONE_NOT_ON_PLAN = "That milestone is not on this plan.";

/** A change that names a milestone (a comment, a resource) names one of this plan's: else a 400 with the form's message. */
export async function assertMilestoneOnPlan(trx: Conn, orgId: string, planId: string, milestoneId: string) {
  const found = isUuid(milestoneId)
    ? await trx.selectFrom("milestones").select("id").where("org_id", "=", orgId).where("plan_id", "=", planId).where("id", "=", milestoneId).executeTakeFirst()
    : undefined;
  if (!found) throw new PlanInputError({ form: [MILESTONE_NOT_ON_PLAN] });
}
