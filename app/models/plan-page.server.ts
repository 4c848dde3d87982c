import { sql, type RawBuilder } from "kysely";
import type { ActorSide, EntityType, FieldChanges, Milestone, OwnerSide, Plan, Side, Stakeholder } from "../../db/types";
import { SELLER_ONLY_ACTIONS } from "~/domain/buyer-view";
import { NEW_DEVICE_ACTION } from "~/domain/buyer-devices";
import { isUuid } from "~/domain/ids";
import { tenantTokenLookup } from "~/domain/tenant-token";
import type { Viewer } from "~/domain/permissions";
import { stakeholderIsDeactivatedUser } from "~/models/milestone-owner.server";
import { hashToken } from "~/infra/secret-tokens.server";
import { PREPARED } from "~/infra/prepared-statements.server";
import { PLAN_COLUMNS } from "~/models/plan-command.server";
import type { Conn } from "~/models/conn";
import { teamIdsQuery } from "~/models/user.server";
import { brandingJson, readBrandingJson, type BrandingJson } from "~/models/branding.server";
import { buyerEngagementJson, readEngagement, type EngagementJson } from "~/models/engagement.server";
import { resourcesJson, type PageResources } from "~/models/resources.server";

/*
 * The two plan pages, each read in ONE statement whatever the plan's size: the access check (a
 * signed-in seller's scope, or a buyer's device session and its live link), the organisation, the
 * plan, and its milestones (with their dependencies), people, comments, activity and links as
 * json arrays, each filtered by the plan's org_id. When the check fails, no row comes back and
 * none of the collections is read. The shapes are those the earlier per-section model functions
 * returned (the link and comment lists they replaced), timestamps included as Dates, so the page
 * components do not change. The pages that show part of a plan (the milestone forms, a conflict
 * message) read that part with the same SQL: one way to load a plan.
 */

/**
 * The plan's columns for a page's prepared statement, named one by one: `p.*` would change the
 * statement's result type when a migration adds a column to plans (ADR 031).
 */
function planColumns(columns: readonly string[]) {
  return sql.join(columns.map((column) => sql.ref(`p.${column}`)));
}

/** The deal's fields (value, CRM date and id, owner) stay out of the buyer page's statement. */
const SELLER_ONLY_PLAN_COLUMNS = ["value", "currency", "crm_close_date", "external_crm_id", "owner_id"] as const;
const BUYER_PLAN_COLUMNS = PLAN_COLUMNS.filter((column) => !(SELLER_ONLY_PLAN_COLUMNS as readonly string[]).includes(column));

/** json carries timestamps as ISO strings; the pages got Dates from the row parsers. */
const asDate = (value: string | Date) => new Date(value);
const asDateOrNull = (value: string | Date | null) => (value === null ? null : new Date(value));

type Json<T> = T;
type WithDates<T, K extends keyof T> = Omit<T, K> & { [P in K]: string };

/** A plan's milestones in page order, each with the ids it depends on (all columns, as selectAll). */
function milestonesJson(org: RawBuilder<unknown>, plan: RawBuilder<unknown>) {
  return sql`(
    select coalesce(json_agg(json_build_object('row', row_to_json(m), 'depends_on', ${dependsOnJson(org)}) order by m.position, m.created_at), '[]'::json)
    from milestones m
    where m.org_id = ${org} and m.plan_id = ${plan}
  )`;
}

/**
 * The ids a milestone `m` depends on: a primary-key range read per milestone, so the cost stays
 * linear whatever the planner believes about the table (a join against the plan's grouped
 * dependencies went quadratic on fresh, unanalysed tables; docs/benchmarks.md, fix 2).
 */
function dependsOnJson(org: RawBuilder<unknown>) {
  return sql`coalesce((
    select json_agg(dep.depends_on_id) from milestone_dependencies dep where dep.org_id = ${org} and dep.milestone_id = m.id
  ), '[]'::json)`;
}

function commentsJson(org: RawBuilder<unknown>, plan: RawBuilder<unknown>) {
  return sql`(
    select coalesce(json_agg(json_build_object('id', c.id, 'milestone_id', c.milestone_id, 'author_name', c.author_name, 'author_side', c.author_side, 'body', c.body, 'created_at', c.created_at) order by c.created_at), '[]'::json)
    from comments c
    where c.org_id = ${org} and c.plan_id = ${plan}
  )`;
}

/** The newest `limit` events of the log (optionally one side's), with the name of what each is about. */
function activityJson(org: RawBuilder<unknown>, plan: RawBuilder<unknown>, limit: number, side?: ActorSide, skipActions: readonly string[] = []) {
  return sql`(
    select coalesce(json_agg(a order by a.seq desc), '[]'::json)
    from (
      select e.id, e.seq, e.action, e.actor_name, e.actor_side, e.changes, e.reason, e.created_at, e.entity_type,
        coalesce(
          (select m.title from milestones m where m.org_id = ${org} and m.id = e.entity_id),
          (select s.name from stakeholders s where s.org_id = ${org} and s.id = e.entity_id)
        ) as subject
      from plan_events e
      where e.org_id = ${org} and e.plan_id = ${plan} ${side ? sql`and e.actor_side = ${side}` : sql``}
        ${skipActions.length ? sql`and e.action not in (${sql.join(skipActions.map((a) => sql`${a}`))})` : sql``}
      order by e.seq desc
      limit ${limit}
    ) a
  )`;
}

function stakeholdersJson(org: RawBuilder<unknown>, plan: RawBuilder<unknown>) {
  return sql`(
    select coalesce(json_agg(row_to_json(s) order by s.side, s.name), '[]'::json)
    from stakeholders s
    where s.org_id = ${org} and s.plan_id = ${plan}
  )`;
}

type MilestoneJson = { row: WithDates<Milestone, "created_at" | "updated_at">; depends_on: string[] };
type CommentJson = { id: string; milestone_id: string | null; author_name: string; author_side: Side; body: string; created_at: string };
type ActivityJson = {
  id: string;
  seq: number;
  action: string;
  actor_name: string;
  actor_side: ActorSide;
  changes: FieldChanges;
  reason: string | null;
  created_at: string;
  entity_type: EntityType;
  subject: string | null;
};
type LinkJson = {
  id: string;
  stakeholder_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  first_visit_at: string | null;
  last_visit_at: string | null;
  visit_count: number;
  edits: number;
  /** The devices that opened the link, oldest first: the name and email typed on each. */
  devices: Array<{ name: string; email: string; created_at: string; expires_at: string }>;
};

const readMilestones = (rows: Json<MilestoneJson[]>) =>
  rows.map(({ row, depends_on }) => ({ ...row, created_at: asDate(row.created_at), updated_at: asDate(row.updated_at), depends_on }));
const readComments = (rows: Json<CommentJson[]>) => rows.map((c) => ({ ...c, created_at: asDate(c.created_at) }));
const readActivity = (rows: Json<ActivityJson[]>) => rows.map((e) => ({ ...e, created_at: asDate(e.created_at) }));

// ---------------------------------------------------------------------------------------------
// The rep's plan workspace
// ---------------------------------------------------------------------------------------------

/** `and p.owner_id …` for what the viewer may see (permissions.planScope, in SQL). */
function scopeFilter(viewer: Viewer): RawBuilder<unknown> {
  if (viewer.role === "admin") return sql``;
  if (viewer.role === "rep") return sql`and p.owner_id = ${viewer.id}`;
  return sql`and p.owner_id in (${teamIdsQuery(viewer.orgId, viewer.id)})`;
}

/** One move of a plan's forecast close date, for the date history chart. */
export interface DateHistoryEntry {
  /** When the change was made (ISO timestamp). */
  at: string;
  oldDate: string | null;
  newDate: string | null;
  actorName: string;
  actorSide: string;
  reason: string | null;
}

/**
 * Everything the rep's plan page shows, or undefined when the plan is not in the viewer's scope
 * (unknown, another organisation's, or another rep's: callers answer the same 404).
 */
export async function loadPlanWorkspace(db: Conn, viewer: Viewer, planId: string, options: { side?: ActorSide; activityLimit?: number } = {}) {
  if (!isUuid(planId)) return undefined;
  const org = sql`${viewer.orgId}::uuid`;
  const plan = sql`p.id`;
  const result = await sql<
    Plan & {
      page_time_zone: string;
      page_owner_name: string | null;
      page_milestones: Json<MilestoneJson[]>;
      page_stakeholders: Json<WithDates<Stakeholder, "created_at">[]>;
      page_comments: Json<CommentJson[]>;
      page_activity: Json<ActivityJson[]>;
      page_links: Json<LinkJson[]>;
      page_fiscal_start: number;
      page_date_history: Json<DateHistoryEntry[]>;
      page_engagement: Json<EngagementJson[]>;
      page_resources: Json<PageResources>;
    }
  >`
    ${PREPARED}select ${planColumns(PLAN_COLUMNS)}, o.time_zone as page_time_zone, o.fiscal_year_start_month as page_fiscal_start,
      (
        select coalesce(json_agg(json_build_object(
          'at', h.created_at, 'oldDate', h.old_date, 'newDate', h.new_date, 'actorName', h.actor_name, 'actorSide', h.actor_side, 'reason', h.reason
        ) order by h.created_at), '[]'::json)
        from plan_date_history h
        where h.org_id = ${org} and h.plan_id = p.id and h.field = 'forecast_close_date'
      ) as page_date_history,
      (select u.name from users u where u.org_id = ${org} and u.id = p.owner_id) as page_owner_name,
      ${milestonesJson(org, plan)} as page_milestones,
      ${stakeholdersJson(org, plan)} as page_stakeholders,
      ${commentsJson(org, plan)} as page_comments,
      ${activityJson(org, plan, options.activityLimit ?? 50, options.side)} as page_activity,
      ${resourcesJson(org, plan)} as page_resources,
      (
        select coalesce(json_agg(json_build_object(
          'id', l.id, 'stakeholder_id', l.stakeholder_id, 'created_at', l.created_at, 'expires_at', l.expires_at,
          'revoked_at', l.revoked_at, 'first_visit_at', l.first_visit_at, 'last_visit_at', l.last_visit_at, 'visit_count', l.visit_count,
          'edits', (select count(*) from plan_events e where e.org_id = ${org} and e.plan_id = l.plan_id and e.actor_stakeholder_id = l.stakeholder_id
            and e.action <> ${NEW_DEVICE_ACTION}),
          'devices', (select coalesce(json_agg(json_build_object('name', b.name, 'email', b.email, 'created_at', b.created_at, 'expires_at', b.expires_at)
            order by b.created_at), '[]'::json)
            from buyer_sessions b where b.org_id = ${org} and b.share_link_id = l.id)
        ) order by l.created_at desc), '[]'::json)
        from share_links l
        where l.org_id = ${org} and l.plan_id = p.id
      ) as page_links,
      ${buyerEngagementJson(org, plan)} as page_engagement
    from plans p
    join organisations o on o.id = p.org_id
    where p.org_id = ${viewer.orgId} and p.id = ${planId} ${scopeFilter(viewer)}`.execute(db);
  const row = result.rows[0];
  if (!row) return undefined;
  const {
    page_time_zone: timeZone,
    page_owner_name: ownerName,
    page_milestones: milestones,
    page_stakeholders: stakeholders,
    page_comments: comments,
    page_activity: activity,
    page_links: links,
    page_fiscal_start: fiscalYearStartMonth,
    page_date_history: dateHistory,
    page_engagement: engagement,
    page_resources: resources,
    ...planRow
  } = row;
  return {
    plan: planRow as Plan,
    timeZone,
    fiscalYearStartMonth,
    /** Every move of the forecast close date, oldest first, for the date history chart. */
    dateHistory: dateHistory.map((h) => ({ ...h, at: new Date(h.at).toISOString() })),
    /** The owner's name, or "Former teammate" for a deleted one. */
    owner: ownerName ?? "Former teammate",
    milestones: readMilestones(milestones),
    stakeholders: stakeholders.map((s) => ({ ...s, created_at: asDate(s.created_at) })) as Stakeholder[],
    comments: readComments(comments),
    activity: readActivity(activity),
    resources,
    links: links.map((l) => ({
      ...l,
      created_at: asDate(l.created_at),
      expires_at: asDate(l.expires_at),
      revoked_at: asDateOrNull(l.revoked_at),
      first_visit_at: asDateOrNull(l.first_visit_at),
      last_visit_at: asDateOrNull(l.last_visit_at),
      devices: l.devices.map((d) => ({ ...d, created_at: asDate(d.created_at), expires_at: asDate(d.expires_at) })),
    })),
    /** Each buyer-side person's visits, milestones and resources opened, and actions (ADR 037). */
    engagement: readEngagement(engagement),
  };
}

// ---------------------------------------------------------------------------------------------
// Parts of a plan, for pages that show less than the whole (the caller has checked access)
// ---------------------------------------------------------------------------------------------

/**
 * A plan's milestones (with their dependencies) and people, each person marked when they are a
 * deactivated teammate: they stay on the plan (their past work) but are no longer offered as owners.
 */
export async function loadPlanContents(db: Conn, orgId: string, planId: string) {
  const org = sql`${orgId}::uuid`;
  const plan = sql`${planId}::uuid`;
  const result = await sql<{
    milestones: Json<MilestoneJson[]>;
    stakeholders: Json<Array<WithDates<Stakeholder, "created_at"> & { user_deactivated: boolean }>>;
  }>`
    select ${milestonesJson(org, plan)} as milestones,
      (
        select coalesce(json_agg(to_jsonb(s) || jsonb_build_object('user_deactivated', ${stakeholderIsDeactivatedUser(orgId)}) order by s.side, s.name), '[]'::json)
        from stakeholders s
        where s.org_id = ${org} and s.plan_id = ${plan}
      ) as stakeholders`.execute(db);
  const row = result.rows[0];
  return {
    milestones: readMilestones(row.milestones),
    stakeholders: row.stakeholders.map((s) => ({ ...s, created_at: asDate(s.created_at) })),
  };
}

export type PlanMilestone = Awaited<ReturnType<typeof loadPlanContents>>["milestones"][number];

/** The plan's edit log, newest first, with the name of what each event is about. */
export async function listPlanActivity(db: Conn, orgId: string, planId: string, options: { side?: ActorSide; limit?: number } = {}) {
  const result = await sql<{ activity: Json<ActivityJson[]> }>`
    select ${activityJson(sql`${orgId}::uuid`, sql`${planId}::uuid`, options.limit ?? 100, options.side)} as activity`.execute(db);
  return readActivity(result.rows[0].activity);
}

// ---------------------------------------------------------------------------------------------
// The buyer's plan page
// ---------------------------------------------------------------------------------------------

/** The milestone fields a buyer sees. */
export interface BuyerMilestone {
  id: string;
  title: string;
  description: string;
  owner_side: OwnerSide;
  owner_stakeholder_id: string | null;
  duration_days: number;
  pinned_date: string | null;
  completed_on: string | null;
  is_close: boolean;
  version: number;
  start_date: string | null;
  due_date: string | null;
  projected_start: string | null;
  projected_finish: string | null;
  float_days: number | null;
  schedule_status: Milestone["schedule_status"];
  depends_on: string[];
}

/**
 * Everything the buyer's plan page shows, or undefined when the device cookie, its session or its
 * link is not live (callers answer the same 404 as an unknown link). Seller-only plan fields
 * (value, currency, CRM date and id, owner) are dropped here: they never reach the page.
 */
export async function loadBuyerPlanPage(db: Conn, planId: string, cookieToken: string | undefined, now: Date, options: { activityLimit?: number } = {}) {
  const lookup = cookieToken ? tenantTokenLookup(cookieToken) : null;
  if (!cookieToken || !lookup || !isUuid(planId)) return undefined;
  const tokenHash = hashToken(cookieToken);
  let orgId = lookup.orgId;
  if (orgId === null) {
    // A device remembered before tokens carried their organisation (ADR 030): its organisation
    // first, by the hash alone, so that the page itself always names it.
    const legacy = await db.selectFrom("buyer_sessions").select("org_id").where("id", "=", tokenHash).executeTakeFirst();
    if (!legacy) return undefined;
    orgId = legacy.org_id;
  }
  // Every table named by the organisation itself, never by a column of another: Citus routes the
  // whole page to one shard only when each of them is (ADR 030).
  const org = sql`${orgId}::uuid`;
  const plan = sql`${planId}::uuid`;
  const result = await sql<
    Omit<Plan, (typeof SELLER_ONLY_PLAN_COLUMNS)[number]> & {
      page_buyer: {
        org_id: string;
        plan_id: string;
        stakeholder_id: string;
        name: string;
        email: string;
        share_link_id: string;
        link_id: string;
        side: Side;
        locale: string | null;
      };
      page_last_visit_at: Date | null;
      page_seller: string;
      page_time_zone: string;
      page_rep: Json<{ name: string; email: string; title: string } | null>;
      page_milestones: Json<Array<{ row: BuyerMilestone; depends_on: string[] }>>;
      page_people: Json<Array<{ id: string; name: string; title: string; side: Side }>>;
      page_comments: Json<CommentJson[]>;
      page_activity: Json<ActivityJson[]>;
      page_branding: BrandingJson | null;
      page_engagement_seen: Json<{ last_visit_at: string; milestones_opened: string[] } | null>;
      page_resources: Json<PageResources>;
    }
  >`
    ${PREPARED}select ${planColumns(BUYER_PLAN_COLUMNS)},
      json_build_object('org_id', b.org_id, 'plan_id', b.plan_id, 'stakeholder_id', b.stakeholder_id, 'name', b.name, 'email', b.email,
        'share_link_id', b.share_link_id, 'link_id', l.id, 'side', s.side, 'locale', s.locale) as page_buyer,
      l.last_visit_at as page_last_visit_at, o.name as page_seller, o.time_zone as page_time_zone,
      -- The rep behind the plan, for the buyer's contact card: their title is the one on the plan's
      -- seller-side person for them (linked by account, else by email), when there is one.
      (
        select json_build_object('name', u.name, 'email', u.email, 'title', coalesce((
          select st.title from stakeholders st
          where st.org_id = ${org} and st.plan_id = ${plan} and st.side = 'seller' and (st.user_id = u.id or lower(st.email) = lower(u.email))
          order by (st.user_id = u.id) desc nulls last, st.created_at
          limit 1
        ), ''))
        from users u where u.org_id = ${org} and u.id = p.owner_id
      ) as page_rep,
      (
        select coalesce(json_agg(json_build_object('row', json_build_object(
          'id', m.id, 'title', m.title, 'description', m.description, 'owner_side', m.owner_side, 'owner_stakeholder_id', m.owner_stakeholder_id,
          'duration_days', m.duration_days, 'pinned_date', m.pinned_date, 'completed_on', m.completed_on, 'is_close', m.is_close, 'version', m.version,
          'start_date', m.start_date, 'due_date', m.due_date, 'projected_start', m.projected_start, 'projected_finish', m.projected_finish,
          'float_days', m.float_days, 'schedule_status', m.schedule_status), 'depends_on', ${dependsOnJson(org)}) order by m.position, m.created_at), '[]'::json)
        from milestones m
        where m.org_id = ${org} and m.plan_id = ${plan}
      ) as page_milestones,
      (
        select coalesce(json_agg(json_build_object('id', st.id, 'name', st.name, 'title', st.title, 'side', st.side) order by st.side, st.name), '[]'::json)
        from stakeholders st
        where st.org_id = ${org} and st.plan_id = ${plan}
      ) as page_people,
      ${commentsJson(org, plan)} as page_comments,
      ${activityJson(org, plan, options.activityLimit ?? 15, undefined, SELLER_ONLY_ACTIONS)} as page_activity,
      ${brandingJson(org)} as page_branding,
      -- What the view counter needs to decide whether this view writes (ADR 037).
      (
        select json_build_object('last_visit_at', e.last_visit_at, 'milestones_opened', e.milestones_opened)
        from buyer_engagement e
        where e.org_id = ${org} and e.plan_id = ${plan} and e.stakeholder_id = b.stakeholder_id
      ) as page_engagement_seen,
      ${resourcesJson(org, plan)} as page_resources
    from buyer_sessions b
    join share_links l on l.org_id = ${org} and l.id = b.share_link_id
    join stakeholders s on s.org_id = ${org} and s.id = b.stakeholder_id
    join plans p on p.org_id = ${org} and p.id = ${plan}
    join organisations o on o.id = ${org}
    where b.org_id = ${org} and b.id = ${tokenHash} and b.plan_id = ${plan} and b.expires_at > ${now}
      and l.revoked_at is null and l.expires_at > ${now}`.execute(db);
  const row = result.rows[0];
  if (!row) return undefined;
  const {
    page_buyer: buyer,
    page_last_visit_at: lastVisitAt,
    page_seller: seller,
    page_time_zone: timeZone,
    page_rep: rep,
    page_milestones: milestones,
    page_people: people,
    page_comments: comments,
    page_activity: activity,
    page_branding: branding,
    page_engagement_seen: engagementSeen,
    page_resources: resources,
    // Never sent, even if selected: the buyer sees the plan, not the deal.
    ...planRow
  } = row as typeof row & Partial<Pick<Plan, "value" | "currency" | "crm_close_date" | "external_crm_id" | "owner_id">>;
  const { value: _value, currency: _currency, crm_close_date: _crm, external_crm_id: _ext, owner_id: _owner, ...visiblePlan } = planRow;
  return {
    buyer: { ...buyer, last_visit_at: lastVisitAt },
    seller,
    rep,
    timeZone,
    plan: visiblePlan,
    milestones: milestones.map(({ row: m, depends_on }) => ({ ...m, depends_on })),
    people,
    comments: readComments(comments),
    activity: readActivity(activity),
    branding: readBrandingJson(orgId, branding),
    /** This person's stored engagement, for the view counter; null before their first view. */
    engagementSeen: engagementSeen ? { lastVisitAt: engagementSeen.last_visit_at, milestonesOpened: engagementSeen.milestones_opened } : null,
    resources,
  };
}
