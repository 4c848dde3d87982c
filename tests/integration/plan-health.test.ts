import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { createApiToken } from "~/models/api-tokens.server";
import { recountForecastFacts } from "~/models/forecast-facts.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { daysAfter, testToday } from "../support/dates";
import { startTestServer, TestClient } from "../support/http";
import { checkResponse } from "../support/openapi-check";

/*
 * Plan health (ADR 038) on each database, through the built server: a plan with an overdue buyer
 * milestone and a quiet buyer is "at risk" with both reasons on the plans list, the plan page and
 * the forecast and in the API; the buyer's page shows only the reason the buyer can act on, in the buyer's words.
 */

type Reason = { code: string; severity: string; buyerFacing: boolean; text: string };
type Health = { label: string; reasons: Reason[] } | null;

const DAY_MS = 86_400_000;
const QUIET_FOR = 20;
const HEALTH_LABELS = ["on_track", "at_risk", "stalled"];

describe.each(testDatabaseTargets())("plan health on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let rep: TestClient;
  let buyer: TestClient;
  let token: string;
  let planId: string;
  const today = testToday();

  /** The table row (or rows) of the plans list that name this company. */
  const rowOf = (html: string, company: string) => html.split("<tr").find((row) => row.includes(company)) ?? "";

  beforeAll(async () => {
    database = await target.open();
    const { orgId } = await seedDemo(database.db, today);
    server = await startTestServer(database.db, database.kind);
    rep = new TestClient(server.origin);
    await rep.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    const adminId = (await database.db.selectFrom("users").select("id").where("email", "=", DEMO_LOGINS.admin).executeTakeFirstOrThrow()).id;
    token = (await createApiToken(database.db, { orgId, name: "CRM reader", scope: "read", createdBy: adminId })).token;

    // Acme's go-live is months off and confirmed by the buyer. Time passes for one of its buyer
    // milestones (its due date three days back) and for the buyer (last seen QUIET_FOR days ago);
    // the stored facts are then rebuilt by the same rule the write path applies.
    const plan = await database.db.selectFrom("plans").select("id").where("buyer_company", "=", "Acme Logistics").executeTakeFirstOrThrow();
    planId = plan.id;

    // The buyer signs in first: every write re-projects the plan, and would undo what follows.
    const champion = await database.db
      .selectFrom("stakeholders")
      .select("id")
      .where("plan_id", "=", planId)
      .where("side", "=", "buyer")
      .executeTakeFirstOrThrow();
    const created = await rep.post(`/plans/${planId}`, { intent: "create-link", stakeholderId: champion.id, days: "30" });
    expect(created.status).toBe(302);
    const linkPath = new URL((await (await rep.get(created.headers.get("location")!)).text()).match(/value="(http[^"]+\/s\/[A-Za-z0-9_.-]+)"/)![1]).pathname;
    buyer = new TestClient(server.origin);
    expect((await buyer.get(linkPath)).status).toBe(200);
    expect((await buyer.post(linkPath, { name: "Dana Lee", email: "dana.lee@acme-logistics.example" })).status).toBe(302);

    const milestone = await database.db
      .selectFrom("milestones")
      .select("id")
      .where("plan_id", "=", planId)
      .where("owner_side", "=", "buyer")
      .where("completed_on", "is", null)
      .orderBy("position")
      .executeTakeFirstOrThrow();
    await database.db
      .updateTable("milestones")
      .set({ due_date: daysAfter(today, -3) })
      .where("id", "=", milestone.id)
      .execute();
    await database.db
      .updateTable("plans")
      .set({ last_buyer_activity_at: new Date(Date.now() - QUIET_FOR * DAY_MS - 60_000) })
      .where("id", "=", planId)
      .execute();
    await recountForecastFacts(database.db, orgId);
    const facts = await database.db.selectFrom("plans").select("overdue_buyer_milestones").where("id", "=", planId).executeTakeFirstOrThrow();
    expect(facts.overdue_buyer_milestones).toBe(1);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("shows the plan at risk on the plans list, with its reasons", async () => {
    const response = await rep.get("/plans");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(">Health<");
    const row = rowOf(html, "Acme Logistics");
    expect(row).toContain('data-health="at_risk"');
    expect(row).toContain("1 buyer milestone overdue");
    expect(row).toContain(`No buyer activity for ${QUIET_FOR} days`);
  });

  it("lists every reason on the rep's plan page, saying which the buyer does not see", async () => {
    const html = await (await rep.get(`/plans/${planId}`)).text();
    const panel = html.slice(html.indexOf('data-testid="plan-health"'));
    expect(panel).toContain('data-health="at_risk"');
    expect(panel).toContain("1 buyer milestone overdue");
    expect(panel).toMatch(new RegExp(`No buyer activity for ${QUIET_FOR} days<span[^>]*> \\(not shown to the buyer\\)`));
    expect(panel).not.toMatch(/1 buyer milestone overdue<span[^>]*> \(not shown/);
  });

  it("labels the plan on the forecast's at-risk list and in its drill-down", async () => {
    const forecast = await (await rep.get("/forecast")).text();
    const atRisk = forecast.slice(forecast.indexOf('id="at-risk"'));
    expect(rowOf(atRisk, "Acme Logistics")).toContain('data-health="at_risk"');
    const drill = await rep.get("/forecast/plans?period=all&flag=at_risk");
    expect(drill.status).toBe(200);
    expect(rowOf(await drill.text(), "Acme Logistics")).toContain('data-health="at_risk"');
  });

  it("gives health in the API, as the OpenAPI document describes, and none for closed deals", async () => {
    const one = await fetch(`${server.origin}/api/v1/plans/${planId}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(one.status).toBe(200);
    const plan = (await checkResponse(one, "/plans/{planId}", "get")) as { health: Health };
    expect(plan.health?.label).toBe("at_risk");
    expect(plan.health?.reasons).toContainEqual({
      code: "overdue_buyer_milestones",
      severity: "at_risk",
      buyerFacing: true,
      text: "1 buyer milestone overdue",
    });
    expect(plan.health?.reasons).toContainEqual({
      code: "buyer_quiet",
      severity: "at_risk",
      buyerFacing: false,
      text: `No buyer activity for ${QUIET_FOR} days`,
    });

    const list = await fetch(`${server.origin}/api/v1/plans?limit=100`, { headers: { Authorization: `Bearer ${token}` } });
    const page = (await checkResponse(list, "/plans", "get")) as { data: Array<{ status: string; health: Health }> };
    expect(page.data.length).toBeGreaterThan(3);
    for (const p of page.data) {
      if (p.status === "active") expect(HEALTH_LABELS).toContain(p.health?.label);
      else expect(p.health).toBeNull();
    }
    expect(page.data.some((p) => p.status === "won")).toBe(true);
  });

  it("shows the buyer only the buyer-facing reasons, in the buyer's words", async () => {
    const response = await buyer.get(`/p/${planId}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Keeping go-live on track");
    expect(html).toContain("One step on your side is past its due date.");
    // Neither the label nor the seller's reading of the deal reaches the buyer.
    expect(html).not.toContain("data-health");
    expect(html).not.toContain("No buyer activity");
    expect(html).not.toContain("buyer milestone overdue");
    expect(html).not.toContain("not shown to the buyer");
  });
});
