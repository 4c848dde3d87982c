import { sql } from "kysely";
import type { ISODate } from "~/domain/calendar";
import { replayDateHistory, type ClosedDeal, type DateHistoryRow } from "~/domain/forecast-accuracy";
import type { Conn } from "~/models/conn";
import { dateHistoryJson } from "~/models/date-history.server";
import { ownerFilter, type ForecastScope } from "~/models/forecast.server";

/** A won deal with what the export and the lists show of it. */
export interface WonDeal extends ClosedDeal {
  buyerCompany: string;
  title: string;
  value: number;
  currency: string;
}

/**
 * The won deals of a scope that closed in [from, to), each with what it showed day by day
 * (ADR 027): the input of forecast accuracy. One statement: the plans and their date histories
 * as JSON, so a director's page is one round trip however many deals it covers. A plan's first
 * day is its first history day (the day its dates were first computed).
 */
export async function wonDealsClosedIn(db: Conn, scope: ForecastScope, window: { from: ISODate; to: ISODate }): Promise<WonDeal[]> {
  const { rows } = await sql<{
    id: string;
    owner_id: string;
    owner_name: string;
    closed_on: string;
    buyer_company: string;
    title: string;
    value: number;
    currency: string;
    history: DateHistoryRow[];
  }>`
    select p.id, p.owner_id, u.name as owner_name, p.closed_on, p.buyer_company, p.title, p.value, p.currency,
      ${dateHistoryJson(scope.orgId)} as history
    from plans p
    join users u on u.org_id = p.org_id and u.id = p.owner_id
    where p.org_id = ${scope.orgId} and p.status = 'won' and p.closed_on >= ${window.from} and p.closed_on < ${window.to}
      ${ownerFilter(scope)}
    order by p.closed_on, p.id`.execute(db);
  return rows.map((r) => {
    const states = replayDateHistory(r.history);
    return {
      planId: r.id,
      ownerId: r.owner_id,
      ownerName: r.owner_name,
      createdOn: states[0]?.from ?? r.closed_on,
      closedOn: r.closed_on,
      states,
      buyerCompany: r.buyer_company,
      title: r.title,
      value: r.value,
      currency: r.currency,
    };
  });
}

export interface ClosedPlanSummary {
  id: string;
  buyer_company: string;
  title: string;
  value: number;
  currency: string;
  status: string;
  closed_on: ISODate;
  loss_reason: string | null;
  owner_name: string;
}

/** The closed plans behind a number of the accuracy page, in its scope only (the ids come from the URL's recomputed figures). */
export async function closedPlanSummaries(db: Conn, scope: ForecastScope, ids: readonly string[]): Promise<ClosedPlanSummary[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<ClosedPlanSummary>`
    select p.id, p.buyer_company, p.title, p.value, p.currency, p.status, p.closed_on, p.loss_reason, u.name as owner_name
    from plans p
    join users u on u.org_id = p.org_id and u.id = p.owner_id
    where p.org_id = ${scope.orgId} and p.id = any(${sql.val([...ids])}::uuid[]) and p.closed_on is not null
      ${ownerFilter(scope)}
    order by p.closed_on desc, p.buyer_company, p.id`.execute(db);
  return rows;
}
