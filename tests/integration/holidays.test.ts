import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCalendar, toDayNumber } from "~/domain/calendar";
import { todayIn } from "~/domain/dates";
import type { Database } from "~/infra/db.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";

/** A form with repeated fields (checkbox groups), posted like a browser without JavaScript. */
function postForm(client: TestClient, path: string, fields: Array<[string, string]>) {
  return client.request(path, {
    method: "POST",
    body: new URLSearchParams(fields).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: client.origin },
  });
}

describe.each(testDatabaseTargets())("holiday calendars on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let admin: TestClient;
  let rep: TestClient;
  const today = todayIn("UTC", new Date());

  const org = () => database.db.selectFrom("organisations").selectAll().executeTakeFirstOrThrow();
  const milestone = (id: string) => database.db.selectFrom("milestones").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  /** An open, unpinned milestone due from today on, of this side, on an active plan of rep1's. */
  const openMilestone = async (side: "seller" | "buyer") => {
    const rows = await database.db
      .selectFrom("milestones as m")
      .innerJoin("plans as p", (j) => j.onRef("p.org_id", "=", "m.org_id").onRef("p.id", "=", "m.plan_id"))
      .innerJoin("users as u", (j) => j.onRef("u.org_id", "=", "p.org_id").onRef("u.id", "=", "p.owner_id"))
      .select(["m.id", "m.plan_id", "m.due_date"])
      .where("u.email", "=", DEMO_LOGINS.rep1)
      .where("p.status", "=", "active")
      .where("m.owner_side", "=", side)
      .where("m.completed_on", "is", null)
      .where("m.pinned_date", "is", null)
      .where("m.due_date", ">=", today)
      .orderBy("m.due_date")
      .execute();
    return rows[0];
  };

  beforeAll(async () => {
    database = await target.open();
    await seedDemo(database.db, today);
    server = await startTestServer(database.db, database.kind);
    admin = new TestClient(server.origin);
    await admin.login(DEMO_LOGINS.admin, DEMO_PASSWORD);
    rep = new TestClient(server.origin);
    await rep.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("seeds the demo with its country's public holidays: no work on Christmas or New Year's Day", async () => {
    const { holidays, holiday_region, holiday_names } = await org();
    const year = Number(today.slice(0, 4));
    expect(holiday_region).toBe("US");
    expect(holidays).toEqual(expect.arrayContaining([`${year}-12-25`, `${year + 1}-01-01`]));
    expect(holiday_names[`${year}-12-25`]).toBe("Christmas Day");
    const onHolidays = await database.db
      .selectFrom("milestones")
      .select("id")
      .where((eb) => eb.or([eb("due_date", "in", holidays), eb("start_date", "in", holidays)]))
      .execute();
    expect(onHolidays).toEqual([]);
  });

  it("is an admin's page: others get 403", async () => {
    expect((await rep.get("/settings/holidays")).status).toBe(403);
    const page = await (await admin.get("/settings/holidays")).text();
    expect(page).toContain("Holidays and working week");
    expect(page).toContain("Christmas Day");
  });

  it("a holiday added on a milestone's due date moves it off that day, through the write path, logged on every open plan", async () => {
    const target = await openMilestone("seller");
    const before = await database.db.selectFrom("plans").select(["id", "last_event_seq"]).where("status", "in", ["active", "paused"]).execute();
    const response = await admin.post("/settings/holidays", { intent: "add", date: target.due_date!, name: "Company offsite" });
    expect(response.status).toBe(302);
    expect(decodeURIComponent(response.headers.get("location")!)).toContain(`${before.length} open plans were re-scheduled`);

    const moved = await milestone(target.id);
    expect(moved.due_date).not.toBe(target.due_date);
    const { holidays, working_weekdays, holiday_names } = await org();
    expect(holiday_names[target.due_date!]).toBe("Company offsite");
    expect(makeCalendar({ workingWeekdays: working_weekdays, holidays }).isWorkingDate(moved.due_date!)).toBe(true);
    expect(toDayNumber(moved.due_date!)).toBeLessThan(toDayNumber(target.due_date!));

    const events = await database.db
      .selectFrom("plan_events")
      .select(["plan_id", "seq", "reason", "actor_name"])
      .where("action", "=", "plan.calendar_changed")
      .execute();
    expect(events.map((e) => e.plan_id).sort()).toEqual(before.map((p) => p.id).sort());
    expect(events.every((e) => e.reason!.includes("Company offsite") && e.actor_name === "Alex Morgan")).toBe(true);
    for (const plan of before) expect(events.find((e) => e.plan_id === plan.id)!.seq).toBe(plan.last_event_seq + 1);
    const stale = await database.db.selectFrom("plans").select("id").where("status", "=", "active").where("schedule_computed_on", "is", null).execute();
    expect(stale).toEqual([]);
    const activity = await (await rep.get(`/plans/${target.plan_id}`)).text();
    expect(activity).toContain("changed the holiday calendar");

    // Taking it off the list puts the milestone back.
    expect((await admin.post("/settings/holidays", { intent: "remove", date: target.due_date! })).status).toBe(302);
    expect((await milestone(target.id)).due_date).toBe(target.due_date);
  });

  it("bad input is a 400 with the message, the typed values kept, nothing written", async () => {
    const before = await org();
    const badDate = await admin.post("/settings/holidays", { intent: "add", date: "2026-02-30", name: "Typo day" });
    expect(badDate.status).toBe(400);
    const page = (await badDate.text()).replace(/<!-- -->/g, "");
    expect(page).toContain("is not a date");
    expect(page).toContain('value="Typo day"');
    const emptyWeek = await postForm(admin, "/settings/holidays", [["intent", "week"]]);
    expect(emptyWeek.status).toBe(400);
    expect(await emptyWeek.text()).toContain("Pick at least one working day");
    const unknownSet = await admin.post("/settings/holidays", { intent: "import", region: "XX-NOPE" });
    expect(unknownSet.status).toBe(400);
    expect(await org()).toEqual(before);
  });

  it("refuses a holiday on a pinned date, naming the milestone, and writes nothing", async () => {
    const target = await openMilestone("seller");
    await database.db.updateTable("milestones").set({ pinned_date: target.due_date }).where("id", "=", target.id).execute();
    const before = await org();
    const response = await admin.post("/settings/holidays", { intent: "add", date: target.due_date!, name: "Clash" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Move that pin first");
    expect(await org()).toEqual(before);
    await database.db.updateTable("milestones").set({ pinned_date: null }).where("id", "=", target.id).execute();
  });

  it("a working week without Fridays moves Friday work, and the national set adds a country's holidays", async () => {
    const week = await postForm(admin, "/settings/holidays", [
      ["intent", "week"],
      ["weekday", "1"],
      ["weekday", "2"],
      ["weekday", "3"],
      ["weekday", "4"],
    ]);
    expect(week.status).toBe(302);
    const fridays = await database.db
      .selectFrom("milestones as m")
      .innerJoin("plans as p", (j) => j.onRef("p.org_id", "=", "m.org_id").onRef("p.id", "=", "m.plan_id"))
      .select("m.due_date")
      .where("p.status", "=", "active")
      .where("m.completed_on", "is", null)
      .execute();
    expect(fridays.filter((m) => new Date(`${m.due_date}T00:00:00Z`).getUTCDay() === 5)).toEqual([]);
    await postForm(admin, "/settings/holidays", [["intent", "week"], ...["1", "2", "3", "4", "5"].map((d): [string, string] => ["weekday", d])]);

    const imported = await admin.post("/settings/holidays", { intent: "import", region: "GB-ENG" });
    expect(imported.status).toBe(302);
    const { holidays, holiday_region, holiday_names } = await org();
    const year = Number(today.slice(0, 4));
    expect(holiday_region).toBe("GB-ENG");
    expect(holidays).toContain(`${year + 1}-12-26`); // Boxing Day: not a US holiday
    expect(holiday_names[`${year + 1}-12-26`]).toBe("Boxing Day");
  });

  it("a plan's buyer calendar schedules buyer milestones on the buyer's working days, through the write path", async () => {
    const target = await openMilestone("buyer");
    const plan = await database.db.selectFrom("plans").select(["id", "version"]).where("id", "=", target.plan_id).executeTakeFirstOrThrow();
    // The buyer works Monday to Thursday.
    const bad = await postForm(rep, `/plans/${plan.id}/edit`, [
      ["intent", "buyer-calendar"],
      ["version", String(plan.version)],
      ["buyerRegion", "DE-BY"],
    ]);
    expect(bad.status).toBe(400);
    const badPage = await bad.text();
    expect(badPage).toContain("Pick at least one working day");
    expect(badPage).toMatch(/<option value="DE-BY" selected="">/);

    const saved = await postForm(rep, `/plans/${plan.id}/edit`, [
      ["intent", "buyer-calendar"],
      ["version", String(plan.version)],
      ["buyerRegion", "DE-BY"],
      ...["1", "2", "3", "4"].map((d): [string, string] => ["buyerWeekday", d]),
    ]);
    expect(saved.status).toBe(302);
    const stored = await database.db
      .selectFrom("plans")
      .select(["buyer_holiday_region", "buyer_working_weekdays", "buyer_holidays"])
      .where("id", "=", plan.id)
      .executeTakeFirstOrThrow();
    expect(stored.buyer_holiday_region).toBe("DE-BY");
    expect(stored.buyer_working_weekdays).toEqual([1, 2, 3, 4]);
    expect(stored.buyer_holidays).toContain(`${Number(today.slice(0, 4)) + 1}-10-03`); // German Unity Day
    const buyerCalendar = makeCalendar({ workingWeekdays: stored.buyer_working_weekdays!, holidays: stored.buyer_holidays! });
    const buyerWork = await database.db
      .selectFrom("milestones")
      .select(["due_date", "start_date"])
      .where("plan_id", "=", plan.id)
      .where("owner_side", "=", "buyer")
      .execute();
    for (const m of buyerWork) {
      expect(buyerCalendar.isWorkingDate(m.due_date!)).toBe(true);
      expect(buyerCalendar.isWorkingDate(m.start_date!)).toBe(true);
    }
    const event = await database.db
      .selectFrom("plan_events")
      .select("changes")
      .where("plan_id", "=", plan.id)
      .where("action", "=", "plan.calendar_changed")
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(event.changes)).toContain("Bayern");
  });
});
