import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { hashToken } from "~/infra/secret-tokens.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";

describe.each(testDatabaseTargets())("signing in on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;

  beforeAll(async () => {
    database = await target.open();
    await seedDemo(database.db, "2026-11-30");
    server = await startTestServer(database.db, database.kind);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("signs a demo rep in and shows their plans, and only theirs", async () => {
    const client = new TestClient(server.origin);
    const login = await client.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    expect(login.status).toBe(302);
    expect(login.headers.get("location")).toBe("/plans");
    const cookie = login.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const page = await (await client.get("/plans")).text();
    expect(page).toContain("Acme Logistics"); // rep1's
    expect(page).not.toContain("Hooli"); // rep2's
  });

  it("lets a manager see the whole team's plans", async () => {
    const client = new TestClient(server.origin);
    await client.login(DEMO_LOGINS.manager, DEMO_PASSWORD);
    const page = await (await client.get("/plans?status=all")).text();
    for (const company of ["Acme Logistics", "Hooli", "Umbrella Retail", "Stark Manufacturing"]) expect(page).toContain(company);
  });

  it("stores only a hash of the session id and issues a new one at every login", async () => {
    const client = new TestClient(server.origin);
    await client.login(DEMO_LOGINS.rep2, DEMO_PASSWORD);
    const first = client.cookie("pt_session") ?? "";
    const stored = await database.db.selectFrom("sessions").select("id").execute();
    expect(stored.map((s) => s.id)).toContain(hashToken(first));
    expect(stored.map((s) => s.id)).not.toContain(first);
    await client.login(DEMO_LOGINS.rep2, DEMO_PASSWORD);
    expect(client.cookie("pt_session")).not.toBe(first);
  });

  it("kills the session at logout: the old cookie no longer opens anything", async () => {
    const client = new TestClient(server.origin);
    await client.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    const oldCookie = client.cookieHeader;
    expect((await client.post("/logout", {})).status).toBe(302);
    const replay = await fetch(`${server.origin}/plans`, { headers: { Cookie: oldCookie }, redirect: "manual" });
    expect(replay.status).toBe(302);
    expect(replay.headers.get("location")).toMatch(/^\/login/);
  });

  it("answers a wrong password and an unknown email with the same message", async () => {
    const wrong = await new TestClient(server.origin).login(DEMO_LOGINS.manager, "not-the-password");
    const unknown = await new TestClient(server.origin).login("nobody@nowhere.example", "whatever-password");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const message = "That email and password don&#x27;t match an account.";
    expect(await wrong.text()).toContain(message);
    expect(await unknown.text()).toContain(message);
  });

  it("keeps what was typed when the form is incomplete", async () => {
    const response = await new TestClient(server.origin).post("/login", { email: "typed@example.com", password: "" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('value="typed@example.com"');
    expect(html).toContain("Enter your password.");
  });

  it("slows down repeated failures for one account, then lets the right password in after the wait", async () => {
    const client = new TestClient(server.origin);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await client.login("admin@demo.example", `guess-${i}`)).status);
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses).toContain(429);
    // The first wait is a second; stretch it so a slow machine cannot outlast it between two posts.
    await database.db
      .updateTable("auth_throttle")
      .set({ blocked_until: new Date(Date.now() + 60_000) })
      .where("key", "like", "account-ip:%")
      .execute();
    const throttled = await client.login("admin@demo.example", DEMO_PASSWORD);
    expect(throttled.status).toBe(429);
    expect(await throttled.text()).toMatch(/Wait \d+ seconds? and try again/);
    // Another person at another address is not locked out by this.
    await database.db.deleteFrom("auth_throttle").where("key", "like", "account-ip:%").execute();
    await database.db.deleteFrom("auth_throttle").where("key", "like", "ip:%").execute();
    const ok = await new TestClient(server.origin).login("admin@demo.example", DEMO_PASSWORD);
    expect(ok.status).toBe(302);
  });

  it("refuses a form post from another site or without an Origin", async () => {
    const client = new TestClient(server.origin);
    const foreign = await client.request("/login", {
      method: "POST",
      form: { email: DEMO_LOGINS.rep1, password: DEMO_PASSWORD },
      headers: { Origin: "https://evil.example" },
    });
    expect(foreign.status).toBe(403);
    const crossSite = await client.request("/login", {
      method: "POST",
      form: { email: DEMO_LOGINS.rep1, password: DEMO_PASSWORD },
      headers: { "Sec-Fetch-Site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);
    const noOrigin = await fetch(`${server.origin}/login`, {
      method: "POST",
      body: "email=a&password=b",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(noOrigin.status).toBe(403);
  });

  it("creates an organisation with its first admin at sign-up", async () => {
    const client = new TestClient(server.origin);
    const response = await client.post("/signup", {
      organisation: "Blue Harbor",
      name: "Jo Park",
      email: "jo@blueharbor.example",
      password: "long-enough-password",
    });
    expect(response.status).toBe(302);
    const page = await (await client.get("/plans")).text();
    expect(page).toContain("Blue Harbor");
    expect(page).toContain("No active plans yet");
    const user = await database.db.selectFrom("users").select(["role", "password_hash"]).where("email", "=", "jo@blueharbor.example").executeTakeFirstOrThrow();
    expect(user.role).toBe("admin");
    expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    // The address now holds Jo's account: signing up a second organisation with it creates nothing.
    const again = await new TestClient(server.origin).post("/signup", {
      organisation: "Green Harbor",
      name: "Jo Again",
      email: "JO@blueharbor.example",
      password: "long-enough-password",
    });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("This email already has an account");
    expect(await database.db.selectFrom("organisations").select("id").where("name", "=", "Green Harbor").executeTakeFirst()).toBeUndefined();
    const held = await database.db.selectFrom("account_emails").selectAll().where("email", "=", "jo@blueharbor.example").execute();
    const jo = await database.db.selectFrom("users").select(["org_id", "id"]).where("email", "=", "jo@blueharbor.example").execute();
    expect(held).toEqual([{ email: "jo@blueharbor.example", org_id: jo[0].org_id, user_id: jo[0].id }]);
    expect(jo).toHaveLength(1);
    // Signing in finds the account through the address it holds.
    expect((await new TestClient(server.origin).login("Jo@BlueHarbor.example", "long-enough-password")).status).toBe(302);
  });

  it("sends a strict Content-Security-Policy whose nonce is on every inline script", async () => {
    const response = await fetch(`${server.origin}/login`);
    const csp = response.headers.get("content-security-policy") ?? "";
    const nonce = csp.match(/'nonce-([^']+)'/)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await response.text();
    const inlineScripts = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
    expect(inlineScripts.length).toBeGreaterThan(0);
    for (const [, attributes] of inlineScripts) expect(attributes).toContain(`nonce="${nonce}"`);
    const other = (await fetch(`${server.origin}/login`)).headers.get("content-security-policy");
    expect(other).not.toBe(csp); // a fresh nonce per response
  });

  it("reports the database's health", async () => {
    const response = await fetch(`${server.origin}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", database: { status: "ok", kind: database.kind } });
  });

  it("logs one line per request and never a password or cookie", async () => {
    const client = new TestClient(server.origin);
    await client.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    const page = await client.get("/plans");
    const requestId = page.headers.get("x-request-id");
    // The line is written when the response finishes, which may be just after the client has it.
    await expect.poll(() => server.logLines.some((l) => l.includes(requestId!))).toBe(true);
    const log = server.logLines.join("\n");
    expect(log).not.toContain(DEMO_PASSWORD);
    expect(log).not.toContain(client.cookie("pt_session"));
    const line = JSON.parse(server.logLines.find((l) => l.includes(requestId!))!);
    expect(line).toMatchObject({ method: "GET", path: "/plans", status: 200, requestId, ms: expect.any(Number) });
  });
});
