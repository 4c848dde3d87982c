import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCalendarDays, makeCalendar } from "~/domain/calendar";
import { todayIn } from "~/domain/dates";
import { createTranslator } from "~/domain/i18n/translate";
import type { Database } from "~/infra/db.server";
import { calendarOf } from "~/models/organisation.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";

/*
 * ADR 046 follow-up: the parts of the buyer's page drawn by components the rep's pages share (the
 * go-live panel and its preview, the plan's dates, the timeline, comments, files and links, the
 * rep's card) speak the buyer's language, and the rep's pages keep their English. The page ships
 * its messages in the hydration data, so each assertion reads rendered markup (a tag around the
 * words), not the messages.
 */
describe.each(testDatabaseTargets())("the shared components on a buyer's page in their language, on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let buyer: TestClient;
  let rep: TestClient;
  let planId: string;
  let stakeholderId: string;
  const today = todayIn("UTC", new Date());
  const db = () => database.db;
  const clean = async (response: Response) => (await response.text()).replace(/<!-- -->/g, "");
  const buyerPage = async (path = "") => clean(await buyer.get(`/p/${planId}${path}`));
  const keep = (locale: string) => db().updateTable("stakeholders").set({ locale }).where("id", "=", stakeholderId).execute();

  beforeAll(async () => {
    database = await target.open();
    const seeded = await seedDemo(db(), today);
    server = await startTestServer(db(), database.kind);
    buyer = new TestClient(server.origin);
    const link = await db().selectFrom("share_links").select(["plan_id", "stakeholder_id"]).orderBy("created_at", "desc").executeTakeFirstOrThrow();
    stakeholderId = link.stakeholder_id;
    const opened = await buyer.post(
      `/s/${seeded.buyerLinkToken}`,
      { name: "Dana Lee", email: "dana.lee@acme-logistics.example" },
      { headers: { "Accept-Language": "de-DE,de;q=0.9" } },
    );
    expect(opened.status).toBe(302);
    planId = opened.headers.get("location")!.split("/").pop()!;
    rep = new TestClient(server.origin);
    await rep.login(DEMO_LOGINS.manager, DEMO_PASSWORD);
    // A comment from the buyer, for the comment lines on both sides.
    const milestone = await db().selectFrom("milestones").select("id").where("plan_id", "=", planId).orderBy("position").executeTakeFirstOrThrow();
    expect((await buyer.post(`/p/${planId}`, { intent: "comment", milestoneId: milestone.id, body: "Passt das Datum?" })).status).toBe(302);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("draws the go-live panel, the plan's dates, the timeline, comments, files and the rep's card in German", async () => {
    await keep("de");
    const html = await buyerPage();
    expect(html).toMatch(/id="go-live-heading"[^>]*>Ihr Go-live-Datum</);
    expect(html).toMatch(/>Neues Go-live-Datum</);
    expect(html).toMatch(/>Änderung in der Vorschau ansehen</);
    expect(html).toMatch(/>Voraussichtlicher Go-live</);
    expect(html).toMatch(/>(Vorgeschlagen|Festgelegt|Bestätigt) von [^<{]+ \((Verkäufer|Käufer)\) am /);
    expect(html).toMatch(/aria-label="Zeitplan"/);
    expect(html).toMatch(/aria-label="Zeitplan mit \d+ Meilensteinen vom /);
    expect(html).toMatch(/>Hängt ab von<\/text>/);
    expect(html).toMatch(/aria-label="Zeitplan als Liste"/);
    expect(html).toMatch(/>1 Kommentar<\/summary>/);
    expect(html).toMatch(/>Dana Lee \(Käufer\) · [^<]+</);
    expect(html).toContain('placeholder="Kommentar hinzufügen"');
    expect(html).toMatch(/id="resources-heading"[^>]*>Dateien und Links</);
    expect(html).toMatch(/>Datei oder Link hinzufügen</);
    expect(html).toMatch(/id="rep-heading"[^>]*>Ihr Ansprechpartner bei /);
    // None of the English of these components is drawn.
    expect(html).not.toMatch(/>Your go-live date</);
    expect(html).not.toMatch(/aria-label="Plan timeline"/);
    expect(html).not.toMatch(/>Files and links</);
  });

  it("previews a new go-live in German, the button naming the day in German", async () => {
    await keep("de");
    const org = await db().selectFrom("organisations").selectAll().executeTakeFirstOrThrow();
    const plan = await db().selectFrom("plans").select(["go_live", "version"]).where("id", "=", planId).executeTakeFirstOrThrow();
    const later = makeCalendar(calendarOf(org)).afterDate(plan.go_live > today ? plan.go_live : today, 5);
    const answer = await buyer.post(`/p/${planId}`, { intent: "preview-go-live", version: String(plan.version), goLive: later, reason: "Vorstand" });
    expect(answer.status).toBe(200);
    const html = await clean(answer);
    const day = createTranslator("de", {}).day(later, today);
    expect(html).toMatch(/>Wenn der Go-live am <time[^>]*>[^<]+<\/time> ist</);
    expect(html).toMatch(/offene? Meilensteine? verschieb(t|en) sich</);
    expect(html).toContain(`>Go-live auf ${day} verschieben</button>`);
    expect(html).toMatch(/>Go-live, den der Plan erreichen kann</);
  });

  it("refuses a go-live on a day off, or one already set, in German (preview and move), keeping the English for the rep", async () => {
    await keep("de");
    const org = await db().selectFrom("organisations").selectAll().executeTakeFirstOrThrow();
    const plan = await db().selectFrom("plans").select(["go_live", "version"]).where("id", "=", planId).executeTakeFirstOrThrow();
    const calendar = makeCalendar(calendarOf(org));
    // The first day after a working day that is not one (a weekend or a holiday), from the test's clock.
    let dayOff = calendar.afterDate(plan.go_live > today ? plan.go_live : today, 5);
    while (calendar.isWorkingDate(dayOff)) dayOff = addCalendarDays(dayOff, 1);
    const de = createTranslator("de", {});
    const next = de.day(calendar.onOrAfterDate(dayOff), today);
    for (const intent of ["preview-go-live", "propose-go-live"]) {
      const answer = await buyer.post(`/p/${planId}`, { intent, version: String(plan.version), goLive: dayOff, reason: "Vorstand" });
      expect(answer.status, intent).toBe(400);
      const html = await clean(answer);
      expect(html, intent).toContain(`Der ${de.day(dayOff, today)} ist kein Arbeitstag; der nächste Arbeitstag ist der ${next}.`);
      expect(html, intent).not.toContain("is not a working day");
    }
    const same = await buyer.post(`/p/${planId}`, { intent: "preview-go-live", version: String(plan.version), goLive: plan.go_live, reason: "Vorstand" });
    expect(same.status).toBe(400);
    expect(await clean(same)).toContain("Das ist bereits das Go-live-Datum; bitte wählen Sie ein anderes.");
  });

  it("words a pin the new go-live cannot honour in German, with the milestone's title and German dates", async () => {
    await keep("de");
    const org = await db().selectFrom("organisations").selectAll().executeTakeFirstOrThrow();
    const calendar = makeCalendar(calendarOf(org));
    const plan = await db().selectFrom("plans").select(["version"]).where("id", "=", planId).executeTakeFirstOrThrow();
    const milestone = await db()
      .selectFrom("milestones")
      .select(["id", "title"])
      .where("plan_id", "=", planId)
      .where("completed_on", "is", null)
      .orderBy("position")
      .executeTakeFirstOrThrow();
    const pinned = calendar.afterDate(today, 100);
    const goLive = calendar.afterDate(today, 60);
    await db().updateTable("milestones").set({ pinned_date: pinned }).where("id", "=", milestone.id).execute();
    try {
      const answer = await buyer.post(`/p/${planId}`, { intent: "preview-go-live", version: String(plan.version), goLive, reason: "Vorstand" });
      const html = await clean(answer);
      expect(answer.status, html.match(/role="alert"[^>]*>([^<]*)/)?.[1]).toBe(200);
      const de = createTranslator("de", {});
      expect(html).toContain(`„${milestone.title}“ ist auf ${de.day(pinned, today)} festgelegt, `);
      expect(html).toContain(`So kann der Plan den Go-live am ${de.day(goLive, today)} nicht erreichen.`);
      expect(html).not.toContain(`"${milestone.id}" is pinned`);
    } finally {
      await db().updateTable("milestones").set({ pinned_date: null }).where("id", "=", milestone.id).execute();
    }
  });

  it("shares a link on the buyer's files page in German: page, form and confirmation", async () => {
    await keep("de");
    const page = await buyerPage("/resources");
    expect(page).toContain("<title>Dateien und Links · Plan Together</title>");
    expect(page).toContain('lang="de"');
    expect(page).toMatch(/id="milestone-files-heading"[^>]*>Zu Meilensteinen</);
    const shared = await buyer.post(`/p/${planId}/resources`, {
      intent: "add-link",
      from: "resources",
      milestoneId: "",
      url: "https://example.com/dpa",
      title: "DPA",
    });
    expect(shared.status).toBe(302);
    const after = await buyerPage("/resources");
    expect(after).toMatch(/role="status"[^>]*>Der Link ist jetzt im Plan geteilt\./);
    expect(after).toMatch(/>Dana Lee \(Käufer\), <time/);
  });

  it("draws them in French for a buyer who keeps French", async () => {
    await keep("fr");
    const html = await buyerPage();
    expect(html).toMatch(/id="go-live-heading"[^>]*>Votre date de mise en service</);
    expect(html).toMatch(/>Mise en service prévue</);
    expect(html).toMatch(/aria-label="Calendrier du plan"/);
    expect(html).toMatch(/>1 commentaire<\/summary>/);
    expect(html).toMatch(/id="resources-heading"[^>]*>Fichiers et liens</);
    expect(html).toMatch(/id="rep-heading"[^>]*>Votre contact chez /);
    await keep("de");
  });

  it("keeps the same components in English on the rep's plan page, and on an English buyer's page", async () => {
    const html = await clean(await rep.get(`/plans/${planId}`));
    expect(html).toMatch(/>Projected go-live</);
    expect(html).toMatch(/>Forecast close</);
    expect(html).toMatch(/aria-label="Plan timeline"/);
    expect(html).toMatch(/>Depends on<\/text>/);
    expect(html).toMatch(/>1 comment<\/summary>/);
    expect(html).toMatch(/>Dana Lee \(buyer\) · [^<]+</);
    expect(html).toContain('placeholder="Add a comment"');
    expect(html).toMatch(/>Files and links</);
    expect(html).not.toMatch(/Zeitplan|Kommentar hinzufügen|Dateien und Links/);

    await keep("en");
    const english = await buyerPage();
    expect(english).toMatch(/id="go-live-heading"[^>]*>Your go-live date</);
    expect(english).toMatch(/id="rep-heading"[^>]*>Your contact at /);
    await keep("de");
  });
});
