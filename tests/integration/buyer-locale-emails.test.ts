import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCalendarDays } from "~/domain/calendar";
import { todayIn } from "~/domain/dates";
import { createTranslator } from "~/domain/i18n/translate";
import type { Database } from "~/infra/db.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";
import { workingDayOnOrAfter } from "../support/working-day";

/*
 * Issue 24, item 3 (ADR 046): the invitation and the go-live emails to a buyer are written in the
 * language kept for them; the same go-live email to the rep stays English. Read from the outbox,
 * as the dispatcher would send them.
 */
const flat = (text: string) => text.replace(/\s+/g, " ");

describe.each(testDatabaseTargets())("emails in the buyer's language on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let rep: TestClient;
  let buyer: TestClient;
  let planId: string;
  let championId: string;
  const today = todayIn("UTC", new Date());
  const german = createTranslator("de", {});
  const db = () => database.db;
  const plan = () => db().selectFrom("plans").selectAll().where("id", "=", planId).executeTakeFirstOrThrow();
  const outbox = () => db().selectFrom("email_outbox").selectAll().where("plan_id", "=", planId);
  const workingDayFrom = async (iso: string) => workingDayOnOrAfter(db(), (await plan()).org_id, iso);

  beforeAll(async () => {
    database = await target.open();
    await seedDemo(db(), today);
    server = await startTestServer(db(), database.kind);
    rep = new TestClient(server.origin);
    await rep.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    planId = (await db().selectFrom("plans").select("id").where("buyer_company", "=", "Globex Health").executeTakeFirstOrThrow()).id;
    championId = (await db().selectFrom("stakeholders").select("id").where("plan_id", "=", planId).where("side", "=", "buyer").executeTakeFirstOrThrow()).id;
    await db().updateTable("stakeholders").set({ locale: "de" }).where("id", "=", championId).execute();
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("invites a German buyer in German: subject, body, dates, footer and <html lang>; the reminder too", async () => {
    const created = await rep.post(`/plans/${planId}`, { intent: "create-link", stakeholderId: championId, days: "30" });
    expect(created.status).toBe(302);
    const rows = await outbox().where("kind", "in", ["invite", "invite_reminder"]).orderBy("kind").execute();
    expect(rows.map((r) => r.kind)).toEqual(["invite", "invite_reminder"]);
    const [invite, reminder] = rows;
    expect(invite.subject).toBe("Sam Okafor hat „Clinical reporting suite“ mit Ihnen geteilt (Northwind Analytics)");
    expect(invite.html).toContain('lang="de"');
    const text = flat(invite.text);
    expect(text).toContain("Guten Tag Marcus Webb,");
    expect(text).toContain("Sam Okafor hat den Plan mit Ihnen geteilt, nach dem Globex Health und Northwind Analytics gemeinsam arbeiten");
    const goLive = german.day((await plan()).go_live, today);
    expect(goLive).not.toMatch(/^[A-Z][a-z]{2} \d/); // German words, not the English "Tue 8 Dec"
    expect(text).toMatch(new RegExp(`Go-live\\s*\\|?\\s*${escapeRegExp(goLive)}`));
    expect(text).toContain("Plan öffnen");
    expect(text).toContain("Der Link ist persönlich und gilt bis");
    expect(text).toContain("Sie erhalten diese E-Mail, weil Sam Okafor Sie zu einem Plan in Plan Together hinzugefügt hat.");
    expect(text).toContain("E-Mail-Einstellungen oder abmelden");
    expect(text).not.toContain("Open the plan");

    expect(reminder.subject).toBe("Erinnerung: Sam Okafor hat „Clinical reporting suite“ mit Ihnen geteilt");
    expect(flat(reminder.text)).toContain("vor einigen Tagen hat Sam Okafor den folgenden Plan mit Ihnen geteilt");

    // The buyer opens their link (the token is in the invitation's body until it is sent).
    const token = invite.text.match(/\/s\/([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})/)![1];
    buyer = new TestClient(server.origin);
    expect((await buyer.post(`/s/${token}`, { name: "Marcus Webb", email: "m.webb@globex-health.example" })).status).toBe(302);
  });

  it("tells the rep of a German buyer's new go-live in English, and the German buyer of the rep's in German", async () => {
    const before = await plan();
    const moved = await workingDayFrom(addCalendarDays(before.go_live, 14));
    const response = await buyer.post(`/p/${planId}`, {
      intent: "propose-go-live",
      goLive: moved,
      reason: "Vorstand tagt erst im Mai",
      version: String(before.version),
    });
    expect(response.status).toBe(302);
    const [toRep] = await outbox().where("kind", "=", "go_live_changed").execute();
    expect(toRep.to_address).toBe(DEMO_LOGINS.rep1);
    expect(toRep.subject).toMatch(/^Globex Health moved go-live to \w{3} \d{1,2} \w{3}/);
    expect(toRep.html).toContain('lang="en"');
    expect(flat(toRep.text)).toContain("Hi Sam Okafor,");
    expect(flat(toRep.text)).toContain("Marcus Webb set a later go-live for Globex Health: Clinical reporting suite.");
    expect(flat(toRep.text)).toContain("Open the plan");
    expect(flat(toRep.text)).toContain("You get this email because you are on the Globex Health plan.");

    const current = await plan();
    const later = await workingDayFrom(addCalendarDays(current.go_live, 7));
    await rep.post(`/plans/${planId}/go-live`, { intent: "save", goLive: later, reason: "Training needs a week", version: String(current.version) });
    const toBuyer = await outbox().where("kind", "=", "go_live_changed").where("to_address", "=", "m.webb@globex-health.example").executeTakeFirstOrThrow();
    const newDate = german.day((await plan()).go_live, today);
    expect(toBuyer.subject).toBe(`Sam Okafor schlägt einen neuen Go-live vor: ${newDate}`);
    expect(toBuyer.html).toContain('lang="de"');
    const text = flat(toBuyer.text);
    expect(text).toContain("Guten Tag Marcus Webb,");
    expect(text).toContain("Sam Okafor schlägt im Plan „Clinical reporting suite“ von Globex Health einen späteren Go-live vor.");
    expect(text).toContain("Training needs a week");
    expect(text).toContain("Was sich damit verschoben hat");
    expect(text).toMatch(/: fällig am \S+ \d{1,2}\. \S+( \d{4})? \(bisher /);
    expect(text).toContain("Datum prüfen");
    expect(text).toContain("Sie erhalten diese E-Mail, weil Sie am Plan von Globex Health beteiligt sind.");
    expect(text).not.toContain("Review the date");
  });

  it("invites a colleague the German buyer adds in German, though the colleague has kept no language yet", async () => {
    const added = await buyer.post(`/p/${planId}`, { intent: "add-colleague", name: "Lena Vogt", email: "l.vogt@globex-health.example", title: "IT-Leiterin" });
    expect(added.status).toBe(302);
    const colleague = await db()
      .selectFrom("stakeholders")
      .select("locale")
      .where("plan_id", "=", planId)
      .where("email", "=", "l.vogt@globex-health.example")
      .executeTakeFirstOrThrow();
    expect(colleague.locale).toBeNull(); // their own browser chooses on their first visit
    const invite = await outbox().where("kind", "=", "invite").where("to_address", "=", "l.vogt@globex-health.example").executeTakeFirstOrThrow();
    expect(invite.subject).toBe("Marcus Webb hat „Clinical reporting suite“ mit Ihnen geteilt (Northwind Analytics)");
    expect(invite.html).toContain('lang="de"');
    expect(flat(invite.text)).toContain("Guten Tag Lena Vogt,");
  });
});

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
