import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayIn } from "~/domain/dates";
import { createApiToken } from "~/models/api-tokens.server";
import type { Database } from "~/infra/db.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { daysAfter, quietWednesday, testToday } from "../support/dates";
import { startTestServer, TestClient } from "../support/http";
import { checkResponse } from "../support/openapi-check";

/*
 * Issue 22, item 6: cloning a plan for another buying unit of the same customer, from the rep's
 * page and the API. The copy takes the milestones' shape and dependencies, not their completion
 * or pins; its dates come from its own go-live; people come only when asked, buyers without links.
 */

describe.each(testDatabaseTargets())("cloning a plan on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let orgId: string;
  let buyerLinkToken: string;
  let writeToken: string;
  let readToken: string;
  let rep: TestClient;
  let otherRep: TestClient;
  const today = testToday();

  const db = () => database.db;
  const planOf = (company: string) =>
    db().selectFrom("plans").selectAll().where("org_id", "=", orgId).where("buyer_company", "=", company).orderBy("created_at").executeTakeFirstOrThrow();
  const planById = (id: string) => db().selectFrom("plans").selectAll().where("org_id", "=", orgId).where("id", "=", id).executeTakeFirstOrThrow();
  const milestonesOf = (planId: string) =>
    db().selectFrom("milestones").selectAll().where("org_id", "=", orgId).where("plan_id", "=", planId).orderBy("position").execute();
  const peopleOf = (planId: string) =>
    db().selectFrom("stakeholders").selectAll().where("org_id", "=", orgId).where("plan_id", "=", planId).orderBy("email").execute();
  const linksOf = (planId: string) => db().selectFrom("share_links").select("id").where("org_id", "=", orgId).where("plan_id", "=", planId).execute();
  const planCount = async () => (await db().selectFrom("plans").select("id").where("org_id", "=", orgId).execute()).length;
  /** Dependencies as "milestone title ← what it waits for", comparable across plans. */
  const edgesOf = async (planId: string) => {
    const title = new Map((await milestonesOf(planId)).map((m) => [m.id, m.title]));
    const rows = await db().selectFrom("milestone_dependencies").selectAll().where("org_id", "=", orgId).where("plan_id", "=", planId).execute();
    return rows.map((d) => `${title.get(d.milestone_id)} ← ${title.get(d.depends_on_id)}`).sort();
  };
  const eventsOf = (planId: string, action: string) =>
    db()
      .selectFrom("plan_events")
      .select(["changes", "actor_name"])
      .where("org_id", "=", orgId)
      .where("plan_id", "=", planId)
      .where("action", "=", action)
      .execute();
  const api = (path: string, token: string, body: unknown) =>
    fetch(`${server.origin}/api/v1${path}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  const cloneForm = (goLive: string, extra: Record<string, string> = {}) => ({
    title: "Fleet analytics: EMEA warehouses",
    buyerCompany: "Acme Logistics",
    value: "75,000",
    currency: "EUR",
    goLive,
    ...extra,
  });

  beforeAll(async () => {
    database = await target.open();
    const seeded = await seedDemo(database.db, todayIn("UTC", new Date()));
    orgId = seeded.orgId;
    buyerLinkToken = seeded.buyerLinkToken!;
    server = await startTestServer(database.db, database.kind);
    rep = new TestClient(server.origin);
    otherRep = new TestClient(server.origin);
    expect((await rep.login(DEMO_LOGINS.rep1, DEMO_PASSWORD)).status).toBe(302);
    expect((await otherRep.login(DEMO_LOGINS.rep2, DEMO_PASSWORD)).status).toBe(302);
    const admin = await db().selectFrom("users").select("id").where("email", "=", DEMO_LOGINS.admin).executeTakeFirstOrThrow();
    writeToken = (await createApiToken(db(), { orgId, name: "CRM sync", scope: "read_write", createdBy: admin.id })).token;
    readToken = (await createApiToken(db(), { orgId, name: "CRM reader", scope: "read", createdBy: admin.id })).token;

    // The source carries what a copy must leave behind: a pinned date, and a named owner on one milestone.
    const source = await planOf("Acme Logistics");
    const [dana] = (await peopleOf(source.id)).filter((p) => p.side === "buyer");
    const open = (await milestonesOf(source.id)).filter((m) => !m.completed_on);
    await db().updateTable("milestones").set({ pinned_date: open[0].due_date }).where("org_id", "=", orgId).where("id", "=", open[0].id).execute();
    await db().updateTable("milestones").set({ owner_stakeholder_id: dana.id }).where("org_id", "=", orgId).where("id", "=", open[1].id).execute();
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("offers the clone form on the rep's plan page, prefilled from the source", async () => {
    const source = await planOf("Acme Logistics");
    expect(await (await rep.get(`/plans/${source.id}`)).text()).toContain(`href="/plans/${source.id}/clone"`);
    const page = await rep.get(`/plans/${source.id}/clone`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`value="${source.title}"`);
    expect(html).toContain(`value="${source.buyer_company}"`);
    expect(html).toMatch(/name="copyPeople"(?![^>]*checked)/);
  });

  it("refuses a go-live in the past or on a weekend, and an empty title, with 400 and the values kept; creates nothing", async () => {
    const source = await planOf("Acme Logistics");
    const before = await planCount();
    const past = await rep.post(`/plans/${source.id}/clone`, cloneForm(daysAfter(today, -1), { copyPeople: "on" }));
    expect(past.status).toBe(400);
    const pastHtml = await past.text();
    expect(pastHtml).toContain("is in the past");
    expect(pastHtml).toContain('value="Fleet analytics: EMEA warehouses"');
    expect(pastHtml).toContain(`value="${daysAfter(today, -1)}"`);
    expect(pastHtml).toContain('value="75,000"');
    expect(pastHtml).toMatch(/<option value="EUR" selected="">/);
    expect(pastHtml).toMatch(/name="copyPeople"[^>]*checked/);

    const saturday = daysAfter(quietWednesday(today, 60), 3);
    const weekend = await rep.post(`/plans/${source.id}/clone`, cloneForm(saturday));
    expect(weekend.status).toBe(400);
    expect(await weekend.text()).toContain("is not a working day");

    const untitled = await rep.post(`/plans/${source.id}/clone`, cloneForm(quietWednesday(today, 60), { title: " " }));
    expect(untitled.status).toBe(400);
    expect(await untitled.text()).toContain("Give the plan a title.");
    expect(await planCount()).toBe(before);
    expect(await eventsOf(source.id, "plan.cloned")).toHaveLength(0);
  });

  it("answers 404 to a rep who cannot see the source, and to an unknown plan, creating nothing", async () => {
    const source = await planOf("Acme Logistics");
    const before = await planCount();
    expect((await otherRep.get(`/plans/${source.id}/clone`)).status).toBe(404);
    expect((await otherRep.post(`/plans/${source.id}/clone`, cloneForm(quietWednesday(today, 60)))).status).toBe(404);
    expect((await rep.post(`/plans/00000000-0000-4000-8000-000000000000/clone`, cloneForm(quietWednesday(today, 60)))).status).toBe(404);
    expect(await planCount()).toBe(before);
    expect(await eventsOf(source.id, "plan.cloned")).toHaveLength(0);
  });

  it("copies milestones and dependencies without completion, pins or people, dated from the new go-live; logs on both plans", async () => {
    const source = await planOf("Acme Logistics");
    const goLive = quietWednesday(today, 120);
    const response = await rep.post(`/plans/${source.id}/clone`, cloneForm(goLive));
    expect(response.status).toBe(302);
    const cloneId = response.headers.get("location")!.replace("/plans/", "");
    expect(cloneId).not.toBe(source.id);

    const clone = await planById(cloneId);
    expect([clone.title, clone.buyer_company, clone.value, clone.currency, clone.go_live]).toEqual([
      "Fleet analytics: EMEA warehouses",
      "Acme Logistics",
      75000,
      "EUR",
      goLive,
    ]);
    expect([clone.status, clone.external_crm_id, clone.go_live_confirmed_at, clone.milestones_done]).toEqual(["active", null, null, 0]);

    const [from, to] = [await milestonesOf(source.id), await milestonesOf(cloneId)];
    expect(from.some((m) => m.completed_on)).toBe(true);
    const shape = (m: (typeof from)[number]) => [m.title, m.description, m.owner_side, m.duration_days, m.lag_days, m.is_close];
    expect(to.map(shape)).toEqual(from.map(shape));
    expect(to.every((m) => m.completed_on === null && m.pinned_date === null && m.owner_stakeholder_id === null)).toBe(true);
    expect(await edgesOf(cloneId)).toEqual(await edgesOf(source.id));
    expect((await edgesOf(cloneId)).length).toBeGreaterThan(0);

    // Backward from the new go-live: what nothing waits for finishes the working day before it.
    const waitedFor = new Set(
      (await db().selectFrom("milestone_dependencies").select("depends_on_id").where("plan_id", "=", cloneId).execute()).map((d) => d.depends_on_id),
    );
    const last = to.filter((m) => !waitedFor.has(m.id));
    expect(last.length).toBeGreaterThan(0);
    for (const m of last) expect(m.due_date).toBe(daysAfter(goLive, -1));
    expect(to.every((m) => m.due_date !== null && m.due_date < goLive)).toBe(true);

    expect(await peopleOf(cloneId)).toEqual([]);
    expect(await linksOf(cloneId)).toEqual([]);

    const cloned = await eventsOf(source.id, "plan.cloned");
    expect(cloned).toEqual([{ actor_name: "Sam Okafor", changes: { clone: { before: null, after: "Fleet analytics: EMEA warehouses" } } }]);
    const [created] = await eventsOf(cloneId, "plan.created");
    expect(created.changes).toMatchObject({ cloned_from: { before: null, after: source.title }, go_live: { before: null, after: goLive } });
    expect((await planById(source.id)).version).toBe(source.version);

    const page = await rep.get(`/plans/${cloneId}`);
    const html = (await page.text()).replace(/<!-- -->/g, "");
    expect(html).toContain(`Cloned from “${source.title}”`);
    expect(html).toContain(`as a copy of “${source.title}”`);
    expect((await (await rep.get(`/plans/${source.id}`)).text()).replace(/<!-- -->/g, "")).toContain("cloned the plan into “Fleet analytics: EMEA warehouses”");
  });

  it("copies the people when asked: buyers without links, the named owners mapped to the copies", async () => {
    const source = await planOf("Acme Logistics");
    expect((await linksOf(source.id)).length).toBeGreaterThan(0);
    const response = await rep.post(`/plans/${source.id}/clone`, cloneForm(quietWednesday(today, 150), { title: "Fleet analytics: Rail", copyPeople: "on" }));
    expect(response.status).toBe(302);
    const cloneId = response.headers.get("location")!.replace("/plans/", "");

    const [sourcePeople, clonePeople] = [await peopleOf(source.id), await peopleOf(cloneId)];
    const who = (p: (typeof sourcePeople)[number]) => [p.side, p.name, p.email, p.title, p.user_id];
    expect(clonePeople.map(who)).toEqual(sourcePeople.map(who));
    expect(clonePeople.some((p) => sourcePeople.some((s) => s.id === p.id))).toBe(false);
    expect(await linksOf(cloneId)).toEqual([]);

    const owned = (await milestonesOf(source.id)).find((m) => m.owner_stakeholder_id);
    const copy = (await milestonesOf(cloneId)).find((m) => m.title === owned!.title)!;
    const ownerEmail = sourcePeople.find((p) => p.id === owned!.owner_stakeholder_id)!.email;
    expect(copy.owner_stakeholder_id).toBe(clonePeople.find((p) => p.email === ownerEmail)!.id);
  });

  it("keeps the clone out of the source buyer's history", async () => {
    const buyer = new TestClient(server.origin);
    const opened = await buyer.post(`/s/${buyerLinkToken}`, { name: "Dana Lee", email: "dana.lee@acme-logistics.example" });
    expect(opened.status).toBe(302);
    const html = await (await buyer.get(opened.headers.get("location")!)).text();
    expect(html).not.toContain("Fleet analytics: EMEA warehouses");
    expect(html).not.toContain("cloned the plan");
  });

  it("clones through the API: defaults from the source, 201 with the new plan, 422 for a bad go-live, 404 and 403 as elsewhere", async () => {
    const source = await planOf("Initech");
    const goLive = quietWednesday(today, 90);
    const created = await api(`/plans/${source.id}/clone`, writeToken, { title: "Finance dashboards: Payroll", goLive, copyPeople: true });
    expect(created.status).toBe(201);
    const body = (await checkResponse(created, "/plans/{planId}/clone", "post")) as Record<string, unknown> & { id: string; owner: { id: string } };
    expect(created.headers.get("location")).toBe(`/api/v1/plans/${body.id}`);
    expect(body).toMatchObject({
      title: "Finance dashboards: Payroll",
      buyerCompany: "Initech",
      value: source.value,
      currency: source.currency,
      goLive: { date: goLive },
    });
    expect(body.owner.id).toBe(source.owner_id);
    expect((body.milestones as unknown[]).length).toBe((await milestonesOf(source.id)).length);
    expect((await peopleOf(body.id)).length).toBe((await peopleOf(source.id)).length);
    expect(await eventsOf(source.id, "plan.cloned")).toEqual([
      { actor_name: "API: CRM sync", changes: { clone: { before: null, after: "Finance dashboards: Payroll" } } },
    ]);

    const before = await planCount();
    const past = await api(`/plans/${source.id}/clone`, writeToken, { title: "Too late", goLive: daysAfter(today, -1) });
    expect(past.status).toBe(422);
    expect(((await checkResponse(past, "/plans/{planId}/clone", "post")) as { errors: Record<string, string[]> }).errors.goLive[0]).toContain("in the past");
    const missing = await api(`/plans/${source.id}/clone`, writeToken, { goLive });
    expect(missing.status).toBe(422);
    await checkResponse(missing, "/plans/{planId}/clone", "post");
    const unknown = await api(`/plans/00000000-0000-4000-8000-000000000000/clone`, writeToken, { title: "Nobody's", goLive });
    expect(unknown.status).toBe(404);
    await checkResponse(unknown, "/plans/{planId}/clone", "post");
    const readOnly = await api(`/plans/${source.id}/clone`, readToken, { title: "Read only", goLive });
    expect(readOnly.status).toBe(403);
    await checkResponse(readOnly, "/plans/{planId}/clone", "post");
    expect(await planCount()).toBe(before);
  });
});
