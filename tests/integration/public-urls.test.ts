import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayIn } from "~/domain/dates";
import type { Database } from "~/infra/db.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";

/*
 * One public host in every absolute URL the app writes: share links, the links in the emails a
 * change queues, feed addresses and the URLs inside the feeds. APP_URL when set; else the address
 * the request came in on, never localhost (which is what the feeds and emails said before).
 */

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe.each(testDatabaseTargets())("absolute URLs on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let planId: string;
  let championId: string;

  beforeAll(async () => {
    database = await target.open();
    await seedDemo(database.db, todayIn("UTC", new Date()));
    planId = (await database.db.selectFrom("plans").select("id").where("buyer_company", "=", "Globex Health").executeTakeFirstOrThrow()).id;
    championId = (await database.db.selectFrom("stakeholders").select("id").where("plan_id", "=", planId).where("side", "=", "buyer").executeTakeFirstOrThrow())
      .id;
  }, 180_000); // seeding the demo is slow on a busy machine
  afterAll(async () => {
    await database?.drop();
  });

  /**
   * Signs the rep in, makes a share link, reads the invite it queued, the calendar page and the
   * feed, and checks that every absolute URL among them starts with `expected`. `headers` are
   * what a browser (and the proxy in front) sends with every request.
   */
  async function expectOneHost(origin: string, expected: string, headers: Record<string, string>) {
    const foreign = (url: string) => !url.startsWith(`${expected}/`);
    const rep = new TestClient(origin);
    expect((await rep.post("/login", { email: DEMO_LOGINS.rep1, password: DEMO_PASSWORD }, { headers })).status).toBe(302);

    // The share link the rep copies.
    const response = await rep.post(`/plans/${planId}`, { intent: "create-link", stakeholderId: championId, days: "30" }, { headers });
    // Post/redirect/get: the link is shown once, on the page the redirect leads to.
    expect(response.status).toBe(302);
    const shown = (await (await rep.get(response.headers.get("location")!, { headers })).text()).match(
      /[a-z]+:\/\/[^\s"<]+\/s\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/,
    )?.[0];
    expect(shown).toMatch(new RegExp(`^${escape(expected)}/s/`));

    // The invite that link queued: its link, its preferences link, List-Unsubscribe.
    const link = await database.db.selectFrom("share_links").select("id").where("plan_id", "=", planId).orderBy("created_at", "desc").executeTakeFirstOrThrow();
    const invite = await database.db
      .selectFrom("email_outbox")
      .selectAll()
      .where("share_link_id", "=", link.id)
      .where("kind", "=", "invite")
      .executeTakeFirstOrThrow();
    const inEmail = [...`${invite.html} ${invite.text} ${JSON.stringify(invite.headers)}`.matchAll(/https?:\/\/[^\s"'<>)]+/g)]
      .map((m) => m[0])
      .filter((url) => !url.startsWith("http://www.w3.org/")); // the HTML doctype
    expect(inEmail).toContain(shown);
    expect(inEmail.some((url) => url.startsWith(`${expected}/email-preferences/`))).toBe(true);
    expect(inEmail.filter(foreign), inEmail.join("\n")).toEqual([]);

    // The calendar page's addresses, and every URL inside the feed.
    const page = await (await rep.get("/calendar-feed", { headers })).text();
    const https = page.match(/[a-z]+:\/\/[^\s"<]+\/calendar\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\.ics/)?.[0];
    expect(https).toMatch(new RegExp(`^${escape(expected)}/calendar/`));
    expect(page).toContain(https!.replace(/^https?:/, "webcal:"));
    const feed = await new TestClient(origin).get(new URL(https!).pathname, { headers }); // calendar apps send no cookies
    expect(feed.status).toBe(200);
    const calendar = new ICAL.Component(ICAL.parse(await feed.text()));
    const events = calendar.getAllSubcomponents("vevent");
    expect(events.length).toBeGreaterThan(1);
    for (const event of events) {
      expect(String(event.getFirstPropertyValue("url"))).toMatch(new RegExp(`^${escape(expected)}/plans/[0-9a-f-]{36}$`));
      const inDescription = new ICAL.Event(event).description.match(/https?:\/\/\S+/g) ?? [];
      expect(inDescription.length).toBe(1);
      expect(inDescription.filter(foreign)).toEqual([]);
    }
  }

  it("uses the address the request came in on when APP_URL is not set", async () => {
    const server = await startTestServer(database.db, database.kind);
    try {
      // The server is reached at 127.0.0.1:<port>: that, not localhost:3000, is what works for the reader.
      await expectOneHost(server.origin, server.origin, { Origin: server.origin });
    } finally {
      await server.close();
    }
  });

  it("uses the address the browser used behind a proxy when APP_URL is not set", async () => {
    const server = await startTestServer(database.db, database.kind);
    try {
      // A TLS-terminating proxy on the same machine (trusted) names the public host and protocol.
      const headers = { Origin: "https://portal.example.test", "X-Forwarded-Host": "portal.example.test", "X-Forwarded-Proto": "https" };
      await expectOneHost(server.origin, "https://portal.example.test", headers);
    } finally {
      await server.close();
    }
  });

  it("uses APP_URL when set, whatever address the request came in on", async () => {
    const APP_URL = "https://plans.example.test";
    const server = await startTestServer(database.db, database.kind, [], { appUrl: APP_URL });
    try {
      // Behind the proxy: the browser is on APP_URL and the proxy says so (Express trusts loopback).
      await expectOneHost(server.origin, APP_URL, { Origin: APP_URL, "X-Forwarded-Host": "plans.example.test", "X-Forwarded-Proto": "https" });
      // Straight to the server's own address (a health check, a misrouted request): still APP_URL.
      const rep = new TestClient(server.origin);
      const headers = { Origin: APP_URL, "X-Forwarded-Host": "plans.example.test", "X-Forwarded-Proto": "https" };
      expect((await rep.post("/login", { email: DEMO_LOGINS.rep1, password: DEMO_PASSWORD }, { headers })).status).toBe(302);
      const page = await (await rep.get("/calendar-feed")).text();
      expect(page).toMatch(new RegExp(`${escape(APP_URL)}/calendar/[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}\\.ics`));
      expect(page).not.toContain(server.origin);
    } finally {
      await server.close();
    }
  });
});
