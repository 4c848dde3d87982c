import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { DB } from "./types";
import { addCalendarDays, makeCalendar } from "~/domain/calendar";
import { schedulePlan, type ScheduleInput } from "~/domain/schedule";
import { countPushes } from "~/domain/forecast-pushes";
import { LOSS_REASONS } from "~/domain/plan-outcome";
import { prng } from "~/domain/random";
import { hashPassword } from "~/infra/password.server";
import { DEMO_PASSWORD } from "./demo-seed";

/*
 * `npm run seed -- --plans 100000 [--reps 50] [--managers 5]`: a large, separate organisation
 * ("Bulk Test Org", never the demo) for the forecast benchmark. Plans of ~10 milestones with
 * dependencies get their schedule computed here with schedulePlan (the same pure function the write
 * path uses, without its per-plan transaction, log and locks, which would take hours at this size)
 * and are inserted in batches of 1,000 plans, one jsonb_to_recordset statement per table, while
 * the next batch is generated. Forecast-date history includes quarter pushes; some go-lives are
 * confirmed by the buyer. Deterministic: the same options give the same organisation.
 */

export const BULK_ORG_NAME = "Bulk Test Org";
export const BULK_PASSWORD = DEMO_PASSWORD;
export const BULK_FISCAL_START_MONTH = 4;

export interface BulkSeedOptions {
  plans: number;
  reps?: number;
  managers?: number;
  /** Managers of managers: each manager reports to one of them (none by default). */
  directors?: number;
  /** The organisation's today (YYYY-MM-DD): schedules are computed from it. */
  today: string;
  now?: Date;
  batchSize?: number;
  /** Batches written at the same time, each on its own connection (1 on PGlite). */
  concurrency?: number;
  seed?: number;
  onProgress?: (plansDone: number, plansTotal: number) => void;
}

export interface BulkSeedResult {
  orgId: string;
  plans: number;
  milestones: number;
  dependencies: number;
  history: number;
  users: number;
  logins: { admin: string; director: string | null; manager: string; rep: string; password: string };
}

interface Step {
  title: string;
  side: "buyer" | "seller" | "joint";
  days: number;
  after?: number[];
  close?: boolean;
}

// Milestones listed in dependency order (every dependency is an earlier index).
const TEMPLATES: Step[][] = [
  [
    { title: "Discovery workshop", side: "joint", days: 2 },
    { title: "Technical validation", side: "seller", days: 10, after: [0] },
    { title: "Security review", side: "buyer", days: 10, after: [0] },
    { title: "Business case sign-off", side: "buyer", days: 3, after: [1] },
    { title: "Legal redlines", side: "joint", days: 8, after: [2, 3] },
    { title: "Procurement onboarding", side: "buyer", days: 5, after: [4] },
    { title: "Order form signature", side: "buyer", days: 0, after: [5], close: true },
    { title: "Implementation kickoff", side: "joint", days: 1, after: [6] },
    { title: "Data migration", side: "seller", days: 10, after: [7] },
    { title: "Admin training", side: "seller", days: 3, after: [7] },
    { title: "Go-live readiness review", side: "joint", days: 1, after: [8, 9] },
  ],
  [
    { title: "Demo to the wider team", side: "seller", days: 1 },
    { title: "Pilot", side: "joint", days: 10, after: [0] },
    { title: "Pilot review", side: "buyer", days: 2, after: [1] },
    { title: "Pricing approval", side: "buyer", days: 3, after: [2] },
    { title: "Security questionnaire", side: "buyer", days: 5, after: [0] },
    { title: "Contract", side: "joint", days: 5, after: [3, 4] },
    { title: "Signature", side: "buyer", days: 0, after: [5], close: true },
    { title: "Onboarding call", side: "joint", days: 2, after: [6] },
    { title: "Team training", side: "seller", days: 3, after: [7] },
  ],
];

const FIRST = [
  "Ada",
  "Ben",
  "Chloe",
  "Dev",
  "Elena",
  "Farid",
  "Grace",
  "Hiro",
  "Ines",
  "Jon",
  "Kofi",
  "Lena",
  "Marco",
  "Nadia",
  "Owen",
  "Priya",
  "Quinn",
  "Rosa",
  "Sven",
  "Tara",
  "Uma",
  "Victor",
  "Wen",
  "Yara",
  "Zane",
];
const LAST = [
  "Adams",
  "Baker",
  "Chen",
  "Diaz",
  "Evans",
  "Fischer",
  "Garcia",
  "Hughes",
  "Ito",
  "Jansen",
  "Khan",
  "Lopez",
  "Moreau",
  "Novak",
  "Okafor",
  "Patel",
  "Rossi",
  "Silva",
  "Tanaka",
  "Umar",
  "Vance",
  "Weber",
  "Young",
  "Zhou",
];
const COMPANY_A = [
  "Northgate",
  "Bluefin",
  "Crestview",
  "Ironwood",
  "Lumen",
  "Meridian",
  "Oakridge",
  "Pinnacle",
  "Quartz",
  "Redwood",
  "Silverline",
  "Summit",
  "Tidal",
  "Vantage",
  "Westbrook",
  "Harbor",
  "Granite",
  "Evergreen",
  "Cobalt",
  "Atlas",
];
const COMPANY_B = [
  "Logistics",
  "Health",
  "Retail",
  "Foods",
  "Energy",
  "Bank",
  "Insurance",
  "Media",
  "Labs",
  "Manufacturing",
  "Telecom",
  "Pharma",
  "Travel",
  "Freight",
  "Analytics",
];
const TITLES = [
  "Analytics rollout",
  "Reporting suite",
  "Data platform",
  "Forecasting pilot",
  "Customer 360",
  "Operations dashboards",
  "Finance insights",
  "Supply chain visibility",
];
const REASONS = [
  "Security review took longer than planned",
  "Budget moved to next quarter",
  "Legal redlines reopened",
  "Champion on leave",
  "Go-live moved by the buyer",
  null,
  null,
];

const DAY_MS = 86_400_000;

interface Generated {
  plans: object[];
  stakeholders: object[];
  milestones: object[];
  dependencies: object[];
  history: object[];
}

interface Owner {
  id: string;
  name: string;
}

/** Generates plans [from, to) of the organisation, schedules included. */
function generateBatch(owners: Owner[], from: number, to: number, ctx: { today: string; now: Date; seed: number }): Generated {
  const out: Generated = { plans: [], stakeholders: [], milestones: [], dependencies: [], history: [] };
  const calendar = makeCalendar();
  const nowMs = ctx.now.getTime();
  for (let i = from; i < to; i++) {
    const random = prng(ctx.seed * 1_000_003 + i);
    const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];

    const owner = owners[i % owners.length];
    const planId = randomUUID();
    const template = TEMPLATES[i % TEMPLATES.length];
    const createdAt = new Date(nowMs - int(3, 200) * DAY_MS - int(0, 86_399) * 1000);
    const goLive = calendar.afterDate(ctx.today, int(8, 240));
    const closeIndex = template.findIndex((s) => s.close);
    const doneCount = Math.min(closeIndex + 2, Math.floor(random() ** 1.6 * (template.length - 1)));

    const ids = template.map(() => randomUUID());
    const completedOn = template.map((_, k) => (k < doneCount ? calendar.beforeDate(ctx.today, (doneCount - k) * int(1, 3)) : undefined));
    const input: ScheduleInput = {
      goLive,
      today: ctx.today,
      milestones: template.map((s, k) => ({
        id: ids[k],
        durationDays: s.days,
        dependsOn: (s.after ?? []).map((d) => ids[d]),
        completedOn: completedOn[k],
        isClose: !!s.close,
      })),
    };
    const schedule = schedulePlan(input);
    const forecastClose = schedule.forecastCloseDate!;

    const first = pick(FIRST);
    const last = pick(LAST);
    const buyerName = `${first} ${last}`;
    const company = `${pick(COMPANY_A)} ${pick(COMPANY_B)}`;
    const roll = random();
    const status = roll < 0.85 ? "active" : roll < 0.92 ? "won" : roll < 0.97 ? "lost" : "paused";
    const confirmed = random() < 0.22;
    const buyerSet = confirmed && random() < 0.4;
    const setAt = new Date(createdAt.getTime() + random() * (nowMs - createdAt.getTime()) * 0.5);
    const confirmedAt = confirmed ? new Date(setAt.getTime() + random() * (nowMs - setAt.getTime())) : null;
    // Most buyers were active recently; about one plan in five has gone quiet for two weeks or more.
    const activity = random() < 0.9 ? new Date(Math.max(createdAt.getTime(), nowMs - random() ** 3 * 30 * DAY_MS)) : null;
    const currencyRoll = random();

    // Forecast-date history ending at today's stored date: earlier dates mostly earlier (slips).
    const changes = [0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 3][int(0, 11)];
    const dates = [forecastClose];
    for (let k = 0; k < changes; k++) {
      const later = dates[0];
      dates.unshift(random() < 0.8 ? addCalendarDays(later, -int(20, 110)) : addCalendarDays(later, int(5, 30)));
    }
    // The stored forecast facts, by the write path's rules (app/models/forecast-facts.server.ts).
    const closePushes = countPushes(
      dates.slice(1).map((newDate, k) => ({ oldDate: dates[k], newDate })),
      BULK_FISCAL_START_MONTH,
    );
    const overdueBuyer = schedule.milestones.filter((m, k) => template[k].side === "buyer" && !completedOn[k] && m.due < ctx.today).length;

    out.plans.push({
      id: planId,
      owner_id: owner.id,
      buyer_company: company,
      title: pick(TITLES),
      value: 5000 + Math.round((random() ** 2 * 495_000) / 1000) * 1000,
      currency: currencyRoll < 0.96 ? "USD" : currencyRoll < 0.98 ? "EUR" : "GBP",
      status,
      go_live: goLive,
      go_live_set_side: buyerSet ? "buyer" : "seller",
      go_live_set_by_name: buyerSet ? buyerName : owner.name,
      go_live_set_at: setAt.toISOString(),
      go_live_confirmed_by_name: confirmed ? buyerName : null,
      go_live_confirmed_at: confirmedAt?.toISOString() ?? null,
      // Half the reps keep their own CRM date; two in three of those are earlier than the plan's.
      crm_close_date: random() < 0.5 ? addCalendarDays(forecastClose, int(-60, 30)) : null,
      projected_go_live: schedule.projectedGoLive,
      slip_days: schedule.slipDays,
      forecast_close_date: forecastClose,
      schedule_computed_on: ctx.today,
      milestones_total: template.length,
      milestones_done: doneCount,
      close_date_pushes: closePushes,
      overdue_buyer_milestones: overdueBuyer,
      last_buyer_activity_at: activity?.toISOString() ?? null,
      created_at: createdAt.toISOString(),
      // Replaced by closedDeal below for won and lost plans (no extra draws from this stream: the
      // same seed makes the same open plans as before migration 026).
      closed_on: status === "won" || status === "lost" ? setAt.toISOString().slice(0, 10) : null,
      loss_reason: status === "lost" ? LOSS_REASONS[out.plans.length % LOSS_REASONS.length] : null,
    });
    const closed =
      status === "won" || status === "lost" ? closedDeal(prng(ctx.seed * 7_000_003 + i), ctx.today, status === "lost", buyerName, owner.name) : null;
    if (closed) Object.assign(out.plans[out.plans.length - 1], closed.plan);
    out.stakeholders.push({
      id: randomUUID(),
      plan_id: planId,
      side: "buyer",
      name: buyerName,
      email: `${first}.${last}@${company.toLowerCase().replace(/[^a-z]+/g, "-")}.example`.toLowerCase(),
      title: "Champion",
    });

    schedule.milestones.forEach((m, k) => {
      const step = template[k];
      out.milestones.push({
        id: m.id,
        plan_id: planId,
        title: step.title,
        owner_side: step.side,
        duration_days: step.days,
        completed_on: completedOn[k] ?? null,
        is_close: !!step.close,
        position: k,
        start_date: m.start,
        due_date: m.due,
        projected_start: m.projectedStart,
        projected_finish: m.projectedFinish,
        float_days: m.floatDays,
        schedule_status: m.status,
      });
      for (const d of step.after ?? []) out.dependencies.push({ plan_id: planId, milestone_id: ids[k], depends_on_id: ids[d] });
    });

    if (closed) {
      for (const row of closed.history) out.history.push({ plan_id: planId, ...row });
      continue;
    }
    const span = nowMs - createdAt.getTime();
    dates.forEach((date, k) => {
      const byBuyer = k > 0 && random() < 0.2;
      const at = new Date(createdAt.getTime() + (span * k) / (changes + 1)).toISOString();
      out.history.push({
        plan_id: planId,
        field: "forecast_close_date",
        old_date: k === 0 ? null : dates[k - 1],
        new_date: date,
        reason: k === 0 ? null : pick(REASONS),
        actor_name: byBuyer ? buyerName : owner.name,
        actor_side: byBuyer ? "buyer" : "seller",
        created_at: at,
        effective_on: at.slice(0, 10),
      });
    });
  }
  return out;
}

/**
 * A closed deal's life (issue 19: the accuracy page at scale), drawn from a stream of its own so
 * the open plans stay exactly as before. Written as rows, not played through the write path like
 * the demo's (db/demo-history.ts): the same assumptions in miniature. Customer-confirmed dates
 * start near the real close and rarely move; seller-proposed ones start early and are pushed
 * toward it; the rep's CRM date sits earlier than the plan's; lost deals' buyers go quiet halfway.
 */
function closedDeal(random: () => number, today: string, lost: boolean, buyerName: string, sellerName: string) {
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const closedOn = addCalendarDays(today, -int(1, 365));
  const life = int(30, 200);
  const createdOn = addCalendarDays(closedOn, -life);
  const confirmed = random() < 0.35;
  const outcome = !lost ? "won" : random() < 0.3 ? "no_decision" : "lost";
  const pushes = confirmed ? int(0, 1) : int(1, 4);
  const history: object[] = [];
  const current: Record<string, string | null> = {};
  let minute = 0;
  const write = (field: string, date: string, day: string, side: "buyer" | "seller" | "system") => {
    const at = new Date(Date.parse(`${day}T10:00:00Z`) + minute++ * 60_000).toISOString();
    const name = side === "buyer" ? buyerName : side === "seller" ? sellerName : "Daily re-projection";
    history.push({
      field,
      old_date: current[field] ?? null,
      new_date: date,
      reason: null,
      actor_name: name,
      actor_side: side,
      created_at: at,
      effective_on: day,
    });
    current[field] = date;
  };
  let forecast = addCalendarDays(closedOn, confirmed ? int(-15, 10) : -int(10, 80));
  const keepsCrm = random() < 0.8;
  write("go_live", addCalendarDays(forecast, 30), createdOn, "seller");
  write("forecast_close_date", forecast, createdOn, "seller");
  write("projected_close", addCalendarDays(forecast, int(0, 20)), createdOn, "system");
  if (keepsCrm) write("crm_close_date", addCalendarDays(forecast, -int(0, 30)), createdOn, "seller");
  if (confirmed) write("go_live_confirmed", current.go_live!, addCalendarDays(createdOn, int(1, Math.min(20, life - 1))), "buyer");
  for (let k = 1; k <= pushes; k++) {
    const day = addCalendarDays(createdOn, Math.floor((life * k) / (pushes + 1)));
    const side = confirmed ? "buyer" : "seller";
    // Each push covers half or more of the way left to the real close.
    const left = (Date.parse(closedOn) - Date.parse(forecast)) / DAY_MS;
    forecast = addCalendarDays(forecast, Math.max(1, Math.round(left * (0.5 + random() / 2))));
    write("go_live", addCalendarDays(forecast, 30), day, side);
    write("forecast_close_date", forecast, day, side);
    write("projected_close", addCalendarDays(forecast, int(0, 10)), day, "system");
    if (keepsCrm) write("crm_close_date", addCalendarDays(forecast, -int(0, 20)), day, "seller");
  }
  const buyerLast = outcome === "won" ? closedOn : addCalendarDays(createdOn, Math.floor(life / 2));
  return {
    history,
    plan: {
      status: outcome,
      closed_on: closedOn,
      loss_reason: outcome === "lost" ? LOSS_REASONS[int(0, LOSS_REASONS.length - 1)] : null,
      created_at: `${createdOn}T09:00:00.000Z`,
      go_live: current.go_live,
      go_live_set_side: confirmed ? "buyer" : "seller",
      go_live_set_by_name: confirmed ? buyerName : sellerName,
      go_live_set_at: `${createdOn}T09:00:00.000Z`,
      go_live_confirmed_by_name: confirmed ? buyerName : null,
      go_live_confirmed_at: confirmed ? `${createdOn}T12:00:00.000Z` : null,
      forecast_close_date: forecast,
      crm_close_date: current.crm_close_date ?? null,
      last_buyer_activity_at: `${buyerLast}T11:00:00.000Z`,
    },
  };
}

async function insertBatch(db: Kysely<DB>, orgId: string, batch: Generated) {
  await db.transaction().execute(async (trx) => {
    await sql`set local synchronous_commit = off`.execute(trx);
    await sql`
      insert into plans (org_id, id, owner_id, buyer_company, title, value, currency, status, go_live, go_live_set_side,
        go_live_set_by_name, go_live_set_at, go_live_confirmed_by_name, go_live_confirmed_at, crm_close_date,
        projected_go_live, slip_days, forecast_close_date, schedule_computed_on, milestones_total, milestones_done,
        close_date_pushes, overdue_buyer_milestones, last_buyer_activity_at, created_at, updated_at, closed_on, loss_reason)
      select ${orgId}::uuid, v.id, v.owner_id, v.buyer_company, v.title, v.value, v.currency, v.status, v.go_live, v.go_live_set_side,
        v.go_live_set_by_name, v.go_live_set_at, v.go_live_confirmed_by_name, v.go_live_confirmed_at, v.crm_close_date,
        v.projected_go_live, v.slip_days, v.forecast_close_date, v.schedule_computed_on, v.milestones_total, v.milestones_done,
        v.close_date_pushes, v.overdue_buyer_milestones, v.last_buyer_activity_at, v.created_at, v.created_at, v.closed_on, v.loss_reason
      from jsonb_to_recordset(${JSON.stringify(batch.plans)}::jsonb) as v(
        id uuid, owner_id uuid, buyer_company text, title text, value bigint, currency text, status text, go_live date,
        go_live_set_side text, go_live_set_by_name text, go_live_set_at timestamptz, go_live_confirmed_by_name text,
        go_live_confirmed_at timestamptz, crm_close_date date, projected_go_live date, slip_days integer,
        forecast_close_date date, schedule_computed_on date, milestones_total integer, milestones_done integer,
        close_date_pushes integer, overdue_buyer_milestones integer, last_buyer_activity_at timestamptz, created_at timestamptz,
        closed_on date, loss_reason text)`.execute(trx);
    await sql`
      insert into stakeholders (org_id, id, plan_id, side, name, email, title)
      select ${orgId}::uuid, v.id, v.plan_id, v.side, v.name, v.email, v.title
      from jsonb_to_recordset(${JSON.stringify(batch.stakeholders)}::jsonb) as v(id uuid, plan_id uuid, side text, name text, email text, title text)`.execute(
      trx,
    );
    await sql`
      insert into milestones (org_id, id, plan_id, title, owner_side, duration_days, completed_on, is_close, position,
        start_date, due_date, projected_start, projected_finish, float_days, schedule_status)
      select ${orgId}::uuid, v.id, v.plan_id, v.title, v.owner_side, v.duration_days, v.completed_on, v.is_close, v.position,
        v.start_date, v.due_date, v.projected_start, v.projected_finish, v.float_days, v.schedule_status
      from jsonb_to_recordset(${JSON.stringify(batch.milestones)}::jsonb) as v(
        id uuid, plan_id uuid, title text, owner_side text, duration_days integer, completed_on date, is_close boolean,
        position integer, start_date date, due_date date, projected_start date, projected_finish date, float_days integer,
        schedule_status text)`.execute(trx);
    await sql`
      insert into milestone_dependencies (org_id, plan_id, milestone_id, depends_on_id)
      select ${orgId}::uuid, v.plan_id, v.milestone_id, v.depends_on_id
      from jsonb_to_recordset(${JSON.stringify(batch.dependencies)}::jsonb) as v(plan_id uuid, milestone_id uuid, depends_on_id uuid)`.execute(trx);
    await sql`
      insert into plan_date_history (org_id, plan_id, field, old_date, new_date, reason, actor_name, actor_side, created_at, effective_on)
      select ${orgId}::uuid, v.plan_id, v.field, v.old_date, v.new_date, v.reason, v.actor_name, v.actor_side, v.created_at, v.effective_on
      from jsonb_to_recordset(${JSON.stringify(batch.history)}::jsonb) as v(
        plan_id uuid, field text, old_date date, new_date date, reason text, actor_name text, actor_side text, created_at timestamptz,
        effective_on date)`.execute(trx);
  });
}

/** Creates the bulk organisation. Refuses when one already exists (use a fresh database). */
export async function seedBulk(db: Kysely<DB>, options: BulkSeedOptions): Promise<BulkSeedResult> {
  const total = options.plans;
  const managerCount = options.managers ?? 5;
  const repCount = options.reps ?? 50;
  const batchSize = options.batchSize ?? 1000;
  const now = options.now ?? new Date();
  const seed = options.seed ?? 20261128;
  for (const [name, n] of [
    ["plans", total],
    ["reps", repCount],
    ["managers", managerCount],
  ] as const) {
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a whole number of at least 1, got ${n}`);
  }

  const existing = await db.selectFrom("organisations").select("id").where("name", "=", BULK_ORG_NAME).executeTakeFirst();
  if (existing) {
    throw new Error(`"${BULK_ORG_NAME}" already exists in this database (${existing.id}). Seed it into a fresh database.`);
  }

  const passwordHash = await hashPassword(BULK_PASSWORD);
  const org = await db
    .insertInto("organisations")
    .values({
      name: BULK_ORG_NAME,
      fiscal_year_start_month: BULK_FISCAL_START_MONTH,
      working_weekdays: "[1,2,3,4,5]",
      holidays: "[]",
      // Its closed deals are generated (closedDeal), up to yesterday: the accuracy page says so.
      generated_history_through: addCalendarDays(options.today, -1),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const orgId = org.id;

  const person = (k: number) => `${FIRST[k % FIRST.length]} ${LAST[Math.floor(k / FIRST.length) % LAST.length]}`;
  const admin = {
    org_id: orgId,
    id: randomUUID(),
    email: "admin@bulk.example",
    name: "Bulk Admin",
    role: "admin" as const,
    manager_id: null,
    password_hash: passwordHash,
  };
  const directors = Array.from({ length: options.directors ?? 0 }, (_, k) => ({
    org_id: orgId,
    id: randomUUID(),
    email: `director${k + 1}@bulk.example`,
    name: `${person(k * 13 + 1)} (director ${k + 1})`,
    role: "manager" as const,
    manager_id: null,
    password_hash: passwordHash,
  }));
  const managers = Array.from({ length: managerCount }, (_, k) => ({
    org_id: orgId,
    id: randomUUID(),
    email: `manager${k + 1}@bulk.example`,
    name: `${person(k * 7 + 3)} (manager ${k + 1})`,
    role: "manager" as const,
    manager_id: directors.length ? directors[k % directors.length].id : null,
    password_hash: passwordHash,
  }));
  const reps = Array.from({ length: repCount }, (_, k) => ({
    org_id: orgId,
    id: randomUUID(),
    email: `rep${k + 1}@bulk.example`,
    name: `${person(k * 11 + 5)} (rep ${k + 1})`,
    role: "rep" as const,
    manager_id: managers[k % managerCount].id,
    password_hash: passwordHash,
  }));
  const users = [admin, ...directors, ...managers, ...reps];
  for (let k = 0; k < users.length; k += 1000) {
    const slice = users.slice(k, k + 1000);
    await db.insertInto("users").values(slice).execute();
    await db
      .insertInto("account_emails")
      .values(slice.map((u) => ({ email: u.email, org_id: u.org_id, user_id: u.id })))
      .execute();
  }

  const owners = reps.map((r) => ({ id: r.id, name: r.name }));
  const counts = { milestones: 0, dependencies: 0, history: 0 };
  let done = 0;
  // Three batches in flight, each on its own connection (the database's per-row work, foreign-key checks
  // above all, is the bottleneck); the next batch is generated while they are written.
  const concurrency = options.concurrency ?? 3;
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  options.onProgress?.(0, total);
  for (let from = 0; from < total && !failure; from += batchSize) {
    const to = Math.min(total, from + batchSize);
    const batch = generateBatch(owners, from, to, { today: options.today, now, seed });
    counts.milestones += batch.milestones.length;
    counts.dependencies += batch.dependencies.length;
    counts.history += batch.history.length;
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    const write: Promise<void> = insertBatch(db, orgId, batch)
      .then(() => {
        done += to - from;
        options.onProgress?.(done, total);
      })
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => inFlight.delete(write));
    inFlight.add(write);
  }
  await Promise.all(inFlight);
  if (failure) throw (failure as { error: unknown }).error;

  return {
    orgId,
    plans: total,
    users: users.length,
    ...counts,
    logins: { admin: admin.email, director: directors[0]?.email ?? null, manager: managers[0].email, rep: reps[0].email, password: BULK_PASSWORD },
  };
}

/** Fresh statistics (and, on PostgreSQL, the visibility map for index-only scans) after the load. */
export async function analyzeBulk(db: Kysely<DB>) {
  for (const table of ["plans", "milestones", "milestone_dependencies", "plan_date_history", "stakeholders", "users"]) {
    await sql.raw(`vacuum (analyze) ${table}`).execute(db);
  }
}

/** A one-line progress bar on stderr, redrawn in place: percentage, rate and time left. */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const started = performance.now();
  let last = 0;
  return {
    update(done: number, total: number) {
      const t = performance.now();
      if (done < total && t - last < 100) return;
      last = t;
      const seconds = (t - started) / 1000;
      const rate = seconds > 0 ? done / seconds : 0;
      const eta = rate > 0 ? (total - done) / rate : 0;
      const width = 28;
      const filled = Math.round((done / total) * width);
      const line =
        `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${((done / total) * 100).toFixed(1).padStart(5)}% ` +
        `${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} · ${Math.round(rate).toLocaleString("en-US")}/s · ` +
        (done < total ? `ETA ${Math.ceil(eta)}s` : `${seconds.toFixed(1)}s`);
      stream.write(`\r${line}\u001b[K`);
    },
    finish() {
      stream.write("\n");
    },
  };
}
