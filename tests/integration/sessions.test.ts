import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { tenantToken, tenantTokenLookup } from "~/domain/tenant-token";
import type { Database } from "~/infra/db.server";
import { SESSION_ABSOLUTE_DAYS, SESSION_IDLE_DAYS } from "~/infra/sessions.server";
import { hashToken } from "~/infra/secret-tokens.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";
import { createLinkForStakeholder } from "~/models/share-link-commands.server";
import { createOrganisation } from "~/models/organisation.server";

/*
 * Item 3: sessions and cookies. A new id at login (a planted cookie is worthless), a dead cookie
 * after logout, the idle (14 days) and absolute (30 days) timeouts crossed with an injected clock,
 * and the cookie attributes, in development and in production (Secure, __Host-).
 */
const DAY = 86_400_000;

describe.each(testDatabaseTargets())("sessions and cookies on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let production: Awaited<ReturnType<typeof startTestServer>>;
  /** How far the server's clock is ahead of the real one. */
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);

  beforeAll(async () => {
    database = await target.open();
    await seedDemo(database.db, new Date().toISOString().slice(0, 10));
    server = await startTestServer(database.db, database.kind, [], { now: clock });
    production = await startTestServer(database.db, database.kind, [], { now: clock, secureCookies: true });
  });
  afterAll(async () => {
    await server?.close();
    await production?.close();
    await database?.drop();
  });
  beforeEach(() => {
    offset = 0;
  });

  const sessionValue = (client: TestClient) => client.cookieHeader.match(/(?:^|; )(?:__Host-)?pt_session=([^;]+)/)?.[1];
  const plansStatus = async (origin: string, cookie: string) => {
    const response = await fetch(`${origin}/plans`, { headers: { Cookie: cookie }, redirect: "manual" });
    return { status: response.status, location: response.headers.get("location"), setCookie: response.headers.getSetCookie() };
  };

  it("issues a new session id at login, whatever cookie the browser already carried (no fixation)", async () => {
    // The attacker's own valid session, and a made-up id, planted in the victim's browser.
    const attacker = new TestClient(server.origin);
    await attacker.login(DEMO_LOGINS.rep2, DEMO_PASSWORD);
    const attackerId = sessionValue(attacker)!;
    for (const planted of [attackerId, "a".repeat(40)]) {
      const response = await fetch(`${server.origin}/login`, {
        method: "POST",
        headers: { Cookie: `pt_session=${planted}`, Origin: server.origin, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: DEMO_LOGINS.rep1, password: DEMO_PASSWORD }).toString(),
        redirect: "manual",
      });
      expect(response.status).toBe(302);
      const issued = response.headers
        .getSetCookie()
        .map((c) => c.match(/^pt_session=([^;]*)/)?.[1])
        .find(Boolean);
      expect(issued).toBeTruthy();
      expect(issued).not.toBe(planted);
      // The planted id does not become the victim's session.
      const withPlanted = await (await fetch(`${server.origin}/plans`, { headers: { Cookie: `pt_session=${planted}` } })).text();
      expect(withPlanted).not.toContain("Sam Okafor");
    }
    const again = new TestClient(server.origin);
    await again.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    const first = sessionValue(again);
    await again.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    expect(sessionValue(again)).not.toBe(first);
  });

  it("kills the session at logout: the row is gone and the old cookie opens nothing", async () => {
    const client = new TestClient(server.origin);
    await client.login(DEMO_LOGINS.manager, DEMO_PASSWORD);
    const id = sessionValue(client)!;
    const oldCookie = client.cookieHeader;
    expect((await plansStatus(server.origin, oldCookie)).status).toBe(200);
    const logout = await client.post("/logout", {});
    expect(logout.status).toBe(302);
    expect(logout.headers.getSetCookie().join("\n")).toMatch(/pt_session=;.*Max-Age=0/i);
    expect(await database.db.selectFrom("sessions").select("id").where("id", "=", hashToken(id)).executeTakeFirst()).toBeUndefined();
    const replay = await plansStatus(server.origin, oldCookie);
    expect(replay.status).toBe(302);
    expect(replay.location).toMatch(/^\/login\?redirectTo=/);
  });

  it("ends a session left idle for 14 days, and deletes it", async () => {
    const client = new TestClient(server.origin);
    await client.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    const id = sessionValue(client)!;
    offset = (SESSION_IDLE_DAYS - 1) * DAY;
    // Still alive after 13 idle days (and extended, since it was used in the second half of its window).
    const day13 = await plansStatus(server.origin, client.cookieHeader);
    expect(day13.status).toBe(200);
    expect(day13.setCookie.join("\n")).toMatch(/pt_session=/);

    const idle = new TestClient(server.origin);
    offset = 0;
    await idle.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    const idleId = sessionValue(idle)!;
    offset = SESSION_IDLE_DAYS * DAY + 60_000;
    const dead = await plansStatus(server.origin, idle.cookieHeader);
    expect(dead.status).toBe(302);
    expect(dead.location).toMatch(/^\/login/);
    expect(dead.setCookie.join("\n")).toMatch(/pt_session=;.*Max-Age=0/i);
    expect(await database.db.selectFrom("sessions").select("id").where("id", "=", hashToken(idleId)).executeTakeFirst()).toBeUndefined();
    expect(id).not.toBe(idleId);
    console.log(`[sessions] ${target.name}: alive after ${SESSION_IDLE_DAYS - 1} idle days, dead after ${SESSION_IDLE_DAYS} days + 1 minute`);
  });

  it("keeps an active session alive past 14 days, but never past 30 days after login", async () => {
    const client = new TestClient(server.origin);
    await client.login(DEMO_LOGINS.admin, DEMO_PASSWORD);
    const seen: Array<[number, number]> = [];
    for (const day of [13, 26, 29.9]) {
      offset = day * DAY;
      const answer = await plansStatus(server.origin, client.cookieHeader);
      seen.push([day, answer.status]);
      expect(answer.status, `day ${day}`).toBe(200);
    }
    offset = SESSION_ABSOLUTE_DAYS * DAY + 60_000;
    const expired = await plansStatus(server.origin, client.cookieHeader);
    seen.push([SESSION_ABSOLUTE_DAYS, expired.status]);
    expect(expired.status).toBe(302);
    expect(expired.location).toMatch(/^\/login/);
    console.log(`[sessions] ${target.name}: active session by day → status ${JSON.stringify(seen)} (absolute timeout ${SESSION_ABSOLUTE_DAYS} days)`);
  });

  it("finds a session in the organisation its id names, an old lucia id by its hash alone, and never across organisations", async () => {
    const client = new TestClient(server.origin);
    await client.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    const sam = await database.db.selectFrom("users").select(["org_id", "id"]).where("email", "=", DEMO_LOGINS.rep1).executeTakeFirstOrThrow();
    expect(tenantTokenLookup(sessionValue(client)!)).toEqual({ orgId: sam.org_id });
    const addSession = (orgId: string, id: string) =>
      database.db
        .insertInto("sessions")
        .values({ org_id: orgId, id: hashToken(id), user_id: sam.id, expires_at: new Date(clock().getTime() + DAY), created_at: clock() })
        .execute();
    // Issued before sessions carried their organisation: lucia's own id, 25 random bytes in base32.
    const base32 = "abcdefghijklmnopqrstuvwxyz234567";
    const legacy = [...randomBytes(40)].map((b) => base32[b % 32]).join("");
    await addSession(sam.org_id, legacy);
    expect((await plansStatus(server.origin, `pt_session=${legacy}`)).status).toBe(200);
    // Its hash is in Sam's organisation, but the id names another: looked for there only.
    const other = await createOrganisation(database.db, { name: "Elsewhere Ltd" });
    const namesOther = tenantToken(other.id, randomBytes(32).toString("base64url"));
    await addSession(sam.org_id, namesOther);
    const refused = await plansStatus(server.origin, `pt_session=${namesOther}`);
    expect(refused.status).toBe(302);
    expect(refused.location).toMatch(/^\/login/);
    // Logging out with it ends nothing of Sam's.
    await fetch(`${server.origin}/logout`, { method: "POST", headers: { Cookie: `pt_session=${namesOther}`, Origin: server.origin }, redirect: "manual" });
    expect(await database.db.selectFrom("sessions").select("id").where("id", "=", hashToken(namesOther)).executeTakeFirst()).toBeTruthy();
  });

  it("sets HttpOnly, SameSite=Lax, Path=/ cookies without Secure over plain http (development)", async () => {
    const login = await new TestClient(server.origin).login(DEMO_LOGINS.rep2, DEMO_PASSWORD);
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith("pt_session="))!;
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\//i);
    expect(cookie).not.toMatch(/; Secure/i);
    expect(cookie).not.toMatch(/; Domain=/i);
  });

  it("uses Secure __Host- cookies in production, for sellers and for buyers' devices", async () => {
    const client = new TestClient(production.origin);
    const login = await client.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith("__Host-pt_session="));
    expect(cookie).toBeTruthy();
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\//i);
    expect(cookie).not.toMatch(/; Domain=/i); // the __Host- prefix forbids it
    expect((await plansStatus(production.origin, client.cookieHeader)).status).toBe(200);
    // The development name is not accepted in production.
    const devName = client.cookieHeader.replace("__Host-pt_session", "pt_session");
    expect((await plansStatus(production.origin, devName)).status).toBe(302);

    const plan = await database.db
      .selectFrom("plans")
      .select(["id", "org_id", "owner_id"])
      .where("buyer_company", "=", "Acme Logistics")
      .executeTakeFirstOrThrow();
    const person = await database.db
      .selectFrom("stakeholders")
      .select("id")
      .where("plan_id", "=", plan.id)
      .where("side", "=", "buyer")
      .executeTakeFirstOrThrow();
    const { token } = await createLinkForStakeholder(
      database.db,
      {
        actor: { side: "seller", name: "Sam Okafor", userId: plan.owner_id },
        today: "2026-01-05",
        viewer: { id: plan.owner_id, orgId: plan.org_id, role: "rep" },
      },
      plan.org_id,
      plan.id,
      person.id,
      30,
    );
    const buyer = new TestClient(production.origin);
    await buyer.get(`/s/${token}`);
    const confirm = await buyer.post(`/s/${token}`, { name: "Dana Lee", email: "dana.lee@acme-logistics.example" });
    const buyerCookie = confirm.headers.getSetCookie().find((c) => c.startsWith("pt_b_"))!;
    expect(buyerCookie).toMatch(/; Secure/i);
    expect(buyerCookie).toMatch(/; HttpOnly/i);
    expect(buyerCookie).toMatch(/; SameSite=Lax/i);
    // And without Secure over plain http.
    const devBuyer = new TestClient(server.origin);
    await devBuyer.get(`/s/${token}`);
    const devConfirm = await devBuyer.post(`/s/${token}`, { name: "Dana Lee", email: "dana.lee@acme-logistics.example" });
    const devCookie = devConfirm.headers.getSetCookie().find((c) => c.startsWith("pt_b_"))!;
    expect(devCookie).toMatch(/; HttpOnly/i);
    expect(devCookie).not.toMatch(/; Secure/i);
  });
});
