import { sql } from "kysely";
import type { PlanStatus } from "../../db/types";
import { isUuid } from "~/domain/ids";
import type { PlanSort } from "~/domain/plan-list";
import { planScope, planScopeCovers, type Viewer } from "~/domain/permissions";
import { teamMemberIds } from "~/models/user.server";
import type { Conn } from "~/models/conn";

export async function scopeFor(db: Conn, viewer: Viewer) {
  const teamIds = viewer.role === "manager" ? await teamMemberIds(db, viewer.orgId, viewer.id) : [];
  return planScope(viewer, teamIds);
}

export interface PlanListFilters {
  status?: PlanStatus | "all";
  q?: string;
  sort?: PlanSort;
  /** 1-based; a page past the end shows the last one. */
  page?: number;
}

/** Plans per page of the list: a manager's team can own tens of thousands. */
export const PLAN_PAGE_SIZE = 50;

export interface PlanListPage<Row> {
  rows: Row[];
  total: number;
  page: number;
  pageCount: number;
}

export async function listPlans(db: Conn, viewer: Viewer, filters: PlanListFilters = {}) {
  const scope = await scopeFor(db, viewer);
  let query = db
    .selectFrom("plans as p")
    .innerJoin("users as u", (j) => j.onRef("u.org_id", "=", "p.org_id").onRef("u.id", "=", "p.owner_id"))
    .select([
      "p.id",
      "p.title",
      "p.buyer_company",
      "p.value",
      "p.currency",
      "p.status",
      "p.go_live",
      "p.go_live_set_side",
      "p.go_live_confirmed_at",
      "p.go_live_confirmed_by_name",
      "p.projected_go_live",
      "p.slip_days",
      "p.forecast_close_date",
      "p.milestones_total",
      "p.milestones_done",
      "p.last_buyer_activity_at",
      "p.owner_id",
      // What plan health reads besides the columns above (ADR 038).
      "p.overdue_buyer_milestones",
      "p.created_at",
      "u.name as owner_name",
      sql<number>`(count(*) over ())::int`.as("total_count"),
    ])
    .where("p.org_id", "=", viewer.orgId);
  if (scope.kind === "owners") query = query.where("p.owner_id", "in", scope.ownerIds);
  if (filters.status && filters.status !== "all") query = query.where("p.status", "=", filters.status);
  if (filters.q?.trim()) {
    const like = `%${filters.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb("p.title", "ilike", like), eb("p.buyer_company", "ilike", like)]));
  }
  switch (filters.sort ?? "close") {
    case "golive":
      query = query.orderBy("p.go_live");
      break;
    case "company":
      query = query.orderBy("p.buyer_company");
      break;
    case "value":
      query = query.orderBy("p.value", "desc");
      break;
    case "activity":
      query = query.orderBy("p.last_buyer_activity_at", (o) => o.desc().nullsLast());
      break;
    default:
      query = query.orderBy("p.forecast_close_date", (o) => o.asc().nullsLast());
  }
  const ordered = query.orderBy("p.id");
  const fetchPage = async (page: number) => {
    const rows = await ordered
      .limit(PLAN_PAGE_SIZE)
      .offset((page - 1) * PLAN_PAGE_SIZE)
      .execute();
    return { page, rows: rows.map(({ total_count: _total, ...row }) => row), total: rows[0]?.total_count ?? 0 };
  };
  // What the whole list (every page) adds up to, per currency: values in different currencies are never summed.
  const totalsQuery = query
    .clearSelect()
    .clearOrderBy()
    .select(["p.currency", sql<number>`count(*)::int`.as("plans"), sql<number>`coalesce(sum(p.value), 0)::bigint`.as("value")])
    .groupBy("p.currency");
  let [result, totals] = await Promise.all([fetchPage(Math.max(1, Math.floor(filters.page ?? 1))), totalsQuery.execute()]);
  if (result.rows.length === 0 && result.page > 1) {
    // Past the end (the list shrank, or a hand-typed page): show the last page there is.
    const n = totals.reduce((sum, t) => sum + t.plans, 0);
    if (n > 0) result = await fetchPage(Math.ceil(n / PLAN_PAGE_SIZE));
  }
  totals = totals.map((t) => ({ ...t, value: Number(t.value) })).sort((a, b) => b.value - a.value || a.currency.localeCompare(b.currency));
  return { ...result, totals, pageCount: Math.max(1, Math.ceil(result.total / PLAN_PAGE_SIZE)) };
}

export type PlanListRow = Awaited<ReturnType<typeof listPlans>>["rows"][number];

/** A plan the viewer may see, or undefined (callers answer 404: foreign ids do not exist). */
export async function getVisiblePlan(db: Conn, viewer: Viewer, planId: string) {
  if (!isUuid(planId)) return undefined;
  const plan = await db.selectFrom("plans").selectAll().where("org_id", "=", viewer.orgId).where("id", "=", planId).executeTakeFirst();
  if (!plan) return undefined;
  const scope = await scopeFor(db, viewer);
  return planScopeCovers(scope, plan.owner_id) ? plan : undefined;
}

/** The buyer company and title a buyer's pages head a plan with; the caller has checked access. */
export async function planHeading(db: Conn, orgId: string, planId: string) {
  return db.selectFrom("plans").select(["buyer_company", "title"]).where("org_id", "=", orgId).where("id", "=", planId).executeTakeFirstOrThrow();
}

/**
 * The organisation's active plans for this buyer company (same name, ignoring case and surrounding
 * spaces), whoever owns them, with whether the viewer may open each: creating a second plan for
 * an account someone is already working is usually a mistake, though not always.
 */
export async function activePlansForCompany(db: Conn, viewer: Viewer, company: string) {
  const name = company.trim().toLowerCase();
  if (!name) return [];
  const [rows, scope] = await Promise.all([
    db
      .selectFrom("plans as p")
      .innerJoin("users as u", (j) => j.onRef("u.org_id", "=", "p.org_id").onRef("u.id", "=", "p.owner_id"))
      .select(["p.id", "p.title", "p.buyer_company", "p.owner_id", "u.name as owner_name"])
      .where("p.org_id", "=", viewer.orgId)
      .where("p.status", "=", "active")
      .where(sql<string>`lower(trim(p.buyer_company))`, "=", name)
      .orderBy("p.created_at")
      .limit(5)
      .execute(),
    scopeFor(db, viewer),
  ]);
  return rows.map((r) => ({ ...r, mine: r.owner_id === viewer.id, visible: planScopeCovers(scope, r.owner_id) }));
}
