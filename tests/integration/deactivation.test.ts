import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCalendar } from "~/domain/calendar";
import { todayIn } from "~/domain/dates";
import { issueAccountToken } from "~/models/account-tokens.server";
import { createApiToken } from "~/models/api-tokens.server";
import { calendarOf } from "~/models/organisation.server";
import { createUser } from "~/models/user.server";
import type { Database } from "~/infra/db.server";
import { hashPassword } from "~/infra/password.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";

/*
 * Issue 17, item 8 (second half; ADR 021), at the HTTP layer of the built server: an admin
 * deactivates a departed teammate (after a confirmation step) and their session, password, API
 * token and calendar feed stop working at once; their active plans are handed over to another
 * rep through the write path, and the plan page, the log, the forecast and the new owner's email
 * all follow; deactivated people are no longer offered as owners or managers.
 */
describe.each(testDatabaseTargets())("deactivating a teammate and handing over their plans on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let orgId: string;
  const ids: Record<string, string> = {};
  const admin2 = { email: "ops-admin@demo.example", password: "second-admin-password", name: "Robin Ops" };
  let token: string;
  let repFeedPath: string;
  let rep2PlanId: string;
  let rep1StakeholderId: string;
  let rep1MilestoneId: string;
  const today = todayIn("UTC", new Date());

  const signedIn = async (email: string, password = DEMO_PASSWORD) => {
    const client = new TestClient(server.origin);
    expect((await client.login(email, password)).status).toBe(302);
    return client;
  };
  // React separates text parts with empty comments; what the user reads is the text without them.
  const textOf = async (response: Response) => (await response.text()).replaceAll("<!-- -->", "");
  const loginAnswer = async (email: string, password: string) => {
    const response = await new TestClient(server.origin).login(email, password);
    const body = await textOf(response);
    return { status: response.status, message: /That email and password don[^<]*/.exec(body.replaceAll("&#x27;", "'"))?.[0] ?? null };
  };
  const api = (path: string) => fetch(`${server.origin}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const userId = async (email: string) => (await database.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
  const milestoneForm = (title: string, ownerStakeholderId: string) => ({
    title,
    description: "",
    ownerSide: "seller",
    ownerStakeholderId,
    durationDays: "2",
    lagDays: "0",
    pinnedDate: "",
    completedOn: "",
    intent: "save",
  });

  beforeAll(async () => {
    database = await target.open();
    orgId = (await seedDemo(database.db, today)).orgId;
    server = await startTestServer(database.db, database.kind);
    for (const [key, email] of Object.entries(DEMO_LOGINS)) ids[key] = await userId(email);
    ids.admin2 = (
      await createUser(database.db, { orgId, email: admin2.email, name: admin2.name, role: "admin", passwordHash: await hashPassword(admin2.password) })
    ).id;
    token = (await createApiToken(database.db, { orgId, name: "CRM sync", scope: "read", createdBy: ids.admin2 })).token;

    // Sam (rep1) subscribed his calendar, and owns a milestone on Priya's (rep2's) plan.
    const sam = await signedIn(DEMO_LOGINS.rep1);
    const feedPage = await textOf(await sam.get("/calendar-feed"));
    repFeedPath = new URL(/https?:\/\/[^"<\s]+\/calendar\/[^"<\s]+\.ics/.exec(feedPage)![0]).pathname;
    expect((await fetch(`${server.origin}${repFeedPath}`)).status).toBe(200);
    const priya = await signedIn(DEMO_LOGINS.rep2);
    const org = await database.db.selectFrom("organisations").selectAll().where("id", "=", orgId).executeTakeFirstOrThrow();
    const goLive = makeCalendar(calendarOf(org)).afterDate(today, 60);
    const created = await priya.post("/plans/new", {
      buyerCompany: "Umbrella",
      title: "Rollout",
      value: "10000",
      currency: "USD",
      goLive,
      crmCloseDate: "",
      templateId: "",
    });
    expect(created.status).toBe(302);
    rep2PlanId = created.headers.get("location")!.split("/").pop()!;
    expect((await priya.post(`/plans/${rep2PlanId}/milestones/new`, milestoneForm("Security review", `user:${ids.rep1}`))).status).toBe(302);
    const milestone = await database.db
      .selectFrom("milestones")
      .select(["id", "owner_stakeholder_id"])
      .where("plan_id", "=", rep2PlanId)
      .executeTakeFirstOrThrow();
    rep1MilestoneId = milestone.id;
    rep1StakeholderId = milestone.owner_stakeholder_id!;
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("shows what deactivating will do before doing anything, as a page of its own", async () => {
    const alex = await signedIn(DEMO_LOGINS.admin);
    const other = await signedIn(admin2.email, admin2.password);
    const page = await textOf(await alex.get(`/team?deactivate=${ids.admin2}`));
    expect(page).toContain(`Deactivate ${admin2.name}?`);
    expect(page).toContain("They are signed out everywhere at once and can no longer sign in.");
    expect(page).toContain("(CRM sync) stop working for good");
    expect(page).toMatch(/<input type="hidden" name="intent" value="deactivate"\/>/);
    // Nothing happened yet.
    expect((await other.get("/plans")).status).toBe(200);
    expect((await api("/plans")).status).toBe(200);
  });

  it("ends a deactivated admin's session at once, refuses their right password like a wrong one, and refuses their API token", async () => {
    const alex = await signedIn(DEMO_LOGINS.admin);
    const other = await signedIn(admin2.email, admin2.password);
    expect((await other.get("/plans")).status).toBe(200);
    const wrongBefore = await loginAnswer(admin2.email, "not-the-password");

    const response = await alex.post("/team", { intent: "deactivate", userId: ids.admin2 });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/team");
    const team = await textOf(await alex.get("/team"));
    expect(team).toContain(`${admin2.name} is deactivated and signed out everywhere. Their API token was revoked.`);
    expect(team).toMatch(/Deactivated<\/h2>/);
    expect(team).toContain("deactivated on ");

    // The cookie they still hold opens nothing on the very next request.
    const next = await other.get("/plans");
    expect(next.status).toBe(302);
    expect(next.headers.get("location")).toMatch(/^\/login/);
    expect(await database.db.selectFrom("sessions").select("id").where("user_id", "=", ids.admin2).execute()).toEqual([]);

    // The right password gets exactly the answer a wrong one gets: no oracle.
    const right = await loginAnswer(admin2.email, admin2.password);
    expect(right).toEqual(wrongBefore);
    expect(right).toEqual({ status: 401, message: "That email and password don't match an account." });

    expect((await api("/plans")).status).toBe(401);
  });

  it("refuses to deactivate yourself, with a message, and keeps an active administrator when two deactivate each other at once", async () => {
    const alex = await signedIn(DEMO_LOGINS.admin);
    const self = await alex.post("/team", { intent: "deactivate", userId: ids.admin });
    expect(self.status).toBe(400);
    expect(await textOf(self)).toContain("You cannot deactivate yourself; ask another administrator.");
    expect(await textOf(await alex.get(`/team?deactivate=${ids.admin}`))).toContain("You cannot deactivate yourself");
    expect((await alex.get("/plans")).status).toBe(200);

    // Two administrators, each deactivating the other at the same moment: one of them stays.
    const third = (
      await createUser(database.db, {
        orgId,
        email: "third-admin@demo.example",
        name: "Jo Third",
        role: "admin",
        passwordHash: await hashPassword("third-admin-password"),
      })
    ).id;
    const jo = await signedIn("third-admin@demo.example", "third-admin-password");
    const [a, b] = await Promise.all([
      alex.post("/team", { intent: "deactivate", userId: third }),
      jo.post("/team", { intent: "deactivate", userId: ids.admin }),
    ]);
    const active = await database.db
      .selectFrom("users")
      .select("id")
      .where("org_id", "=", orgId)
      .where("role", "=", "admin")
      .where("deactivated_at", "is", null)
      .execute();
    expect(active).toHaveLength(1);
    const loser = active[0].id === ids.admin ? b : a;
    // The one that lost was refused: signed out by the other (to the login page), or told why.
    if (loser.status === 400) expect(await textOf(loser)).toContain("Only an active administrator can deactivate people.");
    else expect(loser.headers.get("location")).toMatch(/^\/login/);
    // Put Alex back for the rest of the file.
    if (active[0].id !== ids.admin) {
      await database.db.updateTable("users").set({ deactivated_at: null }).where("id", "=", ids.admin).execute();
      await database.db.updateTable("users").set({ deactivated_at: new Date() }).where("id", "=", third).execute();
    }
  });

  it("stops a deactivated rep's sign-in and calendar feed, and keeps their plans in their name until handed over", async () => {
    const alex = await signedIn(DEMO_LOGINS.admin);
    const sam = await signedIn(DEMO_LOGINS.rep1);
    const plans = await database.db.selectFrom("plans").select(["id", "status"]).where("owner_id", "=", ids.rep1).execute();
    const activeCount = plans.filter((p) => p.status === "active").length;
    expect(activeCount).toBeGreaterThan(1);

    // A reset link Sam asked for before leaving, still in his inbox.
    const { token: resetToken } = await issueAccountToken(database.db, { orgId, userId: ids.rep1, purpose: "reset", now: new Date() });

    const confirm = await textOf(await alex.get(`/team?deactivate=${ids.rep1}`));
    expect(confirm).toContain(`Their ${activeCount} active plans stay as they are, in their name, until you hand them over`);
    expect((await alex.post("/team", { intent: "deactivate", userId: ids.rep1 })).status).toBe(302);

    expect((await sam.get("/plans")).status).toBe(302);
    expect(await loginAnswer(DEMO_LOGINS.rep1, DEMO_PASSWORD)).toEqual({ status: 401, message: "That email and password don't match an account." });
    expect((await fetch(`${server.origin}${repFeedPath}`)).status).toBe(404);
    // The link no longer sets a password (before: it did, though the session it opened was refused).
    const hashBefore = (await database.db.selectFrom("users").select("password_hash").where("id", "=", ids.rep1).executeTakeFirstOrThrow()).password_hash;
    expect(
      (await new TestClient(server.origin).post(`/password/set/${resetToken}`, { password: "a-brand-new-password", confirm: "a-brand-new-password" })).status,
    ).toBe(410);
    expect((await database.db.selectFrom("users").select("password_hash").where("id", "=", ids.rep1).executeTakeFirstOrThrow()).password_hash).toBe(hashBefore);
    // Nothing moved on its own.
    expect(await database.db.selectFrom("plans").select(["id", "status"]).where("owner_id", "=", ids.rep1).execute()).toHaveLength(plans.length);
    const team = await textOf(await alex.get("/team"));
    const deactivatedSection = team.slice(team.indexOf("Deactivated</h2>"));
    expect(deactivatedSection).toContain("Sam Okafor");
    expect(deactivatedSection).toContain(`Hand over ${activeCount} plans`);
  });

  it("no longer offers a deactivated person as milestone owner, plan owner, manager or hand-over receiver", async () => {
    const alex = await signedIn(DEMO_LOGINS.admin);
    const priya = await signedIn(DEMO_LOGINS.rep2);
    const newMilestone = await textOf(await priya.get(`/plans/${rep2PlanId}/milestones/new`));
    expect(newMilestone).not.toContain(`user:${ids.rep1}`);
    expect(newMilestone).not.toContain(`value="${rep1StakeholderId}"`);
    expect(newMilestone).not.toContain("Sam Okafor");
    // Posting them anyway is refused with a message, both ways of naming them.
    for (const owner of [`user:${ids.rep1}`, rep1StakeholderId]) {
      const refused = await priya.post(`/plans/${rep2PlanId}/milestones/new`, milestoneForm("Legal review", owner));
      expect(refused.status).toBe(400);
      expect(await textOf(refused)).toContain("Sam Okafor is deactivated; pick someone else.");
    }
    // What they already own stays theirs when someone edits something else on it.
    const version = (await database.db.selectFrom("milestones").select("version").where("id", "=", rep1MilestoneId).executeTakeFirstOrThrow()).version;
    const edited = await priya.post(`/plans/${rep2PlanId}/milestones/${rep1MilestoneId}`, {
      ...milestoneForm("Security review (extended)", rep1StakeholderId),
      version: String(version),
    });
    expect(edited.status).toBe(302);
    expect(await textOf(await priya.get(`/plans/${rep2PlanId}/milestones/${rep1MilestoneId}`))).toContain(`value="${rep1StakeholderId}"`);

    // The Team page's manager lists and hand-over lists leave the deactivated admin and rep out.
    const team = await textOf(await alex.get("/team"));
    expect(team).not.toContain(`<option value="${ids.admin2}">`);
    expect(team).not.toContain(`<option value="${ids.rep1}">`);
    const asManager = await alex.post("/team", { intent: "update", userId: ids.rep2, role: "rep", managerId: ids.admin2 });
    expect(asManager.status).toBe(400);
    expect(await textOf(asManager)).toContain(`${admin2.name} is deactivated; pick an active manager.`);
    const toDeactivated = await alex.post("/team", { intent: "hand-over", fromUserId: ids.rep2, toUserId: ids.rep1 });
    expect(toDeactivated.status).toBe(400);
    expect(await textOf(toDeactivated)).toContain("Sam Okafor is deactivated; pick an active rep or manager.");

    // The API does not create plans for them either.
    const writer = (await createApiToken(database.db, { orgId, name: "Writer", scope: "read_write", createdBy: ids.admin })).token;
    const template = await database.db.selectFrom("templates").select("id").where("org_id", "=", orgId).executeTakeFirstOrThrow();
    const viaApi = await fetch(`${server.origin}/api/v1/plans`, {
      method: "POST",
      headers: { Authorization: `Bearer ${writer}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        buyerCompany: "Globex",
        title: "Pilot",
        goLive: makeCalendar(calendarOf(await database.db.selectFrom("organisations").selectAll().where("id", "=", orgId).executeTakeFirstOrThrow())).afterDate(
          today,
          60,
        ),
        templateId: template.id,
        ownerId: ids.rep1,
      }),
    });
    expect(viaApi.status).toBe(422);
    expect(JSON.stringify(await viaApi.json())).toContain("Unknown or deactivated user.");
  });

  it("hands the active plans over: new owner on the plan page and in the log, the forecast moves, one email lists them", async () => {
    const alex = await signedIn(DEMO_LOGINS.admin);
    const maya = await signedIn(DEMO_LOGINS.manager);
    const before = await database.db.selectFrom("plans").select(["id", "title", "buyer_company", "status"]).where("owner_id", "=", ids.rep1).execute();
    const moving = before.filter((p) => p.status === "active");
    const staying = before.filter((p) => p.status !== "active");
    const csv = async (rep: string) => (await maya.get(`/forecast.csv?rep=${rep}`)).text();
    for (const plan of moving) {
      expect(await csv(ids.rep1)).toContain(plan.id);
      expect(await csv(ids.rep2)).not.toContain(plan.id);
    }

    const response = await alex.post("/team", { intent: "hand-over", fromUserId: ids.rep1, toUserId: ids.rep2 });
    expect(response.status).toBe(302);
    expect(await textOf(await alex.get("/team"))).toContain(`Priya Raman now owns ${moving.length} plans from Sam Okafor; we emailed them the list.`);

    const owners = await database.db
      .selectFrom("plans")
      .select(["id", "owner_id"])
      .where(
        "id",
        "in",
        before.map((p) => p.id),
      )
      .execute();
    for (const o of owners) expect(o.owner_id).toBe(moving.some((m) => m.id === o.id) ? ids.rep2 : ids.rep1);
    expect(staying.length + moving.length).toBe(before.length);

    for (const plan of moving) {
      const events = await database.db
        .selectFrom("plan_events")
        .select(["action", "actor_name", "changes"])
        .where("plan_id", "=", plan.id)
        .where("action", "=", "plan.owner_changed")
        .execute();
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actor_name: "Alex Morgan", changes: { owner: { before: "Sam Okafor", after: "Priya Raman" } } });
      const page = await textOf(await maya.get(`/plans/${plan.id}`));
      expect(page).toContain("Alex Morgan (seller) changed the owner from Sam Okafor to Priya Raman");
      // The manager's forecast follows the plan to its new owner.
      expect(await csv(ids.rep2)).toContain(plan.id);
      expect(await csv(ids.rep1)).not.toContain(plan.id);
    }
    const ownerPage = await textOf(await maya.get(`/plans/${moving[0].id}`));
    expect(ownerPage).toContain("Priya Raman");

    const emails = await database.db
      .selectFrom("email_outbox")
      .select(["to_address", "subject", "text"])
      .where("org_id", "=", orgId)
      .where("kind", "=", "plans_handed_over")
      .execute();
    expect(emails).toHaveLength(1);
    expect(emails[0].to_address).toBe(DEMO_LOGINS.rep2);
    expect(emails[0].subject).toBe(`${moving.length} of Sam Okafor's plans are now yours`);
    for (const plan of moving) expect(emails[0].text).toContain(plan.buyer_company);

    // Nothing is left to hand over: the Team page says so instead of offering the button.
    const again = await alex.post("/team", { intent: "hand-over", fromUserId: ids.rep1, toUserId: ids.rep2 });
    expect(again.status).toBe(400);
    expect(await textOf(again)).toContain("Sam Okafor owns no active plans.");
  });

  it("lets only this organisation's administrators deactivate or hand over its people", async () => {
    const priya = await signedIn(DEMO_LOGINS.rep2);
    expect((await priya.post("/team", { intent: "deactivate", userId: ids.manager })).status).toBe(403);
    expect((await priya.post("/team", { intent: "hand-over", fromUserId: ids.manager, toUserId: ids.rep2 })).status).toBe(403);
    const elsewhere = new TestClient(server.origin);
    expect(
      (await elsewhere.post("/signup", { organisation: "Elsewhere Ltd", name: "Eve Else", email: "eve@elsewhere.test", password: "eve-long-password" })).status,
    ).toBe(302);
    const forms: Array<Record<string, string>> = [
      { intent: "deactivate", userId: ids.manager },
      { intent: "reactivate", userId: ids.manager },
      { intent: "hand-over", fromUserId: ids.rep2, toUserId: ids.manager },
    ];
    for (const form of forms) {
      const refused = await elsewhere.post("/team", form);
      expect(refused.status).toBe(400);
      expect(await textOf(refused)).toContain("That person is not in your organisation.");
    }
    expect(await database.db.selectFrom("users").select("deactivated_at").where("id", "=", ids.manager).executeTakeFirstOrThrow()).toEqual({
      deactivated_at: null,
    });
    expect((await signedIn(DEMO_LOGINS.manager).then((c) => c.get("/plans"))).status).toBe(200);
  });

  it("reactivates a person: they sign in again with their password; revoked tokens stay revoked", async () => {
    const alex = await signedIn(DEMO_LOGINS.admin);
    expect((await alex.post("/team", { intent: "reactivate", userId: ids.rep1 })).status).toBe(302);
    expect(await textOf(await alex.get("/team"))).toContain("Sam Okafor can sign in again.");
    await signedIn(DEMO_LOGINS.rep1);
    expect((await alex.post("/team", { intent: "reactivate", userId: ids.admin2 })).status).toBe(302);
    await signedIn(admin2.email, admin2.password);
    expect((await api("/plans")).status).toBe(401);
  });
});
