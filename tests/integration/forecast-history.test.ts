import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { stateOn, type ForecastState } from "~/domain/forecast-accuracy";
import { forecastStatesOf } from "~/models/date-history.server";
import { changeGoLive, updatePlanDetails, type Editor } from "~/models/plan-commands.server";
import { refreshStaleSchedules } from "~/models/schedule-refresh.server";
import { seedDemo } from "../../db/demo-seed";
import { daysAfter, quietWednesday, testToday } from "../support/dates";
import { testDatabaseTargets } from "../support/databases";

/*
 * Issue 19, item 2: what a plan showed on a past day can be rebuilt from its date history. The
 * plan is driven through the write path day by day (each command with that day as its `today`);
 * after each day the test reads what the pages read (the plan's stored forecast close, its
 * confirmation, the rep's CRM date, the close milestone's projected finish), then checks the
 * replayed history against every recorded day and the quiet days between them.
 */
describe.each(testDatabaseTargets())("forecast history on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  const day0 = daysAfter(testToday(), -40);
  let orgId: string;
  let planId: string;
  let repId: string;
  let holidays: string[];
  const shown = new Map<string, Omit<ForecastState, "from">>();

  async function onPage() {
    const plan = await database.db.selectFrom("plans").selectAll().where("id", "=", planId).executeTakeFirstOrThrow();
    const close = await database.db
      .selectFrom("milestones")
      .select("projected_finish")
      .where("plan_id", "=", planId)
      .where("is_close", "=", true)
      .executeTakeFirst();
    return {
      plan,
      state: {
        forecastClose: plan.forecast_close_date,
        goLiveConfirmed: plan.go_live_confirmed_at !== null,
        projectedClose: close?.projected_finish ?? null,
        crmClose: plan.crm_close_date,
      },
    };
  }
  const rep = (today: string): Editor => ({ actor: { side: "seller", name: "Sam Okafor", userId: repId }, today, viewer: { id: repId, orgId, role: "rep" } });
  const buyer = (today: string): Editor => ({ actor: { side: "buyer", name: "Marcus Webb" }, today, buyerPlanId: planId });
  const record = async (day: string) => shown.set(day, (await onPage()).state);

  beforeAll(async () => {
    database = await target.open();
    await seedDemo(database.db, day0);
    const plan = await database.db
      .selectFrom("plans")
      .select(["id", "org_id", "owner_id"])
      .where("buyer_company", "=", "Globex Health")
      .executeTakeFirstOrThrow();
    [planId, orgId, repId] = [plan.id, plan.org_id, plan.owner_id];
    holidays = (await database.db.selectFrom("organisations").select("holidays").where("id", "=", orgId).executeTakeFirstOrThrow()).holidays;
    await record(day0);

    // Day 3: the rep moves the CRM date.
    const d1 = daysAfter(day0, 3);
    let { plan: now } = await onPage();
    await updatePlanDetails(database.db, rep(d1), orgId, planId, now.version, {
      buyerCompany: now.buyer_company,
      title: now.title,
      value: String(now.value),
      currency: now.currency,
      crmCloseDate: daysAfter(d1, 60),
      status: "active",
    });
    await record(d1);

    // Day 7: the buyer sets a later go-live (customer-confirmed); the rep moves the CRM date again that day.
    const d2 = daysAfter(day0, 7);
    now = (await onPage()).plan;
    await changeGoLive(database.db, buyer(d2), orgId, planId, now.version, { goLive: quietWednesday(now.go_live, 14, holidays), reason: "Board meets later" });
    now = (await onPage()).plan;
    await updatePlanDetails(database.db, rep(d2), orgId, planId, now.version, {
      buyerCompany: now.buyer_company,
      title: now.title,
      value: String(now.value),
      currency: now.currency,
      crmCloseDate: daysAfter(d2, 30),
      status: "active",
    });
    await record(d2);

    // Day 12: the rep moves go-live again: the date is the seller's until the buyer confirms it.
    const d3 = daysAfter(day0, 12);
    now = (await onPage()).plan;
    await changeGoLive(database.db, rep(d3), orgId, planId, now.version, { goLive: quietWednesday(now.go_live, 21, holidays), reason: "Legal needs longer" });
    await record(d3);

    // Day 20: nobody touches the plan; the daily re-projection runs with time moved on.
    const d4 = daysAfter(day0, 20);
    await refreshStaleSchedules(database.db, new Date(`${d4}T12:00:00Z`));
    await record(d4);
  }, 300_000);
  afterAll(async () => {
    await database?.drop();
  });

  it("every recorded day replays to what the plan showed that evening", async () => {
    const states = (await forecastStatesOf(database.db, orgId, [planId])).get(planId)!;
    for (const [day, state] of shown) expect({ day, ...stateOn(states, day) }).toEqual({ day, from: expect.any(String), ...state });
  });

  it("a quiet day shows what the last day with a change showed", async () => {
    const states = (await forecastStatesOf(database.db, orgId, [planId])).get(planId)!;
    expect(stateOn(states, daysAfter(day0, 5))).toMatchObject(shown.get(daysAfter(day0, 3))!);
    expect(stateOn(states, daysAfter(day0, 15))).toMatchObject(shown.get(daysAfter(day0, 12))!);
    expect(stateOn(states, daysAfter(day0, -1))).toBeNull();
  });

  it("the recorded days differ where the story says they do", () => {
    const [first, crm, confirmed, proposed] = [0, 3, 7, 12].map((d) => shown.get(daysAfter(day0, d))!);
    expect(crm.crmClose).not.toBe(first.crmClose);
    expect(confirmed.goLiveConfirmed).toBe(true);
    expect(confirmed.forecastClose).not.toBe(crm.forecastClose);
    expect(proposed.goLiveConfirmed).toBe(false);
    expect(proposed.forecastClose! > confirmed.forecastClose!).toBe(true);
  });
});
