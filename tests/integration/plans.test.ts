import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { daysAfter, quietWednesday, shownDay, testToday } from "../support/dates";
import { startTestServer, TestClient } from "../support/http";

/*
 * The server runs on the real clock, so every date here comes from the test's own clock (a go-live
 * on a Wednesday whose week has no holiday, months ahead). Each test makes the plan it works on:
 * none relies on what another left behind, so they pass in any order (vitest --sequence.shuffle).
 */
describe.each(testDatabaseTargets())("reps run plans on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let rep: TestClient;
  let holidays: string[];
  const today = testToday();

  const planRow = (planId: string) => database.db.selectFrom("plans").selectAll().where("id", "=", planId).executeTakeFirstOrThrow();
  const milestoneRows = (planId: string) => database.db.selectFrom("milestones").selectAll().where("plan_id", "=", planId).orderBy("position").execute();

  /** A go-live about three months out, on a working Wednesday whose whole week is free of the organisation's holidays. */
  const goLiveAhead = (days = 90) => quietWednesday(today, days, holidays);

  /** Sam creates a plan for `company` (a name no other test uses) from the mid-market template. */
  async function newPlan(company: string, goLive = goLiveAhead()) {
    const template = await database.db.selectFrom("templates").select("id").where("name", "=", "Mid-market quick start").executeTakeFirstOrThrow();
    const response = await rep.post("/plans/new", {
      buyerCompany: company,
      title: "Pilot",
      value: "45,000",
      currency: "EUR",
      goLive,
      crmCloseDate: "",
      templateId: template.id,
    });
    expect(response.status).toBe(302);
    return { planId: response.headers.get("location")!.split("/").pop()!, goLive };
  }

  beforeAll(async () => {
    database = await target.open();
    await seedDemo(database.db, today);
    holidays = (await database.db.selectFrom("organisations").select("holidays").executeTakeFirstOrThrow()).holidays;
    server = await startTestServer(database.db, database.kind);
    rep = new TestClient(server.origin);
    await rep.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("creates a plan from a template, backward-scheduled from the go-live date", async () => {
    const { planId, goLive } = await newPlan("Initrode");
    const plan = await planRow(planId);
    expect(plan).toMatchObject({ buyer_company: "Initrode", value: 45000, currency: "EUR", go_live: goLive, go_live_set_side: "seller", milestones_total: 6 });
    const milestones = await milestoneRows(planId);
    // Training (2 days) is the last step: due the working day before go-live. Go-live is a
    // Wednesday in a week without holidays, so that is the Tuesday, started on the Monday.
    expect(milestones.at(-1)).toMatchObject({ title: "Team training", due_date: daysAfter(goLive, -1), start_date: daysAfter(goLive, -2) });
    expect(plan.forecast_close_date).toBe(milestones.find((m) => m.is_close)!.due_date);
    const page = await (await rep.get(`/plans/${planId}`)).text();
    expect(page).toContain("Initrode");
    expect(page).toContain("created the plan with go-live");
  });

  it("pages a long list 50 plans at a time, keeping the search and sort", async () => {
    const owner = await database.db.selectFrom("users").select(["id", "org_id"]).where("email", "=", DEMO_LOGINS.rep1).executeTakeFirstOrThrow();
    const goLive = goLiveAhead(180);
    await database.db
      .insertInto("plans")
      .values(
        Array.from({ length: 120 }, (_, k) => ({
          org_id: owner.org_id,
          owner_id: owner.id,
          buyer_company: `Paged Co ${String(k + 1).padStart(3, "0")}`,
          title: "Rollout",
          value: 1000,
          currency: "USD",
          go_live: goLive,
          go_live_set_by_name: "Sam",
        })),
      )
      .execute();
    const rows = (html: string) => [...html.matchAll(/href="\/plans\/[0-9a-f-]{36}"[^>]*>(Paged Co \d+)</g)].map((m) => m[1]);
    const text = async (path: string) => (await (await rep.get(path)).text()).replace(/<!-- -->/g, "");

    const first = await text("/plans?q=Paged&sort=company");
    expect(rows(first)).toHaveLength(50);
    expect(rows(first)[0]).toBe("Paged Co 001");
    expect(first).toContain("Showing 1–50 of 120 plans");
    expect(first).toContain('href="/plans?q=Paged&amp;sort=company&amp;page=2"');
    expect(first).not.toContain('rel="prev"');

    const third = await text("/plans?q=Paged&sort=company&page=3");
    expect(rows(third)).toEqual(Array.from({ length: 20 }, (_, k) => `Paged Co ${101 + k}`));
    expect(third).toContain("Showing 101–120 of 120 plans");
    expect(third).toContain('href="/plans?q=Paged&amp;sort=company&amp;page=2"');
    expect(third).not.toContain('rel="next"');

    // A page past the end shows the last one; a nonsense page the first.
    expect(rows(await text("/plans?q=Paged&sort=company&page=9"))).toHaveLength(20);
    expect(rows(await text("/plans?q=Paged&sort=company&page=-2"))[0]).toBe("Paged Co 001");
    await database.db.deleteFrom("plans").where("buyer_company", "like", "Paged Co %").execute();
  });

  it("keeps the typed values and names the problem when the new plan form is wrong", async () => {
    const response = await rep.post("/plans/new", {
      buyerCompany: "Typed Co",
      title: "",
      value: "lots",
      currency: "USD",
      goLive: "2027-02-30",
      crmCloseDate: "",
      templateId: "",
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('value="Typed Co"');
    expect(html).toContain("Give the plan a title.");
    expect(html).toContain("Enter the deal value as a whole amount");
    expect(html).toContain("The go-live date must be a real date");
  });

  /** The form that edits a milestone, as the page fills it, with `changes` on top. */
  const milestoneForm = (m: Awaited<ReturnType<typeof milestoneRows>>[number], changes: Record<string, string> = {}) => ({
    title: m.title,
    description: "",
    ownerSide: m.owner_side,
    ownerStakeholderId: "",
    durationDays: String(m.duration_days),
    lagDays: "0",
    pinnedDate: "",
    completedOn: "",
    version: String(m.version),
    ...changes,
  });

  it("edits a milestone, logs the field-level change and re-stores the schedule", async () => {
    const { planId } = await newPlan("Edited Co");
    const [first] = await milestoneRows(planId);
    expect(first.duration_days).toBe(1);
    const response = await rep.post(`/plans/${planId}/milestones/${first.id}`, milestoneForm(first, { durationDays: "4" }));
    expect(response.status).toBe(302);
    const after = (await milestoneRows(planId))[0];
    expect(after.duration_days).toBe(4);
    expect(after.version).toBe(first.version + 1);
    const event = await database.db.selectFrom("plan_events").selectAll().where("plan_id", "=", planId).orderBy("seq", "desc").executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      action: "milestone.updated",
      actor_side: "seller",
      actor_name: "Sam Okafor",
      entity_id: first.id,
      changes: { duration_days: { before: 1, after: 4 } },
    });
  });

  it("rejects a stale milestone edit with 409, keeps what was typed and shows the other change", async () => {
    const { planId } = await newPlan("Stale Edit Co");
    const [original] = await milestoneRows(planId);
    // Someone else saves first (duration 1 → 4); this form still carries the version it was opened at.
    expect((await rep.post(`/plans/${planId}/milestones/${original.id}`, milestoneForm(original, { durationDays: "4" }))).status).toBe(302);
    const stale = milestoneForm(original, { title: "My stale title", durationDays: "2" });
    const response = await rep.post(`/plans/${planId}/milestones/${original.id}`, stale);
    expect(response.status).toBe(409);
    const html = await response.text();
    expect(html).toContain('value="My stale title"');
    expect(html).toContain("saved a change while you were editing");
    expect(html).toContain("duration from 1 to 4");
    expect((await milestoneRows(planId))[0].title).toBe(original.title);
  });

  it("refuses a dependency loop and names it", async () => {
    const { planId } = await newPlan("Loop Co");
    const milestones = await milestoneRows(planId);
    const [first, second] = milestones; // second already starts after first
    const body = new URLSearchParams({ ...milestoneForm(first), dependsOn: second.id });
    const response = await rep.request(`/plans/${planId}/milestones/${first.id}`, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.origin },
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toMatch(/would go round in a loop: .*→.*→/);
    const deps = await database.db.selectFrom("milestone_dependencies").select("milestone_id").where("milestone_id", "=", first.id).execute();
    expect(deps).toHaveLength(0);
  });

  it("previews which dates a new go-live moves, then saves it with its reason", async () => {
    const { planId, goLive } = await newPlan("Moved Co");
    const moved = quietWednesday(goLive, 14, holidays);
    const before = await planRow(planId);
    const preview = await rep.post(`/plans/${planId}/go-live`, {
      intent: "preview",
      goLive: moved,
      reason: "Board approval moved",
      version: String(before.version),
    });
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain("open milestones move");
    expect((await planRow(planId)).go_live).toBe(goLive); // a preview writes nothing
    const save = await rep.post(`/plans/${planId}/go-live`, { intent: "save", goLive: moved, reason: "Board approval moved", version: String(before.version) });
    expect(save.status).toBe(302);
    const plan = await planRow(planId);
    expect(plan).toMatchObject({
      go_live: moved,
      go_live_set_side: "seller",
      go_live_set_by_name: "Sam Okafor",
      go_live_confirmed_at: null,
      version: before.version + 1,
    });
    const feed = await (await rep.get(`/plans/${planId}`)).text();
    expect(feed).toContain(`Sam Okafor (seller) moved go-live from ${shownDay(goLive, today)} to ${shownDay(moved, today)}: Board approval moved`);
  });

  it("marks a milestone done and counts it in the stored progress", async () => {
    const { planId } = await newPlan("Done Co");
    const [first] = await milestoneRows(planId);
    expect((await planRow(planId)).milestones_done).toBe(0);
    const response = await rep.post(`/plans/${planId}`, { intent: "complete", milestoneId: first.id, version: String(first.version) });
    expect(response.status).toBe(302);
    const plan = await planRow(planId);
    expect(plan.milestones_done).toBe(1);
    expect((await milestoneRows(planId))[0]).toMatchObject({ schedule_status: "done", completed_on: expect.any(String) });
  });

  it("answers 404 for another rep's plan and for a malformed id, 403 for a rep on the team page", async () => {
    const { planId } = await newPlan("Private Co");
    const other = new TestClient(server.origin);
    await other.login(DEMO_LOGINS.rep2, DEMO_PASSWORD);
    expect((await other.get(`/plans/${planId}`)).status).toBe(404);
    expect((await other.post(`/plans/${planId}`, { intent: "complete", milestoneId: planId, version: "1" })).status).toBe(404);
    expect((await rep.get("/plans/not-a-uuid")).status).toBe(404);
    expect((await rep.get("/team")).status).toBe(403);
    const manager = new TestClient(server.origin);
    await manager.login(DEMO_LOGINS.manager, DEMO_PASSWORD);
    expect((await manager.get(`/plans/${planId}`)).status).toBe(200);
  });

  it("saves a plan's milestones as a reusable template, refusing a taken name", async () => {
    const { planId } = await newPlan("Template Source Co");
    const saved = await rep.post(`/plans/${planId}`, { intent: "save-template", templateName: "Initrode pilot path" });
    expect(saved.status).toBe(302);
    const template = await database.db.selectFrom("templates").selectAll().where("name", "=", "Initrode pilot path").executeTakeFirstOrThrow();
    const rows = await database.db.selectFrom("template_milestones").select("title").where("template_id", "=", template.id).execute();
    expect(rows).toHaveLength((await milestoneRows(planId)).length);
    const again = await rep.post(`/plans/${planId}`, { intent: "save-template", templateName: "Initrode pilot path" });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("already exists");
  });

  it("lets an admin invite a teammate who can sign in once they have chosen a password", async () => {
    const admin = new TestClient(server.origin);
    await admin.login(DEMO_LOGINS.admin, DEMO_PASSWORD);
    const manager = await database.db.selectFrom("users").select("id").where("email", "=", DEMO_LOGINS.manager).executeTakeFirstOrThrow();
    const added = await admin.post("/team", { intent: "add", name: "Lee Nguyen", email: "lee@demo.example", role: "rep", managerId: manager.id });
    expect(added.status).toBe(302);
    expect((await (await admin.get("/team")).text()).replace(/<!-- -->/g, "")).toContain(
      "We emailed Lee Nguyen (lee@demo.example) a link to choose a password",
    );
    const duplicate = await admin.post("/team", { intent: "add", name: "Lee Again", email: "LEE@demo.example", role: "rep", managerId: "" });
    expect(duplicate.status).toBe(400);
    expect(await duplicate.text()).toContain('value="Lee Again"');
    const email = await database.db
      .selectFrom("email_outbox")
      .select("text")
      .where("to_address", "=", "lee@demo.example")
      .where("kind", "=", "account_invite")
      .executeTakeFirstOrThrow();
    const link = email.text.match(/\/password\/set\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/)![0];
    const lee = new TestClient(server.origin);
    expect((await lee.post(link, { password: "a-long-password", confirm: "a-long-password" })).status).toBe(302);
    expect((await new TestClient(server.origin).login("lee@demo.example", "a-long-password")).status).toBe(302);
  });
});
