import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { todayIn } from "~/domain/dates";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";

/*
 * Issue 17, item 5: the sign-in throttle can neither be cleared by an attacker nor turned into a
 * lockout of the account's owner. The server believes X-Forwarded-For from loopback here, so one
 * test process can speak from many addresses, as a botnet would.
 */
describe.each(testDatabaseTargets())("the sign-in throttle under attack on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let attackerAddress = 0;
  /** A fresh browser at a fresh address each time: what rotating proxies look like. */
  const fromNewAddress = () => ({ "X-Forwarded-For": `203.0.113.${++attackerAddress % 250}` });
  const guess = (email: string, password: string) => new TestClient(server.origin).post("/login", { email, password }, { headers: fromNewAddress() });

  beforeAll(async () => {
    database = await target.open();
    await seedDemo(database.db, todayIn("UTC", new Date()));
    // The server's clock stands still: a wait the throttle imposes lasts the whole test, however long
    // each request takes (on a loaded cluster, the first second of backoff ran out between two of them).
    const frozen = new Date();
    server = await startTestServer(database.db, database.kind, [], { trustProxy: ["loopback"], now: () => frozen });
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });
  const clearCounters = () => database.db.deleteFrom("auth_throttle").execute();

  it("gives one address one account, so nobody can hold a second account of the owner's address to clear its counters", async () => {
    // Before: an attacker signed up a new organisation with the victim's address and their own
    // password; each of their own successful sign-ins cleared the victim's failure count.
    const organisations = async () =>
      (
        await database.db
          .selectFrom("organisations")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n;
    const before = Number(await organisations());
    const signup = await new TestClient(server.origin).post("/signup", {
      organisation: "Squatters Ltd",
      name: "Not Sam",
      email: DEMO_LOGINS.rep1.toUpperCase(),
      password: "attacker-password-1",
    });
    expect(signup.status).toBe(400);
    const page = await signup.text();
    expect(page).toContain("This email already has an account");
    expect(page).toContain('value="Squatters Ltd"');
    expect(Number(await organisations())).toBe(before);
    const owner = await new TestClient(server.origin).login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    expect(owner.status).toBe(302);

    // Nor can another organisation's admin add the address to their team.
    const otherAdmin = new TestClient(server.origin);
    expect(
      (await otherAdmin.post("/signup", { organisation: "Other Co", name: "Olu Admin", email: "olu@other.example", password: "long-enough-password" })).status,
    ).toBe(302);
    const added = await otherAdmin.post("/team", {
      intent: "add",
      name: "Sam Again",
      email: DEMO_LOGINS.rep1,
      role: "rep",
      managerId: "",
      password: "a-long-password",
    });
    expect(added.status).toBe(400);
    const team = await added.text();
    expect(team).toContain("This email already has a Plan Together account");
    expect(team).toContain('value="Sam Again"');
  });

  it("keeps the owner's known browser working through 40 failures from rotating addresses", async () => {
    await clearCounters();
    // The owner signed in on this browser last week: it is a known device for the account.
    const ownersBrowser = new TestClient(server.origin);
    expect(
      (await ownersBrowser.post("/login", { email: DEMO_LOGINS.manager, password: DEMO_PASSWORD }, { headers: { "X-Forwarded-For": "198.51.100.7" } })).status,
    ).toBe(302);
    expect(ownersBrowser.cookieHeader).toMatch(/pt_device=/);
    await ownersBrowser.post("/logout", {});

    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await guess(DEMO_LOGINS.manager, `guess-${i}`)).status);
    expect(statuses.slice(0, 29)).toEqual(Array(29).fill(401));
    expect(statuses.at(-1)).toBe(429);

    // The attack goes on; the owner, on the browser they used before, signs in at once.
    expect((await guess(DEMO_LOGINS.manager, "guess-x")).status).toBe(429);
    const owner = await ownersBrowser.post(
      "/login",
      { email: DEMO_LOGINS.manager, password: DEMO_PASSWORD },
      { headers: { "X-Forwarded-For": "198.51.100.7" } },
    );
    expect(owner.status).toBe(302);
    expect(owner.headers.get("location")).toBe("/plans");

    // A browser new to the account is still held back, even with the right password: that is
    // what stops the distributed guess. The answer says how long, and where it does not apply.
    const stranger = await guess(DEMO_LOGINS.manager, DEMO_PASSWORD);
    expect(stranger.status).toBe(429);
    expect(Number(stranger.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await stranger.text()).toContain("A browser you have signed in with before is not held up.");
  });

  it("lets no success clear the account-wide count", async () => {
    await clearCounters();
    for (let i = 0; i < 29; i++) expect((await guess(DEMO_LOGINS.rep2, `guess-${i}`)).status).toBe(401);
    // A correct sign-in in the middle of the attack (before: it wiped the count to zero).
    expect((await guess(DEMO_LOGINS.rep2, DEMO_PASSWORD)).status).toBe(302);
    expect((await guess(DEMO_LOGINS.rep2, "guess-30")).status).toBe(401);
    expect((await guess(DEMO_LOGINS.rep2, "guess-31")).status).toBe(429);
  });

  it("slows down a known browser only for its own mistakes, and a stolen device cookie does not move to another account", async () => {
    await clearCounters();
    const browser = new TestClient(server.origin);
    const at = { headers: { "X-Forwarded-For": "198.51.100.9" } };
    expect((await browser.post("/login", { email: DEMO_LOGINS.admin, password: DEMO_PASSWORD }, at)).status).toBe(302);
    await browser.post("/logout", {});
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await browser.post("/login", { email: DEMO_LOGINS.admin, password: `typo-${i}` }, at)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // Its own wait holds even for the right password…
    expect((await browser.post("/login", { email: DEMO_LOGINS.admin, password: DEMO_PASSWORD }, at)).status).toBe(429);
    // …while the same owner on another device is unaffected.
    expect((await guess(DEMO_LOGINS.admin, DEMO_PASSWORD)).status).toBe(302);

    // The admin's device cookie, presented for another account, counts as a new browser there.
    await clearCounters();
    for (let i = 0; i < 29; i++) await guess(DEMO_LOGINS.rep1, `guess-${i}`);
    expect((await guess(DEMO_LOGINS.rep1, "guess-29")).status).toBe(401);
    const withAdminsCookie = await browser.post("/login", { email: DEMO_LOGINS.rep1, password: DEMO_PASSWORD }, { headers: fromNewAddress() });
    expect(withAdminsCookie.status).toBe(429);
  });
});
