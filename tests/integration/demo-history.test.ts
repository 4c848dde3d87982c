import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import type { Database } from "~/infra/db.server";
import { dispatchUntilIdle, type Mailer } from "~/jobs/email-dispatcher.server";
import { generatedHistoryThrough } from "~/models/generated-history.server";
import { verifyEventChains } from "~/models/plan-event.server";
import { seedDemo } from "../../db/demo-seed";
import { daysAfter, testToday } from "../support/dates";
import { testDatabaseTargets } from "../support/databases";

/*
 * The demo's generated year of closed deals (issue 19, item 4): the rules its stated assumptions
 * imply, checked in aggregate on what was stored, with plain SQL and date arithmetic.
 */
const DAY = 86_400_000;
const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY;
const CURRENT_DEMO = ["Acme Logistics", "Globex Health", "Initech", "Hooli", "Soylent Foods", "Vandelay Imports", "Wonka Confections"];

interface HistoryRow {
  plan_id: string;
  field: string;
  old_date: string | null;
  new_date: string | null;
  actor_side: string;
  effective_on: string;
}

describe.each(testDatabaseTargets())("the demo's generated history on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  const today = testToday();
  let orgId: string;
  let closed: Array<{ id: string; buyer_company: string; status: string; closed_on: string; loss_reason: string | null; created_on: string; owner: string }>;
  let history: Map<string, HistoryRow[]>;
  let withoutHistory: string | null | undefined;

  beforeAll(async () => {
    database = await target.open();
    // As tests seed it (no history), then as a demo started before the history existed is
    // brought up to date: the same organisation gains its year.
    orgId = (await seedDemo(database.db, today)).orgId;
    withoutHistory = await generatedHistoryThrough(database.db, orgId);
    expect((await seedDemo(database.db, today, new Date(), { history: true })).orgId).toBe(orgId);
    const { rows } = await sql<(typeof closed)[number]>`
      select p.id, p.buyer_company, p.status, p.closed_on::text as closed_on, p.loss_reason,
             (p.created_at at time zone 'UTC')::date::text as created_on, u.email as owner
      from plans p join users u on u.org_id = p.org_id and u.id = p.owner_id
      where p.org_id = ${orgId} and p.closed_on is not null and p.buyer_company not in ('Umbrella Retail', 'Stark Manufacturing')`.execute(database.db);
    closed = rows;
    const all = await sql<HistoryRow>`
      select plan_id, field, old_date::text as old_date, new_date::text as new_date, actor_side, effective_on::text as effective_on
      from plan_date_history where org_id = ${orgId} order by effective_on, created_at, id`.execute(database.db);
    history = new Map();
    for (const row of all.rows) history.set(row.plan_id, [...(history.get(row.plan_id) ?? []), row]);
  }, 300_000);
  afterAll(async () => {
    await database?.drop();
  });

  it("adds a year of closed deals for both reps, and leaves the open demo plans as they were", async () => {
    expect(closed.length).toBeGreaterThanOrEqual(30);
    const statuses = new Set(closed.map((p) => p.status));
    expect([...statuses].sort()).toEqual(["lost", "no_decision", "won"]);
    expect(closed.filter((p) => p.status === "won").length).toBeGreaterThan(closed.length / 2);
    expect(closed.filter((p) => p.status === "lost").every((p) => p.loss_reason !== null)).toBe(true);
    expect(new Set(closed.map((p) => p.owner))).toEqual(new Set(["rep1@demo.example", "rep2@demo.example"]));
    // Both templates: the enterprise one has a security review, the quick start does not.
    const { rows } = await sql<{ n: number }>`
      select count(distinct m.plan_id)::int as n from milestones m join plans p on p.org_id = m.org_id and p.id = m.plan_id
      where m.org_id = ${orgId} and p.closed_on is not null and m.title = 'Security review'`.execute(database.db);
    expect(rows[0].n).toBeGreaterThan(0);
    expect(rows[0].n).toBeLessThan(closed.length);
    const open = await database.db.selectFrom("plans").select(["buyer_company", "status"]).where("org_id", "=", orgId).where("status", "=", "active").execute();
    expect(open.map((p) => p.buyer_company).sort()).toEqual([...CURRENT_DEMO, "Cyberdyne Systems", "Tyrell Corporation"].sort());
  });

  it("closes every deal in the past year, after a date history that began before it", () => {
    for (const plan of closed) {
      expect(plan.closed_on < today).toBe(true);
      expect(days(plan.closed_on, today)).toBeLessThanOrEqual(366);
      expect(plan.created_on < plan.closed_on).toBe(true);
      const rows = history.get(plan.id) ?? [];
      expect(rows.length).toBeGreaterThan(0);
      expect(rows[0].effective_on < plan.closed_on).toBe(true);
      expect(rows.every((r) => r.effective_on <= plan.closed_on)).toBe(true);
    }
  });

  it("stamps the organisation with the last generated day, and only when it generated one", async () => {
    expect(withoutHistory).toBeNull();
    const through = await generatedHistoryThrough(database.db, orgId);
    expect(through).not.toBeNull();
    expect(through! < today).toBe(true);
    expect(days(through!, today)).toBeLessThanOrEqual(4); // the last working day before today
    expect(closed.every((p) => p.closed_on <= through!)).toBe(true);
  });

  it("dates the log on the simulated days, and every chain verifies", async () => {
    const { rows } = await sql<{ late: number; total: number }>`
      select count(*) filter (where (e.created_at at time zone 'UTC')::date > p.closed_on)::int as late, count(*)::int as total
      from plan_events e join plans p on p.org_id = e.org_id and p.id = e.plan_id
      where e.org_id = ${orgId} and p.id = any(${closed.map((p) => p.id)})`.execute(database.db);
    expect(rows[0].total).toBeGreaterThan(100);
    expect(rows[0].late).toBe(0);
    expect((await verifyEventChains(database.db)).problems).toEqual([]);
  });

  it("moves seller-proposed go-lives more often than customer-confirmed ones", () => {
    const state = { seller: { moves: 0, days: 0 }, buyer: { moves: 0, days: 0 } };
    for (const plan of closed) {
      // A plan starts on the rep's date; a buyer's move or confirmation makes it the customer's.
      let side: "seller" | "buyer" = "seller";
      let since = plan.created_on;
      for (const row of history.get(plan.id) ?? []) {
        if (row.field !== "go_live" && row.field !== "go_live_confirmed") continue;
        state[side].days += days(since, row.effective_on);
        since = row.effective_on;
        if (row.field === "go_live") state[side].moves += 1;
        side = row.actor_side === "buyer" ? "buyer" : "seller";
      }
      state[side].days += days(since, plan.closed_on);
    }
    expect(state.seller.moves).toBeGreaterThan(0);
    expect(state.buyer.days).toBeGreaterThan(0);
    const rate = (s: { moves: number; days: number }) => s.moves / s.days;
    expect(rate(state.seller)).toBeGreaterThan(rate(state.buyer));
  });

  it("lands won deals further from a seller-proposed date than from a customer-confirmed one, a month before", () => {
    const misses = { seller: [] as number[], buyer: [] as number[] };
    for (const plan of closed.filter((p) => p.status === "won")) {
      const monthBefore = daysAfter(plan.closed_on, -30);
      const known = (history.get(plan.id) ?? []).filter((r) => r.effective_on <= monthBefore);
      const forecast = known.filter((r) => r.field === "forecast_close_date").at(-1)?.new_date;
      const dating = known.filter((r) => r.field === "go_live" || r.field === "go_live_confirmed").at(-1);
      if (forecast) misses[dating?.actor_side === "buyer" ? "buyer" : "seller"].push(Math.abs(days(forecast, plan.closed_on)));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(misses.seller.length).toBeGreaterThan(3);
    expect(misses.buyer.length).toBeGreaterThan(3);
    expect(mean(misses.seller)).toBeGreaterThan(mean(misses.buyer));
  });

  it("keeps CRM dates earlier than the day deals really closed, on average, a month before", () => {
    const gaps: number[] = [];
    for (const plan of closed.filter((p) => p.status === "won")) {
      const monthBefore = daysAfter(plan.closed_on, -30);
      const crm = (history.get(plan.id) ?? []).filter((r) => r.field === "crm_close_date" && r.effective_on <= monthBefore).at(-1);
      if (crm?.new_date) gaps.push(days(crm.new_date, plan.closed_on));
    }
    expect(gaps.length).toBeGreaterThan(5);
    expect(gaps.reduce((a, b) => a + b, 0) / gaps.length).toBeGreaterThan(0);
  });

  it("lets lost deals go quiet on the buyer side and be pushed before they are lost", async () => {
    const { rows } = await sql<{ status: string; pushes: number; quiet_days: number }>`
      select p.status,
        (select count(*) from plan_date_history h where h.org_id = p.org_id and h.plan_id = p.id and h.field = 'go_live')::int as pushes,
        (p.closed_on - coalesce((p.last_buyer_activity_at at time zone 'UTC')::date, (p.created_at at time zone 'UTC')::date))::int as quiet_days
      from plans p where p.org_id = ${orgId} and p.id = any(${closed.map((p) => p.id)})`.execute(database.db);
    const mean = (status: string, key: "pushes" | "quiet_days") => {
      const of = rows.filter((r) => r.status === status);
      return of.reduce((sum, r) => sum + r[key], 0) / of.length;
    };
    expect(mean("lost", "quiet_days")).toBeGreaterThan(mean("won", "quiet_days"));
    expect(mean("lost", "pushes")).toBeGreaterThan(mean("won", "pushes"));
  });

  it("never sends the emails the generated commands queued: their plans are closed", async () => {
    const sent: string[] = [];
    const mailer: Mailer = { kind: "dev_mailbox", send: async (email) => void sent.push(email.subject), close: () => {} };
    await dispatchUntilIdle(database.db, mailer);
    const { rows } = await sql<{ status: string; n: number }>`
      select o.status, count(*)::int as n from email_outbox o join plans p on p.org_id = o.org_id and p.id = o.plan_id
      where o.org_id = ${orgId} and p.id = any(${closed.map((p) => p.id)}) group by o.status`.execute(database.db);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.status)).toEqual(["skipped"]);
    expect(sent).toEqual([]);
  });
});
