import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayIn } from "~/domain/dates";
import type { Database } from "~/infra/db.server";
import { signPreferenceToken } from "~/models/email-preferences.server";
import { seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";

/*
 * Issue 24, item 3 (ADR 046), the buyer's pages beyond the plan's: the identity step, the error
 * pages, the calendar page and the email preferences speak the buyer's language; the rep's pages
 * drawing the same components keep their English.
 */
describe.each(testDatabaseTargets())("the buyer's other pages in the buyer's language on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let buyer: TestClient;
  let token: string;
  let planId: string;
  let stakeholderId: string;
  const db = () => database.db;
  const german = { "Accept-Language": "de-DE,de;q=0.9" };
  const text = async (response: Response) => (await response.text()).replace(/<!-- -->/g, "");
  const kept = async () => (await db().selectFrom("stakeholders").select("locale").where("id", "=", stakeholderId).executeTakeFirstOrThrow()).locale;

  beforeAll(async () => {
    database = await target.open();
    const seeded = await seedDemo(db(), todayIn("UTC", new Date()));
    token = seeded.buyerLinkToken!;
    server = await startTestServer(db(), database.kind);
    buyer = new TestClient(server.origin);
    const link = await db().selectFrom("share_links").select(["plan_id", "stakeholder_id"]).orderBy("created_at", "desc").executeTakeFirstOrThrow();
    planId = link.plan_id;
    stakeholderId = link.stakeholder_id;
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("asks for the buyer's name in their browser's language, refuses bad input in it, and keeps the language", async () => {
    const page = await text(await buyer.get(`/s/${token}`, { headers: german }));
    expect(page).toContain('lang="de"');
    expect(page).toContain("<title>Gemeinsamer Plan · Plan Together</title>");
    expect(page).toContain("hat einen Plan mit Ihnen geteilt");
    expect(page).toContain("Ihre geschäftliche E-Mail-Adresse");
    expect(page).toContain("Plan öffnen");
    expect(page).not.toContain("Open the plan");
    // An English browser still gets English.
    const english = await text(await buyer.get(`/s/${token}`, { headers: { "Accept-Language": "en-GB" } }));
    expect(english).toContain("shared a plan with you");
    expect(english).toContain("Open the plan");

    const noName = await buyer.post(`/s/${token}`, { name: " ", email: "dana.lee@acme-logistics.example" }, { headers: german });
    expect(noName.status).toBe(400);
    const refused = await text(noName);
    // As drawn (the page's messages also ship, all of them, for the browser).
    expect(refused).toMatch(/>Bitte prüfen Sie die markierten Felder\.</);
    expect(refused).toMatch(/>Bitte geben Sie Ihren Namen ein\.</);
    expect(refused).toContain('value="dana.lee@acme-logistics.example"');
    const badEmail = await buyer.post(`/s/${token}`, { name: "Dana Lee", email: "dana" }, { headers: { "Accept-Language": "fr-FR" } });
    expect(badEmail.status).toBe(400);
    expect(await text(badEmail)).toMatch(/>Veuillez saisir une adresse e-mail valide\.</);
    expect(await kept()).toBeNull();

    const opened = await buyer.post(`/s/${token}`, { name: "Dana Lee", email: "dana.lee@acme-logistics.example" }, { headers: german });
    expect(opened.status).toBe(302);
    expect(await kept()).toBe("de");
  });

  it("words the buyer error pages in the browser's language", async () => {
    const unknown = await new TestClient(server.origin).get("/s/not-a-real-token-at-all", { headers: german });
    expect(unknown.status).toBe(404);
    const html = await text(unknown);
    expect(html).toContain('lang="de"');
    expect(html).toContain("Dieser Link ist nicht aktiv");
    expect(html).not.toContain("This link is not active");
    expect(await text(await new TestClient(server.origin).get("/s/not-a-real-token-at-all"))).toContain("This link is not active");

    const stranger = new TestClient(server.origin);
    const spanish = await stranger.get(`/p/${planId}`, { headers: { "Accept-Language": "es-ES" } });
    expect(spanish.status).toBe(404);
    const refusal = await text(spanish);
    expect(refusal).toContain("Este plan no se puede mostrar en este dispositivo");
    expect(refusal).toContain("Este dispositivo todavía no ha iniciado sesión en este plan.");
    expect(await text(await stranger.get(`/p/${planId}`))).toContain("This plan can&#x27;t be shown on this device");
  });

  it("shows the buyer's calendar page in their kept language, and the rep's calendar page in English", async () => {
    const page = await text(await buyer.get(`/p/${planId}/calendar`, { headers: { "Accept-Language": "en-US" } }));
    expect(page).toContain('lang="de"');
    expect(page).toContain("<title>Kalender · Plan Together</title>");
    expect(page).toContain("in Ihrem Kalender");
    expect(page).toContain("Ihre Meilensteine");
    expect(page).toContain("Weitere Kalender → + → Per URL, dann die Adresse einfügen.");
    expect(page).toContain("Neue Adresse erstellen");
    expect(page).not.toContain("Get a new address");
    const rotated = await buyer.post(`/p/${planId}/calendar`, { intent: "rotate", scope: "mine" });
    expect(rotated.status).toBe(200);
    expect(await text(rotated)).toMatch(/>Die neue Adresse ist bereit\./);

    const rep = new TestClient(server.origin);
    expect((await rep.login("rep1@demo.example", "demo-password")).status).toBe(302);
    const repPage = await text(await rep.get("/calendar-feed", { headers: german }));
    expect(repPage).toContain("Other calendars → + → From URL, then paste the address.");
    expect(repPage).toContain("Get a new address");
    expect(repPage).not.toContain("Neue Adresse erstellen");
  });

  it("shows a buyer's email preferences in their kept language, a seller's in English", async () => {
    const person = await db().selectFrom("stakeholders").select(["org_id", "email"]).where("id", "=", stakeholderId).executeTakeFirstOrThrow();
    const path = `/email-preferences/${signPreferenceToken({ orgId: person.org_id, email: person.email, audience: "buyer" })}`;
    const stranger = new TestClient(server.origin);
    const page = await text(await stranger.get(path, { headers: { "Accept-Language": "en-US" } }));
    expect(page).toContain('lang="de"');
    expect(page).toContain("<title>E-Mail-Einstellungen · Plan Together</title>");
    expect(page).toContain("Einladungen");
    expect(page).toContain("Bald fällige Meilensteine");
    expect(page).toContain("Auswahl speichern");
    expect(page).not.toContain("Save my choices");
    const saved = await stranger.post(path, { intent: "save", kind: "due_soon" });
    expect(saved.status).toBe(200);
    expect(await text(saved)).toMatch(/>Gespeichert\. Sie erhalten nur noch die E-Mails, die Sie ausgewählt haben\.</);

    const seller = `/email-preferences/${signPreferenceToken({ orgId: person.org_id, email: "rep1@demo.example", audience: "seller" })}`;
    const repPage = await text(await stranger.get(seller, { headers: german }));
    expect(repPage).toContain("Email preferences");
    expect(repPage).toContain("Your milestones due soon");
    expect(repPage).toContain("Save my choices");
    expect(repPage).not.toContain("Auswahl speichern");
  });

  it("refuses a buyer's form in their language, and the rep's page keeps the English refusal", async () => {
    expect(await kept()).toBe("de");
    const milestone = await db().selectFrom("milestones").select(["id", "version"]).where("plan_id", "=", planId).orderBy("position").executeTakeFirstOrThrow();
    const comment = await buyer.post(`/p/${planId}`, { intent: "comment", milestoneId: milestone.id, body: "  " }, { headers: { "Accept-Language": "en-US" } });
    expect(comment.status).toBe(400);
    const page = await text(comment);
    expect(page).toMatch(/>Bitte korrigieren Sie die markierten Felder\.</);
    expect(page).not.toContain("Please fix the highlighted fields.");

    const colleague = await buyer.post(`/p/${planId}`, { intent: "add-colleague", name: "", email: "nope", title: "" });
    expect(colleague.status).toBe(400);
    const refused = await text(colleague);
    expect(refused).toMatch(/>Bitte geben Sie den Namen ein\.</);
    expect(refused).toMatch(/>Bitte geben Sie eine gültige E-Mail-Adresse ein\.</);
    expect(refused).toMatch(/>Bitte korrigieren Sie die markierten Felder\.</);
    expect(refused).not.toContain("Enter their name.");

    // Someone else saved first: the buyer's stale version is refused, naming them, in German.
    await buyer.post(`/p/${planId}`, { intent: "done", milestoneId: milestone.id, version: String(milestone.version) });
    const stale = await buyer.post(`/p/${planId}`, { intent: "reopen", milestoneId: milestone.id, version: String(milestone.version) });
    expect(stale.status).toBe(409);
    expect(await text(stale)).toMatch(/>Dana Lee hat eine Änderung gespeichert, während Sie bearbeitet haben\./);

    const owner = await db()
      .selectFrom("plans")
      // Joined on the organisation too: Citus joins distributed tables only on their distribution column.
      .innerJoin("users", (j) => j.onRef("users.org_id", "=", "plans.org_id").onRef("users.id", "=", "plans.owner_id"))
      .select("users.email")
      .where("plans.id", "=", planId)
      .executeTakeFirstOrThrow();
    const rep = new TestClient(server.origin);
    expect((await rep.login(owner.email, "demo-password")).status).toBe(302);
    const repRefusal = await rep.post(`/plans/${planId}`, { intent: "comment", milestoneId: milestone.id, body: "  " }, { headers: german });
    expect(repRefusal.status).toBe(400);
    const repPage = await text(repRefusal);
    expect(repPage).toMatch(/>Please fix the highlighted fields\.</);
    expect(repPage).not.toContain("Bitte korrigieren");
  });
});
