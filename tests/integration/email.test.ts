import ICAL from "ical.js";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCalendarDays, makeCalendar, weekday } from "~/domain/calendar";
import { formatDay, todayIn } from "~/domain/dates";
import { fiscalQuarterAt, fiscalQuarterIndex } from "~/domain/fiscal-quarters";
import { goLiveUid, milestoneUid } from "~/domain/ics";
import { closePlan } from "~/models/plan-outcome.server";
import { calendarOf } from "~/models/organisation.server";
import { enqueueScheduledEmails } from "~/models/notifications.server";
import { claimDueEmails, enqueueEmail } from "~/models/outbox.server";
import type { Database } from "~/infra/db.server";
import { createSmtpMailer, devMailbox, dispatchOnce, dispatchUntilIdle, type Mailer } from "~/jobs/email-dispatcher.server";
import { devMailboxEnabled, parseEnv } from "~/infra/env.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";
import { startSmtpPeer, type ReceivedEmail, type SmtpPeer } from "../support/smtp";
import { workingDayOnOrAfter } from "../support/working-day";

/** Go-live must be a working day (Mon–Fri in the demo organisation): offsets land on the next one. */

/*
 * Emails end to end: the write path puts them in the outbox, a dispatcher sends them through a
 * real SMTP server (smtp-server on a loopback port), and the tests read what arrived there.
 * Calendar feeds are fetched over HTTP and parsed back with ical.js.
 */

const FROM = "Plan Together <plans@test.example>";
const CHAMPION = "m.webb@globex-health.example";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Plain-text parts are wrapped at 78 columns: compare them with the line breaks flattened. */
const flat = (text: string) => text.replace(/\s+/g, " ");

describe.each(testDatabaseTargets())("emails and calendars on $name", (target) => {
  const workingDayFrom = (iso: string) => workingDayOnOrAfter(db(), orgId, iso);
  /**
   * A buyer's later emails carry a signed way back in (not the raw token), which opens their
   * identity step. Links in emails a request queued start with the address that request came in
   * on (no APP_URL here: the test server's own); those sent on a timer can only say localhost.
   */
  async function expectWayIn(text: string, origin = server.origin) {
    const url = text.match(new RegExp(`${escapeRegExp(origin)}(/o/[A-Za-z0-9_.-]+)`));
    expect(url, "a signed link back to the plan").not.toBeNull();
    const page = await new TestClient(server.origin).get(url![1]);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Confirm who you are");
  }

  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let peer: SmtpPeer;
  let smtp: Mailer;
  let rep: TestClient;
  let buyer: TestClient;
  let orgId: string;
  let planId: string;
  let championId: string;
  const secrets: string[] = [];

  const db = () => database.db;
  const plan = () => db().selectFrom("plans").selectAll().where("id", "=", planId).executeTakeFirstOrThrow();
  const outbox = () => db().selectFrom("email_outbox").selectAll();
  const arrived = (messageId: string) => peer.received.filter((m) => m.messageId === messageId);
  const kindOf = (m: ReceivedEmail) => m.header("x-plan-together-kind");
  const pathOf = (url: string) => new URL(url).pathname;

  function testEmail(subject: string, to = "someone@demo.example") {
    return enqueueEmail(db(), {
      orgId,
      kind: "due_soon",
      to: { email: to, name: "Someone" },
      audience: "seller",
      subject,
      html: `<p>${subject}</p>`,
      text: subject,
      preferencesUrl: "http://localhost:3000/email-preferences/x",
      messageIdDomain: "test.example",
    });
  }
  const rowBySubject = (subject: string) => outbox().where("subject", "=", subject).executeTakeFirstOrThrow();

  beforeAll(async () => {
    database = await target.open();
    await seedDemo(db(), todayIn("UTC", new Date()));
    server = await startTestServer(db(), database.kind);
    peer = await startSmtpPeer();
    smtp = createSmtpMailer(peer.url, FROM);
    rep = new TestClient(server.origin);
    await rep.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    const globex = await db().selectFrom("plans").select(["id", "org_id"]).where("buyer_company", "=", "Globex Health").executeTakeFirstOrThrow();
    planId = globex.id;
    orgId = globex.org_id;
    championId = (await db().selectFrom("stakeholders").select("id").where("plan_id", "=", planId).where("side", "=", "buyer").executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    smtp?.close();
    await peer?.close();
    await server?.close();
    await database?.drop();
  });

  /** The rep makes a link for the champion: the invite (and its reminder) go into the outbox with it. */
  async function createLink() {
    const response = await rep.post(`/plans/${planId}`, { intent: "create-link", stakeholderId: championId, days: "30" });
    expect(response.status).toBe(302);
    return db().selectFrom("share_links").selectAll().where("plan_id", "=", planId).orderBy("created_at", "desc").executeTakeFirstOrThrow();
  }

  it("invites a buyer with a link that works, through the SMTP server", async () => {
    const link = await createLink();
    const rows = await outbox().where("share_link_id", "=", link.id).orderBy("kind").execute();
    expect(rows.map((r) => [r.kind, r.status, r.to_address])).toEqual([
      ["invite", "pending", CHAMPION],
      ["invite_reminder", "pending", CHAMPION],
    ]);
    // The reminder waits three days.
    expect(new Date(rows[1].next_attempt_at).getTime() - Date.now()).toBeGreaterThan(2.9 * 86_400_000);

    const report = await dispatchUntilIdle(db(), smtp);
    expect(report).toMatchObject({ sent: 1, failed: 0 });
    const [invite] = arrived(rows[0].message_id);
    expect(invite.to).toEqual([CHAMPION]);
    expect(invite.subject).toBe("Sam Okafor shared “Clinical reporting suite” with you (Northwind Analytics)");
    const url = invite.text.match(new RegExp(`${escapeRegExp(server.origin)}/s/([A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43})`));
    expect(url).not.toBeNull();
    secrets.push(url![1]);
    expect(invite.html).toContain(url![0]);
    expect(invite.text).toContain("Hi Marcus Webb");
    expect(invite.header("list-unsubscribe")).toMatch(new RegExp(`^<${escapeRegExp(server.origin)}/email-preferences/[\\w-]+\\.[\\w-]{43}>$`));
    expect(invite.header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    // From the rep through the portal: their name at MAIL_FROM's address, answers go to them.
    expect(invite.header("from")).toMatch(/^"?Sam Okafor via Plan Together"? <plans@test\.example>$/);
    expect(invite.header("reply-to")).toMatch(/^"?Sam Okafor"? <rep1@demo\.example>$/);
    expect(invite.header("x-plan-together-sender")).toBeUndefined();

    const page = await new TestClient(server.origin).get(pathOf(url![0]));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Confirm who you are");
    // Once the SMTP server has it, the outbox keeps no copy of the token.
    const sent = await outbox().where("id", "=", rows[0].id).executeTakeFirstOrThrow();
    expect(sent.status).toBe("sent");
    expect(`${sent.html}${sent.text}`).not.toContain(url![1]);
  });

  it("reminds an unopened invitation once, and not an opened one", async () => {
    const firstLink = await db().selectFrom("share_links").select("id").where("plan_id", "=", planId).orderBy("created_at", "desc").executeTakeFirstOrThrow();
    // A second link, which the buyer opens and confirms.
    const opened = await createLink();
    await dispatchUntilIdle(db(), smtp);
    const invite2 = await outbox().where("share_link_id", "=", opened.id).where("kind", "=", "invite").executeTakeFirstOrThrow();
    const token = arrived(invite2.message_id)[0].text.match(/\/s\/([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})/)![1];
    secrets.push(token);
    buyer = new TestClient(server.origin);
    expect((await buyer.get(`/s/${token}`)).status).toBe(200);
    expect((await buyer.post(`/s/${token}`, { name: "Marcus Webb", email: CHAMPION })).status).toBe(302);
    // The second link replaced the first (ADR 012); an unopened live invitation is the colleague's the buyer brings in.
    expect((await buyer.post(`/p/${planId}`, { intent: "add-colleague", name: "Nora Hale", email: "nora.hale@globex-health.example", title: "" })).status).toBe(
      302,
    );
    const colleague = await db().selectFrom("share_links").select("id").where("plan_id", "=", planId).orderBy("created_at", "desc").executeTakeFirstOrThrow();

    // Three days pass.
    await db()
      .updateTable("email_outbox")
      .set({ next_attempt_at: sql`now() - interval '1 second'` })
      .where("kind", "=", "invite_reminder")
      .execute();
    await dispatchUntilIdle(db(), smtp);
    await dispatchUntilIdle(db(), smtp);
    const reminders = await outbox().where("kind", "=", "invite_reminder").orderBy("created_at").execute();
    expect(reminders.map((r) => [r.share_link_id, r.status])).toEqual([
      [firstLink.id, "skipped"],
      [opened.id, "skipped"],
      [colleague.id, "sent"],
    ]);
    expect(reminders[0].last_error).toContain("revoked");
    expect(reminders[1].last_error).toContain("opened");
    const received = arrived(reminders[2].message_id);
    expect(received).toHaveLength(1);
    expect(received[0].subject).toMatch(/^Reminder: Marcus Webb shared/);
    expect(received[0].text).toMatch(/\/s\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/);
    expect(arrived(reminders[1].message_id)).toHaveLength(0);
  });

  it("tells the other side when the go-live moves, with the reason and what moved", async () => {
    peer.clear();
    const before = await plan();
    const proposed = addCalendarDays(before.go_live, 14);
    const response = await buyer.post(`/p/${planId}`, {
      intent: "propose-go-live",
      goLive: proposed,
      reason: "Board approval moved to May",
      version: String(before.version),
    });
    expect(response.status).toBe(302);
    const toSellers = await outbox().where("plan_id", "=", planId).where("kind", "=", "go_live_changed").execute();
    expect(toSellers.map((r) => [r.to_address, r.audience])).toEqual([[DEMO_LOGINS.rep1, "seller"]]);
    await dispatchUntilIdle(db(), smtp);
    const [email] = arrived(toSellers[0].message_id);
    expect(email.subject).toMatch(/^Globex Health moved go-live to \w{3} \d{1,2} \w{3}/);
    expect(flat(email.text)).toContain("Marcus Webb moved the go-live date");
    expect(flat(email.text)).toContain("Board approval moved to May");
    expect(email.text).toContain("What moved with it");
    expect(flat(email.text)).toMatch(/Legal redlines: due \w{3} \d{1,2} \w{3}( \d{4})? \(was \w{3} \d{1,2} \w{3}/);
    expect(email.text).toContain(`${server.origin}/plans/${planId}`);

    // The rep moves it again: now the buyer side hears of it (once per person), the rep does not.
    const current = await plan();
    await rep.post(`/plans/${planId}/go-live`, {
      intent: "save",
      goLive: await workingDayFrom(addCalendarDays(current.go_live, 7)),
      reason: "Training needs a week",
      version: String(current.version),
    });
    const toBuyers = await outbox()
      .where("plan_id", "=", planId)
      .where("kind", "=", "go_live_changed")
      .where(
        "id",
        "not in",
        toSellers.map((r) => r.id),
      )
      .execute();
    // Every buyer with a live link hears of it: the champion and the colleague brought in above.
    expect(toBuyers.map((r) => [r.to_address, r.audience]).sort()).toEqual([
      [CHAMPION, "buyer"],
      ["nora.hale@globex-health.example", "buyer"],
    ]);
    await dispatchUntilIdle(db(), smtp);
    const [proposal] = arrived(toBuyers[0].message_id);
    expect(proposal.subject).toMatch(/^Sam Okafor proposed a new go-live: /);
    expect(flat(proposal.text)).toContain("Training needs a week");
    expect(flat(proposal.text)).toContain("It stays a proposal until someone on your side confirms it");
    await expectWayIn(proposal.text);
    expect(peer.received.filter((m) => m.to.includes(DEMO_LOGINS.rep1))).toHaveLength(1);
  });

  it("tells the rep what buyers did, with the comment's text, at most once per plan every 15 minutes", async () => {
    peer.clear();
    const t0 = new Date();
    const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
    const buyerMilestone = await db()
      .selectFrom("milestones")
      .selectAll()
      .where("plan_id", "=", planId)
      .where("owner_side", "=", "buyer")
      .where("completed_on", "is", null)
      .orderBy("position")
      .executeTakeFirstOrThrow();

    // The demo's own buyer history (seeded this week) goes out first, half an hour ago.
    await enqueueScheduledEmails(db(), minutes(-30));
    const seeded = new Set((await outbox().where("kind", "=", "buyer_activity").execute()).map((r) => r.id));
    const buyerActivity = async () =>
      (await outbox().where("plan_id", "=", planId).where("kind", "=", "buyer_activity").orderBy("created_at").execute()).filter((r) => !seeded.has(r.id));

    // Two buyer actions within 15 minutes: a comment on the plan, a milestone marked done.
    expect((await buyer.post(`/p/${planId}`, { intent: "comment", body: "Procurement signed off on the order form." })).status).toBe(302);
    expect((await buyer.post(`/p/${planId}`, { intent: "done", milestoneId: buyerMilestone.id, version: String(buyerMilestone.version) })).status).toBe(302);
    expect((await enqueueScheduledEmails(db(), t0)).buyerActivity).toBe(1);
    expect((await enqueueScheduledEmails(db(), t0)).buyerActivity).toBe(0); // another server's tick adds nothing
    const first = await buyerActivity();
    expect(first.map((r) => [r.to_address, r.audience])).toEqual([[DEMO_LOGINS.rep1, "seller"]]);
    await dispatchUntilIdle(db(), smtp);
    const [email] = arrived(first[0].message_id);
    expect(email.subject).toBe("Globex Health: 2 updates from Marcus Webb");
    const text = flat(email.text);
    expect(text).toContain("Marcus Webb (buyer) commented on the plan: “Procurement signed off on the order form.”");
    expect(text).toContain(`Marcus Webb (buyer) marked “${buyerMilestone.title}” done`);
    expect(text.indexOf("commented")).toBeLessThan(text.indexOf("marked"));
    expect(text).toContain(`http://localhost:3000/plans/${planId}`);
    expect(email.header("list-unsubscribe")).toMatch(/^<http:\/\/localhost:3000\/email-preferences\//);

    // A third action 5 minutes later waits: the plan had its email less than 15 minutes ago.
    expect((await buyer.post(`/p/${planId}`, { intent: "comment", milestoneId: buyerMilestone.id, body: "Invoice address is in the PO." })).status).toBe(302);
    expect((await enqueueScheduledEmails(db(), minutes(5))).buyerActivity).toBe(0);
    expect((await enqueueScheduledEmails(db(), minutes(14))).buyerActivity).toBe(0);
    // 15 minutes after the first email: a second one, with only what happened since.
    expect((await enqueueScheduledEmails(db(), minutes(15))).buyerActivity).toBe(1);
    const second = (await buyerActivity()).filter((r) => r.id !== first[0].id);
    expect(second).toHaveLength(1);
    await dispatchUntilIdle(db(), smtp);
    const [again] = arrived(second[0].message_id);
    expect(again.subject).toBe("Globex Health: 1 update from Marcus Webb");
    expect(flat(again.text)).toContain(`Marcus Webb (buyer) commented on “${buyerMilestone.title}”: “Invoice address is in the PO.”`);
    expect(flat(again.text)).not.toContain("Procurement signed off");

    // The plan's page says what the comment said, too.
    expect(await (await rep.get(`/plans/${planId}`)).text()).toContain("commented on the plan: “Procurement signed off on the order form.”");

    // A closed plan's news stops with it.
    expect((await buyer.post(`/p/${planId}`, { intent: "comment", body: "One more thing." })).status).toBe(302);
    await db()
      .updateTable("plans")
      .set({ status: "won", closed_on: todayIn("UTC", new Date()) })
      .where("id", "=", planId)
      .execute();
    expect((await enqueueScheduledEmails(db(), minutes(45))).buyerActivity).toBe(0);
    await db().updateTable("plans").set({ status: "active", closed_on: null }).where("id", "=", planId).execute();
    expect(await buyerActivity()).toHaveLength(2);
    await dispatchUntilIdle(db(), smtp);
  });

  it("leaves out a rep who turned buyer activity off", async () => {
    const later = new Date(Date.now() + 60 * 60_000);
    await db()
      .insertInto("notification_preferences")
      .values({ org_id: orgId, email: DEMO_LOGINS.rep1, choices: JSON.stringify({ buyer_activity: false }) })
      .execute();
    const before = await outbox().where("kind", "=", "buyer_activity").execute();
    expect((await enqueueScheduledEmails(db(), later)).buyerActivity).toBe(0);
    expect(await outbox().where("kind", "=", "buyer_activity").execute()).toHaveLength(before.length);
    await db().deleteFrom("notification_preferences").where("org_id", "=", orgId).where("email", "=", DEMO_LOGINS.rep1).execute();
  });

  it("reminds a milestone's owner, and only them, before it is due and when it is missed", async () => {
    peer.clear();
    const now = new Date();
    const today = todayIn("UTC", now);
    const org = await db().selectFrom("organisations").selectAll().where("id", "=", orgId).executeTakeFirstOrThrow();
    const calendar = makeCalendar(calendarOf(org));
    const open = await db().selectFrom("milestones").selectAll().where("plan_id", "=", planId).where("completed_on", "is", null).orderBy("position").execute();
    const buyerOwned = open.find((m) => m.owner_side === "buyer")!;
    const unownedBuyer = open.filter((m) => m.owner_side === "buyer")[1];
    const sellerOwned = open.find((m) => m.owner_side === "seller")!;
    const dueSoon = calendar.afterDate(today, 2);
    const missed = calendar.beforeDate(today, 1);
    // The stored schedule says: the champion's milestone is due in 2 working days, the rep's was due yesterday.
    await db().updateTable("milestones").set({ owner_stakeholder_id: championId, due_date: dueSoon }).where("id", "=", buyerOwned.id).execute();
    await db()
      .updateTable("milestones")
      .set({ owner_stakeholder_id: null, due_date: calendar.afterDate(today, 1) })
      .where("id", "=", unownedBuyer.id)
      .execute();
    await db().updateTable("milestones").set({ owner_stakeholder_id: null, due_date: missed }).where("id", "=", sellerOwned.id).execute();

    await enqueueScheduledEmails(db(), now);
    await enqueueScheduledEmails(db(), now); // idempotent: a second tick (another server) adds nothing
    const rowsFor = (id: string) => outbox().where("dedupe_key", "like", `%:${id}:%`).execute();
    const [soon, late, nobody] = [await rowsFor(buyerOwned.id), await rowsFor(sellerOwned.id), await rowsFor(unownedBuyer.id)];
    expect(soon.map((r) => [r.kind, r.to_address, r.dedupe_key])).toEqual([["due_soon", CHAMPION, `due:${buyerOwned.id}:${dueSoon}`]]);
    expect(late.map((r) => [r.kind, r.to_address, r.dedupe_key])).toEqual([["overdue", DEMO_LOGINS.rep1, `overdue:${sellerOwned.id}:${missed}`]]);
    expect(nobody).toEqual([]);

    await dispatchUntilIdle(db(), smtp);
    const [toBuyer] = arrived(soon[0].message_id);
    expect(toBuyer.to).toEqual([CHAMPION]);
    expect(toBuyer.subject).toBe(`Due ${formatDay(dueSoon, today)}: ${buyerOwned.title}`);
    expect(flat(toBuyer.text)).toContain(`“${buyerOwned.title}” is due in 2 working days`);
    await expectWayIn(toBuyer.text, "http://localhost:3000");
    const [toRep] = arrived(late[0].message_id);
    expect(toRep.to).toEqual([DEMO_LOGINS.rep1]);
    expect(toRep.subject).toBe(`Overdue since ${formatDay(missed, today)}: ${sellerOwned.title}`);
    expect(toRep.text).toContain(`http://localhost:3000/plans/${planId}`);
  });

  it("sends each manager a weekly digest on Monday morning, once", async () => {
    peer.clear();
    const today = todayIn("UTC", new Date());
    const monday = addCalendarDays(today, -(weekday(today) - 1));
    const mondayMorning = new Date(`${monday}T08:00:00Z`);
    // The Globex close date was pushed into a later quarter before, and again this week.
    await db()
      .insertInto("plan_date_history")
      .values([
        {
          org_id: orgId,
          plan_id: planId,
          field: "forecast_close_date",
          old_date: addCalendarDays(today, -200),
          new_date: addCalendarDays(today, -100),
          actor_name: "Sam Okafor",
          actor_side: "seller",
          created_at: new Date(Date.now() - 150 * 86_400_000),
        },
        {
          org_id: orgId,
          plan_id: planId,
          field: "forecast_close_date",
          old_date: addCalendarDays(today, 40),
          new_date: addCalendarDays(today, 160),
          actor_name: "Sam Okafor",
          actor_side: "seller",
          created_at: new Date(),
        },
      ])
      .execute();

    // A deal won last quarter, whose plan 100 days earlier showed a buyer-set go-live, a close date 3
    // days after the real one and a CRM date 20 days before it: the digest's accuracy headline.
    const lastQuarter = fiscalQuarterAt(fiscalQuarterIndex(monday, 2) - 1, 2);
    const wonOn = addCalendarDays(lastQuarter.start, 10);
    const tyrell = await db().selectFrom("plans").select(["id", "owner_id"]).where("buyer_company", "=", "Tyrell Corporation").executeTakeFirstOrThrow();
    const early = { org_id: orgId, plan_id: tyrell.id, actor_name: "Rachael Tyrell", effective_on: addCalendarDays(wonOn, -100), old_date: null };
    await db()
      .insertInto("plan_date_history")
      .values([
        { ...early, field: "go_live", new_date: addCalendarDays(wonOn, 40), actor_side: "buyer" },
        { ...early, field: "forecast_close_date", new_date: addCalendarDays(wonOn, 3), actor_side: "system" },
        { ...early, field: "crm_close_date", new_date: addCalendarDays(wonOn, -20), actor_side: "seller" },
      ])
      .execute();
    await closePlan(
      db(),
      { orgId, planId: tyrell.id, actor: { side: "seller", name: "Sam Okafor", userId: tyrell.owner_id }, today },
      { outcome: "won", closedOn: wonOn },
    );

    expect((await enqueueScheduledEmails(db(), mondayMorning)).digests).toBe(1);
    expect((await enqueueScheduledEmails(db(), mondayMorning)).digests).toBe(0);
    expect((await enqueueScheduledEmails(db(), new Date(`${addCalendarDays(monday, 2)}T08:00:00Z`))).digests).toBe(0); // Wednesday: not a digest day
    const digests = await outbox().where("kind", "=", "weekly_digest").execute();
    expect(digests.map((d) => [d.to_address, d.dedupe_key?.endsWith(`:${monday}`)])).toEqual([[DEMO_LOGINS.manager, true]]);

    await dispatchUntilIdle(db(), smtp);
    const received = peer.received.filter((m) => kindOf(m) === "weekly_digest");
    expect(received).toHaveLength(1);
    const [digest] = received;
    expect(digest.to).toEqual([DEMO_LOGINS.manager]);
    expect(digest.subject).toMatch(/^Your team this week: FY\d{4} Q\d forecast \$/);
    const text = flat(digest.text);
    expect(text).toMatch(/What slipped this week .*Globex Health: Clinical reporting suite \S+ \(Sam Okafor\): close \w{3} .+ → /);
    expect(text).toMatch(/What customers confirmed .*Marcus Webb confirmed go-live/);
    expect(text).toMatch(/Pushed into a later quarter again .*Globex Health: Clinical reporting suite \S+ \(Sam Okafor\): now closing .+, pushed \d+ times/);
    expect(text).toMatch(/What buyers did .*Globex Health: Clinical reporting suite \S+ \(Sam Okafor\): 3 comments, 1 milestone done/);
    expect(text).toContain("http://localhost:3000/forecast");
    expect(text).toContain(
      `Whose dates came true Deals won in ${fiscalQuarterAt(lastQuarter.index - 3, 2).label} – ${lastQuarter.label}: 30 days before close, customer-confirmed plan dates were within a week of the real close for 1 of 1 (100 %); reps' CRM dates for 0 of 1 (0 %).`,
    );
    expect(text).toContain("http://localhost:3000/forecast/accuracy");
  });

  it("lets anyone change their emails from the link, without logging in; a tampered link is refused", async () => {
    const goLiveToRep = await outbox().where("kind", "=", "go_live_changed").where("to_address", "=", DEMO_LOGINS.rep1).executeTakeFirstOrThrow();
    const prefsPath = pathOf((goLiveToRep.headers as Record<string, string>)["List-Unsubscribe"].slice(1, -1));
    secrets.push(prefsPath.split("/").pop()!);
    const stranger = new TestClient(server.origin);
    const page = await stranger.get(prefsPath);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Go-live date changes");
    expect(html).toContain(DEMO_LOGINS.rep1);
    expect(html).not.toContain("Invitations"); // a seller's page lists sellers' emails

    const saved = await stranger.post(prefsPath, { intent: "save", kind: "due_soon" });
    expect(saved.status).toBe(200);
    const prefs = await db().selectFrom("notification_preferences").selectAll().where("email", "=", DEMO_LOGINS.rep1).executeTakeFirstOrThrow();
    expect(prefs.choices).toEqual({
      due_soon: true,
      overdue: false,
      go_live_changed: false,
      buyer_activity: false,
      weekly_digest: false,
      webhook_paused: false,
      plans_handed_over: false,
    });

    // The buyer moves the date again: nothing for the rep, who turned these off.
    const before = await outbox().where("kind", "=", "go_live_changed").execute();
    const current = await plan();
    expect(
      (
        await buyer.post(`/p/${planId}`, {
          intent: "propose-go-live",
          goLive: await workingDayFrom(addCalendarDays(current.go_live, 3)),
          reason: "Legal needs longer",
          version: String(current.version),
        })
      ).status,
    ).toBe(302);
    expect(await outbox().where("kind", "=", "go_live_changed").execute()).toHaveLength(before.length);

    // A tampered token (any character changed: the recipient, or the signature's) opens and changes nothing.
    const swap = (c: string) => (c === "A" ? "B" : "A");
    const token = prefsPath.split("/").pop()!;
    const dot = token.indexOf(".");
    for (const at of [2, dot - 2, dot + 5, token.length - 1]) {
      const tampered = `/email-preferences/${token.slice(0, at)}${swap(token[at])}${token.slice(at + 1)}`;
      expect((await stranger.get(tampered)).status).toBe(404);
      expect((await stranger.post(tampered, { "List-Unsubscribe": "One-Click" })).status).toBe(404);
    }
    expect((await stranger.get("/email-preferences/not-a-token")).status).toBe(404);
    const unchanged = await db().selectFrom("notification_preferences").selectAll().where("email", "=", DEMO_LOGINS.rep1).executeTakeFirstOrThrow();
    expect(unchanged.unsubscribed_all).toBe(false);
  });

  it("unsubscribes in one click (RFC 8058), and a queued email to that address is not sent", async () => {
    peer.clear();
    const toChampion = await outbox().where("kind", "=", "go_live_changed").where("to_address", "=", CHAMPION).executeTakeFirstOrThrow();
    const oneClick = pathOf((toChampion.headers as Record<string, string>)["List-Unsubscribe"].slice(1, -1));
    secrets.push(oneClick.split("/").pop()!);
    // The rep moves the date: an email to the champion waits in the outbox...
    const current = await plan();
    await rep.post(`/plans/${planId}/go-live`, {
      intent: "save",
      goLive: await workingDayFrom(addCalendarDays(current.go_live, 5)),
      reason: "Migration window",
      version: String(current.version),
    });
    const queued = await outbox()
      .where("kind", "=", "go_live_changed")
      .where("to_address", "=", CHAMPION)
      .where("status", "=", "pending")
      .executeTakeFirstOrThrow();
    // ...when the mail client's one-click unsubscribe arrives: a POST from the provider's own
    // servers, with no cookie, no login and no Origin header (RFC 8058).
    const response = await fetch(`${server.origin}${oneClick}`, {
      method: "POST",
      body: "List-Unsubscribe=One-Click",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(200);
    const prefs = await db().selectFrom("notification_preferences").selectAll().where("email", "=", CHAMPION).executeTakeFirstOrThrow();
    expect(prefs.unsubscribed_all).toBe(true);
    await dispatchUntilIdle(db(), smtp);
    expect(await outbox().where("id", "=", queued.id).executeTakeFirstOrThrow()).toMatchObject({
      status: "skipped",
      last_error: "The recipient unsubscribed from all emails.",
    });
    expect(arrived(queued.message_id)).toHaveLength(0);
  });

  it("retries with backoff after the SMTP server refuses, keeping the Message-ID, and gives up in time", async () => {
    peer.clear();
    await testEmail("Retry me");
    peer.refuseNext(1, 451);
    expect(await dispatchOnce(db(), smtp)).toMatchObject({ claimed: 1, retried: 1, sent: 0 });
    const waiting = await rowBySubject("Retry me");
    expect(waiting).toMatchObject({ status: "pending", attempts: 1 });
    expect(waiting.last_error).toMatch(/Try again later/);
    const { rows } = await sql<{
      wait: number;
    }>`select extract(epoch from next_attempt_at - now())::float as wait from email_outbox where id = ${waiting.id}`.execute(db());
    expect(rows[0].wait).toBeGreaterThan(50);
    expect(rows[0].wait).toBeLessThanOrEqual(60);
    expect(await dispatchOnce(db(), smtp)).toMatchObject({ claimed: 0 }); // not due yet

    await db()
      .updateTable("email_outbox")
      .set({ next_attempt_at: sql`now()` })
      .where("id", "=", waiting.id)
      .execute();
    expect(await dispatchOnce(db(), smtp)).toMatchObject({ sent: 1 });
    expect(await rowBySubject("Retry me")).toMatchObject({ status: "sent", attempts: 2, last_error: null });
    expect(arrived(waiting.message_id)).toHaveLength(1);

    // A 5xx answer is final; a run of 4xx ends in `failed` after the last attempt.
    await testEmail("Refused for good");
    peer.refuseNext(1, 550);
    expect(await dispatchOnce(db(), smtp)).toMatchObject({ failed: 1 });
    expect(await rowBySubject("Refused for good")).toMatchObject({ status: "failed", attempts: 1 });
    await testEmail("Never accepted");
    peer.refuseNext(3, 451);
    const report = await dispatchUntilIdle(db(), smtp, { retryDelay: () => 0, maxAttempts: 3 });
    expect(report).toMatchObject({ retried: 2, failed: 1, sent: 0 });
    expect(await rowBySubject("Never accepted")).toMatchObject({ status: "failed", attempts: 3 });
    expect(peer.received.filter((m) => m.subject !== "Retry me")).toHaveLength(0);
  });

  it("never sends a row twice when two dispatchers race over 50 emails", async () => {
    peer.clear();
    for (let i = 0; i < 50; i++) await testEmail(`Race ${i}`, `racer${i}@demo.example`);
    peer.delayMs = 3;
    const [a, b] = [createSmtpMailer(peer.url, FROM), createSmtpMailer(peer.url, FROM)];
    const [first, second] = await Promise.all([dispatchUntilIdle(db(), a, { limit: 3 }), dispatchUntilIdle(db(), b, { limit: 3 })]);
    a.close();
    b.close();
    peer.delayMs = 0;
    expect(first.sent + second.sent).toBe(50);
    expect(first.sent).toBeGreaterThan(0);
    expect(second.sent).toBeGreaterThan(0);
    const raced = peer.received.filter((m) => m.subject.startsWith("Race "));
    expect(raced).toHaveLength(50);
    expect(new Set(raced.map((m) => m.messageId)).size).toBe(50);
    const rows = await outbox().where("subject", "like", "Race %").execute();
    expect(rows.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
  });

  it("loses nothing when a dispatcher dies between claiming and sending: the email arrives once", async () => {
    peer.clear();
    for (const n of [1, 2, 3]) await testEmail(`Crash ${n}`);
    // A dispatcher claims them with a 1-second lease, then its process dies.
    const claimed = await claimDueEmails(db(), { limit: 10, leaseSeconds: 1 });
    expect(claimed.map((r) => r.subject).sort()).toEqual(["Crash 1", "Crash 2", "Crash 3"]);
    expect(await dispatchOnce(db(), smtp)).toMatchObject({ claimed: 0 }); // leased: nobody else takes them
    await sleep(1_200);
    expect(await dispatchOnce(db(), smtp)).toMatchObject({ claimed: 3, sent: 3 });
    for (const row of claimed) expect(arrived(row.message_id)).toHaveLength(1);

    // The one duplicate window: accepted by the SMTP server, then the process dies before the
    // row is marked. It is sent again, with the same Message-ID, so mail clients fold the two.
    await testEmail("Accepted, then crashed");
    const [row] = await claimDueEmails(db(), { limit: 10, leaseSeconds: 1 });
    await smtp.send(row);
    await sleep(1_200);
    expect(await dispatchOnce(db(), smtp)).toMatchObject({ sent: 1 });
    expect(arrived(row.message_id).map((m) => m.subject)).toEqual(["Accepted, then crashed", "Accepted, then crashed"]);
  });

  it("keeps emails for the dev mailbox without SMTP, shown to admins only", async () => {
    peer.clear();
    await testEmail("Kept in the dev mailbox");
    expect(await dispatchOnce(db(), devMailbox)).toMatchObject({ sent: 1 });
    const kept = await rowBySubject("Kept in the dev mailbox");
    expect(kept.status).toBe("dev_mailbox");
    expect(peer.received).toHaveLength(0);

    expect((await rep.get("/dev/mailbox")).status).toBe(403);
    expect((await new TestClient(server.origin).get("/dev/mailbox")).status).toBe(302); // to the login
    const admin = new TestClient(server.origin);
    await admin.login(DEMO_LOGINS.admin, DEMO_PASSWORD);
    const list = await admin.get("/dev/mailbox");
    expect(list.status).toBe(200);
    const listHtml = await list.text();
    expect(listHtml).toContain("Kept in the dev mailbox");
    expect(listHtml).toContain("Globex Health moved go-live to");
    const detail = await admin.get(`/dev/mailbox/${kept.id}`);
    expect(detail.status).toBe(200);
    const detailHtml = await detail.text();
    expect(detailHtml).toMatch(/<iframe[^>]+sandbox="allow-popups allow-popups-to-escape-sandbox"[^>]+srcDoc="/i);
    expect(detailHtml).toContain(kept.message_id.replace(/</g, "&lt;").replace(/>/g, "&gt;"));
    expect((await admin.get("/dev/mailbox/not-an-id")).status).toBe(404);
    expect((await admin.get("/dev/mailbox/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await rep.get(`/dev/mailbox/${kept.id}`)).status).toBe(403);
  });

  it("hides the mailbox, invitation links and all, once emails go out through SMTP", async () => {
    const kept = await rowBySubject("Kept in the dev mailbox");
    const withSmtp = await startTestServer(db(), target.name, [], { devMailbox: false });
    try {
      const admin = new TestClient(withSmtp.origin);
      await admin.login(DEMO_LOGINS.admin, DEMO_PASSWORD);
      for (const path of ["/dev/mailbox", `/dev/mailbox/${kept.id}`]) {
        const page = await admin.get(path);
        expect(page.status).toBe(404);
        expect(await page.text()).toContain("The mailbox is off");
      }
      expect(await (await admin.get("/plans")).text()).not.toContain('href="/dev/mailbox"');
    } finally {
      await withSmtp.close();
    }
    expect(devMailboxEnabled(parseEnv({ SMTP_URL: "smtp://mail.example:587" }))).toBe(false);
    expect(devMailboxEnabled(parseEnv({ SMTP_URL: "smtp://mail.example:587", DEV_MAILBOX: "on" }))).toBe(true);
    expect(devMailboxEnabled(parseEnv({}))).toBe(true);
    expect(devMailboxEnabled(parseEnv({ DEV_MAILBOX: "off" }))).toBe(false);
  });

  it("serves a rep's calendar feed that moves events (same UIDs) when the go-live moves", async () => {
    const page = await rep.get("/calendar-feed");
    expect(page.status).toBe(200);
    const feedPath = (await page.text()).match(/\/calendar\/([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})\.ics/)![0];
    secrets.push(feedPath.slice(10, 53));
    expect((await (await rep.get("/calendar-feed")).text()).match(/\/calendar\/([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})\.ics/)![0]).toBe(feedPath); // stable

    const fetchFeed = async (path: string) => {
      const response = await new TestClient(server.origin).get(path); // calendar apps send no cookies
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
      return parseIcs(await response.text());
    };
    const before = await fetchFeed(feedPath);
    const milestones = await db().selectFrom("milestones").select(["id", "due_date", "completed_on"]).where("plan_id", "=", planId).execute();
    // A done milestone sits on the day it was done.
    for (const m of milestones) expect(before.get(milestoneUid(m.id))?.start).toBe(m.completed_on ?? m.due_date);
    expect(before.get(goLiveUid(planId))?.start).toBe((await plan()).go_live);
    expect(before.get(goLiveUid(planId))?.summary).toBe("Go-live · Globex Health"); // a rep's names the customer
    expect([...before.values()].every((e) => e.isDate)).toBe(true);
    const repPlans = await db()
      .selectFrom("plans")
      // On org_id too: Citus joins distributed tables only on their distribution column.
      .innerJoin("users", (j) => j.onRef("users.org_id", "=", "plans.org_id").onRef("users.id", "=", "plans.owner_id"))
      .select("plans.id")
      .where("users.email", "=", DEMO_LOGINS.rep1)
      .where("plans.status", "in", ["active", "won"])
      .execute();
    expect(repPlans.every((p) => before.has(goLiveUid(p.id)))).toBe(true);

    const current = await plan();
    const newGoLive = await workingDayFrom(addCalendarDays(current.go_live, 21));
    expect(
      (await rep.post(`/plans/${planId}/go-live`, { intent: "save", goLive: newGoLive, reason: "Customer freeze in March", version: String(current.version) }))
        .status,
    ).toBe(302);
    const after = await fetchFeed(feedPath);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    expect(after.get(goLiveUid(planId))?.start).toBe(newGoLive);
    const moved = await db().selectFrom("milestones").select(["id", "due_date", "completed_on"]).where("plan_id", "=", planId).execute();
    for (const m of moved) expect(after.get(milestoneUid(m.id))?.start).toBe(m.completed_on ?? m.due_date);
    const movedOpen = moved.filter((m) => !m.completed_on && before.get(milestoneUid(m.id))?.start !== m.due_date);
    expect(movedOpen.length).toBeGreaterThan(0);
    // A moved event comes back as a later revision (RFC 5545 SEQUENCE), so calendars replace their copy.
    for (const m of movedOpen) expect(after.get(milestoneUid(m.id))!.sequence).toBeGreaterThan(before.get(milestoneUid(m.id))!.sequence);
    expect(after.get(goLiveUid(planId))!.sequence).toBeGreaterThan(before.get(goLiveUid(planId))!.sequence);
  });

  it("serves a buyer's feeds (their milestones, or the plan) while their link lives", async () => {
    const page = await buyer.get(`/p/${planId}/calendar`);
    expect(page.status).toBe(200);
    const [minePath, planPath] = [
      ...(await page.text()).matchAll(new RegExp(`${escapeRegExp(server.origin)}(/calendar/[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}\\.ics)`, "g")),
    ]
      .map((m) => m[1])
      .filter((p, i, all) => all.indexOf(p) === i);
    secrets.push(minePath.slice(10, 53), planPath.slice(10, 53));
    const mine = parseIcs(await (await new TestClient(server.origin).get(minePath)).text());
    const owned = await db().selectFrom("milestones").select("id").where("plan_id", "=", planId).where("owner_stakeholder_id", "=", championId).execute();
    expect([...mine.keys()].sort()).toEqual([...owned.map((m) => milestoneUid(m.id)), goLiveUid(planId)].sort());
    const whole = parseIcs(await (await new TestClient(server.origin).get(planPath)).text());
    const all = await db().selectFrom("milestones").select("id").where("plan_id", "=", planId).execute();
    expect(whole.size).toBe(all.length + 1);
    // The buyer's own calendar names who they plan with, never their own company.
    for (const event of [...mine.values(), ...whole.values()]) expect(event.summary).toMatch(/ · Northwind Analytics$/);

    // A new address for "mine": the old one stops working.
    expect((await buyer.post(`/p/${planId}/calendar`, { intent: "rotate", scope: "mine" })).status).toBe(200);
    expect((await new TestClient(server.origin).get(minePath)).status).toBe(404);
    // Revoking the buyer's link ends their feeds too.
    const link = await db()
      .selectFrom("share_links")
      .select("id")
      .where("plan_id", "=", planId)
      .where("stakeholder_id", "=", championId)
      .where("revoked_at", "is", null)
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    expect((await rep.post(`/plans/${planId}`, { intent: "revoke-link", linkId: link.id })).status).toBe(302);
    expect((await new TestClient(server.origin).get(planPath)).status).toBe(404);
    expect((await new TestClient(server.origin).get("/calendar/nope.ics")).status).toBe(404);
  });

  it("never writes a link, feed or preference token into the server log", () => {
    const log = server.logLines.join("\n");
    expect(secrets.length).toBeGreaterThan(5);
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).toContain("/calendar/[token]");
    expect(log).toContain("/email-preferences/[token]");
  });
});

/** A feed parsed back with ical.js: UID → its start date and whether it is all-day. */
function parseIcs(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = new Map<string, { start: string; isDate: boolean; summary: string; sequence: number }>();
  for (const component of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(component);
    events.set(event.uid, { start: event.startDate.toString(), isDate: event.startDate.isDate, summary: event.summary, sequence: event.sequence });
  }
  return events;
}

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
