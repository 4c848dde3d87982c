import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { tenantToken, tenantTokenLookup } from "~/domain/tenant-token";
import { hashToken } from "~/infra/secret-tokens.server";
import { createOrganisation } from "~/models/organisation.server";
import type { Database } from "~/infra/db.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";

/*
 * Issue 17, item 8 (ADR 020), at the HTTP level of the built server: a teammate is invited by
 * email and chooses their own password from a single-use link that expires; "Forgot your
 * password?" answers the same for any address and its link ends every session; a password change
 * ends the other sessions and keeps this one. Tokens are stored only as hashes.
 */
const MINUTE = 60_000;
const DAY = 86_400_000;
const NEW_PASSWORD = "a-brand-new-password";

describe.each(testDatabaseTargets())("account lifecycle on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let admin: TestClient;
  /** How far the server's clock is ahead of the real one. */
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);

  beforeAll(async () => {
    database = await target.open();
    await seedDemo(database.db, new Date().toISOString().slice(0, 10));
    server = await startTestServer(database.db, database.kind, [], { now: clock });
    admin = new TestClient(server.origin);
    expect((await admin.login(DEMO_LOGINS.admin, DEMO_PASSWORD)).status).toBe(302);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });
  beforeEach(async () => {
    offset = 0;
    // Each test starts with fresh reset-request counters (they are per address and per client IP).
    await database.db.deleteFrom("auth_throttle").where("key", "like", "reset-%").execute();
  });

  /** The set-password token in the newest email of this kind to this address. */
  async function linkTokenFor(email: string, kind: "account_invite" | "password_reset") {
    const row = await database.db
      .selectFrom("email_outbox")
      .select(["text", "html", "subject", "headers"])
      .where("to_address", "=", email)
      .where("kind", "=", kind)
      .orderBy("created_at", "desc")
      .orderBy("id")
      .limit(1)
      .executeTakeFirst();
    const token = row?.text.match(/\/password\/set\/([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})/)?.[1];
    return { token, email: row };
  }
  const emailCount = async (email: string, kind: string) =>
    Number(
      (
        await database.db
          .selectFrom("email_outbox")
          .select((eb) => eb.fn.countAll<string>().as("n"))
          .where("to_address", "=", email)
          .where("kind", "=", kind)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const text = async (response: Response) => (await response.text()).replace(/<!-- -->/g, "");
  const managerId = async () => (await database.db.selectFrom("users").select("id").where("email", "=", DEMO_LOGINS.manager).executeTakeFirstOrThrow()).id;

  async function invite(name: string, email: string) {
    const response = await admin.post("/team", { intent: "add", name, email, role: "rep", managerId: await managerId() });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/team");
    const { token } = await linkTokenFor(email, "account_invite");
    expect(token).toBeTruthy();
    return token!;
  }

  it("invites a teammate by email; they set their own password from the link, are signed in on /plans, and the link works once", async () => {
    const token = await invite("Lee Nguyen", "lee@demo.example");
    const team = await text(await admin.get("/team"));
    expect(team).toContain("We emailed Lee Nguyen (lee@demo.example) a link to choose a password");
    expect(team).toContain("Invited, hasn&#x27;t set a password yet");
    expect(team).toContain("Resend invitation");
    // The add form asks for no password any more.
    expect(team).not.toContain('name="password"');

    const { email } = await linkTokenFor("lee@demo.example", "account_invite");
    const org = await database.db.selectFrom("organisations").select("name").executeTakeFirstOrThrow();
    expect(email!.subject).toBe(`Alex Morgan invited you to ${org.name} on Plan Together`);
    expect(email!.text).toContain(`${server.origin}/password/set/${token}`);
    // An account email cannot be unsubscribed from: no List-Unsubscribe.
    expect(JSON.stringify(email!.headers)).not.toContain("List-Unsubscribe");

    // Until the password is set, nothing signs in (not even an empty or guessed password).
    const early = new TestClient(server.origin);
    expect((await early.login("lee@demo.example", "anything-at-all")).status).toBe(401);

    const lee = new TestClient(server.origin);
    const page = await lee.get(`/password/set/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("referrer-policy")).toBe("same-origin");
    const body = await text(page);
    expect(body).toContain("Welcome, Lee Nguyen");
    expect(body).toContain("lee@demo.example");

    // The same rules as sign-up, and the two must match; the page says what to fix.
    const short = await lee.post(`/password/set/${token}`, { password: "short", confirm: "short" });
    expect(short.status).toBe(400);
    expect(await text(short)).toContain("Use at least 10 characters.");
    const mismatch = await lee.post(`/password/set/${token}`, { password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}x` });
    expect(mismatch.status).toBe(400);
    expect(await text(mismatch)).toContain("The two passwords don&#x27;t match");

    const set = await lee.post(`/password/set/${token}`, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(set.status).toBe(302);
    expect(set.headers.get("location")).toBe("/plans");
    const plans = await lee.get("/plans");
    expect(plans.status).toBe(200);
    expect(await text(plans)).toContain("Lee Nguyen");

    // Single use: the page and the form both refuse the spent link, saying what to do instead.
    const again = await new TestClient(server.origin).get(`/password/set/${token}`);
    expect(again.status).toBe(410);
    const againBody = await text(again);
    expect(againBody).toContain("This link was already used");
    expect(againBody).toContain("Forgot your password?");
    const reuse = await new TestClient(server.origin).post(`/password/set/${token}`, { password: "attacker-password", confirm: "attacker-password" });
    expect(reuse.status).toBe(410);
    expect((await new TestClient(server.origin).login("lee@demo.example", "attacker-password")).status).toBe(401);
    expect((await new TestClient(server.origin).login("lee@demo.example", NEW_PASSWORD)).status).toBe(302);

    // The team list no longer shows Lee as invited.
    const after = await text(await admin.get("/team"));
    expect(after.match(/Invited, hasn&#x27;t set a password yet/g)).toBeNull();
  });

  it("refuses an address already in use as a field error, keeping what the admin typed", async () => {
    const taken = await admin.post("/team", { intent: "add", name: "Sam Again", email: DEMO_LOGINS.rep1.toUpperCase(), role: "rep", managerId: "" });
    expect(taken.status).toBe(400);
    const body = await text(taken);
    expect(body).toContain("This email already has a Plan Together account");
    expect(body).toContain('value="Sam Again"');
    expect(await emailCount(DEMO_LOGINS.rep1, "account_invite")).toBe(0);
  });

  it("stores only a hash of each link token, never the token itself", async () => {
    const token = await invite("Hana Sato", "hana@demo.example");
    const rows = await database.db.selectFrom("account_tokens").selectAll().execute();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(token);
    const hash = createHash("sha256").update(token).digest("hex");
    expect(rows.some((r) => r.token_hash === hash)).toBe(true);
  });

  it("finds a link in the organisation its token names, an old one (no organisation) by its hash alone, and never across organisations", async () => {
    const token = await invite("Lea Gacy", "lea@demo.example");
    const lea = await database.db.selectFrom("users").select(["org_id", "id"]).where("email", "=", "lea@demo.example").executeTakeFirstOrThrow();
    expect(tenantTokenLookup(token)).toEqual({ orgId: lea.org_id });
    const addLink = (linkToken: string) =>
      database.db
        .insertInto("account_tokens")
        .values({
          org_id: lea.org_id,
          user_id: lea.id,
          purpose: "invite",
          token_hash: hashToken(linkToken),
          created_at: clock(),
          expires_at: new Date(clock().getTime() + DAY),
        })
        .execute();
    // Its hash is in Lea's organisation, but the token names another: looked for there only.
    const other = await createOrganisation(database.db, { name: "Elsewhere Ltd" });
    const namesOther = tenantToken(other.id, randomBytes(32).toString("base64url"));
    await addLink(namesOther);
    expect((await new TestClient(server.origin).get(`/password/set/${namesOther}`)).status).toBe(404);
    const refused = await new TestClient(server.origin).post(`/password/set/${namesOther}`, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(refused.status).toBe(404);
    // A link sent before tokens carried their organisation still sets the password.
    const legacy = randomBytes(32).toString("base64url");
    await addLink(legacy);
    const page = await new TestClient(server.origin).get(`/password/set/${legacy}`);
    expect(page.status).toBe(200);
    expect(await text(page)).toContain("lea@demo.example");
    const set = await new TestClient(server.origin).post(`/password/set/${legacy}`, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(set.status).toBe(302);
    expect((await new TestClient(server.origin).login("lea@demo.example", NEW_PASSWORD)).status).toBe(302);
  });

  it("resending an invitation replaces the earlier link, and a double click sends one email", async () => {
    const first = await invite("Ravi Shah", "ravi@demo.example");
    const ravi = await database.db.selectFrom("users").select("id").where("email", "=", "ravi@demo.example").executeTakeFirstOrThrow();
    const tooSoon = await admin.post("/team", { intent: "resend", userId: ravi.id });
    expect(tooSoon.status).toBe(400);
    expect(await text(tooSoon)).toContain("less than a minute ago");
    expect(await emailCount("ravi@demo.example", "account_invite")).toBe(1);

    offset = 2 * MINUTE;
    const resent = await admin.post("/team", { intent: "resend", userId: ravi.id });
    expect(resent.status).toBe(302);
    expect(await text(await admin.get("/team"))).toContain("A new invitation went to Ravi Shah (ravi@demo.example)");
    const { token: second } = await linkTokenFor("ravi@demo.example", "account_invite");
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);

    const old = await new TestClient(server.origin).get(`/password/set/${first}`);
    expect(old.status).toBe(410);
    expect(await text(old)).toContain("A newer link replaced this one");
    expect((await new TestClient(server.origin).get(`/password/set/${second}`)).status).toBe(200);

    // Someone who has set a password has nothing to resend.
    const sam = await database.db.selectFrom("users").select("id").where("email", "=", DEMO_LOGINS.rep1).executeTakeFirstOrThrow();
    const needless = await admin.post("/team", { intent: "resend", userId: sam.id });
    expect(needless.status).toBe(400);
    expect(await text(needless)).toContain("has already set a password");
  });

  it("refuses an invitation link after 7 days, on the page and on the form", async () => {
    const token = await invite("Old Invite", "old-invite@demo.example");
    offset = 7 * DAY - MINUTE;
    expect((await new TestClient(server.origin).get(`/password/set/${token}`)).status).toBe(200);
    offset = 7 * DAY + MINUTE;
    const page = await new TestClient(server.origin).get(`/password/set/${token}`);
    expect(page.status).toBe(410);
    const body = await text(page);
    expect(body).toContain("This link has expired");
    expect(body).toContain("Ask your administrator to resend your invitation");
    const late = await new TestClient(server.origin).post(`/password/set/${token}`, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(late.status).toBe(410);
    const user = await database.db.selectFrom("users").select("password_hash").where("email", "=", "old-invite@demo.example").executeTakeFirstOrThrow();
    expect(user.password_hash).toBeNull();
    expect(await text(await admin.get("/team"))).toContain("has expired");
  });

  it("answers a reset request for an unknown address exactly as for a known one, and emails only the known one", async () => {
    const ask = async (email: string) => {
      const client = new TestClient(server.origin);
      const started = performance.now();
      const response = await client.post("/password/forgot", { email });
      const ms = performance.now() - started;
      const follow = await client.get(response.headers.get("location") ?? "/nowhere");
      return {
        status: response.status,
        location: response.headers.get("location"),
        ms,
        page: follow.status,
        body: (await text(follow)).replaceAll(email, "ADDRESS"),
      };
    };
    const known = await ask(DEMO_LOGINS.rep2);
    const unknown = await ask("nobody-here@demo.example");
    expect(known.status).toBe(302);
    expect(unknown.status).toBe(known.status);
    expect(unknown.location).toBe(known.location);
    expect(unknown.page).toBe(200);
    expect(known.body).toContain("If an account uses ADDRESS, we&#x27;ve sent a link");
    // The pages differ only in their per-response nonce.
    const stable = (html: string) => html.replace(/nonce="[^"]*"/g, "").replace(/"nonce":"[^"]*"/g, "");
    expect(stable(unknown.body)).toBe(stable(known.body));
    // Neither answer comes quicker: both wait out the same floor.
    expect(known.ms).toBeGreaterThanOrEqual(290);
    expect(unknown.ms).toBeGreaterThanOrEqual(290);

    expect(await emailCount(DEMO_LOGINS.rep2, "password_reset")).toBe(1);
    expect(await emailCount("nobody-here@demo.example", "password_reset")).toBe(0);
  });

  it("a reset ends every session of the account, signs this browser in, and the link lasts an hour", async () => {
    const victim = new TestClient(server.origin);
    expect((await victim.login(DEMO_LOGINS.manager, DEMO_PASSWORD)).status).toBe(302);
    expect((await victim.get("/plans")).status).toBe(200);

    // A first request's link is replaced by a second one.
    const owner = new TestClient(server.origin);
    expect((await owner.post("/password/forgot", { email: DEMO_LOGINS.manager })).status).toBe(302);
    const { token: first } = await linkTokenFor(DEMO_LOGINS.manager, "password_reset");
    expect((await owner.post("/password/forgot", { email: DEMO_LOGINS.manager })).status).toBe(302);
    const { token, email } = await linkTokenFor(DEMO_LOGINS.manager, "password_reset");
    expect(token).not.toBe(first);
    expect(email!.subject).toBe("Reset your Plan Together password");
    expect((await owner.get(`/password/set/${first}`)).status).toBe(410);

    const page = await owner.get(`/password/set/${token}`);
    expect(page.status).toBe(200);
    expect(await text(page)).toContain("Choose a new password");
    const set = await owner.post(`/password/set/${token}`, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(set.status).toBe(302);
    expect(set.headers.get("location")).toBe("/plans");
    expect((await owner.get("/plans")).status).toBe(200);
    // The other browser (perhaps the attacker's) is signed out.
    const stale = await victim.get("/plans");
    expect(stale.status).toBe(302);
    expect(stale.headers.get("location")).toMatch(/^\/login/);
    expect((await new TestClient(server.origin).login(DEMO_LOGINS.manager, DEMO_PASSWORD)).status).toBe(401);
    expect((await new TestClient(server.origin).login(DEMO_LOGINS.manager, NEW_PASSWORD)).status).toBe(302);

    // An hour later a new reset link is dead.
    offset = 10 * MINUTE;
    await new TestClient(server.origin).post("/password/forgot", { email: DEMO_LOGINS.manager });
    const { token: late } = await linkTokenFor(DEMO_LOGINS.manager, "password_reset");
    offset = 10 * MINUTE + 59 * MINUTE;
    expect((await new TestClient(server.origin).get(`/password/set/${late}`)).status).toBe(200);
    offset = 10 * MINUTE + 61 * MINUTE;
    const expired = await new TestClient(server.origin).get(`/password/set/${late}`);
    expect(expired.status).toBe(410);
    expect(await text(expired)).toContain("This link has expired");
  });

  it("throttles reset requests per address, known or not, with the same answer, and caps the emails", async () => {
    const burst = async (email: string) => {
      const responses: Response[] = [];
      for (let k = 0; k < 4; k++) responses.push(await new TestClient(server.origin).post("/password/forgot", { email }));
      return responses;
    };
    // The demo seed's admin has had no reset email this hour.
    const known = await burst(DEMO_LOGINS.admin);
    const unknown = await burst("no-account@demo.example");
    expect(known.map((r) => r.status)).toEqual([302, 302, 302, 429]);
    expect(unknown.map((r) => r.status)).toEqual([302, 302, 302, 429]);
    for (const refused of [known[3], unknown[3]]) {
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await text(refused)).toContain("Too many reset requests for this address or from your network.");
    }
    expect(await emailCount(DEMO_LOGINS.admin, "password_reset")).toBe(3);

    // Spread out past the address throttle, the account still gets at most 3 reset emails an hour,
    // and 10 a day.
    const spreadOut = async (at: number) => {
      await database.db.deleteFrom("auth_throttle").where("key", "like", "reset-%").execute();
      offset = at;
      expect((await new TestClient(server.origin).post("/password/forgot", { email: DEMO_LOGINS.admin })).status).toBe(302);
    };
    await spreadOut(20 * MINUTE);
    expect(await emailCount(DEMO_LOGINS.admin, "password_reset")).toBe(3);
    for (let hour = 1; hour <= 6; hour++) for (const minutes of [0, 1, 2]) await spreadOut(hour * 61 * MINUTE + minutes * MINUTE);
    expect(await emailCount(DEMO_LOGINS.admin, "password_reset")).toBe(10);
  });

  it("throttles reset requests per client address across many addresses", async () => {
    const statuses: number[] = [];
    for (let k = 0; k < 11; k++) statuses.push((await new TestClient(server.origin).post("/password/forgot", { email: `spray-${k}@demo.example` })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(302));
    expect(statuses[10]).toBe(429);
  });

  it("changes a password from the account page: other sessions end, this one stays; a wrong current password counts as a failed login", async () => {
    const here = new TestClient(server.origin);
    const elsewhere = new TestClient(server.origin);
    expect((await here.login(DEMO_LOGINS.rep2, DEMO_PASSWORD)).status).toBe(302);
    expect((await elsewhere.login(DEMO_LOGINS.rep2, DEMO_PASSWORD)).status).toBe(302);

    const account = await here.get("/account");
    expect(account.status).toBe(200);
    expect(await text(account)).toContain("Change your password");
    // The app's header leads there.
    expect(await text(await here.get("/plans"))).toContain('href="/account"');

    const wrong = await here.post("/account", { currentPassword: "not-my-password", password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(wrong.status).toBe(400);
    expect(await text(wrong)).toContain("That&#x27;s not your current password.");
    const counted = await database.db.selectFrom("auth_throttle").select(["key", "failures"]).where("key", "like", `%${DEMO_LOGINS.rep2}%`).execute();
    expect(counted.some((r) => r.failures >= 1)).toBe(true);

    const mismatch = await here.post("/account", { currentPassword: DEMO_PASSWORD, password: NEW_PASSWORD, confirm: "something-else-entirely" });
    expect(mismatch.status).toBe(400);
    expect(await text(mismatch)).toContain("The two passwords don&#x27;t match");

    const changed = await here.post("/account", { currentPassword: DEMO_PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(changed.status).toBe(302);
    expect(changed.headers.get("location")).toBe("/account");
    const after = await here.get("/account");
    expect(after.status).toBe(200);
    expect(await text(after)).toContain("Your password was changed. You were signed out of 1 other session; this one stays signed in.");
    const gone = await elsewhere.get("/plans");
    expect(gone.status).toBe(302);
    expect(gone.headers.get("location")).toMatch(/^\/login/);
    expect((await new TestClient(server.origin).login(DEMO_LOGINS.rep2, DEMO_PASSWORD)).status).toBe(401);
    expect((await new TestClient(server.origin).login(DEMO_LOGINS.rep2, NEW_PASSWORD)).status).toBe(302);
  });

  it("says so for a link that never existed, and keeps set-password tokens out of the request log", async () => {
    const bogus = "A".repeat(43);
    const page = await new TestClient(server.origin).get(`/password/set/${bogus}`);
    expect(page.status).toBe(404);
    expect(await text(page)).toContain("This link is not valid");
    expect(server.logLines.join("\n")).not.toContain(bogus);
    expect(server.logLines.join("\n")).toContain("/password/set/[token]");
  });
});
