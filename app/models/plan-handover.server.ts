import { createElement } from "react";
import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../../db/types";
import { renderEmail } from "../../emails/render";
import { PlansHandedOverEmail, plansHandedOverSubject, type HandedOverPlan } from "../../emails/plans-handed-over";
import { messageIdDomain } from "~/domain/notifications";
import type { Actor } from "~/domain/plan-events";
import { getEnv, publicBaseUrl } from "~/infra/env.server";
import { preferencesUrl } from "~/models/email-preferences.server";
import { enqueueEmail } from "~/models/outbox.server";
import { runPlanCommandIn } from "~/models/plan-command.server";

type Conn = Kysely<DB> | Transaction<DB>;

/*
 * Handing a teammate's active plans over to another rep or manager (ADR 021), usually after the
 * teammate was deactivated. Each plan's owner change is a change to that plan: it runs through
 * the one write path (runPlanCommandIn: lock, log entry "changed the owner from A to B",
 * webhooks, stored schedule). The whole batch is one transaction: the admin sees all of it moved
 * or none, the new owner's one summary email lists exactly what moved, and a retry after a
 * failure cannot split a rep's book between two owners.
 */

/** Active plans per owner, for the Team page. */
export async function activePlanCountsByOwner(db: Conn, orgId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom("plans")
    .select(["owner_id", sql<number>`count(*)::int`.as("count")])
    .where("org_id", "=", orgId)
    .where("status", "=", "active")
    .groupBy("owner_id")
    .execute();
  return Object.fromEntries(rows.map((r) => [r.owner_id, Number(r.count)]));
}

/** Who may receive plans: the organisation's active reps and managers, by name. */
export async function handOverCandidates(db: Conn, orgId: string) {
  return db
    .selectFrom("users")
    .select(["id", "name", "role"])
    .where("org_id", "=", orgId)
    .where("deactivated_at", "is", null)
    .where("role", "in", ["rep", "manager"])
    .orderBy("name")
    .orderBy("id")
    .execute();
}

export type HandOverResult = { ok: true; count: number; fromName: string; toName: string } | { ok: false; field: "toUserId" | "fromUserId"; message: string };

export async function handOverPlans(
  db: Kysely<DB>,
  input: { orgId: string; fromUserId: string; toUserId: string; actor: Actor; today: string; requestId?: string | null; now: Date },
): Promise<HandOverResult> {
  if (input.fromUserId === input.toUserId) return { ok: false, field: "toUserId", message: "Pick someone else to hand the plans to." };
  return db.transaction().execute(async (trx): Promise<HandOverResult> => {
    const people = await trx
      .selectFrom("users")
      .select(["id", "name", "email", "role", "deactivated_at"])
      .where("org_id", "=", input.orgId)
      .where("id", "in", [input.fromUserId, input.toUserId])
      // The receiver's row is locked: a deactivation racing this waits, then sees the plans it gained.
      .forUpdate()
      .execute();
    const from = people.find((p) => p.id === input.fromUserId);
    const to = people.find((p) => p.id === input.toUserId);
    if (!from) return { ok: false, field: "fromUserId", message: "That person is not in your organisation." };
    if (!to || to.role === "admin") return { ok: false, field: "toUserId", message: "Pick a rep or a manager from the list." };
    if (to.deactivated_at) return { ok: false, field: "toUserId", message: `${to.name} is deactivated; pick an active rep or manager.` };

    const plans = await trx
      .selectFrom("plans")
      .select("id")
      .where("org_id", "=", input.orgId)
      .where("owner_id", "=", from.id)
      .where("status", "=", "active")
      .orderBy("id")
      .execute();
    if (!plans.length) return { ok: false, field: "fromUserId", message: `${from.name} owns no active plans.` };

    const moved: Array<{ id: string; title: string; buyerCompany: string; goLive: string }> = [];
    for (const { id } of plans) {
      await runPlanCommandIn(trx, { orgId: input.orgId, planId: id, actor: input.actor, today: input.today, requestId: input.requestId }, async (t, plan) => {
        // Locked now: a plan whose owner or status changed since the list above is left alone.
        if (plan.owner_id !== from.id || plan.status !== "active") return { value: null, events: [] };
        await t.updateTable("plans").set({ owner_id: to.id }).where("org_id", "=", input.orgId).where("id", "=", id).execute();
        moved.push({ id, title: plan.title, buyerCompany: plan.buyer_company, goLive: plan.go_live });
        return {
          value: null,
          events: [
            {
              action: "plan.owner_changed",
              entityType: "plan",
              entityId: id,
              changes: { owner: { before: from.name, after: to.name }, owner_id: { before: from.id, after: to.id } },
            },
          ],
        };
      });
    }
    if (moved.length)
      await queueHandOverEmail(trx, {
        orgId: input.orgId,
        to,
        fromName: from.name,
        byName: input.actor.name,
        plans: moved,
        today: input.today,
        now: input.now,
      });
    return { ok: true, count: moved.length, fromName: from.name, toName: to.name };
  });
}

async function queueHandOverEmail(
  trx: Transaction<DB>,
  input: {
    orgId: string;
    to: { id: string; name: string; email: string };
    fromName: string;
    byName: string;
    plans: Array<{ id: string; title: string; buyerCompany: string; goLive: string }>;
    today: string;
    now: Date;
  },
) {
  const env = getEnv();
  const baseUrl = publicBaseUrl(env);
  const plans: HandedOverPlan[] = input.plans
    .map((p) => ({ title: p.title, buyerCompany: p.buyerCompany, goLive: p.goLive, url: `${baseUrl}/plans/${p.id}` }))
    .sort((a, b) => a.goLive.localeCompare(b.goLive) || a.buyerCompany.localeCompare(b.buyerCompany));
  const footer = {
    reason: "You get this email because an administrator made you the owner of these plans in Plan Together.",
    preferencesUrl: preferencesUrl(baseUrl, { orgId: input.orgId, email: input.to.email, audience: "seller" }),
  };
  const props = {
    recipientName: input.to.name,
    fromName: input.fromName,
    byName: input.byName,
    plans,
    plansUrl: `${baseUrl}/plans`,
    today: input.today,
    footer,
  };
  const rendered = await renderEmail(plansHandedOverSubject(props), createElement(PlansHandedOverEmail, props));
  await enqueueEmail(trx, {
    orgId: input.orgId,
    kind: "plans_handed_over",
    to: { email: input.to.email, name: input.to.name },
    audience: "seller",
    ...rendered,
    preferencesUrl: footer.preferencesUrl,
    dedupeKey: `plans_handed_over:${input.to.id}:${input.now.toISOString()}`,
    messageIdDomain: messageIdDomain(env.MAIL_FROM),
  });
}
