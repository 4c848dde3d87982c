import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { addCalendarDays, makeCalendar, weekday } from "~/domain/calendar";
import { formatDay, todayIn } from "~/domain/dates";
import { createApiToken } from "~/models/api-tokens.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { quietWednesday } from "../support/dates";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";

/*
 * Issue 16, items 3 and 2: a go-live date is checked the same way for the buyer and the rep (no past
 * day, no non-working day), the buyer previews before anything is written, and a new link turns
 * the person's old one off. Every date comes from the test's clock.
 */
describe.each(testDatabaseTargets())("go-live rules and link replacement on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let rep: TestClient;
  let buyer: TestClient;
  let planId: string;
  let championId: string;
  const today = todayIn("UTC", new Date());
  const calendar = makeCalendar();
  const yesterday = addCalendarDays(today, -1);
  let saturday = addCalendarDays(today, 1);
  while (weekday(saturday) !== 6) saturday = addCalendarDays(saturday, 1);

  const plan = () => database.db.selectFrom("plans").selectAll().where("id", "=", planId).executeTakeFirstOrThrow();
  const events = async () => (await database.db.selectFrom("plan_events").select("id").where("plan_id", "=", planId).execute()).length;

  async function createLink() {
    const response = await rep.post(`/plans/${planId}`, { intent: "create-link", stakeholderId: championId, days: "30" });
    // Post/redirect/get: the link is shown once, on the page the redirect leads to.
    expect(response.status).toBe(302);
    return new URL((await (await rep.get(response.headers.get("location")!)).text()).match(/value="(http[^"]+\/s\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})"/)![1])
      .pathname;
  }

  beforeAll(async () => {
    database = await target.open();
    await seedDemo(database.db, today);
    server = await startTestServer(database.db, database.kind);
    rep = new TestClient(server.origin);
    await rep.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    planId = (await database.db.selectFrom("plans").select("id").where("buyer_company", "=", "Globex Health").executeTakeFirstOrThrow()).id;
    championId = (await database.db.selectFrom("stakeholders").select("id").where("plan_id", "=", planId).where("side", "=", "buyer").executeTakeFirstOrThrow())
      .id;
    const link = await createLink();
    buyer = new TestClient(server.origin);
    expect((await buyer.get(link)).status).toBe(200);
    expect((await buyer.post(link, { name: "Marcus Webb", email: "m.webb@globex-health.example" })).status).toBe(302);
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("refuses a buyer's past or weekend go-live with a 400 that keeps what they typed, and writes nothing", async () => {
    const before = await plan();
    const logged = await events();
    for (const intent of ["preview-go-live", "propose-go-live"]) {
      const past = await buyer.post(`/p/${planId}`, { intent, goLive: yesterday, reason: "Typed the wrong year", version: String(before.version) });
      expect(past.status).toBe(400);
      const pastHtml = await past.text();
      expect(pastHtml).toContain(`${formatDay(yesterday, today)} is in the past`);
      expect(pastHtml).toContain("Typed the wrong year");

      const weekend = await buyer.post(`/p/${planId}`, { intent, goLive: saturday, reason: "Weekend cut-over", version: String(before.version) });
      expect(weekend.status).toBe(400);
      const weekendHtml = await weekend.text();
      expect(weekendHtml).toContain(
        `${formatDay(saturday, today)} is not a working day; the next working day is ${formatDay(addCalendarDays(saturday, 2), today)}`,
      );
      expect(weekendHtml).toContain(`value="${saturday}"`);
    }
    const after = await plan();
    expect(after.go_live).toBe(before.go_live);
    expect(after.version).toBe(before.version);
    expect(await events()).toBe(logged);
  });

  it("shows the buyer what moves before anything is written, then applies the previewed date", async () => {
    const before = await plan();
    const logged = await events();
    const later = calendar.afterDate(before.go_live, 10);
    const preview = await buyer.post(`/p/${planId}`, {
      intent: "preview-go-live",
      goLive: later,
      reason: "Board approval moved",
      version: String(before.version),
    });
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain("If go-live becomes");
    expect(html).toContain("The earliest go-live the plan can make from today is");
    expect(html).toContain(`Move go-live to ${formatDay(later, today)}`);
    expect(html).toMatch(/open milestones? move/);
    expect((await plan()).version).toBe(before.version);
    expect(await events()).toBe(logged);

    const applied = await buyer.post(`/p/${planId}`, {
      intent: "propose-go-live",
      goLive: later,
      reason: "Board approval moved",
      version: String(before.version),
    });
    expect(applied.status).toBe(302);
    expect(await plan()).toMatchObject({ go_live: later, go_live_set_side: "buyer" });
  });

  it("gives the rep the same refusal: no past day, no weekend, through preview and save alike", async () => {
    const before = await plan();
    for (const intent of ["preview", "save"]) {
      const past = await rep.post(`/plans/${planId}/go-live`, { intent, goLive: yesterday, reason: "Oops", version: String(before.version) });
      expect(past.status).toBe(400);
      expect(await past.text()).toContain("is in the past");
      const weekend = await rep.post(`/plans/${planId}/go-live`, { intent, goLive: saturday, reason: "Oops", version: String(before.version) });
      expect(weekend.status).toBe(400);
      expect(await weekend.text()).toContain("is not a working day");
    }
    expect((await plan()).go_live).toBe(before.go_live);
  });

  it("does not let a buyer confirm a go-live that has passed", async () => {
    // A plan left alone past its date: moved there directly, as time would.
    await database.db
      .updateTable("plans")
      .set({ go_live: yesterday, go_live_confirmed_at: null, go_live_confirmed_by_name: null })
      .where("id", "=", planId)
      .execute();
    const response = await buyer.post(`/p/${planId}`, { intent: "confirm-go-live", version: String((await plan()).version) });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("has already passed");
    expect((await plan()).go_live_confirmed_at).toBeNull();
  });

  it("turns the old link off when the rep makes a new one for the same person, and logs it", async () => {
    const first = await createLink();
    expect((await new TestClient(server.origin).get(first)).status).toBe(200);
    const second = await createLink();
    expect((await new TestClient(server.origin).get(first)).status).toBe(404);
    expect((await new TestClient(server.origin).get(second)).status).toBe(200);
    const live = await database.db
      .selectFrom("share_links")
      .select("id")
      .where("plan_id", "=", planId)
      .where("stakeholder_id", "=", championId)
      .where("revoked_at", "is", null)
      .execute();
    expect(live).toHaveLength(1);
    const log = await database.db
      .selectFrom("plan_events")
      .select(["action", "reason"])
      .where("plan_id", "=", planId)
      .orderBy("seq", "desc")
      .limit(2)
      .execute();
    expect(log.map((e) => e.action).sort()).toEqual(["share_link.created", "share_link.revoked"]);
    expect(log.find((e) => e.action === "share_link.revoked")?.reason).toBe("replaced by a new link");
    const page = await (await rep.get(`/plans/${planId}`)).text();
    expect(page.match(/Link (<!-- -->)?active/g)).toHaveLength(1); // React's server render splits the text
  });

  it("refuses a new plan (form or API) going live in the past or on a weekend, with the form kept", async () => {
    const orgId = (await plan()).org_id;
    const template = await database.db.selectFrom("templates").select("id").where("org_id", "=", orgId).executeTakeFirstOrThrow();
    const plansBefore = (await database.db.selectFrom("plans").select("id").where("org_id", "=", orgId).execute()).length;
    // Before: the form took any real date, and the API any date from today on.
    for (const goLive of [yesterday, saturday]) {
      const form = await rep.post("/plans/new", {
        buyerCompany: "Dated Co",
        title: "Rollout",
        value: "1000",
        currency: "USD",
        goLive,
        crmCloseDate: "",
        templateId: template.id,
      });
      expect(form.status, goLive).toBe(400);
      const html = await form.text();
      expect(html, goLive).toMatch(goLive === yesterday ? /is in the past/ : /is not a working day; the next working day is/);
      expect(html).toContain('value="Dated Co"');
    }
    const adminId = (await database.db.selectFrom("users").select("id").where("email", "=", DEMO_LOGINS.admin).executeTakeFirstOrThrow()).id;
    const { token } = await createApiToken(database.db, { orgId, name: "CRM", scope: "read_write", createdBy: adminId });
    const api = await fetch(`${server.origin}/api/v1/plans`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ templateId: template.id, goLive: saturday, buyerCompany: "Dated Co", title: "Rollout" }),
    });
    expect(api.status).toBe(422);
    expect(((await api.json()) as { errors: Record<string, string[]> }).errors.goLive[0]).toMatch(/not a working day/);
    expect((await database.db.selectFrom("plans").select("id").where("org_id", "=", orgId).execute()).length).toBe(plansBefore);
    // A working day from today on still starts a plan.
    const { holidays } = await database.db.selectFrom("organisations").select("holidays").where("id", "=", orgId).executeTakeFirstOrThrow();
    const goLive = quietWednesday(today, 7, holidays);
    const fine = await rep.post("/plans/new", {
      buyerCompany: "Dated Co",
      title: "Rollout",
      value: "1000",
      currency: "USD",
      goLive,
      crmCloseDate: "",
      templateId: template.id,
    });
    expect(fine.status).toBe(302);
  });
});
