import { sql } from "kysely";
import { makeCalendar, type CalendarInput, type ISODate } from "~/domain/calendar";
import { attributeSlip, type SlipAttribution, type SlipDeal, type SlipMilestone } from "~/domain/slip-attribution";
import type { Conn } from "~/models/conn";
import { ownerFilter, type ForecastScope } from "~/models/forecast.server";

/**
 * A plan's first day (ADR 028), for a statement over plans `p` of organisation `orgId` joined to
 * it as `o`: its first date history day, as forecast accuracy counts it, or the day it was created
 * in the organisation's time zone for a plan with no history.
 */
export function planFirstDay(orgId: string) {
  return sql<ISODate>`coalesce(
    (select min(h.effective_on) from plan_date_history h where h.org_id = ${orgId} and h.plan_id = p.id),
    (p.created_at at time zone o.time_zone)::date)`;
}

/** Deals in the order the page lists them: by close date, then id. */
export function byCloseThenId(a: { closed_on: ISODate; id: string }, b: { closed_on: ISODate; id: string }): number {
  if (a.closed_on !== b.closed_on) return a.closed_on < b.closed_on ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A milestone as the statement returns it: its dependencies come in a list of their own. */
type MilestoneRow = Omit<SlipMilestone, "dependsOn">;

/**
 * The won deals of a scope closed in [from, to), each with every milestone and dependency: the
 * input of slip attribution. One statement, the milestones and dependencies aggregated per plan as
 * JSON (all of them: a milestone never marked done still tells the walk where the record stops).
 */
export async function wonDealsWithMilestones(db: Conn, scope: ForecastScope, window: { from: ISODate; to: ISODate }): Promise<SlipDeal[]> {
  const { rows } = await sql<{ id: string; closed_on: ISODate; first_day: ISODate; milestones: MilestoneRow[]; dependencies: [string, string][] }>`
    select p.id, p.closed_on, ${planFirstDay(scope.orgId)} as first_day,
      coalesce((
        select json_agg(json_build_object('id', m.id, 'title', m.title, 'side', m.owner_side, 'durationDays', m.duration_days, 'lagDays', m.lag_days,
                                          'position', m.position, 'completedOn', m.completed_on, 'isClose', m.is_close, 'plannedStart', m.start_date)
                  order by m.position, m.id)
        from milestones m where m.org_id = ${scope.orgId} and m.plan_id = p.id
      ), '[]'::json) as milestones,
      coalesce((
        select json_agg(json_build_array(d.milestone_id, d.depends_on_id))
        from milestone_dependencies d where d.org_id = ${scope.orgId} and d.plan_id = p.id
      ), '[]'::json) as dependencies
    from plans p
    join organisations o on o.id = p.org_id
    where p.org_id = ${scope.orgId} and p.status = 'won' and p.closed_on >= ${window.from} and p.closed_on < ${window.to}
      ${ownerFilter(scope)}`.execute(db);
  // Ordered here, not in the statement: there the sort would carry every row's JSON (and spill to disk on a director's page).
  // The parsed rows are filled in place (no copies): a director's page reads thousands of deals' milestones.
  return rows.sort(byCloseThenId).map((r) => {
    const milestones = r.milestones as SlipMilestone[];
    const byId = new Map(milestones.map((m) => [m.id, m]));
    for (const m of milestones) m.dependsOn = [];
    for (const [milestoneId, dependsOnId] of r.dependencies) byId.get(milestoneId)?.dependsOn.push(dependsOnId);
    return { planId: r.id, firstDay: r.first_day, closedOn: r.closed_on, milestones };
  });
}

/**
 * Slip attribution over a scope's won deals closed in [from, to). The caller passes the
 * organisation's calendar (`calendarOf(org)`): the page has the organisation already, and the
 * statement stays one.
 */
export async function slipAttributionFor(
  db: Conn,
  scope: ForecastScope,
  window: { from: ISODate; to: ISODate },
  calendar: CalendarInput,
): Promise<SlipAttribution> {
  return attributeSlip(await wonDealsWithMilestones(db, scope, window), makeCalendar(calendar));
}
