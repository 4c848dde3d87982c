import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { calendarOf } from "~/models/organisation.server";
import { warningRatesFor } from "~/models/outcome-warnings.server";
import { addComment } from "~/models/buyer-commands.server";
import { changeGoLive, setMilestoneDone, type Editor } from "~/models/plan-commands.server";
import { createPlan } from "~/models/plan-create.server";
import { closePlan } from "~/models/plan-outcome.server";
import { slipAttributionFor } from "~/models/slip-attribution.server";
import { saveNewTemplate } from "~/models/template.server";
import { seedDemo } from "../../db/demo-seed";
import { daysAfter, quietWednesday, testToday } from "../support/dates";
import { testDatabaseTargets } from "../support/databases";

/*
 * Issue 19 item 3's slip attribution and warning rates on a small fixture built through the write
 * path, each command on the plan day it stands for, figures worked out here by hand. Day M is a
 * Monday about four months ago with three weeks free of the demo's holidays, so the working days
 * of the slip plans are plain weekdays counted on the fingers (M + 7 is the next Monday).
 *
 * Slip (rep1's won deals; the template is a diamond: Discovery → Security review and Pricing →
 * Signature, the close, one day's lag after both):
 *   P1  Discovery done M+1 (on time); Security review (3 days, ready M+2, due M+4) done M+11: 5 over;
 *       Pricing done M+7 (not on the path: Security review finished later); Signature ready M+15
 *       (after M+11 and the lag), closed M+17: 2 over.
 *   P2  Discovery done M+1; Security review done M+3 (early); Pricing (1 day) could start M+2 but was
 *       planned for M+4, its float: ready M+4, done M+7 (the Monday after) = 1 over, and it drives;
 *       Signature ready M+9 (after M+7 and the lag), closed M+9: on time.
 * Warnings (signals read 30 days before each close, day D): W1 won, L1 and L2 lost, N1 no decision,
 * closed on M+60 (D = M+30), in an organisation on Los Angeles time. Buyer activity is backdated
 * in the log (see buyerAt): the write path dates a command with `at` when it is given one.
 */
const LA = "America/Los_Angeles";

describe.each(testDatabaseTargets())("slip attribution and warning rates on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  const today = testToday();
  let M: string;
  let orgId: string;
  let rep1: string;
  let holidays: string[];
  let startMonth: number;
  const ids: Record<string, string> = {};
  const at = (k: number) => daysAfter(M, k);
  const window = () => ({ from: M, to: daysAfter(today, 1) });

  const rep = (day: string): Editor => ({ actor: { side: "seller", name: "Sam Okafor", userId: rep1 }, today: day, viewer: { id: rep1, orgId, role: "rep" } });
  const buyer = (planId: string, day: string): Editor => ({ actor: { side: "buyer", name: "Dana Buyer" }, today: day, buyerPlanId: planId });

  /** The next weekday from `iso` that is not one of the organisation's holidays. */
  function workday(iso: string): string {
    let d = iso;
    while ([0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()) || holidays.includes(d)) d = daysAfter(d, 1);
    return d;
  }

  async function newPlan(name: string, day: string, goLive = workday(daysAfter(day, 70))) {
    const template = (await database.db.selectFrom("templates").select("id").where("name", "=", "Slip fixture").executeTakeFirstOrThrow()).id;
    const { plan } = await createPlan(
      database.db,
      {
        orgId,
        ownerId: rep1,
        buyerCompany: name,
        title: name,
        value: 1000,
        currency: "USD",
        goLive,
        templateId: template,
        stakeholders: [{ side: "buyer", name: "Dana Buyer", email: `dana@${name.toLowerCase()}.example` }],
      },
      rep(day).actor,
      day,
    );
    ids[name] = plan.id;
    return plan.id;
  }

  async function done(planId: string, title: string, day: string) {
    const m = await database.db
      .selectFrom("milestones")
      .select(["id", "version"])
      .where("plan_id", "=", planId)
      .where("title", "=", title)
      .executeTakeFirstOrThrow();
    await setMilestoneDone(database.db, rep(day), orgId, planId, m.id, m.version, day);
  }

  async function version(planId: string) {
    return (await database.db.selectFrom("plans").select("version").where("id", "=", planId).executeTakeFirstOrThrow()).version;
  }

  async function moveGoLive(editor: Editor, planId: string, days: number) {
    const plan = await database.db.selectFrom("plans").select(["go_live", "version"]).where("id", "=", planId).executeTakeFirstOrThrow();
    await changeGoLive(database.db, editor, orgId, planId, plan.version, { goLive: quietWednesday(plan.go_live, days, holidays), reason: "Moved" });
  }

  async function close(planId: string, outcome: "won" | "lost" | "no_decision", closedOn: string) {
    await closePlan(
      database.db,
      { orgId, planId, actor: rep(today).actor, today, expectedVersion: await version(planId) },
      { outcome, closedOn, ...(outcome === "lost" ? { lossReason: "budget" } : {}) },
    );
  }

  /**
   * A buyer acting at a local time in Los Angeles: the write path dates the command's log entries
   * with `at`, as the demo's generated history does.
   */
  async function buyerAt(planId: string, localTime: string): Promise<Editor> {
    const { rows } = await sql<{ at: Date }>`select (${localTime}::timestamp at time zone ${LA}) as at`.execute(database.db);
    return { ...buyer(planId, localTime.slice(0, 10)), at: new Date(rows[0].at) };
  }

  async function buyerComment(planId: string, localTime: string) {
    await addComment(database.db, await buyerAt(planId, localTime), orgId, planId, null, "Checking in");
  }

  beforeAll(async () => {
    database = await target.open();
    const day0 = daysAfter(today, -130);
    await seedDemo(database.db, day0);
    const org = await database.db.selectFrom("organisations").selectAll().executeTakeFirstOrThrow();
    [orgId, holidays, startMonth] = [org.id, org.holidays, org.fiscal_year_start_month];
    await database.db.updateTable("organisations").set({ time_zone: LA }).where("id", "=", orgId).execute();
    rep1 = (await database.db.selectFrom("users").select("id").where("email", "=", "rep1@demo.example").executeTakeFirstOrThrow()).id;
    M = day0;
    while (new Date(`${M}T00:00:00Z`).getUTCDay() !== 1 || Array.from({ length: 25 }, (_, k) => daysAfter(M, k)).some((d) => holidays.includes(d)))
      M = daysAfter(M, 1);

    const saved = await saveNewTemplate(database.db, {
      orgId,
      name: "Slip fixture",
      milestones: [
        { key: "discovery", title: "Discovery", ownerSide: "seller", durationDays: 2 },
        { key: "security", title: "Security review", ownerSide: "buyer", durationDays: 3, dependsOn: ["discovery"] },
        { key: "pricing", title: "Pricing", ownerSide: "seller", durationDays: 1, dependsOn: ["discovery"] },
        { key: "signature", title: "Signature", ownerSide: "buyer", durationDays: 0, lagDays: 1, isClose: true, dependsOn: ["security", "pricing"] },
      ],
    });
    expect(saved.ok).toBe(true);

    // Go-live on M + 9, as early as the template allows (the last milestone is due the working day
    // before): each milestone's planned start is the earliest its predecessors let it begin, except
    // Pricing's (it has two days' float: Friday M + 4).
    const p1 = await newPlan("P1", M, at(9));
    await done(p1, "Discovery", at(1));
    await done(p1, "Pricing", at(7));
    await done(p1, "Security review", at(11));
    await close(p1, "won", at(17));

    const p2 = await newPlan("P2", M, at(9));
    await done(p2, "Discovery", at(1));
    await done(p2, "Security review", at(3));
    await done(p2, "Pricing", at(7));
    await close(p2, "won", at(9));

    // W1: the buyer set go-live themselves (confirmed) and commented within the 14 days before D.
    const w1 = await newPlan("W1", M);
    await moveGoLive(await buyerAt(w1, `${at(5)} 12:00`), w1, 7);
    await buyerComment(w1, `${at(20)} 12:00`);
    await close(w1, "won", at(60));

    // L1: two quarter pushes by D, never confirmed; the buyer's last word at 23:30 on D − 14, Los
    // Angeles time (already D − 13 in UTC): quiet.
    const l1 = await newPlan("L1", M);
    await moveGoLive(rep(at(10)), l1, 120);
    await buyerComment(l1, `${at(16)} 23:30`);
    await moveGoLive(rep(at(20)), l1, 120);
    await close(l1, "lost", at(60));

    // L2: started after its D: too young.
    const l2 = await newPlan("L2", at(40));
    await close(l2, "lost", at(60));

    // N1: a buyer comment at 23:59 on D itself, Los Angeles time (D + 1 in UTC): not quiet; the
    // buyer confirmed go-live only after D.
    const n1 = await newPlan("N1", M);
    await buyerComment(n1, `${at(30)} 23:59`);
    await moveGoLive(await buyerAt(n1, `${at(35)} 12:00`), n1, 7);
    await close(n1, "no_decision", at(60));
  }, 300_000);
  afterAll(async () => {
    await database?.drop();
  });

  it("attributes rep1's slip to the milestones on each deal's as-built path, by side and by title", async () => {
    const org = await database.db.selectFrom("organisations").selectAll().where("id", "=", orgId).executeTakeFirstOrThrow();
    const slip = await slipAttributionFor(database.db, { orgId, kind: "owner", ownerId: rep1 }, window(), calendarOf(org));
    const [p1, p2] = [ids.P1, ids.P2];
    expect(slip).toMatchObject({ deals: 2 + 1, dealsWithSlip: 2, totalWorkingDays: 5 + 2 + 1 });
    // W1 is won too, its milestones never marked done: its path stops at the close, untraced.
    expect(slip.untracedPlanIds).toEqual([ids.W1]);
    expect(slip.bySide.map((s) => [s.key, s.workingDays, s.deals, s.planIds])).toEqual([
      ["buyer", 5 + 2, 1, [p1]],
      ["seller", 1, 1, [p2]],
      ["joint", 0, 0, []],
    ]);
    expect(slip.byTitle.map((s) => [s.label, s.workingDays, s.planIds])).toEqual([
      ["Security review", 5, [p1]],
      ["Signature", 2, [p1]],
      ["Pricing", 1, [p2]],
    ]);
  });

  it("keeps to the window (closed_on in [from, to)) and the scope", async () => {
    const org = await database.db.selectFrom("organisations").selectAll().where("id", "=", orgId).executeTakeFirstOrThrow();
    const early = await slipAttributionFor(database.db, { orgId, kind: "owner", ownerId: rep1 }, { from: M, to: at(17) }, calendarOf(org));
    expect(early).toMatchObject({ deals: 1, totalWorkingDays: 1 });
    const rep2 = (await database.db.selectFrom("users").select("id").where("email", "=", "rep2@demo.example").executeTakeFirstOrThrow()).id;
    expect(await slipAttributionFor(database.db, { orgId, kind: "owner", ownerId: rep2 }, window(), calendarOf(org))).toMatchObject({ deals: 0 });
  });

  it("sets won, lost and no-decision deals side by side, each signal read 30 days before the close in the organisation's time zone", async () => {
    const [won, lost, none] = await warningRatesFor(database.db, { orgId, kind: "team", managerId: rep1 }, window(), startMonth);
    // P1 and P2 closed within 30 days of starting: too young.
    expect(won).toMatchObject({
      outcome: "won",
      deals: 1,
      planIds: [ids.W1],
      tooYoung: 2,
      signals: { quiet: { count: 0 }, pushed: { count: 0 }, unconfirmed: { count: 0 } },
    });
    expect(lost).toMatchObject({
      outcome: "lost",
      deals: 1,
      tooYoung: 1,
      signals: { quiet: { planIds: [ids.L1] }, pushed: { planIds: [ids.L1] }, unconfirmed: { planIds: [ids.L1] } },
    });
    expect(none).toMatchObject({
      outcome: "no_decision",
      deals: 1,
      tooYoung: 0,
      signals: { quiet: { count: 0 }, pushed: { count: 0 }, unconfirmed: { planIds: [ids.N1] } },
    });
  });

  it("counts L1's pushes as the forecast did", async () => {
    const l1 = await database.db.selectFrom("plans").select("close_date_pushes").where("id", "=", ids.L1).executeTakeFirstOrThrow();
    expect(l1.close_date_pushes).toBe(2);
  });
});
