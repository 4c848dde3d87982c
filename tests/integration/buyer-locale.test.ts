import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCalendar } from "~/domain/calendar";
import { todayIn } from "~/domain/dates";
import { createTranslator } from "~/domain/i18n/translate";
import type { Database } from "~/infra/db.server";
import { enqueueScheduledEmails } from "~/models/notifications.server";
import { calendarOf } from "~/models/organisation.server";
import { seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";

/*
 * Issue 24, item 3 (ADR 046): the buyer's language is taken from their browser on their first
 * visit, kept on their stakeholder row, changeable on the page, and the emails to them use it.
 */
describe.each(testDatabaseTargets())("the buyer's language on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let buyer: TestClient;
  let planId: string;
  let stakeholderId: string;
  const db = () => database.db;
  const kept = async () => (await db().selectFrom("stakeholders").select("locale").where("id", "=", stakeholderId).executeTakeFirstOrThrow()).locale;
  const page = async (headers: Record<string, string> = {}) => (await (await buyer.get(`/p/${planId}`, { headers })).text()).replace(/<!-- -->/g, "");

  beforeAll(async () => {
    database = await target.open();
    const seeded = await seedDemo(db(), todayIn("UTC", new Date()));
    server = await startTestServer(db(), database.kind);
    buyer = new TestClient(server.origin);
    const link = await db().selectFrom("share_links").select(["plan_id", "stakeholder_id"]).orderBy("created_at", "desc").executeTakeFirstOrThrow();
    stakeholderId = link.stakeholder_id;
    expect(await kept()).toBeNull();
    const opened = await buyer.post(
      `/s/${seeded.buyerLinkToken}`,
      { name: "Dana Lee", email: "dana.lee@acme-logistics.example" },
      { headers: { "Accept-Language": "de-AT,de;q=0.9,en;q=0.5" } },
    );
    expect(opened.status).toBe(302);
    planId = opened.headers.get("location")!.split("/").pop()!;
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("keeps the browser's language from the first visit, and the page speaks it whatever the next browser says", async () => {
    expect(await kept()).toBe("de");
    const html = await page({ "Accept-Language": "en-US" });
    expect(html).toContain('lang="de"');
    expect(html).toContain("Ihr gemeinsamer Plan mit");
    expect(html).toContain("Der gesamte Plan");
    // Only the reader's language ships: no other language's page messages in the hydration data.
    expect(html).not.toContain("Your shared plan with");
    expect(html).not.toContain("Votre plan partagé");
  });

  it("changes the language from the page's form (no JavaScript), and refuses one it does not speak", async () => {
    const changed = await buyer.post(`/p/${planId}`, { intent: "locale", locale: "fr" });
    expect(changed.status).toBe(302);
    expect(changed.headers.get("location")).toBe(`/p/${planId}#language`);
    expect(await kept()).toBe("fr");
    const html = await page();
    expect(html).toContain("Cette page et vos e-mails concernant ce plan sont désormais en français.");
    expect(html).toContain("Votre plan partagé avec");

    const refused = await buyer.post(`/p/${planId}`, { intent: "locale", locale: "xx" });
    expect(refused.status).toBe(400);
    // Refused in the page's language (French, kept), with the English one not shown.
    // Whole characters only: React's stream once put a NUL before this message's "’" (server/react-stream.test.ts).
    const refusal = await refused.text();
    expect(refusal).not.toContain("\u0000");
    expect(refusal).toMatch(/role="alert"[^>]*>Veuillez choisir l’une des langues proposées\.</);
    expect(refusal).not.toContain("Choose one of the languages offered.");
    expect(await kept()).toBe("fr");
    await buyer.post(`/p/${planId}`, { intent: "locale", locale: "de" });
    expect(await kept()).toBe("de");
  });

  it("answers an action in the language the page was read in when none is kept: the browser's", async () => {
    // A buyer whose first browser named none of our languages has none kept.
    await db().updateTable("stakeholders").set({ locale: null }).where("id", "=", stakeholderId).execute();
    const spanish = { "Accept-Language": "es-MX,es;q=0.9" };
    expect(await page(spanish)).toContain('lang="es"');
    const milestone = await db().selectFrom("milestones").select("id").where("plan_id", "=", planId).orderBy("position").executeTakeFirstOrThrow();
    const posted = await buyer.post(
      `/p/${planId}`,
      { intent: "comment", milestoneId: milestone.id, body: "¿Podemos adelantar la revisión?" },
      { headers: spanish },
    );
    expect(posted.status).toBe(302);
    // The confirmation itself (the page's messages also ship "Comentario publicado." for the browser).
    expect(await page(spanish)).toMatch(/role="status"[^>]*>Comentario publicado\./);
    expect(await kept()).toBeNull();
    await buyer.post(`/p/${planId}`, { intent: "locale", locale: "de" });
    expect(await kept()).toBe("de");
  });

  it("writes a buyer's reminder in their kept language: subject, body and dates", async () => {
    const now = new Date();
    const today = todayIn("UTC", now);
    const org = await db().selectFrom("organisations").selectAll().executeTakeFirstOrThrow();
    const dueSoon = makeCalendar(calendarOf(org)).afterDate(today, 2);
    const milestone = await db()
      .selectFrom("milestones")
      .select(["id", "title"])
      .where("plan_id", "=", planId)
      .where("owner_side", "=", "buyer")
      .where("completed_on", "is", null)
      .orderBy("position")
      .executeTakeFirstOrThrow();
    await db().updateTable("stakeholders").set({ locale: "es" }).where("id", "=", stakeholderId).execute();
    await db().updateTable("milestones").set({ owner_stakeholder_id: stakeholderId, due_date: dueSoon }).where("id", "=", milestone.id).execute();
    await enqueueScheduledEmails(db(), now);
    const email = await db()
      .selectFrom("email_outbox")
      .select(["subject", "html", "text"])
      .where("dedupe_key", "=", `due:${milestone.id}:${dueSoon}`)
      .executeTakeFirstOrThrow();
    const date = createTranslator("es", {}).day(dueSoon, today);
    expect(date).not.toMatch(/[A-Z][a-z]{2} \d/); // Spanish words, not the English "Tue 8 Dec"
    expect(email.subject).toBe(`Vence el ${date}: ${milestone.title}`);
    expect(email.html).toContain('lang="es"');
    const text = email.text.replace(/\s+/g, " ");
    expect(text).toContain(`«${milestone.title}» vence en 2 días hábiles`);
    expect(text).toContain(`vence el ${date}`);
    expect(text).toContain("Abrir el plan");
    expect(text).toContain("Preferencias de correo o cancelar la suscripción");
    expect(text).not.toContain("Open the plan");
  });
});
