import { sql, type RawBuilder } from "kysely";
import { NEW_DEVICE_ACTION } from "~/domain/buyer-devices";
import { engagementWrite, newVisitCutoff, type PersonEngagement, type SeenSoFar } from "~/domain/engagement";
import type { Conn } from "~/models/conn";

/*
 * Engagement per buyer-side person (ADR 037). A view writes at most one row of buyer_engagement,
 * named by its whole key (org_id first: one shard on Citus), and nothing else: no plan version,
 * no log entry, so an editor never meets a conflict because a buyer looked.
 */

export interface EngagementKey {
  orgId: string;
  planId: string;
  stakeholderId: string;
}

/** Adds `id` to a JSON set column unless it is there already (null: the column as it is). */
function addToSet(column: "milestones_opened" | "resources_opened", id: string | null) {
  const current = sql.ref(`buyer_engagement.${column}`);
  if (id === null) return current;
  // A parameter, not jsonb_build_array: Citus takes only immutable functions in `do update set`.
  const one = sql`${JSON.stringify([id])}::jsonb`;
  return sql`case when ${current} @> ${one} then ${current} else ${current} || ${one} end`;
}

/** A person's row as their first view makes it; a second write of the same key updates it instead. */
function firstView(key: EngagementKey, now: Date) {
  return { org_id: key.orgId, plan_id: key.planId, stakeholder_id: key.stakeholderId, first_visit_at: now, last_visit_at: now, visits: 1 };
}

const KEY = ["org_id", "plan_id", "stakeholder_id"] as const;
const LATER_LAST_SEEN = sql<Date>`greatest(buyer_engagement.last_visit_at, excluded.last_visit_at)`;

/**
 * Records a buyer's view of their plan page (`milestoneId`: a milestone they followed a link to),
 * given what the page's statement read of their row: no write for a reload, else one upsert.
 * Whether it starts a visit is decided again against the stored row, so two tabs opening at once
 * count one.
 */
export async function recordBuyerView(db: Conn, key: EngagementKey, seen: SeenSoFar | null, now: Date, milestoneId: string | null = null) {
  const write = engagementWrite(seen, now, milestoneId);
  if (!write) return false;
  const opened = write.openedMilestoneId;
  await db
    .insertInto("buyer_engagement")
    .values({ ...firstView(key, now), milestones_opened: JSON.stringify(opened ? [opened] : []) })
    .onConflict((oc) =>
      oc.columns([...KEY]).doUpdateSet({
        visits: sql<number>`buyer_engagement.visits + case when buyer_engagement.last_visit_at <= ${newVisitCutoff(now)} then 1 else 0 end`,
        last_visit_at: LATER_LAST_SEEN,
        milestones_opened: sql<string>`${addToSet("milestones_opened", opened)}`,
      }),
    )
    .execute();
  return true;
}

/**
 * Records that a buyer-side person opened (downloaded, viewed) one of the plan's resources, each
 * resource counted once per person. For the resources feature to call inside its own transaction
 * (the download's log entry); opening one means the person is on the plan, so a person with no row
 * yet gets one with this as their first visit.
 */
export async function recordResourceOpened(trx: Conn, key: EngagementKey, resourceId: string, now: Date) {
  await trx
    .insertInto("buyer_engagement")
    .values({ ...firstView(key, now), resources_opened: JSON.stringify([resourceId]) })
    .onConflict((oc) =>
      oc.columns([...KEY]).doUpdateSet({
        last_visit_at: LATER_LAST_SEEN,
        resources_opened: sql<string>`${addToSet("resources_opened", resourceId)}`,
      }),
    )
    .execute();
}

/** One buyer-side person's engagement as json reads it (timestamps as ISO strings). */
export type EngagementJson = {
  stakeholder_id: string;
  name: string;
  title: string;
  first_visit_at: string | null;
  last_visit_at: string | null;
  visits: number;
  milestones_opened: number;
  resources_opened: number;
  actions: number;
};

/**
 * Every buyer-side person on plan `plan` with their engagement, as a json array: for folding into
 * a page's one statement. Milestones opened count those still on the plan; actions are the
 * person's entries in the plan's log (a new device is access, not an action). Every table is
 * named by the organisation itself (ADR 030).
 */
export function buyerEngagementJson(org: RawBuilder<unknown>, plan: RawBuilder<unknown>) {
  return sql`(
    select coalesce(json_agg(json_build_object(
      'stakeholder_id', s.id, 'name', s.name, 'title', s.title,
      'first_visit_at', e.first_visit_at, 'last_visit_at', e.last_visit_at, 'visits', coalesce(e.visits, 0),
      'milestones_opened', coalesce((
        select count(*) from milestones m where m.org_id = ${org} and m.plan_id = ${plan} and e.milestones_opened @> jsonb_build_array(m.id::text)
      ), 0),
      'resources_opened', coalesce(jsonb_array_length(e.resources_opened), 0),
      'actions', coalesce(a.actions, 0)
    ) order by s.name, s.id), '[]'::json)
    from stakeholders s
    left join buyer_engagement e on e.org_id = ${org} and e.plan_id = ${plan} and e.stakeholder_id = s.id
    left join (
      select ev.actor_stakeholder_id, count(*) as actions
      from plan_events ev
      where ev.org_id = ${org} and ev.plan_id = ${plan} and ev.actor_side = 'buyer' and ev.action <> ${NEW_DEVICE_ACTION}
      group by ev.actor_stakeholder_id
    ) a on a.actor_stakeholder_id = s.id
    where s.org_id = ${org} and s.plan_id = ${plan} and s.side = 'buyer'
  )`;
}

/** Reads the json rows into the domain's shape, keyed by the person. */
export function readEngagement(rows: EngagementJson[]) {
  return rows.map((r) => ({
    stakeholderId: r.stakeholder_id,
    name: r.name,
    title: r.title,
    engagement: {
      firstVisitAt: r.first_visit_at === null ? null : new Date(r.first_visit_at).toISOString(),
      lastVisitAt: r.last_visit_at === null ? null : new Date(r.last_visit_at).toISOString(),
      visits: Number(r.visits),
      milestonesOpened: Number(r.milestones_opened),
      resourcesOpened: Number(r.resources_opened),
      actions: Number(r.actions),
    } satisfies PersonEngagement,
  }));
}

export type PlanEngagement = ReturnType<typeof readEngagement>;

/** A plan's buyer-side people with their engagement, for the API; undefined when the plan is not the organisation's. */
export async function listPlanEngagement(db: Conn, orgId: string, planId: string): Promise<PlanEngagement | undefined> {
  const result = await sql<{ people: EngagementJson[] }>`
    select ${buyerEngagementJson(sql`${orgId}::uuid`, sql`p.id`)} as people
    from plans p
    where p.org_id = ${orgId} and p.id = ${planId}`.execute(db);
  const row = result.rows[0];
  return row ? readEngagement(row.people) : undefined;
}
