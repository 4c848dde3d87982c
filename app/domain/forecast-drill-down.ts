/* Drill-down filters: the URL of the plans behind a number on the forecast, read and written. */

import type { ISODate } from "~/domain/calendar";
import { parsePeriodKey, type Period } from "~/domain/forecast-periods";
import { PUSH_FLAG_THRESHOLD } from "~/domain/forecast-pushes";
import { QUIET_DAYS } from "~/domain/forecast-risk";

export const DRILL_FLAGS = {
  at_risk: "At risk",
  overdue_buyer: "With overdue buyer milestones",
  buyer_quiet: `No buyer activity for ${QUIET_DAYS}+ days`,
  pushed: `Pushed into a later quarter ${PUSH_FLAG_THRESHOLD}+ times`,
  rep_earlier: "Rep's CRM date earlier than the plan's",
} as const;
export type DrillFlag = keyof typeof DRILL_FLAGS;

export interface DrillDown {
  period: Period;
  confirmed: boolean | null;
  slipping: boolean | null;
  currency: string | null;
  flag: DrillFlag | null;
}

function yesNo(value: string | null): boolean | null | undefined {
  if (value === null || value === "") return null;
  if (value === "yes") return true;
  if (value === "no") return false;
  return undefined;
}

/** Reads `period`, `confirmed`, `slipping`, `currency` and `flag`; a message for anything unknown. */
export function parseDrillDown(
  params: URLSearchParams,
  today: ISODate,
  startMonth: number,
  fromQuarter?: number,
): { ok: true; value: DrillDown } | { ok: false; message: string } {
  const period = parsePeriodKey(params.get("period") ?? "all", today, startMonth, fromQuarter);
  if (!period)
    return { ok: false, message: "That period isn't one we know: use a fiscal quarter like FY2027-Q1, a month like 2026-12, or earlier, later, none or all." };
  const confirmed = yesNo(params.get("confirmed"));
  if (confirmed === undefined) return { ok: false, message: "“confirmed” must be yes or no." };
  const slipping = yesNo(params.get("slipping"));
  if (slipping === undefined) return { ok: false, message: "“slipping” must be yes or no." };
  const rawCurrency = params.get("currency");
  const currency = rawCurrency ? rawCurrency.toUpperCase() : null;
  if (currency !== null && !/^[A-Z]{3}$/.test(currency)) return { ok: false, message: "“currency” must be a three-letter currency code such as USD." };
  const rawFlag = params.get("flag");
  const flag = rawFlag ? rawFlag : null;
  if (flag !== null && !Object.hasOwn(DRILL_FLAGS, flag)) return { ok: false, message: "That list isn't one we know." };
  return { ok: true, value: { period, confirmed, slipping, currency, flag: flag as DrillFlag | null } };
}

/** The URL of the plans behind a number. */
export function drillDownHref(
  filter: { period?: string; confirmed?: boolean; slipping?: boolean; currency?: string; flag?: DrillFlag },
  team?: string | null,
  carry: { rep?: string | null; from?: string | null } = {},
): string {
  const params = new URLSearchParams();
  params.set("period", filter.period ?? "all");
  if (filter.confirmed !== undefined) params.set("confirmed", filter.confirmed ? "yes" : "no");
  if (filter.slipping !== undefined) params.set("slipping", filter.slipping ? "yes" : "no");
  if (filter.currency) params.set("currency", filter.currency);
  if (filter.flag) params.set("flag", filter.flag);
  if (team) params.set("team", team);
  if (carry.rep) params.set("rep", carry.rep);
  // "earlier" and "later" are relative to the window's quarters: the plans page needs the window too.
  if (carry.from) params.set("from", carry.from);
  return `/forecast/plans?${params.toString()}`;
}

/** "FY2027 Q1 · customer-confirmed · slipping · USD" */
export function describeDrillDown(d: DrillDown): string {
  const parts: string[] = [d.period.label];
  if (d.confirmed !== null) parts.push(d.confirmed ? "customer-confirmed" : "seller-proposed");
  if (d.slipping !== null) parts.push(d.slipping ? "slipping" : "on track");
  if (d.currency) parts.push(`in ${d.currency}`);
  if (d.flag) parts.push(DRILL_FLAGS[d.flag].toLowerCase());
  return parts.join(" · ");
}
