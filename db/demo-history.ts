import { sql, type Transaction } from "kysely";
import type { DB } from "./types";
import { addCalendarDays, weekday, type WorkingCalendar } from "~/domain/calendar";
import { fiscalQuarterOf } from "~/domain/fiscal-quarters";
import type { LossReason } from "~/domain/plan-outcome";
import type { Actor } from "~/domain/plan-events";
import { prng } from "~/domain/random";
import { recordDateChange } from "~/models/date-history.server";
import { runPlanCommandIn } from "~/models/plan-command.server";
import { changeGoLive, setMilestoneDone, updatePlanDetails, type Editor } from "~/models/plan-commands.server";
import { createPlanIn } from "~/models/plan-create.server";
import { closePlanIn } from "~/models/plan-outcome.server";
import { refreshStaleBatch } from "~/models/schedule-refresh.server";

/*
 * A year of closed deals for the demo organisation (issue 19, item 4), made the way real ones are:
 * day by day through the write path, each command dated on its simulated day, so the log, the date
 * history and buyer activity read as if the year had happened. What people do is drawn from the
 * assumptions below (README, "The demo's closed deals") with a seeded PRNG: the same today gives
 * the same demo. No figure the accuracy page shows is chosen here; they come out of the simulation.
 */

/** The assumptions, in one place: the README quotes them. */
export const HISTORY_ASSUMPTIONS = {
  deals: 34,
  /** Closes are aimed across this many days before today; slips carry some later. */
  spanDays: 330,
  /** How deals end: the rest are won. */
  lostShare: 0.22,
  noDecisionShare: 0.09,
  /** Chance that the buyer confirms the rep's go-live (or sets their own) in the first weeks. */
  confirmShare: { won: 0.55, notWon: 0.15 },
  /** Of those, the share who set their own date rather than confirm the rep's. */
  buyerSetsOwnDate: 0.5,
  /** Working days of slack beyond the earliest feasible go-live: reps are optimistic, buyers plan. */
  sellerBuffer: [0, 5],
  buyerBuffer: [8, 18],
  /** Chance a milestone overruns, and by what factor of its duration, by side. */
  overrun: {
    buyer: { unconfirmed: 0.55, confirmed: 0.25, factor: [1.3, 2.2] },
    seller: { unconfirmed: 0.2, confirmed: 0.2, factor: [1.1, 1.5] },
    joint: { unconfirmed: 0.35, confirmed: 0.25, factor: [1.2, 1.8] },
  },
  /** Buyer-side gates that overrun more often than the rest (added to the chance above). */
  slowGates: { titles: ["Security review", "Procurement onboarding", "Pricing approval"], extra: 0.15 },
  /** Days from the predecessors' end to the signature on a won deal. */
  signatureDelay: [0, 3],
  /** Working days of slip tolerated before the go-live is moved at the weekly review. */
  slipTolerance: 3,
  /** Weekly chance the go-live is moved when it slips: the rep moves a seller-proposed date, the buyer a confirmed one. */
  moveChance: { seller: 0.85, buyer: 0.5 },
  /** Reps' CRM close dates: this many calendar days earlier than the plan's, when they keep one. */
  crmShare: 0.85,
  crmOptimism: [7, 30],
  /** Lost and no-decision deals: the buyer stops acting after this share of the planned cycle, and the deal is closed after these many weeks of silence. */
  quietAfter: [0.4, 0.75],
  quietWeeks: [6, 12],
  /** A deal still open after this many days is closed as no decision (the manager's pipeline clean-up). */
  staleDays: 240,
} as const;

const LOSS_REASONS_DRAWN: ReadonlyArray<readonly [LossReason, number, string]> = [
  ["competitor", 0.35, "Went with a competitor's bundled offer."],
  ["budget", 0.25, "The budget was cut for this year."],
  ["timing", 0.2, "Not a priority until next year."],
  ["no_decision", 0.1, "The sponsor left and nobody picked it up."],
  ["other", 0.1, "Chose to build it in-house."],
];

const COMPANIES = [
  ["Aldergrove Freight", "Route planning analytics"],
  ["Bramblecote Dairy", "Yield dashboards"],
  ["Calloway Insurance", "Claims insights"],
  ["Dunmore Textiles", "Inventory analytics"],
  ["Eastvale Clinics", "Patient flow reporting"],
  ["Fernhill Energy", "Grid asset analytics"],
  ["Gallowgate Media", "Audience analytics"],
  ["Highmoor Bank", "Branch performance"],
  ["Ivybridge Foods", "Demand forecasting"],
  ["Juniper Telecom", "Churn reporting"],
  ["Kestrel Aviation", "Fleet reliability"],
  ["Larchmont Retail", "Basket analytics"],
  ["Marlowe Pharma", "Trial operations dashboards"],
  ["Northcliff Mining", "Safety reporting"],
  ["Orchard Lane Homes", "Sales pipeline analytics"],
  ["Pemberton Legal", "Matter profitability"],
  ["Quayside Shipping", "Port turnaround insights"],
  ["Rowanwood Schools", "Attendance analytics"],
  ["Saltmarsh Brewing", "Distribution analytics"],
  ["Thornbury Hotels", "Occupancy forecasting"],
  ["Upton Water", "Leakage analytics"],
  ["Valemount Steel", "Furnace efficiency"],
  ["Whitlock Travel", "Booking analytics"],
  ["Yarrow Biotech", "Lab throughput"],
  ["Zephyr Outdoor", "Merchandising insights"],
  ["Ashcombe Logistics", "Warehouse analytics"],
  ["Birchfield Council", "Service request reporting"],
  ["Coldharbour Foods", "Supplier scorecards"],
  ["Drayton Motors", "Dealer analytics"],
  ["Elmstead Utilities", "Billing insights"],
  ["Foxglove Cosmetics", "Campaign analytics"],
  ["Greyfriars University", "Enrolment forecasting"],
  ["Hartwell Engineering", "Project margin reporting"],
  ["Inchcape Marine", "Vessel telemetry"],
] as const;

const BUYER_FIRST = ["Morgan", "Jordan", "Avery", "Riley", "Casey", "Harper", "Rowan", "Emery", "Finley", "Quinn", "Reese", "Sage"];
const BUYER_LAST = ["Abbott", "Barlow", "Carver", "Dalton", "Ellison", "Forsyth", "Garrick", "Holloway", "Irving", "Jessop", "Kirby", "Lister"];

const SELLER_MOVE_REASONS = [
  "Security review is running late.",
  "Waiting on the buyer's procurement team.",
  "Legal needs another round.",
  "Champion is out for two weeks.",
];
const BUYER_MOVE_REASONS = [
  "Our security team needs more time.",
  "Procurement asked for another supplier form.",
  "We want the rollout after our quarter close.",
];

export interface HistorySeedInput {
  orgId: string;
  today: string;
  calendar: WorkingCalendar;
  fiscalYearStartMonth: number;
  reps: Array<{ id: string; name: string; email: string }>;
  templates: { enterprise: string; quick: string };
}

type Fate = "won" | "lost" | "no_decision";

interface Milestone {
  id: string;
  title: string;
  side: "buyer" | "seller" | "joint";
  duration: number;
  isClose: boolean;
  dependsOn: string[];
  version: number;
  startDate: string | null;
  completedOn: string | null;
  /** The working day work began, and how many working days it really takes. */
  begun: string | null;
  takes: number;
}

interface Deal {
  index: number;
  random: () => number;
  fate: Fate;
  template: "enterprise" | "quick";
  company: string;
  title: string;
  value: number;
  rep: HistorySeedInput["reps"][number];
  buyerName: string;
  createOn: string;
  plannedCycleDays: number;
  confirmOn: string | null;
  quietFrom: string | null;
  /** When the silence ends the deal (lost and no-decision deals only). */
  giveUpOn: string | null;
  lossReason: (typeof LOSS_REASONS_DRAWN)[number];
  planId?: string;
  stakeholderId?: string;
  milestones: Milestone[];
  /** The plan as last read; re-read only after something changed it (most days nothing does). */
  plan: PlanRow | null;
  closed: boolean;
}

type PlanRow = Awaited<ReturnType<typeof planRow>>;

function drawLossReason(roll: number) {
  let sum = 0;
  return LOSS_REASONS_DRAWN.find(([, share]) => (sum += share) > roll) ?? LOSS_REASONS_DRAWN[0];
}

function between(random: () => number, [lo, hi]: readonly [number, number]) {
  return lo + random() * (hi - lo);
}
function intBetween(random: () => number, [lo, hi]: readonly [number, number]) {
  return Math.floor(between(random, [lo, hi + 1]));
}

/** Every deal's fate, people and planned dates, before the year is played. */
function planDeals(input: HistorySeedInput): Deal[] {
  const A = HISTORY_ASSUMPTIONS;
  return Array.from({ length: A.deals }, (_, index) => {
    const random = prng(20_261_205 + index * 7919);
    const roll = random();
    const fate: Fate = roll < A.lostShare ? "lost" : roll < A.lostShare + A.noDecisionShare ? "no_decision" : "won";
    const template = random() < 0.65 ? "enterprise" : "quick";
    // Enterprise deals run three to five months, quick starts one to two; slips come on top.
    const plannedCycleDays = template === "enterprise" ? intBetween(random, [95, 150]) : intBetween(random, [30, 60]);
    const aimedClose = addCalendarDays(input.today, -Math.round(((index + random()) / A.deals) * A.spanDays) - 20);
    const createOn = input.calendar.onOrAfterDate(addCalendarDays(aimedClose, -plannedCycleDays));
    const confirms = random() < (fate === "won" ? A.confirmShare.won : A.confirmShare.notWon);
    const [company, title] = COMPANIES[index % COMPANIES.length];
    const quietFrom = fate === "won" ? null : addCalendarDays(createOn, Math.round(between(random, A.quietAfter) * plannedCycleDays));
    return {
      index,
      random,
      fate,
      template,
      company,
      title,
      value: template === "enterprise" ? 60_000 + intBetween(random, [0, 50]) * 5_000 : 15_000 + intBetween(random, [0, 20]) * 2_500,
      rep: input.reps[index % input.reps.length],
      buyerName: `${BUYER_FIRST[index % BUYER_FIRST.length]} ${BUYER_LAST[(index * 5) % BUYER_LAST.length]}`,
      createOn,
      plannedCycleDays,
      confirmOn: confirms ? input.calendar.afterDate(createOn, intBetween(random, [3, 12])) : null,
      quietFrom,
      giveUpOn: quietFrom ? addCalendarDays(quietFrom, 7 * intBetween(random, A.quietWeeks)) : null,
      lossReason: drawLossReason(random()),
      milestones: [],
      plan: null,
      closed: false,
    };
  });
}

/** Plays the year: returns the last simulated day (the one the organisation is stamped with). */
export async function seedDemoHistory(trx: Transaction<DB>, input: HistorySeedInput): Promise<string> {
  const { orgId, calendar } = input;
  const deals = planDeals(input);
  const first = deals.reduce((min, d) => (d.createOn < min ? d.createOn : min), input.today);
  const last = calendar.beforeDate(input.today, 1);
  // A steady clock for the simulated day: each command a minute after the last, from 09:00 UTC.
  let minute = 0;
  const at = (day: string) => new Date(Date.parse(`${day}T09:00:00Z`) + minute++ * 60_000);

  const sellerEditor = (deal: Deal, day: string): Editor => ({
    actor: { side: "seller", name: deal.rep.name, userId: deal.rep.id },
    viewer: { id: deal.rep.id, orgId, role: "rep" },
    today: day,
    at: at(day),
  });
  const buyerEditor = (deal: Deal, day: string): Editor => ({
    actor: { side: "buyer", name: deal.buyerName, stakeholderId: deal.stakeholderId! },
    buyerPlanId: deal.planId!,
    today: day,
    at: at(day),
  });

  for (let day = calendar.onOrAfterDate(first); day <= last; day = calendar.afterDate(day, 1)) {
    minute = 0;
    // The week's first working day: the refresher's run, then each open deal's review. Weekly, not
    // daily: every command re-projects its own plan, and the weekly replay is already about a
    // third of the seed's time.
    const monday = calendar.beforeDate(day, 1) < addCalendarDays(day, 1 - weekday(day));
    if (monday) {
      for (let after: string | null = null; ;) {
        const batch = await refreshStaleBatch(trx, orgId, day, at(day), 200, after);
        if (batch.plans < 200) break;
        after = batch.lastId;
      }
      for (const deal of deals) deal.plan = null;
    }
    for (const deal of deals) {
      if (deal.closed || day < deal.createOn) continue;
      if (day === deal.createOn) await createDeal(trx, input, deal, day, at(day), sellerEditor);
      if (monday && day !== deal.createOn) await weeklyReview(trx, input, deal, day, sellerEditor, buyerEditor);
      if (deal.confirmOn === day) await buyerCommits(trx, input, deal, day, buyerEditor, at);
      await workTheDay(trx, input, deal, day, sellerEditor, buyerEditor);
      if (!deal.closed) await maybeGiveUp(trx, input, deal, day, last, at);
    }
  }
  return last;
}

async function createDeal(trx: Transaction<DB>, input: HistorySeedInput, deal: Deal, day: string, when: Date, sellerEditor: (d: Deal, day: string) => Editor) {
  const A = HISTORY_ASSUMPTIONS;
  // The rep proposes a go-live the planned cycle away (to the signature, then the template's work
  // after it), with a little room.
  const templateTail = deal.template === "enterprise" ? 12 : 8;
  const cycleWorkingDays = Math.round((deal.plannedCycleDays * 5) / 7);
  const goLive = input.calendar.afterDate(day, cycleWorkingDays + templateTail + intBetween(deal.random, A.sellerBuffer));
  const seller: Actor = { side: "seller", name: deal.rep.name, userId: deal.rep.id };
  const email = `${deal.buyerName.toLowerCase().replace(/ /g, ".")}@${deal.company.toLowerCase().replace(/[^a-z]+/g, "-")}.example`;
  const { plan } = await createPlanIn(
    trx,
    {
      orgId: input.orgId,
      ownerId: deal.rep.id,
      buyerCompany: deal.company,
      title: deal.title,
      value: deal.value,
      currency: "USD",
      goLive,
      templateId: input.templates[deal.template],
      stakeholders: [
        { side: "buyer", name: deal.buyerName, email, title: "Project sponsor" },
        { side: "seller", name: deal.rep.name, email: deal.rep.email, title: "Account Executive" },
      ],
    },
    seller,
    day,
    undefined,
    when,
  );
  deal.planId = plan.id;
  const buyer = await trx
    .selectFrom("stakeholders")
    .select("id")
    .where("org_id", "=", input.orgId)
    .where("plan_id", "=", plan.id)
    .where("side", "=", "buyer")
    .executeTakeFirstOrThrow();
  deal.stakeholderId = buyer.id;
  if (deal.random() < A.crmShare) {
    const stored = await current(trx, input.orgId, deal);
    await setCrmDate(trx, input, deal, day, addCalendarDays(stored.forecast_close_date!, -intBetween(deal.random, A.crmOptimism)), sellerEditor);
  }
}

/** The deal's plan and milestones as they now stand (read again only after a change). */
async function current(trx: Transaction<DB>, orgId: string, deal: Deal): Promise<PlanRow> {
  if (!deal.plan) {
    deal.plan = await planRow(trx, orgId, deal.planId!);
    await loadMilestones(trx, orgId, deal);
  }
  return deal.plan;
}

async function planRow(trx: Transaction<DB>, orgId: string, planId: string) {
  return trx
    .selectFrom("plans")
    .select(["version", "go_live", "go_live_confirmed_at", "projected_go_live", "slip_days", "forecast_close_date", "crm_close_date"])
    .where("org_id", "=", orgId)
    .where("id", "=", planId)
    .executeTakeFirstOrThrow();
}

async function setCrmDate(trx: Transaction<DB>, input: HistorySeedInput, deal: Deal, day: string, crm: string, sellerEditor: (d: Deal, day: string) => Editor) {
  const plan = await current(trx, input.orgId, deal);
  if (plan.crm_close_date === crm) return;
  deal.plan = null;
  await updatePlanDetails(trx, sellerEditor(deal, day), input.orgId, deal.planId!, plan.version, {
    buyerCompany: deal.company,
    title: deal.title,
    value: String(deal.value),
    currency: "USD",
    crmCloseDate: crm,
  });
}

async function loadMilestones(trx: Transaction<DB>, orgId: string, deal: Deal) {
  const { rows } = await sql<{
    id: string;
    title: string;
    owner_side: Milestone["side"];
    duration_days: number;
    is_close: boolean;
    version: number;
    start_date: string | null;
    completed_on: string | null;
    depends_on: string[];
  }>`select m.id, m.title, m.owner_side, m.duration_days, m.is_close, m.version, m.start_date, m.completed_on,
       coalesce((select json_agg(d.depends_on_id) from milestone_dependencies d where d.org_id = m.org_id and d.milestone_id = m.id), '[]'::json) as depends_on
     from milestones m where m.org_id = ${orgId} and m.plan_id = ${deal.planId!} order by m.position`.execute(trx);
  const known = new Map(deal.milestones.map((m) => [m.id, m]));
  deal.milestones = rows.map((r) => ({
    id: r.id,
    title: r.title,
    side: r.owner_side,
    duration: r.duration_days,
    isClose: r.is_close,
    dependsOn: r.depends_on,
    version: r.version,
    startDate: r.start_date,
    completedOn: r.completed_on,
    begun: known.get(r.id)?.begun ?? null,
    takes: known.get(r.id)?.takes ?? 0,
  }));
}

/** The buyer commits to a date: their own, with room for their process, or the rep's as it stands. */
async function buyerCommits(
  trx: Transaction<DB>,
  input: HistorySeedInput,
  deal: Deal,
  day: string,
  buyerEditor: (d: Deal, day: string) => Editor,
  at: (day: string) => Date,
) {
  if (deal.quietFrom && day >= deal.quietFrom) return;
  const plan = await current(trx, input.orgId, deal);
  deal.plan = null;
  if (deal.random() < HISTORY_ASSUMPTIONS.buyerSetsOwnDate) {
    const goLive = input.calendar.afterDate(plan.projected_go_live ?? plan.go_live, intBetween(deal.random, HISTORY_ASSUMPTIONS.buyerBuffer));
    if (goLive !== plan.go_live) {
      await changeGoLive(trx, buyerEditor(deal, day), input.orgId, deal.planId!, plan.version, { goLive, reason: BUYER_MOVE_REASONS[2] });
      return;
    }
  }
  if (plan.go_live_confirmed_at || plan.go_live < day) return;
  // The buyer's confirmation as their page records it, kept in the date history (as seedProgress does).
  const buyer: Actor = { side: "buyer", name: deal.buyerName, stakeholderId: deal.stakeholderId! };
  const when = at(day);
  await runPlanCommandIn(trx, { orgId: input.orgId, planId: deal.planId!, actor: buyer, today: day, at: when }, async (t) => {
    await t
      .updateTable("plans")
      .set({ go_live_confirmed_by_name: buyer.name, go_live_confirmed_at: when })
      .where("org_id", "=", input.orgId)
      .where("id", "=", deal.planId!)
      .execute();
    await recordDateChange(t, {
      orgId: input.orgId,
      planId: deal.planId!,
      field: "go_live_confirmed",
      before: plan.go_live,
      after: plan.go_live,
      actor: buyer,
      today: day,
      at: when,
    });
    return {
      value: null,
      events: [
        { action: "plan.go_live_confirmed", entityType: "plan", entityId: deal.planId!, changes: { go_live: { before: plan.go_live, after: plan.go_live } } },
      ],
    };
  });
}

/** Monday: a slipping go-live is moved by whoever owns it; CRM dates that passed or sit in an ending quarter are pushed. */
async function weeklyReview(
  trx: Transaction<DB>,
  input: HistorySeedInput,
  deal: Deal,
  day: string,
  sellerEditor: (d: Deal, day: string) => Editor,
  buyerEditor: (d: Deal, day: string) => Editor,
) {
  const A = HISTORY_ASSUMPTIONS;
  let plan = await current(trx, input.orgId, deal);
  const quiet = !!deal.quietFrom && day >= deal.quietFrom;
  if ((plan.slip_days ?? 0) > A.slipTolerance && plan.projected_go_live) {
    const confirmed = !!plan.go_live_confirmed_at;
    if (confirmed && !quiet) {
      if (deal.random() < A.moveChance.buyer) {
        const goLive = input.calendar.afterDate(plan.projected_go_live, intBetween(deal.random, [3, 8]));
        await changeGoLive(trx, buyerEditor(deal, day), input.orgId, deal.planId!, plan.version, {
          goLive,
          reason: BUYER_MOVE_REASONS[deal.index % 2],
        });
      }
    } else if (deal.random() < A.moveChance.seller) {
      const goLive = input.calendar.afterDate(plan.projected_go_live, intBetween(deal.random, A.sellerBuffer));
      await changeGoLive(trx, sellerEditor(deal, day), input.orgId, deal.planId!, plan.version, {
        goLive,
        reason: SELLER_MOVE_REASONS[intBetween(deal.random, [0, SELLER_MOVE_REASONS.length - 1])],
      });
    }
    deal.plan = null;
    plan = await current(trx, input.orgId, deal);
  }
  if (plan.crm_close_date && plan.forecast_close_date) {
    const quarter = fiscalQuarterOf(day, input.fiscalYearStartMonth);
    const quarterEnding = addCalendarDays(quarter.end, -14) <= day;
    const stillThisQuarter = plan.crm_close_date < quarter.end && plan.forecast_close_date >= quarter.end;
    if (plan.crm_close_date < day || (quarterEnding && stillThisQuarter)) {
      const optimistic = addCalendarDays(plan.forecast_close_date, -intBetween(deal.random, A.crmOptimism));
      const floor = plan.crm_close_date < day ? addCalendarDays(day, 7) : quarter.end;
      await setCrmDate(trx, input, deal, day, optimistic > floor ? optimistic : floor, sellerEditor);
    }
  }
}

/**
 * Work on a milestone begins the working day after its predecessors are done, once its scheduled
 * start has come (teams work to the plan's dates), and it is marked done when its real duration
 * has run. The signature closes a won deal the same day.
 */
async function workTheDay(
  trx: Transaction<DB>,
  input: HistorySeedInput,
  deal: Deal,
  day: string,
  sellerEditor: (d: Deal, day: string) => Editor,
  buyerEditor: (d: Deal, day: string) => Editor,
) {
  const A = HISTORY_ASSUMPTIONS;
  const quiet = !!deal.quietFrom && day >= deal.quietFrom;
  const plan = await current(trx, input.orgId, deal);
  const confirmed = !!plan.go_live_confirmed_at;
  const doneBefore = new Set(deal.milestones.filter((m) => m.completedOn && m.completedOn < day).map((m) => m.id));
  for (const m of deal.milestones) {
    if (m.completedOn || !m.dependsOn.every((d) => doneBefore.has(d))) continue;
    if (!m.begun) {
      if (m.startDate && m.startDate > day) continue;
      m.begun = day;
      if (m.isClose) {
        m.takes = deal.fate === "won" ? intBetween(deal.random, A.signatureDelay) : Infinity;
      } else {
        const odds = A.overrun[m.side];
        const slowGate = m.side === "buyer" && (A.slowGates.titles as readonly string[]).includes(m.title) ? A.slowGates.extra : 0;
        const chance = (confirmed ? odds.confirmed : odds.unconfirmed) + slowGate;
        const factor = deal.random() < chance ? between(deal.random, odds.factor) : 1;
        m.takes = Math.max(1, Math.round(m.duration * factor));
      }
    }
    // A quiet buyer finishes nothing of theirs; shared work waits for them too.
    if (quiet && m.side !== "seller") continue;
    // Working days since work began: a signature can come the same day, other work takes at least one.
    const elapsed = input.calendar.countWorkingDaysBetweenDates(m.begun, day);
    if (m.isClose ? elapsed < m.takes : elapsed + 1 < m.takes) continue;
    const bySeller = m.side === "seller" || (m.side === "joint" && deal.random() < 0.5);
    const editor = bySeller ? sellerEditor(deal, day) : buyerEditor(deal, day);
    await setMilestoneDone(trx, editor, input.orgId, deal.planId!, m.id, m.version, day);
    deal.plan = null;
    m.version += 1;
    m.completedOn = day;
    if (m.isClose) {
      const rep = sellerEditor(deal, day);
      await closePlanIn(trx, { orgId: input.orgId, planId: deal.planId!, actor: rep.actor, today: day, at: rep.at }, { outcome: "won", closedOn: day });
      deal.closed = true;
      return;
    }
  }
}

/** Lost and no-decision deals end after weeks of silence; any deal still open when it is stale, or on the demo's last day, ends as no decision. */
async function maybeGiveUp(trx: Transaction<DB>, input: HistorySeedInput, deal: Deal, day: string, last: string, at: (day: string) => Date) {
  const seller: Actor = { side: "seller", name: deal.rep.name, userId: deal.rep.id };
  const ctx = { orgId: input.orgId, planId: deal.planId!, actor: seller, today: day, at: at(day) };
  if (deal.giveUpOn && day >= deal.giveUpOn) {
    if (deal.fate === "no_decision") {
      await closePlanIn(trx, ctx, { outcome: "no_decision", closedOn: day, closeNote: "The buyer stopped answering." });
    } else {
      const [lossReason, , closeNote] = deal.lossReason;
      await closePlanIn(trx, ctx, { outcome: "lost", closedOn: day, lossReason, closeNote });
    }
    deal.closed = true;
  } else if (day === last || day >= addCalendarDays(deal.createOn, HISTORY_ASSUMPTIONS.staleDays)) {
    await closePlanIn(trx, ctx, { outcome: "no_decision", closedOn: day, closeNote: "Cleared from the pipeline: no movement for months." });
    deal.closed = true;
  }
}
