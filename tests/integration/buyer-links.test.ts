import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { quietWednesday, shownDay, testToday } from "../support/dates";
import { startTestServer, TestClient } from "../support/http";
import { expectAppRuntime, expectHtmlAlone } from "../support/page-runtime";
import { signOpenLinkToken } from "~/models/buyer-access.server";
import { verifyEventChains } from "~/models/plan-event.server";

describe.each(testDatabaseTargets())("buyers through shared links on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let rep: TestClient;
  let planId: string;
  let otherPlanId: string;
  const tokensSeen: string[] = [];
  // The server runs on the real clock: the demo is seeded as of today, and dates are computed from it.
  const today = testToday();

  const plan = () => database.db.selectFrom("plans").selectAll().where("id", "=", planId).executeTakeFirstOrThrow();
  const buyerMilestone = () =>
    database.db
      .selectFrom("milestones")
      .selectAll()
      .where("plan_id", "=", planId)
      .where("owner_side", "=", "buyer")
      .where("completed_on", "is", null)
      .orderBy("position")
      .executeTakeFirstOrThrow();

  /** The rep creates a link for the plan's buyer champion and reads it off the page (shown once). */
  async function createLink(forPlan = planId) {
    const champion = await database.db
      .selectFrom("stakeholders")
      .select("id")
      .where("plan_id", "=", forPlan)
      .where("side", "=", "buyer")
      .executeTakeFirstOrThrow();
    const response = await rep.post(`/plans/${forPlan}`, { intent: "create-link", stakeholderId: champion.id, days: "30" });
    // Post/redirect/get: the link is shown on the page the redirect leads to, once.
    expect(response.status).toBe(302);
    const url = (await (await rep.get(response.headers.get("location")!)).text()).match(/value="(http[^"]+\/s\/([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}))"/);
    expect(url).not.toBeNull();
    tokensSeen.push(url![2]);
    return new URL(url![1]).pathname;
  }

  async function buyerVisit(path: string) {
    const buyer = new TestClient(server.origin);
    const first = await buyer.get(path);
    expect(first.status).toBe(200);
    const confirm = await buyer.post(path, { name: "Dana Lee", email: "dana.lee@acme-logistics.example" });
    expect(confirm.status).toBe(302);
    expect(confirm.headers.get("location")).toBe(`/p/${planId}`);
    return buyer;
  }

  beforeAll(async () => {
    database = await target.open();
    await seedDemo(database.db, today);
    server = await startTestServer(database.db, database.kind);
    rep = new TestClient(server.origin);
    await rep.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    const plans = await database.db.selectFrom("plans").select(["id", "buyer_company"]).where("buyer_company", "in", ["Globex Health", "Initech"]).execute();
    planId = plans.find((p) => p.buyer_company === "Globex Health")!.id;
    otherPlanId = plans.find((p) => p.buyer_company === "Initech")!.id;
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  // Each test makes the link it uses (a new one replaces the person's old one, ADR 012): none
  // relies on a link another test made, revoked or let expire, so they pass in any order.

  it("keeps only the token's hash, and the link page is private and quiet", async () => {
    const linkPath = await createLink();
    const rows = await database.db.selectFrom("share_links").select("token_hash").execute();
    for (const token of tokensSeen) expect(rows.map((r) => r.token_hash)).not.toContain(token);
    const response = await new TestClient(server.origin).get(linkPath);
    expect(response.headers.get("referrer-policy")).toBe("same-origin"); // nothing to other sites (ADR 010)
    expect(response.headers.get("x-robots-tag")).toBe("noindex");
    const html = await response.text();
    expect(html).toContain("Confirm who you are");
    expect(html).toContain('value="Marcus Webb"'); // prefilled from the stakeholder
    expect(html).not.toMatch(/<script[^>]+src="https?:\/\//); // no third-party script
  });

  it("changes nothing in the plan on GET", async () => {
    const linkPath = await createLink();
    const before = await plan();
    const events = await database.db.selectFrom("plan_events").select("id").where("plan_id", "=", planId).execute();
    await new TestClient(server.origin).get(linkPath);
    const after = await plan();
    expect(after.version).toBe(before.version);
    expect(after.updated_at).toEqual(before.updated_at);
    expect(await database.db.selectFrom("plan_events").select("id").where("plan_id", "=", planId).execute()).toHaveLength(events.length);
  });

  it("remembers the device, then takes the token out of the address", async () => {
    const linkPath = await createLink();
    const buyer = await buyerVisit(linkPath);
    const again = await buyer.get(linkPath);
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toBe(`/p/${planId}`);
    const page = await buyer.get(`/p/${planId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Signed in on this device as Dana Lee");
    expect(html).not.toContain("184,000"); // no deal value on the buyer's page
    // Another browser without the cookie gets nothing from the plan's address.
    expect((await new TestClient(server.origin).get(`/p/${planId}`)).status).toBe(404);
  });

  it("logs every new device in the plan's log, naming the link's owner when another name is typed (issue 16, item 11)", async () => {
    const path = await createLink();
    const events = () =>
      database.db.selectFrom("plan_events").selectAll().where("plan_id", "=", planId).where("action", "=", "share_link.new_device").orderBy("seq").execute();
    const before = (await events()).length;
    const owner = new TestClient(server.origin);
    await owner.get(path);
    expect((await owner.post(path, { name: "Marcus Webb", email: "m.webb@globex-health.example" })).status).toBe(302);
    await buyerVisit(path); // a forwarded link: "Dana Lee" types her own name on Marcus Webb's link
    const logged = (await events()).slice(before);
    expect(logged.map((e) => [e.actor_name, e.actor_side, (e.changes as Record<string, { after: unknown }>).link_owner.after])).toEqual([
      ["Marcus Webb", "buyer", "Marcus Webb"],
      ["Dana Lee", "buyer", "Marcus Webb"],
    ]);
    expect(logged.every((e) => e.actor_stakeholder_id !== null)).toBe(true);
    expect(await verifyEventChains(database.db)).toMatchObject({ problems: [] });
    const page = await (await rep.get(`/plans/${planId}`)).text();
    expect(page).toContain("Marcus Webb (buyer) opened the plan on a new device");
    expect(page).toContain("Marcus Webb&#x27;s link was opened on a new device as Dana Lee (dana.lee@acme-logistics.example)");
    expect(page).toContain("Not Marcus Webb");
  });

  it("logs each buyer action with the buyer's identity and side", async () => {
    const buyer = await buyerVisit(await createLink());
    const m = await buyerMilestone();
    expect((await buyer.post(`/p/${planId}`, { intent: "done", milestoneId: m.id, version: String(m.version) })).status).toBe(302);
    const event = await database.db.selectFrom("plan_events").selectAll().where("plan_id", "=", planId).orderBy("seq", "desc").executeTakeFirstOrThrow();
    expect(event).toMatchObject({ action: "milestone.completed", actor_side: "buyer", actor_name: "Dana Lee", entity_id: m.id });
    expect(event.actor_stakeholder_id).not.toBeNull();
    expect((await plan()).last_buyer_activity_at).not.toBeNull();

    expect((await buyer.post(`/p/${planId}`, { intent: "comment", milestoneId: m.id, body: "Our security team starts Monday." })).status).toBe(302);
    const comment = await database.db.selectFrom("comments").selectAll().where("plan_id", "=", planId).executeTakeFirstOrThrow();
    expect(comment).toMatchObject({ author_side: "buyer", author_name: "Dana Lee", body: "Our security team starts Monday." });
  });

  it("lets the buyer propose a go-live with a reason, then confirm it, with the provenance kept", async () => {
    const buyer = await buyerVisit(await createLink());
    const before = await plan();
    // Four weeks later, then a week more: Wednesdays in weeks free of either side's holidays.
    const org = await database.db.selectFrom("organisations").select("holidays").executeTakeFirstOrThrow();
    const holidays = [...org.holidays, ...(before.buyer_holidays ?? [])];
    const proposedDate = quietWednesday(before.go_live, 28, holidays);
    const repDate = quietWednesday(proposedDate, 7, holidays);
    const missingReason = await buyer.post(`/p/${planId}`, { intent: "propose-go-live", goLive: proposedDate, reason: "", version: String(before.version) });
    expect(missingReason.status).toBe(400);
    expect(await missingReason.text()).toContain("Say why the date moves");
    const proposed = await buyer.post(`/p/${planId}`, {
      intent: "propose-go-live",
      goLive: proposedDate,
      reason: "Board approval moved a month",
      version: String(before.version),
    });
    expect(proposed.status).toBe(302);
    const after = await plan();
    expect(after).toMatchObject({ go_live: proposedDate, go_live_set_side: "buyer", go_live_set_by_name: "Dana Lee", go_live_confirmed_by_name: "Dana Lee" });
    expect(after.forecast_close_date! > before.forecast_close_date!).toBe(true);

    // A rep's change makes it "proposed by seller" until a buyer confirms again.
    await rep.post(`/plans/${planId}/go-live`, { intent: "save", goLive: repDate, reason: "Training needs a week", version: String(after.version) });
    expect(await plan()).toMatchObject({ go_live: repDate, go_live_set_side: "seller", go_live_confirmed_at: null });
    const repView = await (await rep.get(`/plans/${planId}`)).text();
    expect(repView).toContain("not yet confirmed by the buyer");
    const confirm = await buyer.post(`/p/${planId}`, { intent: "confirm-go-live", version: String((await plan()).version) });
    expect(confirm.status).toBe(302);
    expect(await plan()).toMatchObject({ go_live_confirmed_by_name: "Dana Lee" });
    expect(await (await rep.get(`/plans/${planId}`)).text()).toMatch(/Confirmed by Dana Lee \(buyer\) on/);
  });

  it("keeps seller-only fields and seller milestones out of the buyer's reach", async () => {
    const buyer = await buyerVisit(await createLink());
    const sellerMilestone = await database.db
      .selectFrom("milestones")
      .selectAll()
      .where("plan_id", "=", planId)
      .where("owner_side", "=", "seller")
      .executeTakeFirstOrThrow();
    const refused = await buyer.post(`/p/${planId}`, { intent: "done", milestoneId: sellerMilestone.id, version: String(sellerMilestone.version) });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("is the seller");
    // Refused inside the change's transaction: nothing of it stays (not even the version bump).
    const untouched = await database.db
      .selectFrom("milestones")
      .select(["completed_on", "version"])
      .where("id", "=", sellerMilestone.id)
      .executeTakeFirstOrThrow();
    expect(untouched).toEqual({ completed_on: sellerMilestone.completed_on, version: sellerMilestone.version });
    // The rep's own routes do not open for a buyer's cookie.
    expect(
      (
        await buyer.post(`/plans/${planId}/edit`, {
          buyerCompany: "X",
          title: "X",
          value: "1",
          currency: "USD",
          crmCloseDate: "",
          status: "active",
          version: "1",
        })
      ).status,
    ).toBe(302);
    expect((await plan()).buyer_company).toBe("Globex Health");
  });

  it("shows the buyer their plan, not the seller's deal: no forecast close, no link bookkeeping, no CRM or value fields", async () => {
    const buyer = await buyerVisit(await createLink());
    // The rep changes the deal's value and CRM date: nothing of it may reach the buyer's page.
    const current = await plan();
    const crmClose = quietWednesday(today, 4 * 365); // distinctive: no other date of the plan is that far out
    expect(
      (
        await rep.post(`/plans/${planId}/edit`, {
          buyerCompany: current.buyer_company,
          title: current.title,
          value: "987654",
          currency: current.currency,
          crmCloseDate: crmClose,
          status: current.status,
          version: String(current.version),
        })
      ).status,
    ).toBe(302);
    const html = await (await buyer.get(`/p/${planId}`)).text();
    expect(html).toContain("Your next steps");
    expect(html).toContain("Your contact at Northwind Analytics");
    expect(html).toContain("mailto:rep1@demo.example");
    expect(html).not.toContain("Forecast close");
    expect(html).not.toMatch(/shared a link with|renewed|revoked/);
    expect(await plan()).toMatchObject({ crm_close_date: crmClose, value: 987654 });
    for (const seller of ["987654", "987,654", crmClose, shownDay(crmClose, today)]) expect(html).not.toContain(seller);
    for (const field of [
      "forecast_close_date",
      "crm_close_date",
      "external_crm_id",
      "owner_id",
      "value",
      "currency",
      "close_date_pushes",
      "last_buyer_activity_at",
    ]) {
      expect(html, field).not.toContain(`"${field}"`);
    }
  });

  it("sends the buyer's pages as HTML alone: no React runtime, no page data, one inline stylesheet and one small script (ADR 047)", async () => {
    const linkPath = await createLink();
    const identity = await new TestClient(server.origin).get(linkPath);
    const buyer = await buyerVisit(linkPath);
    const pages = [identity, await buyer.get(`/p/${planId}`), await buyer.get(`/p/${planId}/calendar`), await buyer.get(`/p/${planId}/resources`)];
    for (const response of pages) await expectHtmlAlone(response);
    // The rep's pages still run the app.
    await expectAppRuntime(await rep.get(`/plans/${planId}`));
  });

  it("answers 404 for a milestone of another plan through this plan's link", async () => {
    const buyer = await buyerVisit(await createLink());
    const foreign = await database.db
      .selectFrom("milestones")
      .selectAll()
      .where("plan_id", "=", otherPlanId)
      .where("owner_side", "=", "buyer")
      .executeTakeFirstOrThrow();
    const response = await buyer.post(`/p/${planId}`, { intent: "done", milestoneId: foreign.id, version: String(foreign.version) });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("That milestone is not on this plan.");
    expect((await database.db.selectFrom("milestones").select("completed_on").where("id", "=", foreign.id).executeTakeFirstOrThrow()).completed_on).toBeNull();
    expect((await buyer.get(`/p/${otherPlanId}`)).status).toBe(404);
  });

  it("lets a buyer add a colleague, who gets a link of their own", async () => {
    const buyer = await buyerVisit(await createLink());
    const response = await buyer.post(`/p/${planId}`, { intent: "add-colleague", name: "Ravi Shah", email: "ravi@globex-health.example", title: "CISO" });
    expect(response.status).toBe(302);
    const url = (await (await buyer.get(response.headers.get("location")!)).text()).match(/\/s\/([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})/);
    expect(url).not.toBeNull();
    tokensSeen.push(url![1]);
    expect((await new TestClient(server.origin).get(url![0])).status).toBe(200);
    const repView = await (await rep.get(`/plans/${planId}`)).text();
    expect(repView).toContain("Dana Lee (buyer) added Ravi Shah (buyer) to the plan");
  });

  it("lets a buyer back in from a later email through a signed pointer, never the raw token", async () => {
    await createLink(); // a live link of this test's own: another may have revoked or expired the older ones
    const link = await database.db
      .selectFrom("share_links")
      .select(["id", "org_id"])
      .where("plan_id", "=", planId)
      .where("revoked_at", "is", null)
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    const signed = signOpenLinkToken(link.org_id, link.id);
    const fresh = new TestClient(server.origin);
    const page = await fresh.get(`/o/${signed}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Confirm who you are");
    const confirmed = await fresh.post(`/o/${signed}`, { name: "Marcus Webb", email: "m.webb@globex-health.example" });
    expect(confirmed.headers.get("location")).toBe(`/p/${planId}`);
    expect((await fresh.get(`/p/${planId}`)).status).toBe(200);
    const forged = `${signed.slice(0, -4)}AAAA`;
    expect((await new TestClient(server.origin).get(`/o/${forged}`)).status).toBe(404);
    expect(server.logLines.join("\n")).not.toContain(signed);
  });

  it("kills a revoked link and its devices on the very next request", async () => {
    const path = await createLink();
    const buyer = await buyerVisit(path);
    const link = await database.db.selectFrom("share_links").select("id").where("plan_id", "=", planId).orderBy("created_at", "desc").executeTakeFirstOrThrow();
    expect((await rep.post(`/plans/${planId}`, { intent: "revoke-link", linkId: link.id })).status).toBe(302);
    const reopened = await new TestClient(server.origin).get(path);
    expect(reopened.status).toBe(404);
    expect(await reopened.text()).toContain("This link is not active");
    expect((await buyer.get(`/p/${planId}`)).status).toBe(404);
  });

  it("treats an expired link like an unknown one", async () => {
    const path = await createLink();
    await database.db
      .updateTable("share_links")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("plan_id", "=", planId)
      .where("revoked_at", "is", null)
      .execute();
    expect((await new TestClient(server.origin).get(path)).status).toBe(404);
  });

  it("slows down token guessing with 429s, without touching real links", async () => {
    await database.db.deleteFrom("auth_throttle").where("key", "like", "link-ip:%").execute();
    const guesser = new TestClient(server.origin);
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await guesser.get(`/s/${"A".repeat(42)}${i % 10}`)).status);
    expect(statuses.slice(0, 9).every((s) => s === 404)).toBe(true);
    expect(statuses).toContain(429);
    await database.db.deleteFrom("auth_throttle").where("key", "like", "link-ip:%").execute();
  });

  it("never writes a token into the server log", async () => {
    await buyerVisit(await createLink()); // at least one token of this test's own went through the server
    const log = server.logLines.join("\n");
    for (const token of tokensSeen) expect(log).not.toContain(token);
    expect(log).toContain("/s/[token]");
  });
});
