import { sql, type Kysely } from "kysely";
import type { DB, PlanStatus } from "../../db/types";
import { encodeCursor, type Cursor } from "~/domain/api";
import { todayIn } from "~/domain/dates";
import { healthJson, planHealth } from "~/domain/plan-health";
import { forecastPeriods } from "~/domain/forecast-periods";
import { assembleRollup, type ForecastRollup } from "~/domain/forecast-rollup";
import { parseAccuracyWindow } from "~/domain/accuracy-window";
import { accuracyHeadline, accuracyReport, horizonCounts, ON_TIME_DAYS, type HorizonCounts } from "~/domain/forecast-accuracy";
import { wonDealsClosedIn } from "~/models/forecast-accuracy.server";
import { forecastRollup } from "~/models/forecast.server";
import { warningCounts } from "~/domain/outcome-warnings";
import { slipCounts } from "~/domain/slip-attribution";
import { warningRatesFor } from "~/models/outcome-warnings.server";
import { slipAttributionFor } from "~/models/slip-attribution.server";
import { calendarOf, getOrganisation } from "~/models/organisation.server";

/*
 * What the JSON API reads: plans as CRMs need them (dates, provenance, slip history), a page at a
 * time by (created_at, id), in a fixed number of statements per page, and the forecast rollup.
 * Every statement is scoped by the token's organisation.
 */

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** created_at with its microseconds (a JS Date would round them off and break the cursor). */
const createdAtText = sql<string>`to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The plans with their owner; `org_time_zone` gives the organisation's day for plan health (ADR 038) without a statement of its own. */
function planQuery(db: Kysely<DB>, orgId: string) {
  return db
    .selectFrom("plans as p")
    .innerJoin("users as u", (j) => j.onRef("u.org_id", "=", "p.org_id").onRef("u.id", "=", "p.owner_id"))
    .selectAll("p")
    .select(["u.name as owner_name", "u.email as owner_email", createdAtText.as("created_at_text")])
    .select(sql<string>`(select o.time_zone from organisations o where o.id = ${orgId})`.as("org_time_zone"))
    .where("p.org_id", "=", orgId);
}

type PlanRow = Awaited<ReturnType<ReturnType<typeof planQuery>["executeTakeFirstOrThrow"]>>;

async function withDetails(db: Kysely<DB>, orgId: string, plans: PlanRow[], now: Date) {
  if (!plans.length) return [];
  const ids = plans.map((p) => p.id);
  const [milestones, dependencies, history, stakeholders] = await Promise.all([
    db
      .selectFrom("milestones")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("plan_id", "in", ids)
      .orderBy("plan_id")
      .orderBy("position")
      .orderBy("created_at")
      .execute(),
    db.selectFrom("milestone_dependencies").select(["milestone_id", "depends_on_id"]).where("org_id", "=", orgId).where("plan_id", "in", ids).execute(),
    db
      .selectFrom("plan_date_history")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("plan_id", "in", ids)
      .where("field", "in", ["forecast_close_date", "go_live"])
      .orderBy("created_at")
      .orderBy("id")
      .execute(),
    // The API answers the seller's own tokens: the map's private read goes with it (ADR 036).
    db
      .selectFrom("stakeholders")
      .select(["id", "plan_id", "name", "email", "title", "side", "decision_role", "reports_to_id", "influence", "sentiment", "private_note"])
      .where("org_id", "=", orgId)
      .where("plan_id", "in", ids)
      .orderBy("plan_id")
      .orderBy("side")
      .orderBy("name")
      .execute(),
  ]);
  const dependsOn = new Map<string, string[]>();
  for (const d of dependencies) dependsOn.set(d.milestone_id, [...(dependsOn.get(d.milestone_id) ?? []), d.depends_on_id]);
  return plans.map((p) => ({
    id: p.id,
    title: p.title,
    buyerCompany: p.buyer_company,
    status: p.status,
    closedOn: p.closed_on,
    lossReason: p.loss_reason,
    closeNote: p.close_note,
    value: Number(p.value),
    currency: p.currency,
    goLive: {
      date: p.go_live,
      setBy: p.go_live_set_by_name,
      side: p.go_live_set_side,
      setAt: iso(p.go_live_set_at)!,
      confirmedBy: p.go_live_confirmed_by_name,
      confirmedAt: iso(p.go_live_confirmed_at),
    },
    projectedGoLive: p.projected_go_live,
    slipDays: p.slip_days,
    forecastCloseDate: p.forecast_close_date,
    crmCloseDate: p.crm_close_date,
    externalCrmId: p.external_crm_id,
    version: p.version,
    owner: { id: p.owner_id, name: p.owner_name, email: p.owner_email },
    progress: { done: p.milestones_done, total: p.milestones_total },
    health: healthJson(planHealth(p, todayIn(p.org_time_zone, now), now)),
    createdAt: iso(p.created_at)!,
    updatedAt: iso(p.updated_at)!,
    milestones: milestones
      .filter((m) => m.plan_id === p.id)
      .map((m) => ({
        id: m.id,
        title: m.title,
        ownerSide: m.owner_side,
        isClose: m.is_close,
        durationDays: m.duration_days,
        start: m.start_date,
        due: m.due_date,
        projectedFinish: m.projected_finish,
        pinnedDate: m.pinned_date,
        completedOn: m.completed_on,
        status: m.schedule_status,
        dependsOn: dependsOn.get(m.id) ?? [],
      })),
    stakeholders: stakeholders
      .filter((s) => s.plan_id === p.id)
      .map((s) => ({
        id: s.id,
        name: s.name,
        email: s.email,
        title: s.title,
        side: s.side,
        decisionRole: s.decision_role,
        reportsTo: s.reports_to_id,
        influence: s.influence,
        sentiment: s.sentiment,
        privateNote: s.private_note,
      })),
    dateHistory: history
      .filter((h) => h.plan_id === p.id)
      .map((h) => ({
        field: h.field === "go_live" ? ("goLive" as const) : ("forecastCloseDate" as const),
        from: h.old_date,
        to: h.new_date,
        at: iso(h.created_at)!,
        by: h.actor_name,
        side: h.actor_side,
        reason: h.reason,
      })),
  }));
}

export type ApiPlan = Awaited<ReturnType<typeof withDetails>>[number];

/** One page of the organisation's plans, oldest first; `nextCursor` is null on the last page. */
export async function listApiPlans(db: Kysely<DB>, orgId: string, options: { limit: number; cursor: Cursor | null; status?: PlanStatus; now: Date }) {
  let query = planQuery(db, orgId);
  if (options.status) query = query.where("p.status", "=", options.status);
  if (options.cursor) {
    const { createdAt, id } = options.cursor;
    query = query.where(sql<boolean>`(p.created_at, p.id) > (${createdAt}::timestamptz, ${id}::uuid)`);
  }
  const rows = await query
    .orderBy("p.created_at")
    .orderBy("p.id")
    .limit(options.limit + 1)
    .execute();
  const page = rows.slice(0, options.limit);
  const last = page[page.length - 1];
  return {
    data: await withDetails(db, orgId, page, options.now),
    nextCursor: rows.length > options.limit && last ? encodeCursor({ createdAt: last.created_at_text, id: last.id }) : null,
  };
}

export async function getApiPlan(db: Kysely<DB>, orgId: string, planId: string, now: Date): Promise<ApiPlan | undefined> {
  const row = await planQuery(db, orgId).where("p.id", "=", planId).executeTakeFirst();
  return row ? (await withDetails(db, orgId, [row], now))[0] : undefined;
}

function tallies(t: ForecastRollup["all"]) {
  return {
    period: { key: t.period.key, label: t.period.label, start: t.period.start, end: t.period.end },
    total: t.total,
    confirmed: t.confirmed,
    proposed: t.proposed,
    onTrack: t.onTrack,
    slipping: t.slipping,
  };
}

/** The organisation's forecast rollup, as on the forecast page (active plans by forecast close date). */
export async function apiForecast(db: Kysely<DB>, orgId: string, now: Date) {
  const org = await getOrganisation(db, orgId);
  if (!org) return undefined;
  const today = todayIn(org.time_zone, now);
  const periods = forecastPeriods(today, org.fiscal_year_start_month);
  const rollup = assembleRollup(await forecastRollup(db, { orgId, kind: "org" }, periods), periods);
  return {
    today,
    currency: rollup.currency,
    fiscalYearStartMonth: org.fiscal_year_start_month,
    all: tallies(rollup.all),
    thisQuarter: tallies(rollup.thisQuarter),
    nextQuarter: tallies(rollup.nextQuarter),
    months: rollup.months.map(tallies),
    earlier: tallies(rollup.earlier),
    later: tallies(rollup.later),
    none: tallies(rollup.none),
    otherCurrencies: rollup.others.map((o) => ({ currency: o.currency, total: o.total })),
  };
}

const horizonJson = (h: HorizonCounts) => ({ horizon: h.horizon, tooYoung: h.tooYoung, sources: h.bySource });

/**
 * The accuracy page's figures for the whole organisation (and per rep) over a window of closed
 * quarters: `from`/`to` as on the page. A message when the window is not one.
 */
export async function apiForecastAccuracy(
  db: Kysely<DB>,
  orgId: string,
  now: Date,
  asked: { from: string | null; to: string | null },
): Promise<undefined | { ok: false; message: string; param: "from" | "to" } | { ok: true; body: Record<string, unknown> }> {
  const org = await getOrganisation(db, orgId);
  if (!org) return undefined;
  const today = todayIn(org.time_zone, now);
  const fy = org.fiscal_year_start_month;
  const window = parseAccuracyWindow(asked.from, asked.to, today, fy);
  if (!window.ok) return { ok: false, message: window.message, param: window.field };
  const scope = { orgId, kind: "org" } as const;
  const range = { from: window.value.start, to: window.value.end };
  const [deals, slip, warnings] = await Promise.all([
    wonDealsClosedIn(db, scope, range),
    slipAttributionFor(db, scope, range, calendarOf(org)),
    warningRatesFor(db, scope, range, fy),
  ]);
  const report = accuracyReport(deals, fy);
  const horizons = report.horizons.map(horizonCounts);
  return {
    ok: true,
    body: {
      today,
      fiscalYearStartMonth: fy,
      window: { from: window.value.fromKey, to: window.value.toKey, start: window.value.start, end: window.value.end, label: window.value.label },
      onTimeDays: ON_TIME_DAYS,
      deals: deals.length,
      headline: accuracyHeadline(horizons),
      horizons: horizons.map(horizonJson),
      reps: report.byRep.map((r) => ({
        id: r.ownerId,
        name: r.ownerName,
        deals: r.deals,
        horizons: r.horizons.map(horizonCounts).map(horizonJson),
      })),
      slip: slipCounts(slip),
      warnings: warningCounts(warnings),
    },
  };
}

/** Whether an active user of this organisation exists (an explicit owner of a new plan; ADR 021). */
export async function userInOrg(db: Kysely<DB>, orgId: string, userId: string) {
  return (
    (await db.selectFrom("users").select("id").where("org_id", "=", orgId).where("id", "=", userId).where("deactivated_at", "is", null).executeTakeFirst()) !==
    undefined
  );
}

export async function templateInOrg(db: Kysely<DB>, orgId: string, templateId: string) {
  return (await db.selectFrom("templates").select("id").where("org_id", "=", orgId).where("id", "=", templateId).executeTakeFirst()) !== undefined;
}
