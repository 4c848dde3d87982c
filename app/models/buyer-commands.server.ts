import type { Kysely, Transaction } from "kysely";
import { z } from "zod";
import type { DB } from "../../db/types";
import { isValidISODate } from "~/domain/calendar";
import { colleagueLimit, colleagueLimitMessage, mayEmailColleague } from "~/domain/colleagues";
import { isUuid } from "~/domain/ids";
import { formatDay } from "~/domain/dates";
import { CLOSED_FOR_BUYERS, isClosedStatus } from "~/domain/plan-outcome";
import { goLiveChangeSchema, parseOrThrow, PlanInputError, stakeholderSchema } from "~/domain/plan-validation";
import { MilestoneNotFound, namedMilestone, runPlanCommand, type MilestoneBefore, type PlanEventSpec } from "~/models/plan-command.server";
import { assertMilestoneOnPlan, changeGoLive, editorContext, type Editor } from "~/models/plan-commands.server";
import type { Buyer } from "~/models/buyer-access.server";
import { recordDateChange } from "~/models/date-history.server";
import { queueInvite } from "~/models/notifications.server";
import { previewGoLive } from "~/models/plan-schedule.server";
import { linkDaysToOutlast } from "~/domain/share-links";
import { DEFAULT_LINK_DAYS, insertShareLink } from "~/models/share-link.server";

/*
 * What a buyer may change, and nothing more: their side's milestones (done, owner, pinned date),
 * comments, the go-live date (propose or confirm) and their own colleagues. Seller-only fields
 * (value, owner rep, CRM date, durations, dependencies) have no command here at all.
 */

export function buyerEditor(buyer: Buyer, today: string, requestId?: string | null): Editor {
  return {
    actor: { side: "buyer", name: buyer.name, stakeholderId: buyer.stakeholder_id },
    today,
    requestId,
    buyerPlanId: buyer.plan_id,
  };
}

function assertMilestoneId(milestoneId: string) {
  if (!isUuid(milestoneId)) throw new PlanInputError({ form: ["That milestone is not on this plan."] });
}

/** A buyer changes their side's milestones (and joint ones), never the seller's. */
function assertBuyerMay(before: MilestoneBefore | null): MilestoneBefore {
  const milestone = namedMilestone(before);
  if (milestone.owner_side === "seller")
    throw new PlanInputError({ form: [`“${milestone.title}” is the seller's to update; comment on it instead.`] }, undefined, {
      form: { code: "sellersMilestone", values: { title: milestone.title } },
    });
  return milestone;
}

/** A change to one of the plan's milestones: one that is not on this plan is the form's error. */
async function onBuyerMilestone<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof MilestoneNotFound) throw new PlanInputError({ form: ["That milestone is not on this plan."] });
    throw error;
  }
}

export async function buyerSetDone(db: Kysely<DB>, buyer: Buyer, today: string, requestId: string, milestoneId: string, version: number, done: boolean) {
  assertMilestoneId(milestoneId);
  const completedOn = done ? today : null;
  const editor = buyerEditor(buyer, today, requestId);
  const change = { expectedMilestone: { id: milestoneId, version, set: { completed_on: completedOn } } };
  return onBuyerMilestone(() =>
    runPlanCommand(db, editorContext(editor, buyer.org_id, buyer.plan_id, change), async (_trx, _plan, before) => {
      const milestone = assertBuyerMay(before);
      return {
        value: null,
        events: [
          {
            action: done ? "milestone.completed" : "milestone.reopened",
            entityType: "milestone",
            entityId: milestone.id,
            changes: { completed_on: { before: milestone.completed_on, after: completedOn } },
          },
        ],
      };
    }),
  );
}

const pinSchema = z
  .string()
  .trim()
  .transform((v) => (v === "" ? null : v))
  .refine((v) => v === null || isValidISODate(v), "The date must be a real date (YYYY-MM-DD).");

export async function buyerSetPin(db: Kysely<DB>, buyer: Buyer, today: string, requestId: string, milestoneId: string, version: number, raw: string) {
  const pinnedDate = parseOrThrow(pinSchema, raw);
  assertMilestoneId(milestoneId);
  const editor = buyerEditor(buyer, today, requestId);
  const change = { expectedMilestone: { id: milestoneId, version, set: { pinned_date: pinnedDate } } };
  return onBuyerMilestone(() =>
    runPlanCommand(db, editorContext(editor, buyer.org_id, buyer.plan_id, change), async (_trx, _plan, before) => {
      const milestone = assertBuyerMay(before);
      return {
        value: null,
        events: [
          {
            action: "milestone.updated",
            entityType: "milestone",
            entityId: milestone.id,
            changes: { pinned_date: { before: milestone.pinned_date, after: pinnedDate } },
          },
        ],
      };
    }),
  );
}

export async function buyerSetOwner(
  db: Kysely<DB>,
  buyer: Buyer,
  today: string,
  requestId: string,
  milestoneId: string,
  version: number,
  stakeholderId: string,
) {
  assertMilestoneId(milestoneId);
  const owner = stakeholderId === "" ? null : stakeholderId;
  if (owner !== null) {
    const person = isUuid(owner)
      ? await db
          .selectFrom("stakeholders")
          .select(["side"])
          .where("org_id", "=", buyer.org_id)
          .where("plan_id", "=", buyer.plan_id)
          .where("id", "=", owner)
          .executeTakeFirst()
      : undefined;
    if (!person || person.side !== "buyer") throw new PlanInputError({ ownerStakeholderId: ["Pick one of your own people."] });
  }
  const editor = buyerEditor(buyer, today, requestId);
  const change = { expectedMilestone: { id: milestoneId, version, set: { owner_stakeholder_id: owner } } };
  return onBuyerMilestone(() =>
    runPlanCommand(db, editorContext(editor, buyer.org_id, buyer.plan_id, change), async (trx, _plan, before) => {
      const milestone = assertBuyerMay(before);
      const names = await trx
        .selectFrom("stakeholders")
        .select(["id", "name"])
        .where("org_id", "=", buyer.org_id)
        .where("plan_id", "=", buyer.plan_id)
        .execute();
      const nameOf = (id: string | null) => names.find((n) => n.id === id)?.name ?? null;
      return {
        value: null,
        events: [
          {
            action: "milestone.updated",
            entityType: "milestone",
            entityId: milestone.id,
            changes: { owner_stakeholder_id: { before: nameOf(milestone.owner_stakeholder_id), after: nameOf(owner) } },
          },
        ],
      };
    }),
  );
}

/** The buyer confirms the current go-live date: the plan is now dated by the customer. */
export async function buyerConfirmGoLive(db: Kysely<DB>, buyer: Buyer, today: string, requestId: string, version: number) {
  const editor = buyerEditor(buyer, today, requestId);
  return runPlanCommand(db, editorContext(editor, buyer.org_id, buyer.plan_id, { expectedVersion: version }), async (trx, plan) => {
    if (plan.go_live_confirmed_at)
      throw new PlanInputError({ form: [`${plan.go_live_confirmed_by_name} already confirmed this date.`] }, undefined, {
        form: { code: "alreadyConfirmed", values: { name: plan.go_live_confirmed_by_name ?? "" } },
      });
    // Confirming a day that has gone would date the whole plan in the past: a new date is needed.
    if (plan.go_live < today)
      throw new PlanInputError({ form: [`${formatDay(plan.go_live, today)} has already passed; pick a new go-live date instead.`] }, undefined, {
        form: { code: "goLivePassed", values: { date: plan.go_live } },
      });
    await trx
      .updateTable("plans")
      .set({ go_live_confirmed_by_name: buyer.name, go_live_confirmed_at: new Date() })
      .where("org_id", "=", buyer.org_id)
      .where("id", "=", buyer.plan_id)
      .execute();
    await recordDateChange(trx, {
      orgId: buyer.org_id,
      planId: buyer.plan_id,
      field: "go_live_confirmed",
      before: plan.go_live,
      after: plan.go_live,
      actor: editor.actor,
      today,
    });
    return {
      value: null,
      events: [
        { action: "plan.go_live_confirmed", entityType: "plan", entityId: buyer.plan_id, changes: { go_live: { before: plan.go_live, after: plan.go_live } } },
      ],
    };
  });
}

/**
 * What the buyer's new go-live date would move, before anything is written; a date that may not
 * be set (in the past, not a working day) is refused here with the earliest date the plan can make.
 */
export async function buyerPreviewGoLive(db: Kysely<DB>, buyer: Buyer, today: string, raw: unknown) {
  const input = parseOrThrow(goLiveChangeSchema, raw);
  // Nothing is written, but a preview on a closed plan would offer a change the write path refuses.
  const { status } = await db.selectFrom("plans").select("status").where("org_id", "=", buyer.org_id).where("id", "=", buyer.plan_id).executeTakeFirstOrThrow();
  if (isClosedStatus(status)) throw new PlanInputError({ form: [CLOSED_FOR_BUYERS] }, CLOSED_FOR_BUYERS);
  const preview = await previewGoLive(db, buyer.org_id, buyer.plan_id, input.goLive, today);
  if (preview.currentGoLive === input.goLive)
    throw new PlanInputError({ goLive: ["That is already the go-live date; pick a different one."] }, "That is already the go-live date.");
  if (preview.problem && preview.problemCode) {
    const issue = preview.problemCode;
    throw new PlanInputError(
      { goLive: [preview.problem] },
      `${preview.problem} The earliest go-live the plan can make is ${formatDay(preview.earliestFeasible, today)}.`,
      { goLive: issue, form: { code: `${issue.code}Earliest`, values: { ...issue.values, earliest: preview.earliestFeasible } } },
    );
  }
  return preview;
}

export function buyerProposeGoLive(db: Kysely<DB>, buyer: Buyer, today: string, requestId: string, version: number, raw: unknown) {
  return changeGoLive(db, buyerEditor(buyer, today, requestId), buyer.org_id, buyer.plan_id, version, raw);
}

/** A buyer brings in a colleague: a new buyer-side person with a link of their own. */
export async function buyerAddColleague(db: Kysely<DB>, buyer: Buyer, today: string, requestId: string, raw: Record<string, unknown>, now = new Date()) {
  const input = parseOrThrow(stakeholderSchema, { ...raw, side: "buyer" });
  const editor = buyerEditor(buyer, today, requestId);
  const { value } = await runPlanCommand(db, editorContext(editor, buyer.org_id, buyer.plan_id), async (trx, plan) => {
    const existing = await trx
      .selectFrom("stakeholders")
      .select("id")
      .where("org_id", "=", buyer.org_id)
      .where("plan_id", "=", buyer.plan_id)
      .where("email", "=", input.email)
      .executeTakeFirst();
    if (existing) throw new PlanInputError({ email: ["Someone with this email is already on the plan."] });
    // Counted under the plan's lock (runPlanCommand), so parallel posts cannot slip past the limit.
    const added = await colleaguesAddedSince(trx, buyer, new Date(now.getTime() - 3_600_000));
    const reached = colleagueLimit(added);
    const limit = colleagueLimitMessage(added);
    if (reached && limit) throw new PlanInputError({ form: [limit] }, limit, { form: { code: reached.code, values: { limit: reached.limit } } });
    const inviter = await trx
      .selectFrom("stakeholders")
      .select(["email", "locale"])
      .where("org_id", "=", buyer.org_id)
      .where("id", "=", buyer.stakeholder_id)
      .executeTakeFirst();
    const emailed = mayEmailColleague(inviter?.email, input.email);
    const person = await trx
      .insertInto("stakeholders")
      .values({ org_id: buyer.org_id, plan_id: buyer.plan_id, ...input })
      .returning(["id"])
      .executeTakeFirstOrThrow();
    // The colleague's link works at least through go-live, so it never lapses before the day it is for.
    const days = linkDaysToOutlast(plan.go_live, now, DEFAULT_LINK_DAYS);
    const { link, token } = await insertShareLink(trx, { orgId: buyer.org_id, planId: buyer.plan_id, stakeholderId: person.id, createdBy: null, now, days });
    // The colleague's invitation carries the token; it is written with the link, in this transaction.
    if (emailed)
      await queueInvite(trx, {
        orgId: buyer.org_id,
        planId: buyer.plan_id,
        linkId: link.id,
        token,
        stakeholderId: person.id,
        inviterName: buyer.name,
        // Written in the inviting buyer's kept language: a colleague has none until their first visit.
        inviterLocale: inviter?.locale ?? null,
        expiresAt: new Date(link.expires_at),
        now,
      });
    const events: PlanEventSpec[] = [
      {
        action: "stakeholder.added",
        entityType: "stakeholder",
        entityId: person.id,
        changes: { name: { before: null, after: input.name }, side: { before: null, after: "buyer" }, email: { before: null, after: input.email } },
      },
      { action: "share_link.created", entityType: "share_link", entityId: link.id, changes: { stakeholder: { before: null, after: input.name } } },
    ];
    return { value: { token, name: input.name, emailed }, events };
  });
  return value;
}

/** Colleagues added by buyers since `since`: on the whole plan, and through this buyer's link. */
async function colleaguesAddedSince(trx: Transaction<DB>, buyer: Buyer, since: Date) {
  const row = await trx
    .selectFrom("plan_events")
    .select((eb) => [eb.fn.countAll<number>().as("plan"), eb.fn.count<number>("id").filterWhere("actor_stakeholder_id", "=", buyer.stakeholder_id).as("buyer")])
    .where("org_id", "=", buyer.org_id)
    .where("plan_id", "=", buyer.plan_id)
    .where("action", "=", "stakeholder.added")
    .where("actor_side", "=", "buyer")
    .where("created_at", ">", since)
    .executeTakeFirstOrThrow();
  return { plan: Number(row.plan), buyer: Number(row.buyer) };
}

const commentSchema = z.string().trim().min(1, "Write a comment first.").max(5000, "Keep comments under 5,000 characters.");

/** Comments are open to both sides; the log records them like any other change. */
export async function addComment(db: Kysely<DB>, editor: Editor, orgId: string, planId: string, milestoneId: string | null, raw: string) {
  const body = parseOrThrow(commentSchema, raw);
  if (milestoneId !== null && !isUuid(milestoneId)) throw new PlanInputError({ form: ["That milestone is not on this plan."] });
  return runPlanCommand(db, editorContext(editor, orgId, planId), async (trx) => {
    if (milestoneId) await assertMilestoneOnPlan(trx, orgId, planId, milestoneId);
    const side = editor.actor.side === "buyer" ? "buyer" : "seller";
    const comment = await trx
      .insertInto("comments")
      .values({
        org_id: orgId,
        plan_id: planId,
        milestone_id: milestoneId,
        author_user_id: editor.actor.userId ?? null,
        author_stakeholder_id: editor.actor.stakeholderId ?? null,
        author_name: editor.actor.name,
        author_side: side,
        body,
      })
      .returning(["id"])
      .executeTakeFirstOrThrow();
    return {
      value: comment.id,
      events: [
        {
          action: "comment.added",
          entityType: "comment",
          entityId: milestoneId ?? comment.id,
          changes: { body: { before: null, after: body.length > 140 ? `${body.slice(0, 139)}…` : body } },
        },
      ],
    };
  });
}
