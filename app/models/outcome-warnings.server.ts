import { sql } from "kysely";
import type { ISODate } from "~/domain/calendar";
import type { PlanOutcome } from "~/domain/plan-outcome";
import { WARNING_LEAD_DAYS, warningRates, type OutcomeWarnings, type WarningDeal, type WarningHistoryRow } from "~/domain/outcome-warnings";
import type { Conn } from "~/models/conn";
import { ownerFilter, type ForecastScope } from "~/models/forecast.server";
import { byCloseThenId, planFirstDay } from "~/models/slip-attribution.server";

/**
 * Every deal of a scope closed in [from, to) (won, lost, no decision) with what its warning
 * signals read, in one statement: the date history up to the warning day, with the replaced date
 * a quarter push is measured from (which the accuracy page's history JSON leaves out), and the
 * day of the last buyer activity on or before the warning day, in the organisation's time zone
 * (the index on the plan's log by time finds it without reading the rest of the log).
 */
export async function closedDealsForWarnings(db: Conn, scope: ForecastScope, window: { from: ISODate; to: ISODate }): Promise<WarningDeal[]> {
  const { rows } = await sql<{
    id: string;
    status: PlanOutcome;
    closed_on: ISODate;
    first_day: ISODate;
    history: WarningHistoryRow[];
    last_buyer_on: ISODate | null;
  }>`
    select p.id, p.status, p.closed_on, ${planFirstDay(scope.orgId)} as first_day,
      coalesce((
        select json_agg(json_build_object('field', h.field, 'oldDate', h.old_date, 'newDate', h.new_date, 'actorSide', h.actor_side, 'effectiveOn', h.effective_on)
                        order by h.effective_on, h.created_at, h.id)
        from plan_date_history h
        where h.org_id = ${scope.orgId} and h.plan_id = p.id and h.effective_on <= p.closed_on - ${WARNING_LEAD_DAYS}::int
      ), '[]'::json) as history,
      (select (max(e.created_at) at time zone o.time_zone)::date
        from plan_events e
        where e.org_id = ${scope.orgId} and e.plan_id = p.id and e.actor_side = 'buyer'
          and e.created_at < ((p.closed_on - ${WARNING_LEAD_DAYS - 1}::int)::timestamp at time zone o.time_zone)
      ) as last_buyer_on
    from plans p
    join organisations o on o.id = p.org_id
    where p.org_id = ${scope.orgId} and p.status in ('won', 'lost', 'no_decision') and p.closed_on >= ${window.from} and p.closed_on < ${window.to}
      ${ownerFilter(scope)}`.execute(db);
  // Ordered here, not in the statement: there the sort would carry every row's JSON (and spill to disk on a director's page).
  return rows.sort(byCloseThenId).map((r) => ({
    planId: r.id,
    outcome: r.status,
    firstDay: r.first_day,
    closedOn: r.closed_on,
    history: r.history,
    buyerActivityDays: r.last_buyer_on ? [r.last_buyer_on] : [],
  }));
}

/** Won, lost and no-decision deals side by side: how many showed each warning signal on their warning day. */
export async function warningRatesFor(
  db: Conn,
  scope: ForecastScope,
  window: { from: ISODate; to: ISODate },
  fiscalYearStartMonth: number,
): Promise<OutcomeWarnings[]> {
  return warningRates(await closedDealsForWarnings(db, scope, window), fiscalYearStartMonth);
}
