import type { Kysely, Transaction } from "kysely";
import { recordDateChange } from "~/models/date-history.server";
import type { DB } from "./types";
import { makeCalendar } from "~/domain/calendar";
import type { Actor } from "~/domain/plan-events";
import { createOrganisation } from "~/models/organisation.server";
import { publicHolidays } from "~/infra/holiday-sets.server";
import { createPlanIn } from "~/models/plan-create.server";
import { todayIn } from "~/domain/dates";
import { runPlanCommand, runPlanCommandIn } from "~/models/plan-command.server";
import { insertShareLink } from "~/models/share-link.server";
import { closePlanIn } from "~/models/plan-outcome.server";
import { createTemplate, type TemplateMilestoneInput } from "~/models/template.server";
import { createUser } from "~/models/user.server";
import { hashPassword } from "~/infra/password.server";
import { generatedHistoryThrough } from "~/models/generated-history.server";
import { seedDemoHistory } from "./demo-history";

/*
 * The demo organisation: a software vendor's sales team with plans at every stage. Dates are laid
 * relative to the day the seed runs, so the demo always looks current. The logins are fixed so the
 * README and the tests can use them.
 */
export const DEMO_PASSWORD = "demo-password";
export const DEMO_LOGINS = {
  admin: "admin@demo.example",
  manager: "manager@demo.example",
  rep1: "rep1@demo.example",
  rep2: "rep2@demo.example",
} as const;

const ENTERPRISE: TemplateMilestoneInput[] = [
  {
    key: "discovery",
    title: "Discovery workshop",
    ownerSide: "joint",
    durationDays: 2,
    description: "Agree the goals, the people involved and what success looks like at go-live.",
  },
  {
    key: "validation",
    title: "Technical validation",
    ownerSide: "seller",
    durationDays: 10,
    dependsOn: ["discovery"],
    description: "Prove the integration with the buyer's data warehouse on a sample of real data.",
  },
  {
    key: "security",
    title: "Security review",
    ownerSide: "buyer",
    durationDays: 10,
    dependsOn: ["discovery"],
    description: "The buyer's security team reviews the questionnaire, SOC 2 report and pen-test summary.",
  },
  {
    key: "business-case",
    title: "Business case sign-off",
    ownerSide: "buyer",
    durationDays: 3,
    dependsOn: ["validation"],
    description: "The economic buyer approves the budget and the expected return.",
  },
  {
    key: "legal",
    title: "Legal redlines",
    ownerSide: "joint",
    durationDays: 8,
    dependsOn: ["security", "business-case"],
    description: "Both legal teams agree the MSA and data processing agreement.",
  },
  {
    key: "procurement",
    title: "Procurement onboarding",
    ownerSide: "buyer",
    durationDays: 5,
    dependsOn: ["legal"],
    description: "Vendor registration, insurance certificates and the purchase order.",
  },
  {
    key: "signature",
    title: "Order form signature",
    ownerSide: "buyer",
    durationDays: 0,
    isClose: true,
    dependsOn: ["procurement"],
    description: "The signature that dates the deal.",
  },
  { key: "kickoff", title: "Implementation kickoff", ownerSide: "joint", durationDays: 1, dependsOn: ["signature"] },
  {
    key: "migration",
    title: "Data migration",
    ownerSide: "seller",
    durationDays: 10,
    dependsOn: ["kickoff"],
    description: "Historical data loaded and reconciled with the buyer's reports.",
  },
  { key: "training", title: "Admin training", ownerSide: "seller", durationDays: 3, dependsOn: ["kickoff"] },
  {
    key: "readiness",
    title: "Go-live readiness review",
    ownerSide: "joint",
    durationDays: 1,
    dependsOn: ["migration", "training"],
    description: "Both sides confirm users, data and support are ready.",
  },
];

const QUICK_START: TemplateMilestoneInput[] = [
  { key: "demo", title: "Demo to the wider team", ownerSide: "seller", durationDays: 1 },
  { key: "pricing", title: "Pricing approval", ownerSide: "buyer", durationDays: 3, dependsOn: ["demo"] },
  { key: "signature", title: "Signature", ownerSide: "buyer", durationDays: 0, isClose: true, dependsOn: ["pricing"] },
  { key: "onboarding", title: "Onboarding call", ownerSide: "joint", durationDays: 1, dependsOn: ["signature"] },
  { key: "configuration", title: "Workspace configuration", ownerSide: "seller", durationDays: 5, dependsOn: ["onboarding"] },
  { key: "training", title: "Team training", ownerSide: "seller", durationDays: 2, dependsOn: ["configuration"] },
];

interface DemoPlan {
  company: string;
  title: string;
  owner: "rep1" | "rep2";
  value: number;
  template: "enterprise" | "quick";
  goLiveInWorkingDays: number;
  champion: { name: string; email: string; title: string };
  /** How many milestones (in template order) are already done. */
  done: number;
  confirmedByBuyer?: boolean;
  status?: "won" | "lost" | "paused";
  crmCloseInDays?: number;
}

const PLANS: DemoPlan[] = [
  {
    company: "Acme Logistics",
    title: "Fleet analytics rollout",
    owner: "rep1",
    value: 184_000,
    template: "enterprise",
    goLiveInWorkingDays: 70,
    champion: { name: "Dana Lee", email: "dana.lee@acme-logistics.example", title: "Director of Operations" },
    done: 2,
    confirmedByBuyer: true,
    crmCloseInDays: 30,
  },
  {
    company: "Globex Health",
    title: "Clinical reporting suite",
    owner: "rep1",
    value: 96_000,
    template: "enterprise",
    goLiveInWorkingDays: 85,
    champion: { name: "Marcus Webb", email: "m.webb@globex-health.example", title: "Head of Data" },
    done: 1,
    crmCloseInDays: 21,
  },
  {
    company: "Initech",
    title: "Finance dashboards",
    owner: "rep1",
    value: 58_000,
    template: "enterprise",
    goLiveInWorkingDays: 30,
    champion: { name: "Peter Gibbons", email: "peter@initech.example", title: "Finance Systems Lead" },
    done: 1,
  },
  {
    company: "Hooli",
    title: "Growth analytics",
    owner: "rep2",
    value: 240_000,
    template: "enterprise",
    goLiveInWorkingDays: 95,
    champion: { name: "Gavin Ortiz", email: "gavin.ortiz@hooli.example", title: "VP Growth" },
    done: 3,
    confirmedByBuyer: true,
  },
  {
    company: "Soylent Foods",
    title: "Supply chain visibility",
    owner: "rep2",
    value: 72_000,
    template: "quick",
    goLiveInWorkingDays: 25,
    champion: { name: "Rita Alvarez", email: "rita@soylent-foods.example", title: "Supply Chain Manager" },
    done: 2,
    crmCloseInDays: 5,
  },
  {
    company: "Vandelay Imports",
    title: "Import analytics pilot",
    owner: "rep2",
    value: 24_000,
    template: "quick",
    goLiveInWorkingDays: 12,
    champion: { name: "Art Vandelay", email: "art@vandelay.example", title: "Owner" },
    done: 0,
  },
  {
    company: "Wonka Confections",
    title: "Production quality insights",
    owner: "rep1",
    value: 130_000,
    template: "enterprise",
    goLiveInWorkingDays: 120,
    champion: { name: "Charlie Bucket", email: "charlie@wonka.example", title: "Plant Director" },
    done: 0,
    crmCloseInDays: 14,
  },
  {
    company: "Cyberdyne Systems",
    title: "Engineering metrics",
    owner: "rep2",
    value: 310_000,
    template: "enterprise",
    goLiveInWorkingDays: 60,
    champion: { name: "Miles Dyson", email: "miles@cyberdyne.example", title: "Director of Engineering" },
    done: 2,
  },
  {
    company: "Tyrell Corporation",
    title: "Customer 360",
    owner: "rep1",
    value: 150_000,
    template: "enterprise",
    goLiveInWorkingDays: 45,
    champion: { name: "Rachael Tyrell", email: "rachael@tyrell.example", title: "Chief Customer Officer" },
    done: 4,
    confirmedByBuyer: true,
  },
  {
    company: "Umbrella Retail",
    title: "Store performance analytics",
    owner: "rep2",
    value: 88_000,
    template: "quick",
    goLiveInWorkingDays: 5,
    champion: { name: "Alice Abernathy", email: "alice@umbrella-retail.example", title: "Retail Ops Manager" },
    done: 6,
    status: "won",
  },
  {
    company: "Stark Manufacturing",
    title: "Predictive maintenance",
    owner: "rep1",
    value: 205_000,
    template: "enterprise",
    goLiveInWorkingDays: 90,
    champion: { name: "Pepper Potts", email: "pepper@stark-mfg.example", title: "COO" },
    done: 1,
    status: "lost",
  },
  {
    company: "Wayne Financial",
    title: "Risk reporting",
    owner: "rep2",
    value: 120_000,
    template: "enterprise",
    goLiveInWorkingDays: 100,
    champion: { name: "Lucius Fox", email: "lucius@wayne-financial.example", title: "CTO" },
    done: 1,
    status: "paused",
  },
];

export interface DemoSeedResult {
  created: boolean;
  orgId: string;
  /** A fresh buyer link token for the first plan's champion (only when the seed created it). */
  buyerLinkToken: string | null;
}

export async function demoOrgId(db: Kysely<DB>): Promise<string | undefined> {
  const row = await db.selectFrom("account_emails").select("org_id").where("email", "=", DEMO_LOGINS.admin).executeTakeFirst();
  return row?.org_id;
}

export const DEMO_HOLIDAY_SET = "US";

export interface DemoSeedOptions {
  /**
   * Also generate a year of closed deals through the write path (db/demo-history.ts): on for the
   * demo people open (`npm start`, `npm run seed`, the browser tests), off by default because it
   * takes seconds and most tests seed the demo for its open plans.
   */
  history?: boolean;
}

/**
 * Idempotent: a second run finds the demo organisation and changes nothing, except that a demo
 * seeded before it had a generated history gets one when `history` is asked for.
 */
export async function seedDemo(db: Kysely<DB>, today: string, now = new Date(), options: DemoSeedOptions = {}): Promise<DemoSeedResult> {
  const existing = await demoOrgId(db);
  if (existing) {
    if (options.history && !(await generatedHistoryThrough(db, existing))) await db.transaction().execute((trx) => seedHistory(trx, existing, today));
    return { created: false, orgId: existing, buyerLinkToken: null };
  }

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction().execute(async (trx) => {
    // The organisation's US public holidays from last year on, so the demo schedules no work on
    // Christmas or New Year's Day (the settings page adds more years).
    const year = Number(today.slice(0, 4));
    const holidays = publicHolidays(DEMO_HOLIDAY_SET, year - 1, year + 2);
    const org = await createOrganisation(trx, { name: "Northwind Analytics", fiscalYearStartMonth: 2, calendar: { holidays: holidays.map((h) => h.date) } });
    await trx
      .updateTable("organisations")
      .set({ holiday_names: JSON.stringify(Object.fromEntries(holidays.map((h) => [h.date, h.name]))), holiday_region: DEMO_HOLIDAY_SET })
      .where("id", "=", org.id)
      .execute();
    const admin = await createUser(trx, { orgId: org.id, email: DEMO_LOGINS.admin, name: "Alex Morgan", role: "admin", passwordHash });
    const manager = await createUser(trx, { orgId: org.id, email: DEMO_LOGINS.manager, name: "Maya Chen", role: "manager", passwordHash });
    const reps = {
      rep1: await createUser(trx, { orgId: org.id, email: DEMO_LOGINS.rep1, name: "Sam Okafor", role: "rep", managerId: manager.id, passwordHash }),
      rep2: await createUser(trx, { orgId: org.id, email: DEMO_LOGINS.rep2, name: "Priya Raman", role: "rep", managerId: manager.id, passwordHash }),
    };
    const templates = {
      enterprise: await createTemplate(trx, {
        orgId: org.id,
        name: "Enterprise purchase",
        description: "Security, legal and procurement before signature; migration and training after.",
        createdBy: admin.id,
        milestones: ENTERPRISE,
      }),
      quick: await createTemplate(trx, {
        orgId: org.id,
        name: "Mid-market quick start",
        description: "A short path to signature and a two-week onboarding.",
        createdBy: admin.id,
        milestones: QUICK_START,
      }),
    };

    const calendar = makeCalendar({ workingWeekdays: org.working_weekdays, holidays: org.holidays });
    let buyerLinkToken: string | null = null;
    for (const demo of PLANS) {
      const owner = reps[demo.owner];
      const seller: Actor = { side: "seller", name: owner.name, userId: owner.id };
      const { plan } = await createPlanIn(
        trx,
        {
          orgId: org.id,
          ownerId: owner.id,
          buyerCompany: demo.company,
          title: demo.title,
          value: demo.value,
          currency: "USD",
          goLive: calendar.afterDate(today, demo.goLiveInWorkingDays),
          crmCloseDate: demo.crmCloseInDays ? calendar.afterDate(today, demo.crmCloseInDays) : null,
          templateId: templates[demo.template].id,
          stakeholders: [
            { side: "buyer", ...demo.champion },
            { side: "seller", name: owner.name, email: owner.email, title: "Account Executive" },
          ],
        },
        seller,
        today,
      );
      await seedProgress(trx, org.id, plan.id, demo, seller, today, now);
      if (!buyerLinkToken) {
        const champion = await trx
          .selectFrom("stakeholders")
          .select("id")
          .where("org_id", "=", org.id)
          .where("plan_id", "=", plan.id)
          .where("side", "=", "buyer")
          .executeTakeFirstOrThrow();
        buyerLinkToken = (await insertShareLink(trx, { orgId: org.id, planId: plan.id, stakeholderId: champion.id, createdBy: owner.id, now })).token;
      }
    }
    if (options.history) await seedHistory(trx, org.id, today);
    return { created: true, orgId: org.id, buyerLinkToken };
  });
}

/** The generated year of closed deals, and the organisation's note of it (the accuracy page labels it). */
async function seedHistory(trx: Transaction<DB>, orgId: string, today: string) {
  const org = await trx.selectFrom("organisations").selectAll().where("id", "=", orgId).executeTakeFirstOrThrow();
  const reps = await trx
    .selectFrom("users")
    .select(["id", "name", "email"])
    .where("org_id", "=", orgId)
    .where("email", "in", [DEMO_LOGINS.rep1, DEMO_LOGINS.rep2])
    .orderBy("email")
    .execute();
  const templates = await trx.selectFrom("templates").select(["id", "name"]).where("org_id", "=", orgId).execute();
  const templateId = (name: string) => templates.find((t) => t.name === name)?.id;
  const enterprise = templateId("Enterprise purchase");
  const quick = templateId("Mid-market quick start");
  if (reps.length !== 2 || !enterprise || !quick) return; // an edited demo: its history is not ours to make up
  const through = await seedDemoHistory(trx, {
    orgId,
    today,
    calendar: makeCalendar({ workingWeekdays: org.working_weekdays, holidays: org.holidays }),
    fiscalYearStartMonth: org.fiscal_year_start_month,
    reps,
    templates: { enterprise, quick },
  });
  await trx.updateTable("organisations").set({ generated_history_through: through }).where("id", "=", orgId).execute();
}

/** Marks the first milestones done, records a buyer's confirmation and closes deals, through the write path. */
async function seedProgress(trx: Transaction<DB>, orgId: string, planId: string, demo: DemoPlan, seller: Actor, today: string, now: Date) {
  const calendar = makeCalendar();
  const milestones = await trx
    .selectFrom("milestones")
    .select(["id", "title", "owner_side"])
    .where("org_id", "=", orgId)
    .where("plan_id", "=", planId)
    .orderBy("position")
    .execute();
  const champion = await trx
    .selectFrom("stakeholders")
    .select(["id", "name"])
    .where("org_id", "=", orgId)
    .where("plan_id", "=", planId)
    .where("side", "=", "buyer")
    .executeTakeFirstOrThrow();
  const buyer: Actor = { side: "buyer", name: champion.name, stakeholderId: champion.id };

  for (const [index, milestone] of milestones.slice(0, demo.done).entries()) {
    const completedOn = calendar.beforeDate(today, (demo.done - index) * 3);
    const actor = milestone.owner_side === "buyer" ? buyer : seller;
    await runPlanCommandIn(trx, { orgId, planId, actor, today }, async (t) => {
      await t
        .updateTable("milestones")
        .set((eb) => ({ completed_on: completedOn, version: eb("version", "+", 1) }))
        .where("org_id", "=", orgId)
        .where("id", "=", milestone.id)
        .execute();
      return {
        value: null,
        events: [
          { action: "milestone.completed", entityType: "milestone", entityId: milestone.id, changes: { completed_on: { before: null, after: completedOn } } },
        ],
      };
    });
  }
  if (demo.confirmedByBuyer) {
    await runPlanCommandIn(trx, { orgId, planId, actor: buyer, today, reason: "Our rollout date is fixed with the board." }, async (t) => {
      await t
        .updateTable("plans")
        .set({ go_live_confirmed_by_name: buyer.name, go_live_confirmed_at: now })
        .where("org_id", "=", orgId)
        .where("id", "=", planId)
        .execute();
      // Kept in the date history as the buyer's own confirmation is (forecast accuracy replays it).
      const { go_live } = await t.selectFrom("plans").select("go_live").where("org_id", "=", orgId).where("id", "=", planId).executeTakeFirstOrThrow();
      await recordDateChange(t, { orgId, planId, field: "go_live_confirmed", before: go_live, after: go_live, actor: buyer, today, at: now });
      return {
        value: null,
        events: [
          { action: "plan.go_live_confirmed", entityType: "plan", entityId: planId, changes: { go_live_confirmed_by: { before: null, after: buyer.name } } },
        ],
      };
    });
  }
  if (demo.status === "paused") {
    await runPlanCommandIn(trx, { orgId, planId, actor: seller, today }, async (t) => {
      await t.updateTable("plans").set({ status: "paused" }).where("org_id", "=", orgId).where("id", "=", planId).execute();
      return {
        value: null,
        events: [{ action: "plan.status_changed", entityType: "plan", entityId: planId, changes: { status: { before: "active", after: "paused" } } }],
      };
    });
  } else if (demo.status) {
    // Closed like a rep closes one (the close form's command): a few working days ago, a loss with its reason.
    const closedOn = calendar.beforeDate(today, demo.status === "won" ? 2 : 6);
    await closePlanIn(
      trx,
      { orgId, planId, actor: seller, today },
      demo.status === "won"
        ? { outcome: "won", closedOn }
        : { outcome: "lost", closedOn, lossReason: "competitor", closeNote: "Chose the incumbent's bundled offer at a lower price." },
    );
  }
}

/**
 * The embedded demo prints a working buyer link at every start. Only the token's hash is in the
 * database, so the token is kept in a file beside the data directory; when that link is gone
 * (revoked, expired, a fresh database) a new one is made for the same buyer.
 */
export async function ensureDemoBuyerLink(db: Kysely<DB>, orgId: string, remembered: string | null, now: Date): Promise<string | null> {
  const { findLiveShareLink } = await import("~/models/share-link.server");
  if (remembered && (await findLiveShareLink(db, remembered, now))) return remembered;
  const champion = await db
    .selectFrom("stakeholders as s")
    .innerJoin("plans as p", (j) => j.onRef("p.org_id", "=", "s.org_id").onRef("p.id", "=", "s.plan_id"))
    .innerJoin("organisations as o", "o.id", "s.org_id")
    .select(["s.id", "s.plan_id", "s.name", "p.owner_id", "o.time_zone"])
    .where("s.org_id", "=", orgId)
    .where("s.side", "=", "buyer")
    .where("s.email", "=", PLANS[0].champion.email)
    .executeTakeFirst();
  if (!champion) return null;
  // A plan change like any other: through the write path, logged in the same transaction. No
  // invitation is queued: the link is printed for whoever started the demo.
  const actor: Actor = { side: "system", name: "Demo setup" };
  const { value: token } = await runPlanCommand(db, { orgId, planId: champion.plan_id, actor, today: todayIn(champion.time_zone, now) }, async (trx) => {
    const { token, link } = await insertShareLink(trx, { orgId, planId: champion.plan_id, stakeholderId: champion.id, createdBy: champion.owner_id, now });
    return {
      value: token,
      events: [{ action: "share_link.created", entityType: "share_link", entityId: link.id, changes: { stakeholder: { before: null, after: champion.name } } }],
    };
  });
  return token;
}
