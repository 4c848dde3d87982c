import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { tenantToken, tenantTokenLookup } from "~/domain/tenant-token";
import type { Database } from "~/infra/db.server";
import { hashToken } from "~/infra/secret-tokens.server";
import { buyerCookieName } from "~/models/buyer-access.server";
import { ensureFeed, feedToken, repFeedOwner, revokeRepFeeds } from "~/models/calendar-feed.server";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer } from "../support/http";
import { buildWorld, buyerCookieFor, clearLinkThrottle, type World } from "../support/safety-world";

/*
 * Item 4: buyer links under attack. 1,000 random tokens find nothing and the guesser is throttled
 * after the burst; a revoked link is dead on the very next request; opening a link page writes
 * nothing to the plan; and after everything this file does, no raw token is in the database (any
 * text or JSON column of any table), in the server's log lines or console output, or in any email
 * except the invite (and its one reminder) that carries it.
 */
const GUESSES = 1000;

describe.each(testDatabaseTargets())("buyer links under attack on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let w: World;
  const logLines: string[] = [];
  const consoleLines: string[] = [];
  /** Every secret this file sees: link tokens, feed tokens, API tokens. */
  const secrets = new Set<string>();
  beforeAll(async () => {
    for (const method of ["log", "error", "warn", "info"] as const) {
      const original = console[method].bind(console);
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        consoleLines.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(" "));
        original(...args);
      });
    }
    database = await target.open();
    server = await startTestServer(database.db, database.kind, logLines);
    w = await buildWorld(database.db, server.origin);
    for (const token of [...w.tokens.all, w.feedToken, w.apiTokens.read, w.apiTokens.foreign]) secrets.add(token);
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await server?.close();
    await database?.drop();
  });

  const post = (path: string, form: Record<string, string>, cookie = w.cookies.owner) =>
    fetch(`${w.origin}${path}`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: w.origin, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
      redirect: "manual",
    });
  const get = (path: string, cookie = "") => fetch(`${w.origin}${path}`, { headers: cookie ? { Cookie: cookie } : {}, redirect: "manual" });
  /** The page a post/redirect/get leads to, with the flash cookie the redirect set (where one-time links are shown). */
  const followFlash = (redirected: Response, cookie: string) => {
    const flash = redirected.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    return get(redirected.headers.get("location")!, [cookie, flash].filter(Boolean).join("; "));
  };

  it(`finds nothing with ${GUESSES} random tokens, and throttles the guesser after the burst`, { timeout: 180_000 }, async () => {
    await clearLinkThrottle(w.db);
    const statuses: number[] = [];
    for (let i = 0; i < GUESSES; i++) {
      // Half in the old shape (the secret alone), half naming this organisation as a real token does.
      const token = i % 4 < 2 ? randomBytes(32).toString("base64url") : tenantToken(w.orgId, randomBytes(32).toString("base64url"));
      const response = i % 2 ? await get(`/s/${token}`) : await post(`/s/${token}`, { name: "Guess", email: "guess@example.com" }, "");
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    const hits = statuses.filter((s) => s < 400).length;
    const firstThrottled = statuses.indexOf(429);
    const count = (s: number) => statuses.filter((x) => x === s).length;
    // While throttled, even the real link waits (the address is what is slowed down)...
    const throttled = await get(`/s/${w.tokens.live}`);
    expect(throttled.status).toBe(429);
    // A client (or a buyer's browser) is told how long to wait, on the error page's answer too.
    expect(Number(throttled.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(throttled.headers.get("Cache-Control")).toBe("no-store");
    // ...and opens again once the window is over.
    await clearLinkThrottle(w.db);
    expect((await get(`/s/${w.tokens.live}`)).status).toBe(200);

    // Calendar feeds: the token is the whole credential too.
    const feedStatuses: number[] = [];
    for (let i = 0; i < GUESSES; i++) {
      const response = await get(`/calendar/${randomBytes(32).toString("base64url")}.ics`);
      await response.arrayBuffer();
      feedStatuses.push(response.status);
    }
    const feedHits = feedStatuses.filter((s) => s < 400).length;
    console.log(
      `[links] ${target.name}: ${GUESSES} random link tokens → ${hits} hits, ${count(404)} × 404, ${count(429)} × 429 (first 429 at guess #${firstThrottled + 1}); ` +
        `${GUESSES} random feed tokens → ${feedHits} hits (${[...new Set(feedStatuses)].join(", ")})`,
    );
    expect(hits).toBe(0);
    expect(firstThrottled).toBeGreaterThan(0);
    expect(firstThrottled).toBeLessThanOrEqual(10);
    // Each wait doubles; the odd guess that lands just after one ends is answered (404) and blocks again.
    expect(count(429)).toBeGreaterThanOrEqual(GUESSES * 0.95);
    expect(feedHits).toBe(0);
  });

  it("kills a revoked link and its devices on the very next request", async () => {
    await clearLinkThrottle(w.db);
    const champion = w.stakeholderP;
    const created = await post(`/plans/${w.planP}`, { intent: "create-link", stakeholderId: champion, days: "30" });
    expect(created.status).toBe(302);
    const token = (await (await followFlash(created, w.cookies.owner)).text()).match(/\/s\/([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})/)![1];
    secrets.add(token);
    const device = await buyerCookieFor(w.origin, token, { name: "Petra Quill", email: "petra@quillfeather.example" });
    expect((await get(`/p/${w.planP}`, device)).status).toBe(200);
    const link = await w.db
      .selectFrom("share_links")
      .select("id")
      .where("plan_id", "=", w.planP)
      .where("revoked_at", "is", null)
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    expect((await post(`/plans/${w.planP}`, { intent: "revoke-link", linkId: link.id })).status).toBe(302);
    const [page, plan, again] = [
      await get(`/s/${token}`),
      await get(`/p/${w.planP}`, device),
      await post(`/p/${w.planP}`, { intent: "comment", body: "after revoke" }, device),
    ];
    expect([page.status, plan.status, again.status]).toEqual([404, 404, 404]);
    await clearLinkThrottle(w.db);
  });

  it("writes nothing to the plan when a link page, the buyer's plan page or a feed is only read", async () => {
    await clearLinkThrottle(w.db);
    const snapshot = async () => ({
      plan: await w.db.selectFrom("plans").select(["version", "updated_at", "last_buyer_activity_at"]).where("id", "=", w.planP).executeTakeFirstOrThrow(),
      events: (await w.db.selectFrom("plan_events").select("id").where("plan_id", "=", w.planP).execute()).length,
      milestones: await w.db.selectFrom("milestones").select(["id", "version", "updated_at"]).where("plan_id", "=", w.planP).orderBy("id").execute(),
    });
    const before = await snapshot();
    for (const path of [`/s/${w.tokens.live}`, `/o/${w.openLinkToken}`, `/s/${w.tokens.revoked}`, `/calendar/${w.feedToken}.ics`])
      await (await get(path)).arrayBuffer();
    for (const path of [`/p/${w.planP}`, `/s/${w.tokens.live}`, `/p/${w.planP}/calendar`]) await (await get(path, w.cookies.buyer)).arrayBuffer();
    expect(await snapshot()).toEqual(before);
  });

  it("keeps tokens out of the log even when the address around them is wrong", async () => {
    await clearLinkThrottle(w.db);
    const token = w.tokens.live;
    for (const path of [`/s/${token}/extra`, `/s/${token}%zz`, `/calendar/${w.feedToken}.ics/x`, `/calendar/${w.feedToken}`, `/o/${w.openLinkToken}/x`]) {
      await (await get(path)).arrayBuffer();
      await (await post(path, { name: "x", email: "x@example.com" }, "")).arrayBuffer();
    }
    await clearLinkThrottle(w.db);
  });

  it("finds links, devices and feeds in the organisation their token names; old tokens by hash alone; never across organisations", async () => {
    await clearLinkThrottle(w.db);
    const now = new Date();
    const secret = () => randomBytes(32).toString("base64url");
    const later = new Date(now.getTime() + 7 * 86_400_000);
    const foreignPerson = await w.db
      .selectFrom("stakeholders")
      .select("id")
      .where("org_id", "=", w.foreignOrgId)
      .where("plan_id", "=", w.planF)
      .executeTakeFirstOrThrow();
    const addLink = async (orgId: string, planId: string, stakeholderId: string, token: string) => {
      secrets.add(token);
      const row = { org_id: orgId, plan_id: planId, stakeholder_id: stakeholderId, token_hash: hashToken(token), expires_at: later };
      return (await w.db.insertInto("share_links").values(row).returning("id").executeTakeFirstOrThrow()).id;
    };

    // A token the app issues names its organisation.
    for (const token of [w.tokens.live, w.feedToken]) expect(tenantTokenLookup(token)).toEqual({ orgId: w.orgId });
    // One issued before tokens carried an organisation (the secret alone) still opens, with its device.
    const legacy = secret();
    const legacyLinkId = await addLink(w.orgId, w.planP, w.stakeholderP, legacy);
    expect((await get(`/s/${legacy}`)).status).toBe(200);
    const legacyDevice = secret();
    secrets.add(legacyDevice);
    const device = {
      org_id: w.orgId,
      share_link_id: legacyLinkId,
      plan_id: w.planP,
      stakeholder_id: w.stakeholderP,
      name: "Old Device",
      email: "old@quillfeather.example",
    };
    await w.db
      .insertInto("buyer_sessions")
      .values({ ...device, id: hashToken(legacyDevice), expires_at: later })
      .execute();
    expect((await get(`/p/${w.planP}`, `${buyerCookieName(w.planP)}=${legacyDevice}`)).status).toBe(200);

    // A token naming one organisation is looked for there only: the row its hash matches, kept in
    // the other organisation, is not found, nor is it looked for by its hash alone.
    const namesOurs = tenantToken(w.orgId, secret());
    await addLink(w.foreignOrgId, w.planF, foreignPerson.id, namesOurs);
    const namesForeign = tenantToken(w.foreignOrgId, secret());
    const misfiledLinkId = await addLink(w.orgId, w.planP, w.stakeholderP, namesForeign);
    expect([(await get(`/s/${namesOurs}`)).status, (await get(`/s/${namesForeign}`)).status]).toEqual([404, 404]);
    const misfiledDevice = tenantToken(w.foreignOrgId, secret());
    secrets.add(misfiledDevice);
    await w.db
      .insertInto("buyer_sessions")
      .values({ ...device, share_link_id: misfiledLinkId, id: hashToken(misfiledDevice), expires_at: later })
      .execute();
    expect((await get(`/p/${w.planP}`, `${buyerCookieName(w.planP)}=${misfiledDevice}`)).status).toBe(404);

    // A rep's feed made before: its address stays the one subscribed, and keeps answering.
    await revokeRepFeeds(w.db, w.orgId, w.users.otherRep, now);
    const feedId = randomUUID();
    const legacyFeed = feedToken(w.orgId, feedId).split(".")[1];
    secrets.add(legacyFeed);
    await w.db
      .insertInto("calendar_feeds")
      .values({ org_id: w.orgId, id: feedId, token_hash: hashToken(legacyFeed), kind: "rep", user_id: w.users.otherRep, scope: "plan" })
      .execute();
    expect((await get(`/calendar/${legacyFeed}.ics`)).status).toBe(200);
    expect(await ensureFeed(w.db, repFeedOwner(w.orgId, w.users.otherRep), now)).toBe(legacyFeed);
    // A feed whose token names the other organisation is not found in this one.
    await revokeRepFeeds(w.db, w.orgId, w.users.otherRep, now);
    const misfiledFeed = tenantToken(w.foreignOrgId, secret());
    secrets.add(misfiledFeed);
    await w.db
      .insertInto("calendar_feeds")
      .values({ org_id: w.orgId, id: randomUUID(), token_hash: hashToken(misfiledFeed), kind: "rep", user_id: w.users.otherRep, scope: "plan" })
      .execute();
    expect((await get(`/calendar/${misfiledFeed}.ics`)).status).toBe(404);
    await revokeRepFeeds(w.db, w.orgId, w.users.otherRep, now);
    await w.db.updateTable("share_links").set({ revoked_at: now }).where("org_id", "=", w.orgId).where("id", "in", [legacyLinkId, misfiledLinkId]).execute();
    await clearLinkThrottle(w.db);
  });

  it("leaves no raw token in the database, the server log, the console or any email but its invite", async () => {
    // Everything the colleagues' and renewals' flows write, too. The champion's earlier links were
    // replaced or revoked above (a new link replaces the old one, ADR 012): a fresh one for this.
    await clearLinkThrottle(w.db);
    const created = await post(`/plans/${w.planP}`, { intent: "create-link", stakeholderId: w.stakeholderP, days: "30" });
    expect(created.status).toBe(302);
    const fresh = (await (await followFlash(created, w.cookies.owner)).text()).match(/\/s\/([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})/)![1];
    secrets.add(fresh);
    const buyer = await buyerCookieFor(w.origin, fresh, { name: "Petra Quill", email: "petra@quillfeather.example" });
    const added = await post(`/p/${w.planP}`, { intent: "add-colleague", name: "Rae Colleague", email: "rae@quillfeather.example", title: "CFO" }, buyer);
    expect(added.status).toBe(302);
    const colleague = (await (await followFlash(added, buyer)).text()).match(/\/s\/([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})/);
    if (colleague) secrets.add(colleague[1]);
    const page = await (await get("/calendar-feed", w.cookies.owner)).text();
    for (const m of page.matchAll(/\/calendar\/([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})\.ics/g)) secrets.add(m[1]);
    const tokens = [...secrets];
    expect(tokens.length).toBeGreaterThanOrEqual(6);

    // Every text-like column of every table, as text.
    const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = 'public' and data_type in ('text', 'character varying', 'jsonb', 'json', 'character')
      order by table_name, column_name`.execute(w.db);
    const inDatabase: string[] = [];
    let cells = 0;
    for (const { table_name, column_name } of columns) {
      const { rows } = await sql<{ v: string | null; kind: string | null }>`
        select ${sql.ref(column_name)}::text as v, ${table_name === "email_outbox" ? sql.ref("kind") : sql.lit(null)}::text as kind from ${sql.table(table_name)}`.execute(
        w.db,
      );
      for (const row of rows) {
        cells++;
        if (!row.v) continue;
        for (const token of tokens) {
          if (!row.v.includes(token)) continue;
          // The invite email carries its own link: that is what it is for. Its one reminder (sent
          // only if the link stays unopened) is the same invitation again, so it carries it too.
          if (table_name === "email_outbox" && /^invite(_reminder)?$/.test(row.kind ?? "")) continue;
          inDatabase.push(`${table_name}.${column_name}${row.kind ? ` (${row.kind})` : ""}`);
        }
      }
    }
    const emails = await w.db.selectFrom("email_outbox").select(["kind", "html", "text", "subject"]).execute();
    const invitesWithToken = emails.filter((e) => tokens.some((t) => e.html.includes(t) || e.text.includes(t))).map((e) => e.kind);
    const otherEmailsWithToken = emails
      .filter((e) => !/^invite(_reminder)?$/.test(e.kind) && tokens.some((t) => `${e.subject}${e.html}${e.text}`.includes(t)))
      .map((e) => e.kind);
    const inLog = logLines.filter((line) => tokens.some((t) => line.includes(t)));
    const inConsole = consoleLines.filter((line) => tokens.some((t) => line.includes(t)));
    console.log(
      `[links] ${target.name}: ${tokens.length} secrets searched in ${cells} database cells (${columns.length} text/JSON columns), ${logLines.length} log lines, ${consoleLines.length} console lines, ${emails.length} emails → ` +
        `database ${inDatabase.length}, log ${inLog.length}, console ${inConsole.length}, emails other than invites ${otherEmailsWithToken.length} (invites carrying their token: ${invitesWithToken.length})`,
    );
    expect(inDatabase).toEqual([]);
    expect(inLog).toEqual([]);
    expect(inConsole.map((l) => l.slice(0, 300))).toEqual([]);
    expect(otherEmailsWithToken).toEqual([]);
  });
});
