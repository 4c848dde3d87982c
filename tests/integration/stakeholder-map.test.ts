import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { createApiToken } from "~/models/api-tokens.server";
import { economicBuyerStateSql } from "~/models/economic-buyer.server";
import { verifyEventChains } from "~/models/plan-event.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { testToday } from "../support/dates";
import { startTestServer, TestClient } from "../support/http";
import { checkResponse } from "../support/openapi-check";

/*
 * The stakeholder map against the built server on each database (issue 22, item 2): the rep maps
 * the buying side with plain form posts, bad input comes back with the values typed, the private
 * read never reaches the buyer's page, removing a person leaves nobody reporting to a ghost, and the
 * forecast's signal and the API read what was mapped.
 */
describe.each(testDatabaseTargets())("the stakeholder map on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let rep: TestClient;
  let orgId: string;
  let planId: string;
  const today = testToday();
  // Unique words, so finding them anywhere in a page is this test's doing.
  const secret = `Thinks our pricing is a joke ${Math.random().toString(36).slice(2)}`;

  const person = (email: string) =>
    database.db.selectFrom("stakeholders").selectAll().where("plan_id", "=", planId).where("email", "=", email).executeTakeFirstOrThrow();
  const buyers = () =>
    database.db.selectFrom("stakeholders").selectAll().where("plan_id", "=", planId).where("side", "=", "buyer").orderBy("created_at").execute();
  const events = (action: string) =>
    database.db.selectFrom("plan_events").selectAll().where("plan_id", "=", planId).where("action", "=", action).orderBy("seq").execute();

  function map(stakeholderId: string, values: Partial<Record<"decisionRole" | "reportsToId" | "influence" | "sentiment" | "privateNote", string>>) {
    return rep.post(`/plans/${planId}`, { intent: "map-stakeholder", stakeholderId, ...values });
  }

  async function addBuyer(name: string, email: string, title: string) {
    const response = await rep.post(`/plans/${planId}`, { intent: "add-stakeholder", side: "buyer", name, email, title });
    expect(response.status).toBe(302);
    return person(email);
  }

  beforeAll(async () => {
    database = await target.open();
    orgId = (await seedDemo(database.db, today)).orgId;
    server = await startTestServer(database.db, database.kind);
    rep = new TestClient(server.origin);
    expect((await rep.login(DEMO_LOGINS.rep1, DEMO_PASSWORD)).status).toBe(302);
    planId = (await database.db.selectFrom("plans").select("id").where("buyer_company", "=", "Globex Health").executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("maps roles, reports-to and the private read without JavaScript, logged and drawn", async () => {
    const [champion] = await buyers();
    const cfo = await addBuyer("Priya Raman", "priya.raman@globex.example", "CFO");
    const saved = await map(cfo.id, { decisionRole: "economic_buyer" });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toBe(`/plans/${planId}#stakeholder-map`);
    const mapped = await map(champion.id, { decisionRole: "champion", reportsToId: cfo.id, influence: "high", sentiment: "detractor", privateNote: secret });
    expect(mapped.status).toBe(302);

    const row = await person(champion.email);
    expect(row).toMatchObject({ decision_role: "champion", reports_to_id: cfo.id, influence: "high", sentiment: "detractor", private_note: secret });
    const roleEvents = await events("stakeholder.mapped");
    expect(roleEvents.at(-1)!.changes).toEqual({
      decision_role: { before: null, after: "champion" },
      reports_to: { before: null, after: "Priya Raman" },
    });
    expect((await events("stakeholder.notes_changed")).at(-1)!.changes).toEqual({
      influence: { before: null, after: "high" },
      sentiment: { before: null, after: "detractor" },
      private_note_length: { before: 0, after: secret.length },
    });
    // The note's words live on the person only, not in the append-only log.
    expect(JSON.stringify(await events("stakeholder.notes_changed"))).not.toContain(secret);
    expect((await verifyEventChains(database.db, { orgId })).problems).toEqual([]);

    // Saving the same values again changes nothing and logs nothing.
    const before = (await events("stakeholder.mapped")).length;
    await map(champion.id, { decisionRole: "champion", reportsToId: cfo.id, influence: "high", sentiment: "detractor", privateNote: secret });
    expect(await events("stakeholder.mapped")).toHaveLength(before);

    const html = await (await rep.get(`/plans/${planId}`)).text();
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="org-chart-title org-chart-desc"/);
    expect(html).toContain("Org chart of the buyer&#x27;s side");
    expect(html).toContain(`data-person="${champion.name}"`);
    expect(html).toContain("Economic buyer");
    expect(html).toContain(`Reports to Priya Raman`);
    expect(html).toContain(secret); // the rep's own page shows the rep's note
    expect(html).toContain("updated the private notes on");
    expect(html).toContain("place on the map is saved."); // the flash after the redirect
  });

  it("refuses a loop, a seller and unknown words with a 400 that keeps what was typed", async () => {
    const [champion] = await buyers();
    const cfo = await person("priya.raman@globex.example");
    const typed = "Keeps the budget close; ask before Friday";
    const loop = await map(cfo.id, { decisionRole: "economic_buyer", reportsToId: champion.id, privateNote: typed });
    expect(loop.status).toBe(400);
    const html = await loop.text();
    expect(html).toContain("That would make a loop");
    expect(html).toContain(typed); // the note as typed is back in its box
    expect((await person(cfo.email)).reports_to_id).toBeNull();
    expect((await person(cfo.email)).private_note).toBe("");

    const self = await map(cfo.id, { reportsToId: cfo.id });
    expect(self.status).toBe(400);
    expect(await self.text()).toContain("cannot report to themselves");

    const seller = await database.db
      .selectFrom("stakeholders")
      .select("id")
      .where("plan_id", "=", planId)
      .where("side", "=", "seller")
      .executeTakeFirstOrThrow();
    const sellerMapped = await map(seller.id, { decisionRole: "champion" });
    expect(sellerMapped.status).toBe(400);
    expect(await sellerMapped.text()).toContain("Only people on the buyer&#x27;s side");
    const toSeller = await map(champion.id, { reportsToId: seller.id });
    expect(toSeller.status).toBe(400);

    const words = await map(cfo.id, { decisionRole: "boss", sentiment: "furious" });
    expect(words.status).toBe(400);
    const wordsHtml = await words.text();
    expect(wordsHtml).toContain("Pick a role from the list.");
    expect(wordsHtml).toContain("Pick supporter, neutral or detractor.");
  });

  it("answers 404 to a rep whose scope does not cover the plan", async () => {
    const other = new TestClient(server.origin);
    await other.login(DEMO_LOGINS.rep2, DEMO_PASSWORD);
    const [champion] = await buyers();
    const response = await other.post(`/plans/${planId}`, { intent: "map-stakeholder", stakeholderId: champion.id, privateNote: "overwritten" });
    expect(response.status).toBe(404);
    expect((await person(champion.email)).private_note).toBe(secret);
  });

  it("never sends the private read to the buyer: not in the page, its data or its activity", async () => {
    const [champion] = await buyers();
    const link = await rep.post(`/plans/${planId}`, { intent: "create-link", stakeholderId: champion.id, days: "30" });
    expect(link.status).toBe(302);
    const shown = (await (await rep.get(link.headers.get("location")!)).text()).match(/value="http[^"]+(\/s\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})"/);
    expect(shown).not.toBeNull();
    const buyer = new TestClient(server.origin);
    await buyer.get(shown![1]);
    expect((await buyer.post(shown![1], { name: champion.name, email: champion.email })).status).toBe(302);

    const page = await buyer.get(`/p/${planId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(champion.name); // the page is the plan's, with its people
    for (const hidden of [secret, "detractor", "Detractor", "private notes", "economic_buyer", "Economic buyer", "Reports to"]) {
      expect(html, hidden).not.toContain(hidden);
    }
    // A buyer's page sends no page data (ADR 047); its loader's data, as a client-side navigation
    // would ask for it, carries no map fields either.
    expect(html).not.toContain("__remixContext");
    const data = await buyer.get(`/p/${planId}.data`);
    expect(data.status).toBe(200);
    const body = await data.text();
    expect(body).toContain(champion.name);
    for (const field of ["decision_role", "private_note", "sentiment", "influence", "reports_to"]) {
      expect(html, field).not.toContain(field);
      expect(body, field).not.toContain(field);
    }
  });

  it("reads the economic buyer's signal for the forecast: none, unseen, then seen", async () => {
    const state = async (plan: string) =>
      (
        await database.db
          .selectFrom("plans as p")
          .select(economicBuyerStateSql(orgId, sql`p.id`).as("state"))
          .where("p.org_id", "=", orgId)
          .where("p.id", "=", plan)
          .executeTakeFirstOrThrow()
      ).state;
    const unmapped = await database.db.selectFrom("plans").select("id").where("buyer_company", "=", "Initech").executeTakeFirstOrThrow();
    expect(await state(unmapped.id)).toBe("none");
    // Priya is the economic buyer and has no link yet.
    expect(await state(planId)).toBe("unseen");
    const cfo = await person("priya.raman@globex.example");
    const link = await rep.post(`/plans/${planId}`, { intent: "create-link", stakeholderId: cfo.id, days: "30" });
    expect(link.status).toBe(302);
    expect(await state(planId)).toBe("unseen"); // a link handed out is not a visit
    await database.db.updateTable("share_links").set({ first_visit_at: new Date(), visit_count: 1 }).where("stakeholder_id", "=", cfo.id).execute();
    expect(await state(planId)).toBe("seen");

    // The demo's at-risk plans have nobody mapped: the forecast says so beside its other reasons.
    const forecast = await (await rep.get("/forecast")).text();
    expect(forecast).toContain("No economic buyer named");
  });

  it("gives the API the map, with the private read, for the organisation's own tokens", async () => {
    const admin = await database.db.selectFrom("users").select("id").where("email", "=", DEMO_LOGINS.admin).executeTakeFirstOrThrow();
    const { token } = await createApiToken(database.db, { orgId, name: "CRM", scope: "read", createdBy: admin.id });
    const response = await fetch(`${server.origin}/api/v1/plans/${planId}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const body = (await checkResponse(response, "/plans/{planId}", "get")) as { stakeholders: Array<Record<string, unknown>> };
    const [champion] = await buyers();
    const cfo = await person("priya.raman@globex.example");
    expect(body.stakeholders.find((s) => s.id === champion.id)).toMatchObject({
      side: "buyer",
      decisionRole: "champion",
      reportsTo: cfo.id,
      influence: "high",
      sentiment: "detractor",
      privateNote: secret,
    });
    expect(body.stakeholders.find((s) => s.id === cfo.id)).toMatchObject({ decisionRole: "economic_buyer", reportsTo: null });
  });

  it("clears the reports-to of a removed person's reports in the same command, logged", async () => {
    const [champion] = await buyers();
    const cfo = await person("priya.raman@globex.example");
    const removed = await rep.post(`/plans/${planId}`, { intent: "remove-stakeholder", stakeholderId: cfo.id });
    expect(removed.status).toBe(302);
    expect((await person(champion.email)).reports_to_id).toBeNull();
    const [cleared, gone] = (
      await database.db.selectFrom("plan_events").selectAll().where("plan_id", "=", planId).orderBy("seq", "desc").limit(2).execute()
    ).reverse();
    expect(cleared).toMatchObject({ action: "stakeholder.mapped", entity_id: champion.id, changes: { reports_to: { before: "Priya Raman", after: null } } });
    expect(gone).toMatchObject({ action: "stakeholder.removed", entity_id: cfo.id });
    const html = await (await rep.get(`/plans/${planId}`)).text();
    expect(html).toContain("no longer reports to Priya Raman");
    expect((await verifyEventChains(database.db, { orgId })).problems).toEqual([]);
  });
});
