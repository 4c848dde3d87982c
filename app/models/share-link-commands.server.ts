import type { Kysely } from "kysely";
import type { DB } from "../../db/types";
import { PlanInputError } from "~/domain/plan-validation";
import { runPlanCommand } from "~/models/plan-command.server";
import { queueInvite } from "~/models/notifications.server";
import { editorContext, type Editor } from "~/models/plan-commands.server";
import { LINK_DAY_CHOICES } from "~/domain/share-links";
import { DEFAULT_LINK_DAYS, insertShareLink } from "~/models/share-link.server";

/* Creating, renewing and revoking buyer links: plan changes like any other, logged the same way. */

function checkDays(days: number) {
  if (!LINK_DAY_CHOICES.includes(days as (typeof LINK_DAY_CHOICES)[number])) {
    throw new PlanInputError({ days: [`Pick how long the link works: ${LINK_DAY_CHOICES.join(", ")} days.`] });
  }
}

/**
 * Returns the new link's token: the only moment it exists outside the buyer's address bar and the
 * invitation emailed to them (written to the outbox in the same transaction).
 */
export async function createLinkForStakeholder(
  db: Kysely<DB>,
  editor: Editor,
  orgId: string,
  planId: string,
  stakeholderId: string,
  days = DEFAULT_LINK_DAYS,
  now = new Date(),
) {
  checkDays(days);
  const { value } = await runPlanCommand(db, editorContext(editor, orgId, planId), async (trx) => {
    const stakeholder = await trx
      .selectFrom("stakeholders")
      .select(["id", "name", "side"])
      .where("org_id", "=", orgId)
      .where("plan_id", "=", planId)
      .where("id", "=", stakeholderId)
      .executeTakeFirst();
    if (!stakeholder) throw new PlanInputError({ form: ["That person is no longer on the plan."] });
    if (stakeholder.side !== "buyer") throw new PlanInputError({ form: ["Links are for the buyer's people; sellers sign in."] });
    // A new link replaces the person's live one (ADR 012): the old URL stops working in this same
    // transaction, and each revocation is logged, so "Replace link" never leaves a forgotten link alive.
    const replaced = await trx
      .updateTable("share_links")
      .set({ revoked_at: now })
      .where("org_id", "=", orgId)
      .where("plan_id", "=", planId)
      .where("stakeholder_id", "=", stakeholderId)
      .where("revoked_at", "is", null)
      .where("expires_at", ">", now)
      .returning(["id"])
      .execute();
    const { link, token } = await insertShareLink(trx, { orgId, planId, stakeholderId, createdBy: editor.actor.userId ?? null, now, days });
    // The invitation carries the token; it is written with the link, in this transaction.
    await queueInvite(trx, { orgId, planId, linkId: link.id, token, stakeholderId, inviterName: editor.actor.name, expiresAt: new Date(link.expires_at), now });
    return {
      value: { token, linkId: link.id, stakeholderName: stakeholder.name },
      events: [
        ...replaced.map((r) => ({
          action: "share_link.revoked",
          entityType: "share_link" as const,
          entityId: r.id,
          reason: "replaced by a new link",
          changes: { stakeholder: { before: stakeholder.name, after: null } },
        })),
        {
          action: "share_link.created",
          entityType: "share_link",
          entityId: link.id,
          changes: {
            stakeholder: { before: null, after: stakeholder.name },
            expires_at: {
              before: null,
              after: link.expires_at instanceof Date ? link.expires_at.toISOString().slice(0, 10) : String(link.expires_at).slice(0, 10),
            },
          },
        },
      ],
    };
  });
  return value;
}

export async function revokeLink(db: Kysely<DB>, editor: Editor, orgId: string, planId: string, linkId: string, now = new Date()) {
  await runPlanCommand(db, editorContext(editor, orgId, planId), async (trx) => {
    const link = await trx
      .updateTable("share_links")
      .set({ revoked_at: now })
      .where("org_id", "=", orgId)
      .where("plan_id", "=", planId)
      .where("id", "=", linkId)
      .where("revoked_at", "is", null)
      .returning(["id", "stakeholder_id"])
      .executeTakeFirst();
    if (!link) throw new PlanInputError({ form: ["That link is already revoked or gone."] });
    const person = await trx.selectFrom("stakeholders").select("name").where("org_id", "=", orgId).where("id", "=", link.stakeholder_id).executeTakeFirst();
    return {
      value: null,
      events: [
        { action: "share_link.revoked", entityType: "share_link", entityId: link.id, changes: { stakeholder: { before: person?.name ?? null, after: null } } },
      ],
    };
  });
}

export async function renewLink(db: Kysely<DB>, editor: Editor, orgId: string, planId: string, linkId: string, days: number, now = new Date()) {
  checkDays(days);
  const expiresAt = new Date(now.getTime() + days * 86_400_000);
  await runPlanCommand(db, editorContext(editor, orgId, planId), async (trx) => {
    const link = await trx
      .updateTable("share_links")
      .set({ expires_at: expiresAt })
      .where("org_id", "=", orgId)
      .where("plan_id", "=", planId)
      .where("id", "=", linkId)
      .where("revoked_at", "is", null)
      .returning(["id"])
      .executeTakeFirst();
    if (!link) throw new PlanInputError({ form: ["A revoked link cannot be renewed; create a new one."] });
    return {
      value: null,
      events: [
        {
          action: "share_link.renewed",
          entityType: "share_link",
          entityId: link.id,
          changes: { expires_at: { before: null, after: expiresAt.toISOString().slice(0, 10) } },
        },
      ],
    };
  });
}
