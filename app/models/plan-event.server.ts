import { sql, type Kysely, type RawBuilder } from "kysely";
import type { DB } from "../../db/types";
import { type Actor, type ChainProblem, type PlanEventContent } from "~/domain/plan-events";
import { eventHash, verifyEventChain } from "~/infra/event-chain.server";

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

/** Where a plan's log ends: the last event's sequence number and hash (kept on the plan row). */
export interface ChainHead {
  seq: number;
  hash: string | null;
}

/** The row for `input` chained after `head`, and the head it makes. */
function chainedRow(head: ChainHead, input: NewPlanEvent) {
  const content: PlanEventContent = {
    planId: input.planId,
    seq: head.seq + 1,
    actor: input.actor,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId ?? null,
    changes: input.changes ?? {},
    reason: input.reason ?? null,
    createdAt: (input.at ?? new Date()).toISOString(),
  };
  const prevHash = head.seq > 0 ? head.hash : null;
  const hash = eventHash(prevHash, content);
  const row = {
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
    changes: content.changes,
    reason: content.reason,
    request_id: input.requestId ?? null,
    created_at: content.createdAt,
    prev_hash: prevHash,
    hash,
  };
  return { row, head: { seq: content.seq, hash } };
}

export type PlanEventRow = ReturnType<typeof chainedRow>["row"];

/**
 * Chains events after a head the caller read from the plan row it holds locked: the rows to
 * insert and the new head. The caller writes both in one statement with the plan's own update
 * (insertPlanEventsSql, in storeScheduleOnPlan), so the log and its head cannot part.
 */
export function chainEvents(head: ChainHead, inputs: readonly NewPlanEvent[]): { rows: PlanEventRow[]; head: ChainHead } {
  const rows: PlanEventRow[] = [];
  let next = head;
  for (const input of inputs) {
    const chained = chainedRow(next, input);
    rows.push(chained.row);
    next = chained.head;
  }
  return { rows, head: next };
}

/**
 * `insert into plan_events …` for chained rows, as a statement or a data-modifying CTE. Rows go as
 * VALUES, not unpacked from one JSON parameter: Citus routes a VALUES insert straight to the plan's
 * shard, while an INSERT … SELECT from a function is pulled through the coordinator (ADR 030). A
 * change logs a few rows (a plan has at most 200 milestones), far below the protocol's 65,535
 * parameters.
 */
export function insertPlanEventsSql(rows: readonly PlanEventRow[]): RawBuilder<unknown> {
  return sql`insert into plan_events (org_id, plan_id, seq, actor_user_id, actor_stakeholder_id, actor_name, actor_side, action,
      entity_type, entity_id, changes, reason, request_id, created_at, prev_hash, hash)
    values ${sql.join(
      rows.map(
        (e) => sql`(${e.org_id}::uuid, ${e.plan_id}::uuid, ${e.seq}::integer, ${e.actor_user_id}::uuid, ${e.actor_stakeholder_id}::uuid,
          ${e.actor_name}, ${e.actor_side}, ${e.action}, ${e.entity_type}, ${e.entity_id}::uuid, ${JSON.stringify(e.changes)}::jsonb,
          ${e.reason}, ${e.request_id}, ${e.created_at}::timestamptz, ${e.prev_hash}, ${e.hash})`,
      ),
    )}`;
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
      ...verifyEventChain(
        rows.map((e) => ({
          id: e.id,
          planId: e.plan_id,
          seq: e.seq,
          prevHash: e.prev_hash,
          hash: e.hash,
          actor: { side: e.actor_side, name: e.actor_name, userId: e.actor_user_id, stakeholderId: e.actor_stakeholder_id },
          action: e.action,
          entityType: e.entity_type,
          entityId: e.entity_id,
          changes: e.changes,
          reason: e.reason,
          createdAt: new Date(e.created_at).toISOString(),
        })),
        { planId: plan.id, seq: plan.last_event_seq, hash: plan.last_event_hash },
      ),
    );
  }
  return { plans: plans.length, events, problems };
}

/** Walks every chain, printing what `npm run audit:verify` and `npm run restore` print: each problem, then the count. */
export async function reportEventChains(db: Kysely<DB>, print: (line: string) => void = console.log): Promise<boolean> {
  const { plans, events, problems } = await verifyEventChains(db);
  for (const p of problems) print(`BROKEN  ${p.message}`);
  print(`${plans} plans, ${events} events checked: ${problems.length ? `${problems.length} problem(s)` : "every chain intact"}.`);
  return problems.length === 0;
}
