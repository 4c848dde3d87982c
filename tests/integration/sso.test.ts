import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayIn } from "~/domain/dates";
import type { Database } from "~/infra/db.server";
import { hashPassword } from "~/infra/password.server";
import { createUser, deactivateUser } from "~/models/user.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";
import { startTestIdp, type TestIdp } from "../support/oidc-idp";

/*
 * Issue 24, item 1 (ADR 044), end to end against real OpenID Connect providers (oidc-provider on
 * loopback ports) and the built server: an admin sets SSO up; an address in the organisation's
 * domain goes to the provider and comes back signed in, created on its first sign-in; a wrong
 * state, an expired code and an answer from another issuer are refused; mandatory SSO turns
 * passwords and resets off; deactivation ends SSO sessions and refuses the next SSO sign-in.
 */
describe.each(testDatabaseTargets())("single sign-on with OpenID Connect on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let idp: TestIdp;
  let otherIdp: TestIdp;
  let orgId: string;
  let admin: TestClient;
  const client = { clientId: "plan-together", clientSecret: "idp-client-secret-0123456789" };
  const accounts = {
    "ada@acme.test": { email: "ada@acme.test", email_verified: true, name: "Ada Lovelace" },
    "pat@acme.test": { email: "pat@acme.test", email_verified: true, name: "Pat Password" },
    "eve@elsewhere.test": { email: "eve@elsewhere.test", email_verified: true, name: "Eve Elsewhere" },
  };
  const textOf = async (response: Response) => (await response.text()).replaceAll("<!-- -->", "").replaceAll("&#x27;", "'").replaceAll("&quot;", '"');
  const pathOf = (url: URL) => `${url.pathname}${url.search}`;
  const events = () => database.db.selectFrom("sso_events").select(["kind", "actor_name", "detail"]).where("org_id", "=", orgId).orderBy("at").execute();

  /** The browser's way to the provider and back: the callback address the provider sent it to. */
  const toProvider = async (browser: TestClient, email: string) => {
    const start = await browser.post("/login", { email, password: "", intent: "sso" });
    expect(start.status, await start.clone().text()).toBe(302);
    return new URL(start.headers.get("location")!);
  };
  const signIn = async (email: string) => {
    const browser = new TestClient(server.origin);
    const callback = await idp.authorize((await toProvider(browser, email)).href, email);
    expect(callback.origin + callback.pathname).toBe(`${server.origin}/sso/callback`);
    return { browser, answer: await browser.get(pathOf(callback)) };
  };

  const saveSettings = (form: Record<string, string>) =>
    admin.post("/settings/sso", {
      intent: "save",
      issuer: idp.issuer,
      clientId: client.clientId,
      clientSecret: "",
      domains: "acme.test",
      defaultRole: "rep",
      ...form,
    });

  beforeAll(async () => {
    database = await target.open();
    orgId = (await seedDemo(database.db, todayIn("UTC", new Date()))).orgId;
    server = await startTestServer(database.db, database.kind);
    const redirectUri = `${server.origin}/sso/callback`;
    idp = await startTestIdp({ ...client, redirectUri, accounts });
    otherIdp = await startTestIdp({ ...client, redirectUri, accounts });
    await createUser(database.db, { orgId, email: "pat@acme.test", name: "Pat Password", role: "rep", passwordHash: await hashPassword("pats-long-password") });
    admin = new TestClient(server.origin);
    expect((await admin.login(DEMO_LOGINS.admin, DEMO_PASSWORD)).status).toBe(302);
  });

  afterAll(async () => {
    await server?.close();
    await idp?.close();
    await otherIdp?.close();
    await database?.drop();
  });

  it("lets an admin set the provider up, keeping the client secret encrypted and never showing it", async () => {
    const refused = await saveSettings({ issuer: "http://idp.example.com", domains: "acme" });
    expect(refused.status).toBe(400);
    const refusedPage = await textOf(refused);
    expect(refusedPage).toContain("The issuer must be an https:// address.");
    expect(refusedPage).toContain("Enter the client secret.");
    expect(refusedPage).toContain('value="acme"');

    expect((await saveSettings({ clientSecret: client.clientSecret })).status).toBe(302);
    const stored = await database.db.selectFrom("sso_connections").selectAll().where("org_id", "=", orgId).executeTakeFirstOrThrow();
    expect(stored.client_secret_encrypted).not.toContain(client.clientSecret);
    const page = await textOf(await admin.get("/settings/sso"));
    expect(page).toContain("A secret is set");
    expect(page).not.toContain(client.clientSecret);
    expect(page).toContain(`${server.origin}/sso/callback`);
    expect(page).toContain("Settings saved");

    // A rep does not see the page.
    const rep = new TestClient(server.origin);
    await rep.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    expect((await rep.get("/settings/sso")).status).toBe(403);
  });

  it("refuses a domain another organisation signs in with, keeping what the admin typed and changing nothing", async () => {
    const other = new TestClient(server.origin);
    const signup = await other.post("/signup", { organisation: "Mallory Ltd", name: "Mal Lory", email: "mal@mallory.test", password: "long-enough-password" });
    expect(signup.status).toBe(302);
    const claim = await other.post("/settings/sso", {
      intent: "save",
      issuer: otherIdp.issuer,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      domains: "mallory.test, acme.test",
      defaultRole: "rep",
    });
    expect(claim.status).toBe(400);
    const page = await textOf(claim);
    expect(page).toContain("acme.test already signs in to another organisation; remove it from the list.");
    expect(page).toContain('value="mallory.test, acme.test"');
    // Nothing of the refused save was kept: acme.test still leads to acme's provider, mallory has no SSO.
    const held = await database.db.selectFrom("sso_domains").select(["domain", "org_id"]).where("domain", "in", ["acme.test", "mallory.test"]).execute();
    expect(held).toEqual([{ domain: "acme.test", org_id: orgId }]);
    const mallory = await database.db.selectFrom("sso_connections").select("org_id").where("org_id", "<>", orgId).execute();
    expect(mallory).toEqual([]);
    expect(new URL((await toProvider(new TestClient(server.origin), "ada@acme.test")).href).origin).toBe(idp.issuer);
  });

  it("sends an address of the domain to the provider with PKCE, state and nonce", async () => {
    const url = await toProvider(new TestClient(server.origin), "ada@acme.test");
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    for (const p of ["code_challenge", "state", "nonce"]) expect(url.searchParams.get(p)?.length).toBeGreaterThanOrEqual(22);
    expect(url.searchParams.get("redirect_uri")).toBe(`${server.origin}/sso/callback`);
    // Email first: the address alone with an empty password goes there too.
    const plain = await new TestClient(server.origin).post("/login", { email: "ada@acme.test", password: "" });
    expect(new URL(plain.headers.get("location")!).origin).toBe(idp.issuer);
    // Another domain has no SSO: a clear refusal, the address kept.
    const other = await new TestClient(server.origin).post("/login", { email: "someone@nowhere.test", password: "", intent: "sso" });
    expect(other.status).toBe(400);
    const otherPage = await textOf(other);
    expect(otherPage).toContain("Single sign-on is not set up for nowhere.test");
    expect(otherPage).toContain('value="someone@nowhere.test"');
  });

  it("creates the account at the first sign-in with the default role, and signs the same account in the next time", async () => {
    const first = await signIn("ada@acme.test");
    expect(first.answer.status).toBe(302);
    expect(first.answer.headers.get("location")).toBe("/plans");
    expect((await first.browser.get("/plans")).status).toBe(200);
    const ada = await database.db.selectFrom("users").selectAll().where("email", "=", "ada@acme.test").executeTakeFirstOrThrow();
    expect(ada).toMatchObject({ org_id: orgId, name: "Ada Lovelace", role: "rep", password_hash: null });

    const again = await signIn("ada@acme.test");
    expect(again.answer.status).toBe(302);
    expect(await database.db.selectFrom("users").select("id").where("email", "=", "ada@acme.test").execute()).toHaveLength(1);
    const kinds = (await events()).filter((e) => e.actor_name === "ada@acme.test").map((e) => e.kind);
    expect(kinds).toEqual(["created", "signed-in"]);
    // The admin sees both in the log.
    const log = await textOf(await admin.get("/settings/sso"));
    expect(log).toContain("First sign-in");
    expect(log).toContain("first sign-in: joined as rep");
  });

  it("refuses an answer whose state is not the one this browser started with", async () => {
    const browser = new TestClient(server.origin);
    const callback = await idp.authorize((await toProvider(browser, "ada@acme.test")).href, "ada@acme.test");
    callback.searchParams.set("state", "a-state-this-browser-never-sent-0000000");
    const answer = await browser.get(pathOf(callback));
    expect(answer.status).toBe(400);
    expect(await textOf(answer)).toContain("does not belong to the sign-in this browser started");
    expect(answer.headers.getSetCookie().some((c) => c.startsWith("pt_session="))).toBe(false);
    // Nor does a callback reach a browser that started nothing (no sign-in cookie).
    const stranger = await new TestClient(server.origin).get(pathOf(callback));
    expect(stranger.status).toBe(400);
  });

  it("refuses an authorization code that has expired", async () => {
    const browser = new TestClient(server.origin);
    idp.state.codeTtlSeconds = 1;
    let callback: URL;
    try {
      callback = await idp.authorize((await toProvider(browser, "ada@acme.test")).href, "ada@acme.test");
    } finally {
      idp.state.codeTtlSeconds = 60;
    }
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const answer = await browser.get(pathOf(callback));
    expect(answer.status).toBe(401);
    expect(await textOf(answer)).toContain("could not be verified");
    const last = (await events()).at(-1)!;
    expect(last).toMatchObject({ kind: "refused" });
    expect(last.detail).toContain("invalid_grant");
  });

  it("refuses a code and token issued by another provider (a mix-up)", async () => {
    // The browser is sent to the organisation's provider, but the answer comes from another one
    // holding the same client registration: its `iss` and its code are not the configured issuer's.
    const browser = new TestClient(server.origin);
    const authorization = await toProvider(browser, "ada@acme.test");
    const elsewhere = new URL(`${otherIdp.issuer}${authorization.pathname}${authorization.search}`);
    const callback = await otherIdp.authorize(elsewhere.href, "ada@acme.test");
    expect(callback.searchParams.get("iss")).toBe(otherIdp.issuer);
    const answer = await browser.get(pathOf(callback));
    expect(answer.status).toBe(401);
    expect(answer.headers.getSetCookie().some((c) => c.startsWith("pt_session="))).toBe(false);

    // Without the `iss` parameter the other provider's code goes to the configured token endpoint, which refuses it.
    const browser2 = new TestClient(server.origin);
    const authorization2 = await toProvider(browser2, "ada@acme.test");
    const callback2 = await otherIdp.authorize(`${otherIdp.issuer}${authorization2.pathname}${authorization2.search}`, "ada@acme.test");
    callback2.searchParams.delete("iss");
    expect((await browser2.get(pathOf(callback2))).status).toBe(401);
  });

  it("refuses an identity outside the organisation's domains", async () => {
    const browser = new TestClient(server.origin);
    const callback = await idp.authorize((await toProvider(browser, "ada@acme.test")).href, "eve@elsewhere.test");
    const answer = await browser.get(pathOf(callback));
    expect(answer.status).toBe(403);
    expect(await textOf(answer)).toContain("eve@elsewhere.test is not in a domain your organisation signs in with single sign-on");
    expect(await database.db.selectFrom("users").select("id").where("email", "=", "eve@elsewhere.test").execute()).toHaveLength(0);
  });

  it("with SSO mandatory, turns passwords and password resets off", async () => {
    expect((await new TestClient(server.origin).login("pat@acme.test", "pats-long-password")).status).toBe(302);
    expect((await saveSettings({ required: "on" })).status).toBe(302);

    const refused = await new TestClient(server.origin).login("pat@acme.test", "pats-long-password");
    expect(refused.status).toBe(403);
    expect(await textOf(refused)).toContain("passwords are off");
    // Someone of the organisation outside its domains, with the right password: refused as well.
    const rep = await new TestClient(server.origin).login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    expect(rep.status).toBe(403);
    const reset = await new TestClient(server.origin).post("/password/forgot", { email: "pat@acme.test" });
    expect(reset.status).toBe(403);
    expect(await textOf(reset)).toContain("no password to reset");
    // Pat comes in through the provider, as the account Pat already had.
    const pat = await signIn("pat@acme.test");
    expect(pat.answer.status).toBe(302);
    expect(await database.db.selectFrom("users").select("id").where("email", "=", "pat@acme.test").execute()).toHaveLength(1);

    expect((await saveSettings({})).status).toBe(302);
    expect((await new TestClient(server.origin).login(DEMO_LOGINS.rep1, DEMO_PASSWORD)).status).toBe(302);
  });

  it("ends a deactivated person's SSO sessions at once and refuses their next SSO sign-in", async () => {
    const { browser } = await signIn("ada@acme.test");
    expect((await browser.get("/plans")).status).toBe(200);
    const [adminRow, adaRow] = await Promise.all(
      [DEMO_LOGINS.admin, "ada@acme.test"].map((email) => database.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()),
    );
    const done = await deactivateUser(database.db, { orgId, userId: adaRow.id, actorId: adminRow.id, now: new Date() });
    expect(done).toMatchObject({ ok: true });
    const after = await browser.get("/plans");
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toMatch(/^\/login/);
    const again = await signIn("ada@acme.test");
    expect(again.answer.status).toBe(403);
    expect(await textOf(again.answer)).toContain("deactivated");
  });
});
