import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/types";
import { eventHash, verifyChain, type Actor, type ChainProblem, type PlanEventContent } from "../domain/plan-events";

export interface NewPlanEvent {
  orgId: string;
  planId: string;
  actor: Actor;
  action: string;
  entityType: PlanEventContent["entityType"];
  entityId?: string | null;
  changes?: PlanEventContent["changes"];
  reason?: string | null;
  requestId?: string | null;
  at?: Date;
}

/**
 * Appends one event to a plan's log, chained to the previous one. Takes a transaction on purpose:
 * the event must commit or roll back with the change it records. The plan row is locked so two
 * writers append in turn rather than forking the chain.
 */
export async function appendPlanEvent(trx: Transaction<DB>, input: NewPlanEvent) {
  const head = await trx
    .selectFrom("plans")
    .select(["last_event_seq", "last_event_hash"])
    .where("org_id", "=", input.orgId)
    .where("id", "=", input.planId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const last = head.last_event_seq > 0 ? { seq: head.last_event_seq, hash: head.last_event_hash } : undefined;

  const content: PlanEventContent = {
    planId: input.planId,
    seq: (last?.seq ?? 0) + 1,
    actor: input.actor,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId ?? null,
    changes: input.changes ?? {},
    reason: input.reason ?? null,
    createdAt: (input.at ?? new Date()).toISOString(),
  };
  const hash = eventHash(last?.hash ?? null, content);
  await trx
    .updateTable("plans")
    .set({ last_event_seq: content.seq, last_event_hash: hash })
    .where("org_id", "=", input.orgId)
    .where("id", "=", input.planId)
    .execute();
  return trx
    .insertInto("plan_events")
    .values({
      org_id: input.orgId,
      plan_id: input.planId,
      seq: content.seq,
      actor_user_id: input.actor.userId ?? null,
      actor_stakeholder_id: input.actor.stakeholderId ?? null,
      actor_name: input.actor.name,
      actor_side: input.actor.side,
      action: content.action,
      entity_type: content.entityType,
      entity_id: content.entityId,
      changes: JSON.stringify(content.changes),
      reason: content.reason,
      request_id: input.requestId ?? null,
      created_at: content.createdAt,
      prev_hash: last?.hash ?? null,
      hash,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Checks every plan's log chain (or one organisation's); returns the problems found, named. */
export async function verifyEventChains(db: Kysely<DB>, options: { orgId?: string } = {}) {
  let plansQuery = db.selectFrom("plans").select(["org_id", "id", "last_event_seq", "last_event_hash"]);
  if (options.orgId) plansQuery = plansQuery.where("org_id", "=", options.orgId);
  const plans = await plansQuery.orderBy("org_id").orderBy("id").execute();
  const problems: ChainProblem[] = [];
  let events = 0;
  for (const plan of plans) {
    const rows = await db.selectFrom("plan_events").selectAll().where("org_id", "=", plan.org_id).where("plan_id", "=", plan.id).orderBy("seq").execute();
    events += rows.length;
    problems.push(
      ...verifyChain(
        rows.map((e) => ({
          id: e.id, planId: e.plan_id, seq: e.seq, prevHash: e.prev_hash, hash: e.hash,
          actor: { side: e.actor_side, name: e.actor_name, userId: e.actor_user_id, stakeholderId: e.actor_stakeholder_id },
          action: e.action, entityType: e.entity_type, entityId: e.entity_id, changes: e.changes, reason: e.reason,
          createdAt: new Date(e.created_at).toISOString(),
        })),
        { planId: plan.id, seq: plan.last_event_seq, hash: plan.last_event_hash },
      ),
    );
  }
  return { plans: plans.length, events, problems };
}
