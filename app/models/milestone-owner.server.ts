import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import type { DB } from "../../db/types";
import { teamOwnerUserId } from "~/domain/milestone-owner";
import { PlanInputError } from "~/domain/plan-validation";
import type { PlanEventSpec } from "~/models/plan-command.server";

/**
 * Whether the stakeholder row aliased `s`, of organisation `orgId`, stands for a deactivated teammate (ADR 021): linked to
 * them, or a seller row carrying their email (as teamMemberAsOwner matches them). Such a person
 * stays on the plan and keeps what they own, but is not offered or accepted as a new owner.
 */
export function stakeholderIsDeactivatedUser(orgId: string): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from users u where u.org_id = ${orgId} and u.deactivated_at is not null
    and (u.id = s.user_id or (s.user_id is null and s.side = 'seller' and u.email = lower(s.email))))`;
}

/**
 * Splits a milestone command's raw input: a team choice (`user:<id>`) comes out as a user id and
 * leaves no stakeholder id behind, so the schema sees an owner-less milestone until the write
 * path has put that user on the plan.
 */
export function takeTeamOwner(raw: unknown): { raw: unknown; ownerUserId: string | null } {
  if (!raw || typeof raw !== "object") return { raw, ownerUserId: null };
  const choice = (raw as Record<string, unknown>).ownerStakeholderId;
  const userId = teamOwnerUserId(choice);
  if (userId === null) return { raw, ownerUserId: null };
  if (userId === "invalid") throw new PlanInputError({ ownerStakeholderId: ["Pick someone from the list."] });
  return { raw: { ...(raw as Record<string, unknown>), ownerStakeholderId: "" }, ownerUserId: userId };
}

/**
 * The stakeholder that stands for one of the organisation's users on this plan: the one already
 * linked to them (or carrying their email), or a new seller stakeholder whose addition is logged
 * in the same command. A user from another organisation is refused.
 */
export async function teamMemberAsOwner(
  trx: Transaction<DB>,
  orgId: string,
  planId: string,
  userId: string,
): Promise<{ stakeholderId: string; events: PlanEventSpec[] }> {
  const user = await trx
    .selectFrom("users")
    .select(["id", "name", "email", "deactivated_at"])
    .where("org_id", "=", orgId)
    .where("id", "=", userId)
    .executeTakeFirst();
  if (!user) throw new PlanInputError({ ownerStakeholderId: ["Pick someone from your team or on this plan."] });
  if (user.deactivated_at) throw new PlanInputError({ ownerStakeholderId: [`${user.name} is deactivated; pick someone else.`] });
  const onPlan = await trx
    .selectFrom("stakeholders")
    .select(["id", "side"])
    .where("org_id", "=", orgId)
    .where("plan_id", "=", planId)
    .where((eb) => eb.or([eb("user_id", "=", user.id), eb(sql<string>`lower(email)`, "=", user.email.toLowerCase())]))
    // Prefer the row already linked to the account over one that only shares the email.
    .orderBy(sql`case when user_id is null then 1 else 0 end`)
    .executeTakeFirst();
  if (onPlan) {
    if (onPlan.side !== "seller") throw new PlanInputError({ ownerStakeholderId: [`${user.name} is on this plan on the buyer side; pick them there.`] });
    return { stakeholderId: onPlan.id, events: [] };
  }
  const created = await trx
    .insertInto("stakeholders")
    .values({ org_id: orgId, plan_id: planId, side: "seller", name: user.name, email: user.email, user_id: user.id })
    .returning(["id"])
    .executeTakeFirstOrThrow();
  return {
    stakeholderId: created.id,
    events: [
      {
        action: "stakeholder.added",
        entityType: "stakeholder",
        entityId: created.id,
        changes: { name: { before: null, after: user.name }, side: { before: null, after: "seller" }, email: { before: null, after: user.email } },
      },
    ],
  };
}

/**
 * The organisation's active users who could own a milestone on this plan but are not on it yet:
 * the plan's owner first, then everyone else by name. Deactivated people are never offered.
 */
export async function teamOwnerCandidates(db: Kysely<DB>, orgId: string, planId: string, planOwnerId: string) {
  const [users, people] = await Promise.all([
    db.selectFrom("users").select(["id", "name", "email"]).where("org_id", "=", orgId).where("deactivated_at", "is", null).orderBy("name").execute(),
    db.selectFrom("stakeholders").select(["user_id", "email"]).where("org_id", "=", orgId).where("plan_id", "=", planId).execute(),
  ]);
  const linked = new Set(people.map((p) => p.user_id).filter(Boolean));
  const emails = new Set(people.map((p) => p.email.toLowerCase()));
  const candidates = users.filter((u) => !linked.has(u.id) && !emails.has(u.email.toLowerCase()));
  return [...candidates.filter((u) => u.id === planOwnerId), ...candidates.filter((u) => u.id !== planOwnerId)].map(({ id, name }) => ({
    id,
    name,
    isPlanOwner: id === planOwnerId,
  }));
}
