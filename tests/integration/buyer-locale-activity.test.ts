import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayIn } from "~/domain/dates";
import type { Database } from "~/infra/db.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";

/*
 * Issue 24, item 3 (ADR 046): the buyer page's "Recent changes" and its health notes are in the
 * buyer's language; the rep's page words the same events in English, as before.
 */
describe.each(testDatabaseTargets())("activity lines and health notes in the buyer's language on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let buyer: TestClient;
  let manager: TestClient;
  let planId: string;
  let stakeholderId: string;
  let milestoneTitle: string;
  const db = () => database.db;
  const text = async (client: TestClient, path: string) => (await (await client.get(path)).text()).replace(/<!-- -->/g, "");

  beforeAll(async () => {
    database = await target.open();
    const seeded = await seedDemo(db(), todayIn("UTC", new Date()));
    server = await startTestServer(db(), database.kind);
    buyer = new TestClient(server.origin);
    const opened = await buyer.post(
      `/s/${seeded.buyerLinkToken}`,
      { name: "Dana Lee", email: "dana.lee@acme-logistics.example" },
      { headers: { "Accept-Language": "de-DE,de;q=0.9" } },
    );
    expect(opened.status).toBe(302);
    planId = opened.headers.get("location")!.split("/").pop()!;
    stakeholderId = (await db().selectFrom("share_links").select("stakeholder_id").orderBy("created_at", "desc").executeTakeFirstOrThrow()).stakeholder_id;
    const milestone = await db().selectFrom("milestones").select(["id", "title"]).where("plan_id", "=", planId).orderBy("position").executeTakeFirstOrThrow();
    milestoneTitle = milestone.title;
    const posted = await buyer.post(`/p/${planId}`, { intent: "comment", milestoneId: milestone.id, body: "Bitte bis Freitag." });
    expect(posted.status).toBe(302);
    // Two buyer-facing health reasons, as the nightly re-projection would store them.
    await db().updateTable("plans").set({ slip_days: 3, overdue_buyer_milestones: 2 }).where("id", "=", planId).execute();
    manager = new TestClient(server.origin);
    await manager.login(DEMO_LOGINS.manager, DEMO_PASSWORD);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("shows a German buyer the recent changes and the health notes in German", async () => {
    const html = await text(buyer, `/p/${planId}`);
    expect(html).toContain('lang="de"');
    expect(html).toContain(`Dana Lee (Käuferseite) hat „${milestoneTitle}“ kommentiert: „Bitte bis Freitag.“`);
    expect(html).toContain("Damit der Go-live-Termin hält");
    expect(html).toContain("Beim aktuellen Tempo wird der Go-live 3 Arbeitstage nach dem von Ihnen angestrebten Datum erreicht.");
    expect(html).toContain("2 Schritte auf Ihrer Seite sind überfällig.");
    expect(html).not.toContain("(buyer) commented on");
    expect(html).not.toContain("Keeping go-live on track");
  });

  it("keeps the rep's page in English, and the buyer's page in English once they choose it", async () => {
    const rep = await text(manager, `/plans/${planId}`);
    expect(rep).toContain(`Dana Lee (buyer) commented on “${milestoneTitle}”: “Bitte bis Freitag.”`);
    expect(rep).not.toContain("Käuferseite");

    await db().updateTable("stakeholders").set({ locale: "en" }).where("id", "=", stakeholderId).execute();
    const english = await text(buyer, `/p/${planId}`);
    expect(english).toContain(`Dana Lee (buyer) commented on “${milestoneTitle}”: “Bitte bis Freitag.”`);
    expect(english).toContain("Keeping go-live on track");
    expect(english).toContain("2 steps on your side are past their due dates.");
    expect(english).not.toContain("Käuferseite");
  });
});
