import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { makeCalendar } from "~/domain/calendar";
import { todayIn } from "~/domain/dates";
import { calendarOf, createOrganisation } from "~/models/organisation.server";
import { createUser } from "~/models/user.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";

/*
 * Issue 16, item 18: a rep can own a milestone (or hand it to a teammate) without first adding
 * that person to the plan. The Owner select offers the seller's team; saving puts the chosen user
 * on the plan as a seller stakeholder in the same command, logged, and refuses anyone from
 * another organisation without writing anything.
 */
describe.each(testDatabaseTargets())("a teammate owns a milestone on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let rep: TestClient;
  let planId: string;
  let repId: string;
  let teammateId: string;
  let foreignUserId: string;
  const today = todayIn("UTC", new Date());

  const stakeholders = () => database.db.selectFrom("stakeholders").selectAll().where("plan_id", "=", planId).execute();
  const milestones = () => database.db.selectFrom("milestones").selectAll().where("plan_id", "=", planId).orderBy("position").execute();
  const actions = async () =>
    (await database.db.selectFrom("plan_events").select("action").where("plan_id", "=", planId).orderBy("seq").execute()).map((e) => e.action);
  // React separates text parts with empty comments; what the user reads is the text without them.
  const pageText = async (path: string) => (await (await rep.get(path)).text()).replaceAll("<!-- -->", "");
  const milestone = (title: string, ownerStakeholderId: string, ownerSide = "seller") => ({
    title,
    description: "",
    ownerSide,
    ownerStakeholderId,
    durationDays: "2",
    lagDays: "0",
    pinnedDate: "",
    completedOn: "",
    intent: "save",
  });

  beforeAll(async () => {
    database = await target.open();
    const { orgId } = await seedDemo(database.db, today);
    server = await startTestServer(database.db, database.kind);
    rep = new TestClient(server.origin);
    await rep.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    repId = (await database.db.selectFrom("users").select("id").where("email", "=", DEMO_LOGINS.rep1).executeTakeFirstOrThrow()).id;
    teammateId = (await database.db.selectFrom("users").select("id").where("email", "=", DEMO_LOGINS.rep2).executeTakeFirstOrThrow()).id;
    const other = await createOrganisation(database.db, { name: "Elsewhere Ltd" });
    foreignUserId = (await createUser(database.db, { orgId: other.id, email: "stranger@elsewhere.test", name: "Stranger", role: "rep", passwordHash: "x" })).id;
    // A plan with nobody on it yet, going live on one of the organisation's working days.
    const org = await database.db.selectFrom("organisations").selectAll().where("id", "=", orgId).executeTakeFirstOrThrow();
    const goLive = makeCalendar(calendarOf(org)).afterDate(today, 60);
    const created = await rep.post("/plans/new", {
      buyerCompany: "Umbrella",
      title: "Rollout",
      value: "10000",
      currency: "USD",
      goLive,
      crmCloseDate: "",
      templateId: "",
    });
    expect(created.status).toBe(302);
    planId = created.headers.get("location")!.split("/").pop()!;
    expect(await stakeholders()).toEqual([]);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("offers the rep and their team in the Owner select of a plan with nobody on it", async () => {
    const page = await pageText(`/plans/${planId}/milestones/new`);
    expect(page).toContain('label="Your team"');
    expect(page).toContain(`<option value="user:${repId}">Sam Okafor (plan owner)</option>`);
    expect(page).toContain(`value="user:${teammateId}"`);
    expect(page).not.toContain(foreignUserId);
  });

  it("makes the rep a seller stakeholder and the owner in one command, each change logged once", async () => {
    const before = await actions();
    const response = await rep.post(`/plans/${planId}/milestones/new`, milestone("Security review", `user:${repId}`));
    expect(response.status).toBe(302);
    const people = await stakeholders();
    expect(people).toHaveLength(1);
    expect(people[0]).toMatchObject({ side: "seller", name: "Sam Okafor", email: DEMO_LOGINS.rep1, user_id: repId });
    const [added] = await milestones();
    expect(added).toMatchObject({ title: "Security review", owner_side: "seller", owner_stakeholder_id: people[0].id });
    expect((await actions()).slice(before.length)).toEqual(["stakeholder.added", "milestone.added"]);
    // Now on the plan, the rep is listed among its people, not offered again as a teammate.
    const page = await pageText(`/plans/${planId}/milestones/new`);
    expect(page).toContain(`<option value="${people[0].id}">Sam Okafor (seller)</option>`);
    expect(page).not.toContain(`user:${repId}`);
  });

  it("reuses the rep's place on the plan when chosen again", async () => {
    const before = await actions();
    const response = await rep.post(`/plans/${planId}/milestones/new`, milestone("Legal review", `user:${repId}`));
    expect(response.status).toBe(302);
    expect(await stakeholders()).toHaveLength(1);
    expect((await actions()).slice(before.length)).toEqual(["milestone.added"]);
  });

  it("hands an existing milestone to a teammate from the edit form", async () => {
    const [first] = await milestones();
    const before = await actions();
    const response = await rep.post(`/plans/${planId}/milestones/${first.id}`, {
      ...milestone(first.title, `user:${teammateId}`),
      version: String(first.version),
    });
    expect(response.status).toBe(302);
    const teammate = (await stakeholders()).find((s) => s.user_id === teammateId);
    expect(teammate).toMatchObject({ side: "seller", name: "Priya Raman" });
    expect((await milestones())[0].owner_stakeholder_id).toBe(teammate!.id);
    expect((await actions()).slice(before.length)).toEqual(["stakeholder.added", "milestone.updated"]);
  });

  it.each([
    ["a user of another organisation", () => milestone("Stranger's task", `user:${foreignUserId}`), "Pick someone from your team or on this plan."],
    ["a malformed user id", () => milestone("Broken task", "user:not-an-id"), "Pick someone from the list."],
    ["an id that names no user", () => milestone("Ghost task", "user:00000000-0000-4000-8000-000000000000"), "Pick someone from your team or on this plan."],
  ])("refuses %s with a 400 and writes nothing", async (_name, body, message) => {
    const [people, rows, log] = [await stakeholders(), await milestones(), await actions()];
    const posted = body();
    const response = await rep.post(`/plans/${planId}/milestones/new`, posted);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain(message);
    expect(page).toContain(`value="${posted.title.replace("'", "&#x27;")}"`);
    expect(await stakeholders()).toEqual(people);
    expect(await milestones()).toEqual(rows);
    expect(await actions()).toEqual(log);
  });

  it("refuses a buyer-owned milestone owned by someone from the seller's team, writing nothing", async () => {
    const manager = await database.db.selectFrom("users").select("id").where("email", "=", DEMO_LOGINS.manager).executeTakeFirstOrThrow();
    const [people, log] = [await stakeholders(), await actions()];
    const response = await rep.post(`/plans/${planId}/milestones/new`, milestone("Buyer sign-off", `user:${manager.id}`, "buyer"));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("A buyer-owned milestone needs an owner from the buyer side.");
    expect(await stakeholders()).toEqual(people);
    expect(await actions()).toEqual(log);
  });
});
