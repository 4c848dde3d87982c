/*
 * The manager forecast's rules, pure: no I/O and no clock (`today` and `now` are inputs), so the
 * page, the CSV export, the SQL in app/models/forecast.server.ts and the tests share one meaning.
 *
 * Fiscal calendar convention: an organisation's fiscal year starts on the first day of its
 * `fiscal_year_start_month` (1..12) and is NAMED BY THE CALENDAR YEAR IN WHICH IT ENDS, as most
 * companies do. With a start month of 2 (February), 1 Feb 2026 – 31 Jan 2027 is FY2027; with a
 * start month of 1, the fiscal year is the calendar year (FY2026 = Jan–Dec 2026). Quarters are
 * three months from the start month: Q1 = months 1–3 of the fiscal year, and so on.
 *
 * Quarters also get an absolute, monotonic *index* (consecutive quarters differ by one), which is
 * how "did this change cross into a later quarter?" is decided here and in SQL:
 *   index(date) = floor((year × 12 + month − startMonth) / 3)
 */

import { addCalendarDays, civilDate, isValidISODate, toDayNumber, type ISODate } from "./calendar";
import type { CsvValue } from "./csv";
import { compactMoney as compactMoneyIn, formatMoney as formatMoneyIn } from "./money";
import { plural } from "./words";

export type { ISODate };

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The currency the forecast's headline values are in; plans in others are listed separately. */
export const FORECAST_CURRENCY = "USD";
/** A buyer silent this many days (or more) puts a plan at risk. */
export const QUIET_DAYS = 14;
/** Deals whose close date crossed into a later quarter this many times (or more) are flagged. */
export const PUSH_FLAG_THRESHOLD = 2;
/** How many months the forecast breaks down, starting with the current month. */
export const FORECAST_MONTHS = 6;

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

/** A real calendar date written YYYY-MM-DD (years 0001–9999). */
export const isISODate = isValidISODate;

const ymd = civilDate;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The first day of the month `monthsSinceYear0` months after January of year 0. */
function monthStart(monthsSinceYear0: number): ISODate {
  const y = Math.floor(monthsSinceYear0 / 12);
  const m = monthsSinceYear0 - y * 12 + 1;
  return `${pad(y, 4)}-${pad(m)}-01`;
}

function monthsSinceYear0(iso: ISODate): number {
  const { y, m } = ymd(iso);
  return y * 12 + (m - 1);
}

/** Whole calendar days from a to b (b later = positive). */
export function daysBetween(a: ISODate, b: ISODate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** The last day before an exclusive end date. */
export function dayBefore(iso: ISODate): ISODate {
  return addCalendarDays(iso, -1);
}

// ---------------------------------------------------------------------------------------------
// Fiscal calendar
// ---------------------------------------------------------------------------------------------

export function isFiscalStartMonth(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 12;
}

function checkStartMonth(startMonth: number) {
  if (!isFiscalStartMonth(startMonth)) throw new RangeError(`The fiscal year start month must be 1..12, got ${startMonth}`);
}

export interface FiscalQuarter {
  /** Named by the calendar year in which the fiscal year ends. */
  fiscalYear: number;
  quarter: 1 | 2 | 3 | 4;
  /** Absolute quarter number: consecutive quarters differ by one. */
  index: number;
  /** First day of the quarter. */
  start: ISODate;
  /** First day of the next quarter (exclusive end). */
  end: ISODate;
  /** "FY2027 Q1" */
  label: string;
  /** "FY2027-Q1": the form used in URLs. */
  key: string;
}

/** The absolute index of the fiscal quarter holding a date (see the header comment). */
export function fiscalQuarterIndex(iso: ISODate, startMonth: number): number {
  checkStartMonth(startMonth);
  return Math.floor((monthsSinceYear0(iso) - (startMonth - 1)) / 3);
}

/** The fiscal year of a date: the calendar year in which its fiscal year ends. */
export function fiscalYearOf(iso: ISODate, startMonth: number): number {
  checkStartMonth(startMonth);
  const { y, m } = ymd(iso);
  if (startMonth === 1) return y;
  return m >= startMonth ? y + 1 : y;
}

/** The fiscal quarter with this absolute index. */
export function fiscalQuarterAt(index: number, startMonth: number): FiscalQuarter {
  checkStartMonth(startMonth);
  const first = index * 3 + (startMonth - 1); // months since year 0 of the quarter's first month
  const start = monthStart(first);
  const fiscalYear = fiscalYearOf(start, startMonth);
  const { m } = ymd(start);
  const quarter = (Math.floor((((m - startMonth) % 12) + 12) % 12 / 3) + 1) as 1 | 2 | 3 | 4;
  return {
    fiscalYear,
    quarter,
    index,
    start,
    end: monthStart(first + 3),
    label: `FY${fiscalYear} Q${quarter}`,
    key: `FY${fiscalYear}-Q${quarter}`,
  };
}

/** The fiscal quarter holding a date: "FY2027 Q1" and its range. */
export function fiscalQuarterOf(iso: ISODate, startMonth: number): FiscalQuarter {
  return fiscalQuarterAt(fiscalQuarterIndex(iso, startMonth), startMonth);
}

/** "FY2027-Q1" → that quarter, or null when the key is not one. */
export function parseQuarterKey(key: string, startMonth: number): FiscalQuarter | null {
  checkStartMonth(startMonth);
  const match = /^FY(\d{1,4})-Q([1-4])$/.exec(key);
  if (!match) return null;
  const fiscalYear = Number(match[1]);
  const quarter = Number(match[2]);
  // The fiscal year named N starts in calendar year N (start month 1) or N − 1.
  const startYear = startMonth === 1 ? fiscalYear : fiscalYear - 1;
  if (startYear < 1) return null;
  const first = startYear * 12 + (startMonth - 1) + (quarter - 1) * 3;
  if (first + 3 > 9999 * 12 + 11) return null; // its end must still be a date we can write
  return fiscalQuarterAt(Math.floor((first - (startMonth - 1)) / 3), startMonth);
}

// ---------------------------------------------------------------------------------------------
// Periods
// ---------------------------------------------------------------------------------------------

export type PeriodKind = "quarter" | "month" | "earlier" | "later" | "none" | "all";

export interface Period {
  /** The form used in URLs: "FY2027-Q1", "2026-12", "earlier", "later", "none", "all". */
  key: string;
  kind: PeriodKind;
  /** "FY2027 Q1", "Dec 2026", "Before FY2027 Q1", … */
  label: string;
  /** Inclusive first day; null = unbounded (or, for "none", no date at all). */
  start: ISODate | null;
  /** Exclusive end; null = unbounded. */
  end: ISODate | null;
}

export interface ForecastPeriods {
  today: ISODate;
  thisQuarter: Period;
  nextQuarter: Period;
  /** The current month and the ones after it. */
  months: Period[];
  /** Close dates before this quarter (signed earlier, or stored before the date passed). */
  earlier: Period;
  /** Close dates after next quarter. */
  later: Period;
  /** Plans with no close milestone, so no forecast close date. */
  none: Period;
  all: Period;
}

function quarterPeriod(q: FiscalQuarter): Period {
  return { key: q.key, kind: "quarter", label: q.label, start: q.start, end: q.end };
}

function monthPeriod(first: number): Period {
  const start = monthStart(first);
  const { y, m } = ymd(start);
  return { key: start.slice(0, 7), kind: "month", label: `${MONTHS[m - 1]} ${y}`, start, end: monthStart(first + 1) };
}

/**
 * This quarter, next quarter, the next `months` months (from the current one) and the rest. With
 * `fromQuarter` (an absolute quarter index, see fiscalQuarterIndex) the two quarters shown are that
 * one and the one after it, and the months start at its first month: the manager's moved window.
 * (`thisQuarter` and `nextQuarter` then name the window's first and second quarter.)
 */
export function forecastPeriods(today: ISODate, startMonth: number, months = FORECAST_MONTHS, fromQuarter?: number): ForecastPeriods {
  const current = fiscalQuarterIndex(today, startMonth);
  const index = fromQuarter ?? current;
  const thisQuarter = fiscalQuarterAt(index, startMonth);
  const nextQuarter = fiscalQuarterAt(index + 1, startMonth);
  const first = index === current ? monthsSinceYear0(today) : monthsSinceYear0(thisQuarter.start);
  return {
    today,
    thisQuarter: quarterPeriod(thisQuarter),
    nextQuarter: quarterPeriod(nextQuarter),
    months: Array.from({ length: Math.max(0, months) }, (_, k) => monthPeriod(first + k)),
    earlier: { key: "earlier", kind: "earlier", label: `Before ${thisQuarter.label}`, start: null, end: thisQuarter.start },
    later: { key: "later", kind: "later", label: `After ${nextQuarter.label}`, start: nextQuarter.end, end: null },
    none: { key: "none", kind: "none", label: "No close date", start: null, end: null },
    all: { key: "all", kind: "all", label: "All active plans", start: null, end: null },
  };
}

// ---------------------------------------------------------------------------------------------
// The window of quarters the page shows (`?from=FY2028-Q1`)
// ---------------------------------------------------------------------------------------------

/** How far the window may move from the current quarter: a year back, two years ahead. */
export const WINDOW_QUARTERS_BACK = 4;
export const WINDOW_QUARTERS_AHEAD = 8;

export interface ForecastWindow {
  /** The absolute index of the window's first quarter. */
  fromQuarter: number;
  /** The `from` to put in links: null when the window starts at the current quarter (the default). */
  from: string | null;
  /** Whether the window starts at the current quarter. */
  isCurrent: boolean;
  /** Quarters from the current one to the window's first (negative: back). */
  offset: number;
  /** The window one quarter earlier / later (null past the limits), as `from` values ("" = the current quarter). */
  earlier: string | null;
  later: string | null;
  /** The quarters the window can start at, for the picker. */
  options: Array<{ key: string; label: string }>;
}

/** Reads `from` (a fiscal quarter key, within the limits); a message for anything else. */
export function parseForecastWindow(from: string | null, today: ISODate, startMonth: number): { ok: true; value: ForecastWindow } | { ok: false; message: string } {
  const current = fiscalQuarterIndex(today, startMonth);
  const min = current - WINDOW_QUARTERS_BACK;
  const max = current + WINDOW_QUARTERS_AHEAD;
  let index = current;
  const asked = from?.trim() ?? "";
  if (asked !== "") {
    const quarter = parseQuarterKey(asked, startMonth);
    if (!quarter) return { ok: false, message: "That quarter isn't one we know: use a fiscal quarter like FY2027-Q1." };
    if (quarter.index < min || quarter.index > max) {
      return { ok: false, message: `The forecast shows quarters from ${fiscalQuarterAt(min, startMonth).label} to ${fiscalQuarterAt(max, startMonth).label}.` };
    }
    index = quarter.index;
  }
  const keyAt = (i: number) => (i === current ? "" : fiscalQuarterAt(i, startMonth).key);
  return {
    ok: true,
    value: {
      fromQuarter: index,
      from: index === current ? null : fiscalQuarterAt(index, startMonth).key,
      isCurrent: index === current,
      offset: index - current,
      earlier: index > min ? keyAt(index - 1) : null,
      later: index < max ? keyAt(index + 1) : null,
      options: Array.from({ length: max - min + 1 }, (_, k) => {
        const q = fiscalQuarterAt(min + k, startMonth);
        const next = fiscalQuarterAt(min + k + 1, startMonth);
        return { key: q.key, label: `${q.label} – ${next.label}${min + k === current ? " (now)" : ""}` };
      }),
    },
  };
}

/** How the page heads a quarter of the window: "This quarter", "Next quarter", "3 quarters ahead", "Last quarter". */
export function quarterHeading(offsetFromNow: number): string {
  if (offsetFromNow === 0) return "This quarter";
  if (offsetFromNow === 1) return "Next quarter";
  if (offsetFromNow === -1) return "Last quarter";
  return offsetFromNow > 0 ? `${offsetFromNow} quarters ahead` : `${-offsetFromNow} quarters back`;
}

/** The forecast's own query (team, rep, window) as a query string, for links between its pages and the export. */
export function forecastQuery(q: { team?: string | null; rep?: string | null; from?: string | null }, extra?: URLSearchParams): string {
  const params = new URLSearchParams(extra);
  if (q.team) params.set("team", q.team);
  if (q.rep) params.set("rep", q.rep);
  if (q.from) params.set("from", q.from);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** Every period the rollup groups by, in display order (periods overlap: months sit in quarters). */
export function rollupPeriods(periods: ForecastPeriods): Period[] {
  return [periods.earlier, periods.thisQuarter, periods.nextQuarter, periods.later, ...periods.months, periods.none];
}

/**
 * The boundaries that SQL's width_bucket(date, boundaries) needs to place a date in one of these
 * periods, which must be contiguous (each ends where the next starts). Open ends (null) are the
 * buckets below the first and above the last boundary.
 */
export function bucketBoundaries(periods: Period[]): ISODate[] {
  periods.forEach((p, i) => {
    const next = periods[i + 1];
    if (next && p.end !== next.start) throw new RangeError(`Periods ${p.key} and ${next.key} are not contiguous`);
    if ((i > 0 && p.start === null) || (next && p.end === null)) throw new RangeError(`Only the first period may start open and only the last may end open`);
  });
  const bounds = periods.flatMap((p, i) => (i === 0 && p.start ? [p.start, p.end] : [p.end]));
  return bounds.filter((b): b is ISODate => b !== null);
}

/** The period width_bucket's answer names (see bucketBoundaries), or null outside them all. */
export function periodOfBucket(periods: Period[], bucket: number | null): Period | null {
  if (bucket === null || periods.length === 0) return null;
  const index = periods[0].start === null ? bucket : bucket - 1;
  return periods[index] ?? null;
}

/**
 * A period named in a URL: any fiscal quarter ("FY2027-Q1"), any month ("2026-12"), or one of
 * earlier / later / none / all relative to today's quarters. Null when it is none of these.
 */
export function parsePeriodKey(key: string | null | undefined, today: ISODate, startMonth: number, fromQuarter?: number): Period | null {
  if (key === null || key === undefined || key.length > 20) return null;
  const periods = forecastPeriods(today, startMonth, 0, fromQuarter);
  if (key === "earlier" || key === "later" || key === "none" || key === "all") return periods[key];
  const quarter = parseQuarterKey(key, startMonth);
  if (quarter) return quarterPeriod(quarter);
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (month && isISODate(`${key}-01`)) return monthPeriod(Number(month[1]) * 12 + Number(month[2]) - 1);
  return null;
}

/** Whether a plan's forecast close date falls in a period (the same rule as the SQL). */
export function periodContains(period: Period, closeDate: ISODate | null): boolean {
  if (period.kind === "all") return true;
  if (period.kind === "none") return closeDate === null;
  if (closeDate === null) return false;
  return (period.start === null || closeDate >= period.start) && (period.end === null || closeDate < period.end);
}

// ---------------------------------------------------------------------------------------------
// Provenance of the go-live date
// ---------------------------------------------------------------------------------------------

export type Provenance = "confirmed" | "proposed";

export const PROVENANCE_LABEL: Record<Provenance, string> = {
  confirmed: "Customer-confirmed",
  proposed: "Seller-proposed",
};

/**
 * Customer-confirmed: a buyer confirmed (or set) the go-live date since its last change. The write
 * path clears the confirmation whenever someone other than a buyer moves the date, so a stored
 * confirmation always belongs to the current date.
 */
export function provenanceOf(plan: { goLiveConfirmedAt: Date | string | null }): Provenance {
  return plan.goLiveConfirmedAt === null || plan.goLiveConfirmedAt === undefined ? "proposed" : "confirmed";
}

// ---------------------------------------------------------------------------------------------
// The rollup: count and value per period, confirmed vs proposed, on track vs slipping
// ---------------------------------------------------------------------------------------------

/** One row of the SQL rollup: plans of one currency in one period with one provenance and state. */
export interface RollupRow {
  period: string;
  currency: string;
  confirmed: boolean;
  slipping: boolean;
  plans: number;
  value: number;
}

export interface Tally {
  plans: number;
  value: number;
}

export interface PeriodTotals {
  period: Period;
  total: Tally;
  confirmed: Tally;
  proposed: Tally;
  onTrack: Tally;
  slipping: Tally;
}

export interface OtherCurrency {
  currency: string;
  /** Every active plan in that currency, whichever its period. */
  total: Tally;
  periods: Array<{ period: Period; total: Tally }>;
}

const zero = (): Tally => ({ plans: 0, value: 0 });
const add = (t: Tally, plans: number, value: number) => {
  t.plans += plans;
  t.value += value;
};

/**
 * Turns the SQL rows into one line per period in `currency` (the headline), and per-currency
 * totals for the plans in any other currency (values in different currencies are never summed).
 * `all` is computed from the partition earlier + this quarter + next quarter + later + none.
 */
export function assembleRollup(rows: RollupRow[], periods: ForecastPeriods, currency = FORECAST_CURRENCY) {
  const ordered = rollupPeriods(periods);
  const partition = new Set([periods.earlier.key, periods.thisQuarter.key, periods.nextQuarter.key, periods.later.key, periods.none.key]);
  const blank = (period: Period): PeriodTotals => ({ period, total: zero(), confirmed: zero(), proposed: zero(), onTrack: zero(), slipping: zero() });
  const byKey = new Map(ordered.map((p) => [p.key, blank(p)]));
  const all = blank(periods.all);
  const others = new Map<string, { total: Tally; periods: Map<string, Tally> }>();

  for (const row of rows) {
    const period = byKey.get(row.period);
    if (!period) continue;
    if (row.currency !== currency) {
      const other = others.get(row.currency) ?? { total: zero(), periods: new Map<string, Tally>() };
      others.set(row.currency, other);
      const tally = other.periods.get(row.period) ?? zero();
      other.periods.set(row.period, tally);
      add(tally, row.plans, row.value);
      if (partition.has(row.period)) add(other.total, row.plans, row.value);
      continue;
    }
    const targets = partition.has(row.period) ? [period, all] : [period];
    for (const t of targets) {
      add(t.total, row.plans, row.value);
      add(row.confirmed ? t.confirmed : t.proposed, row.plans, row.value);
      add(row.slipping ? t.slipping : t.onTrack, row.plans, row.value);
    }
  }

  const get = (p: Period) => byKey.get(p.key)!;
  return {
    currency,
    all,
    thisQuarter: get(periods.thisQuarter),
    nextQuarter: get(periods.nextQuarter),
    months: periods.months.map(get),
    earlier: get(periods.earlier),
    later: get(periods.later),
    none: get(periods.none),
    others: [...others.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, o]): OtherCurrency => ({
        currency: code,
        total: o.total,
        periods: ordered.filter((p) => o.periods.has(p.key)).map((p) => ({ period: p, total: o.periods.get(p.key)! })),
      })),
  };
}

export type ForecastRollup = ReturnType<typeof assembleRollup>;

// ---------------------------------------------------------------------------------------------
// Slip history: pushes into later quarters
// ---------------------------------------------------------------------------------------------

export interface CloseDateChange {
  oldDate: ISODate | null;
  newDate: ISODate | null;
}

/** A change that moved the close date into a later fiscal quarter (setting or clearing it is not). */
export function isQuarterPush(change: CloseDateChange, startMonth: number): boolean {
  if (!change.oldDate || !change.newDate) return false;
  return fiscalQuarterIndex(change.newDate, startMonth) > fiscalQuarterIndex(change.oldDate, startMonth);
}

/**
 * How many times a deal's forecast close date crossed into a later fiscal quarter. Each change
 * counts at most once, however many quarters it jumps; a move within a quarter or back into an
 * earlier one is not a push, and a later push after a pull-in counts again.
 */
export function countPushes(history: CloseDateChange[], startMonth: number): number {
  return history.reduce((n, change) => n + (isQuarterPush(change, startMonth) ? 1 : 0), 0);
}

/**
 * Quarter starts from `span` quarters before today's quarter to `span` after its end, for SQL:
 * width_bucket(date, starts) numbers the quarters of dates inside [first, last) consecutively, a
 * cheap stand-in for the quarter index there (dates outside fall back to the index formula).
 */
export function quarterStarts(today: ISODate, startMonth: number, span = 40): ISODate[] {
  const index = fiscalQuarterIndex(today, startMonth);
  return Array.from({ length: 2 * span + 2 }, (_, k) => fiscalQuarterAt(index - span + k, startMonth).start);
}

export function isFlaggedForPushes(pushes: number): boolean {
  return pushes >= PUSH_FLAG_THRESHOLD;
}

// ---------------------------------------------------------------------------------------------
// Rep date vs plan date
// ---------------------------------------------------------------------------------------------

/**
 * Days by which the rep's own CRM close date is earlier than the plan's forecast close date, or
 * null when it is not earlier (or either is missing): the quota-driven date the plan does not back.
 */
export function repDateGapDays(crmCloseDate: ISODate | null, forecastCloseDate: ISODate | null): number | null {
  if (!crmCloseDate || !forecastCloseDate || crmCloseDate >= forecastCloseDate) return null;
  return daysBetween(crmCloseDate, forecastCloseDate);
}

// ---------------------------------------------------------------------------------------------
// At risk
// ---------------------------------------------------------------------------------------------

export type AtRiskReason =
  | { code: "slipping"; slipDays: number }
  | { code: "overdue_buyer_milestones"; count: number }
  | { code: "buyer_quiet"; days: number; never: boolean };

export interface AtRiskInput {
  slipDays: number;
  /** Open buyer-owned milestones whose due date is before today. */
  overdueBuyerMilestones: number;
  lastBuyerActivityAt: Date | string | null;
  /** When the plan was created: a buyer cannot have been quiet for longer than that. */
  createdAt: Date | string;
}

const DAY_MS = 86_400_000;

/** Buyer activity (or, with none yet, plan creation) at or before this moment is "quiet". */
export function quietCutoff(now: Date): Date {
  return new Date(now.getTime() - QUIET_DAYS * DAY_MS);
}

/**
 * Why a plan is at risk, in order of severity: its projection misses go-live; buyer-owned
 * milestones are overdue; no buyer activity for QUIET_DAYS days (counted from the plan's creation
 * when the buyer has never been active). Empty when it is not at risk.
 */
export function atRiskReasons(plan: AtRiskInput, now: Date): AtRiskReason[] {
  const reasons: AtRiskReason[] = [];
  if (plan.slipDays > 0) reasons.push({ code: "slipping", slipDays: plan.slipDays });
  if (plan.overdueBuyerMilestones > 0) reasons.push({ code: "overdue_buyer_milestones", count: plan.overdueBuyerMilestones });
  const never = plan.lastBuyerActivityAt === null || plan.lastBuyerActivityAt === undefined;
  const since = new Date(never ? plan.createdAt : plan.lastBuyerActivityAt!);
  if (since.getTime() <= quietCutoff(now).getTime()) {
    reasons.push({ code: "buyer_quiet", days: Math.floor((now.getTime() - since.getTime()) / DAY_MS), never });
  }
  return reasons;
}


export function describeAtRiskReason(reason: AtRiskReason): string {
  switch (reason.code) {
    case "slipping":
      return `Projected go-live ${plural(reason.slipDays, "working day")} late`;
    case "overdue_buyer_milestones":
      return `${plural(reason.count, "buyer milestone")} overdue`;
    case "buyer_quiet":
      return reason.never ? `No buyer activity since it started ${reason.days} days ago` : `No buyer activity for ${reason.days} days`;
  }
}

export const AT_RISK_SHORT: Record<AtRiskReason["code"], string> = {
  slipping: "Misses go-live",
  overdue_buyer_milestones: "Buyer milestones overdue",
  buyer_quiet: "Buyer quiet",
};

// ---------------------------------------------------------------------------------------------
// Drill-down filters: the plans behind a number
// ---------------------------------------------------------------------------------------------

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
export function parseDrillDown(params: URLSearchParams, today: ISODate, startMonth: number, fromQuarter?: number): { ok: true; value: DrillDown } | { ok: false; message: string } {
  const period = parsePeriodKey(params.get("period") ?? "all", today, startMonth, fromQuarter);
  if (!period) return { ok: false, message: "That period isn't one we know: use a fiscal quarter like FY2027-Q1, a month like 2026-12, or earlier, later, none or all." };
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

// ---------------------------------------------------------------------------------------------
// Scope: whose plans the forecast covers
// ---------------------------------------------------------------------------------------------

export type ForecastScopeChoice =
  | { kind: "org"; title: string }
  | { kind: "team"; managerId: string; title: string }
  | { kind: "owner"; ownerId: string; title: string };

/**
 * Reps see their own plans; managers their team (transitively); admins the organisation, or the
 * team of a manager they pick. `team` from a non-admin is ignored with a notice; an admin's
 * unknown team is a 404 (it names nobody in their organisation).
 */
export function chooseForecastScope(
  viewer: { id: string; name: string; role: "rep" | "manager" | "admin" },
  team: string | null,
  managers: Array<{ id: string; name: string }>,
): { ok: true; scope: ForecastScopeChoice; team: string | null; notice: string | null } | { ok: false; status: 404; message: string } {
  const asked = team && team.trim() !== "" ? team.trim() : null;
  if (viewer.role === "admin") {
    if (!asked) return { ok: true, scope: { kind: "org", title: "Whole organisation" }, team: null, notice: null };
    const manager = managers.find((m) => m.id === asked);
    if (!manager) return { ok: false, status: 404, message: "That team isn't in your organisation. Pick a manager from the list." };
    return { ok: true, scope: { kind: "team", managerId: manager.id, title: `${manager.name}'s team` }, team: manager.id, notice: null };
  }
  const notice = asked ? "Only an administrator can pick a team; this is your own forecast." : null;
  if (viewer.role === "manager") return { ok: true, scope: { kind: "team", managerId: viewer.id, title: `${viewer.name}'s team` }, team: null, notice };
  return { ok: true, scope: { kind: "owner", ownerId: viewer.id, title: `${viewer.name}'s plans` }, team: null, notice };
}

/**
 * Narrows a manager's or an admin's scope to one person of it (`?rep=`): `reps` are the people
 * whose plans the scope covers. A rep's own forecast has nobody to pick; someone outside the scope
 * (say, an admin switched teams with the previous team's rep still picked) shows the whole scope,
 * with a notice, never another team's plans.
 */
export function chooseForecastRep(
  viewer: { role: "rep" | "manager" | "admin" },
  scope: ForecastScopeChoice,
  rep: string | null,
  reps: Array<{ id: string; name: string }>,
): { ok: true; scope: ForecastScopeChoice; rep: string | null; notice: string | null } {
  const asked = rep && rep.trim() !== "" ? rep.trim() : null;
  if (!asked) return { ok: true, scope, rep: null, notice: null };
  if (viewer.role === "rep") return { ok: true, scope, rep: null, notice: "Your forecast shows your own plans; there is no rep to pick." };
  const person = reps.find((r) => r.id === asked);
  if (!person) return { ok: true, scope, rep: null, notice: `That rep isn't on ${scope.kind === "org" ? "the organisation's teams" : "this team"}; this is ${scope.title.replace(/^Whole organisation$/, "the whole organisation")}.` };
  return { ok: true, scope: { kind: "owner", ownerId: person.id, title: `${person.name}'s plans` }, rep: person.id, notice: null };
}

// ---------------------------------------------------------------------------------------------
// The CSV export
// ---------------------------------------------------------------------------------------------

/** One plan as the export sees it (the model's row, with dates as ISO strings). */
export interface ForecastExportPlan {
  id: string;
  buyerCompany: string;
  title: string;
  ownerName: string;
  status: string;
  value: number;
  currency: string;
  goLive: ISODate;
  goLiveSetSide: string;
  goLiveSetByName: string;
  goLiveConfirmedByName: string | null;
  goLiveConfirmedAt: Date | string | null;
  projectedGoLive: ISODate | null;
  slipDays: number;
  forecastCloseDate: ISODate | null;
  crmCloseDate: ISODate | null;
  milestonesDone: number;
  milestonesTotal: number;
  overdueBuyerMilestones: number;
  lastBuyerActivityAt: Date | string | null;
  createdAt: Date | string;
  pushes: number;
}

export const FORECAST_CSV_HEADER = [
  "plan_id", "buyer_company", "plan_title", "rep", "status", "value", "currency",
  "forecast_close_date", "period", "go_live", "go_live_provenance", "go_live_set_by",
  "go_live_confirmed_by", "go_live_confirmed_at", "projected_go_live", "slip_days", "on_track_or_slipping",
  "crm_close_date", "rep_date_earlier_by_days", "quarter_pushes", "pushed_2_or_more_times",
  "at_risk", "at_risk_reasons", "overdue_buyer_milestones", "milestones_done", "milestones_total",
  "last_buyer_activity_at", "plan_path",
];

const isoMoment = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** The export's row for one plan: every figure the forecast page shows about it. */
export function forecastCsvRow(plan: ForecastExportPlan, ctx: { startMonth: number; now: Date }): CsvValue[] {
  const reasons = atRiskReasons(
    { slipDays: plan.slipDays, overdueBuyerMilestones: plan.overdueBuyerMilestones, lastBuyerActivityAt: plan.lastBuyerActivityAt, createdAt: plan.createdAt },
    ctx.now,
  );
  const close = plan.forecastCloseDate;
  return [
    plan.id, plan.buyerCompany, plan.title, plan.ownerName, plan.status, plan.value, plan.currency,
    close, csvPeriod(close, ctx.startMonth),
    plan.goLive, PROVENANCE_LABEL[provenanceOf({ goLiveConfirmedAt: plan.goLiveConfirmedAt })],
    `${plan.goLiveSetByName} (${plan.goLiveSetSide})`, plan.goLiveConfirmedByName, isoMoment(plan.goLiveConfirmedAt),
    plan.projectedGoLive, plan.slipDays, plan.slipDays > 0 ? "slipping" : "on track",
    plan.crmCloseDate, repDateGapDays(plan.crmCloseDate, close), plan.pushes, isFlaggedForPushes(plan.pushes),
    reasons.length > 0, reasons.map(describeAtRiskReason).join("; "), plan.overdueBuyerMilestones,
    plan.milestonesDone, plan.milestonesTotal, isoMoment(plan.lastBuyerActivityAt), `/plans/${plan.id}`,
  ];
}

/**
 * The export's one period column: the fiscal quarter the close date falls in ("FY2028 Q3"), never
 * a label relative to the day of the export ("After FY2028 Q1"), so a pivot table groups every plan
 * by its own quarter; "No close date" for a plan without one.
 */
export function csvPeriod(close: ISODate | null, startMonth: number): string {
  return close === null ? "No close date" : fiscalQuarterOf(close, startMonth).label;
}

/** "forecast-2026-12-02.csv", or "forecast-2026-12-02-from-FY2028-Q1.csv" for a moved window. */
export function forecastCsvFilename(today: ISODate, from?: string | null): string {
  return from ? `forecast-${today}-from-${from}.csv` : `forecast-${today}.csv`;
}

// ---------------------------------------------------------------------------------------------
// Display helpers shared by the page and the chart
// ---------------------------------------------------------------------------------------------

/** "$184,000", "€50,000": whole units, in the forecast's currency unless told another. */
export function formatMoney(value: number, currency = FORECAST_CURRENCY): string {
  return formatMoneyIn(value, currency);
}

/** "$1.2M", "$840K", "$950": short values for chart axes and labels. */
export function compactMoney(value: number, currency = FORECAST_CURRENCY): string {
  return compactMoneyIn(value, currency);
}

/** "1 Feb – 30 Apr 2027": a period's range in words, inclusive. */
export function describeRange(period: Period): string {
  if (!period.start || !period.end) return "";
  const last = dayBefore(period.end);
  const a = ymd(period.start);
  const b = ymd(last);
  const left = a.y === b.y ? `${a.d} ${MONTHS[a.m - 1]}` : `${a.d} ${MONTHS[a.m - 1]} ${a.y}`;
  return `${left} – ${b.d} ${MONTHS[b.m - 1]} ${b.y}`;
}
