import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayIn } from "~/domain/dates";
import { createApiToken } from "~/models/api-tokens.server";
import { enqueueEmail } from "~/models/outbox.server";
import { devMailbox, dispatchUntilIdle } from "~/jobs/email-dispatcher.server";
import type { Database } from "~/infra/db.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { daysAfter, quietWednesday, shownDay, testToday } from "../support/dates";
import { startTestServer, TestClient } from "../support/http";
import { checkResponse } from "../support/openapi-check";

/*
 * Issue 19, item 1: closing a plan (won, lost with a reason, no decision) on the day it really
 * closed, by its rep, their manager or the API, and reopening it; through the one write path (one
 * log entry and one webhook per change); the buyer's page read-only; its emails stopped.
 */

/** The page's text as a reader sees it: tags and React's text separators gone. */
const textOf = async (response: Response) =>
  (await response.text())
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, "")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"');

describe.each(testDatabaseTargets())("closing a plan on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let orgId: string;
  let buyerLinkToken: string;
  let writeToken: string;
  let readToken: string;
  const today = testToday();
  const yesterday = daysAfter(today, -1);
  const tomorrow = daysAfter(today, 1);
  const rep1 = () => new TestClient(server.origin);
  let rep: TestClient;
  let otherRep: TestClient;
  let manager: TestClient;

  const db = () => database.db;
  const planOf = (company: string) =>
    db().selectFrom("plans").selectAll().where("org_id", "=", orgId).where("buyer_company", "=", company).executeTakeFirstOrThrow();
  const events = (planId: string, action: string) =>
    db().selectFrom("plan_events").select(["changes", "actor_name"]).where("plan_id", "=", planId).where("action", "=", action).orderBy("seq").execute();
  const deliveries = (planId: string, type: string) =>
    db().selectFrom("webhook_deliveries").select(["payload"]).where("plan_id", "=", planId).where("event_type", "=", type).execute();
  const api = (path: string, token: string, body?: unknown) =>
    fetch(`${server.origin}/api/v1${path}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    database = await target.open();
    const seeded = await seedDemo(database.db, todayIn("UTC", new Date()));
    orgId = seeded.orgId;
    buyerLinkToken = seeded.buyerLinkToken!;
    server = await startTestServer(database.db, database.kind);
    [rep, otherRep, manager] = [rep1(), rep1(), rep1()];
    expect((await rep.login(DEMO_LOGINS.rep1, DEMO_PASSWORD)).status).toBe(302);
    expect((await otherRep.login(DEMO_LOGINS.rep2, DEMO_PASSWORD)).status).toBe(302);
    expect((await manager.login(DEMO_LOGINS.manager, DEMO_PASSWORD)).status).toBe(302);
    const admin = await db().selectFrom("users").select("id").where("email", "=", DEMO_LOGINS.admin).executeTakeFirstOrThrow();
    writeToken = (await createApiToken(db(), { orgId, name: "CRM sync", scope: "read_write", createdBy: admin.id })).token;
    readToken = (await createApiToken(db(), { orgId, name: "CRM reader", scope: "read", createdBy: admin.id })).token;
    await db()
      .insertInto("webhook_endpoints")
      .values({ org_id: orgId, url: "https://crm.example/hooks", secret: "s".repeat(32), events: JSON.stringify(["plan.closed", "plan.reopened"]) })
      .execute();
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("refuses a future close date and a loss without a reason with 400, keeps what was typed, and changes nothing", async () => {
    const plan = await planOf("Initech");
    const future = await rep.post(`/plans/${plan.id}/close`, {
      outcome: "lost",
      closedOn: tomorrow,
      lossReason: "budget",
      closeNote: "Board froze spending",
      version: String(plan.version),
    });
    expect(future.status).toBe(400);
    const html = await future.text();
    expect(html).toContain("has not come yet");
    expect(html).toContain(`value="${tomorrow}"`);
    expect(html).toContain("Board froze spending");
    expect(html).toMatch(/<option value="budget" selected="">/);

    const noReason = await rep.post(`/plans/${plan.id}/close`, {
      outcome: "lost",
      closedOn: yesterday,
      lossReason: "",
      closeNote: "",
      version: String(plan.version),
    });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain("Pick why the deal was lost.");

    const noOutcome = await rep.post(`/plans/${plan.id}/close`, { closedOn: yesterday, version: String(plan.version) });
    expect(noOutcome.status).toBe(400);

    const after = await planOf("Initech");
    expect([after.status, after.closed_on, after.version]).toEqual(["active", null, plan.version]);
    expect(await events(plan.id, "plan.closed")).toHaveLength(0);
  });

  it("lets the rep close as lost with a past date and a reason: one log entry, one webhook, the outcome on the workspace", async () => {
    const plan = await planOf("Initech");
    const closed = await rep.post(`/plans/${plan.id}/close`, {
      outcome: "lost",
      closedOn: yesterday,
      lossReason: "competitor",
      closeNote: "Went with the incumbent",
      version: String(plan.version),
    });
    expect(closed.status).toBe(302);
    expect(closed.headers.get("location")).toBe(`/plans/${plan.id}`);

    const after = await planOf("Initech");
    expect([after.status, after.closed_on, after.loss_reason, after.close_note]).toEqual(["lost", yesterday, "competitor", "Went with the incumbent"]);
    expect(after.version).toBe(plan.version + 1);
    const logged = await events(plan.id, "plan.closed");
    expect(logged).toHaveLength(1);
    expect(logged[0].actor_name).toBe("Sam Okafor");
    expect(logged[0].changes).toEqual({
      status: { before: "active", after: "lost" },
      closed_on: { before: null, after: yesterday },
      loss_reason: { before: null, after: "competitor" },
      close_note: { before: null, after: "Went with the incumbent" },
    });
    const hooks = await deliveries(plan.id, "plan.closed");
    expect(hooks).toHaveLength(1);
    expect(hooks[0].payload).toMatchObject({
      type: "plan.closed",
      data: { outcome: "lost", closedOn: yesterday, lossReason: "competitor", by: { name: "Sam Okafor", side: "seller" } },
    });

    const page = await textOf(await rep.get(`/plans/${plan.id}`));
    expect(page).toContain(`Lost on ${shownDay(yesterday, today)}: went with a competitor`);
    expect(page).toContain("Reopen the plan");
    expect(page).toContain("Sam Okafor (seller) closed the plan as lost on");
    // Closed already: a second close is refused, and the close page says how to change the outcome.
    const again = await rep.post(`/plans/${plan.id}/close`, { outcome: "won", closedOn: today, version: String(after.version) });
    expect(again.status).toBe(400);
    expect(await textOf(await rep.get(`/plans/${plan.id}/close`))).toContain("This plan is closed");
    // The edit page no longer offers won or lost, and cannot reopen by the back door.
    const edit = await rep.get(`/plans/${plan.id}/edit`);
    expect(await edit.text()).not.toContain('<option value="won"');
    const sneak = await rep.post(`/plans/${plan.id}/edit`, {
      buyerCompany: after.buyer_company,
      title: after.title,
      value: String(after.value),
      currency: after.currency,
      crmCloseDate: "",
      status: "active",
      version: String(after.version),
    });
    expect(sneak.status).toBe(400);
    expect((await planOf("Initech")).status).toBe("lost");
  });

  it("lets the manager close (today by default) and reopen their rep's plan, another rep not at all", async () => {
    const plan = await planOf("Globex Health");
    const stranger = await otherRep.post(`/plans/${plan.id}/close`, { outcome: "won", closedOn: today, version: String(plan.version) });
    expect(stranger.status).toBe(404);
    expect((await planOf("Globex Health")).status).toBe("active");

    expect((await manager.post(`/plans/${plan.id}/close`, { outcome: "won", closedOn: "", version: String(plan.version) })).status).toBe(302);
    const won = await planOf("Globex Health");
    expect([won.status, won.closed_on, won.loss_reason]).toEqual(["won", today, null]);
    expect(await textOf(await manager.get(`/plans/${plan.id}`))).toContain(`Won on ${shownDay(today, today)}`);

    expect((await otherRep.post(`/plans/${plan.id}`, { intent: "reopen-plan", version: String(won.version) })).status).toBe(404);
    expect((await manager.post(`/plans/${plan.id}`, { intent: "reopen-plan", version: String(won.version) })).status).toBe(302);
    const reopened = await planOf("Globex Health");
    expect([reopened.status, reopened.closed_on, reopened.loss_reason, reopened.close_note]).toEqual(["active", null, null, null]);
    // The log keeps what was: one entry for each change.
    expect(await events(plan.id, "plan.closed")).toHaveLength(1);
    const reopenedLog = await events(plan.id, "plan.reopened");
    expect(reopenedLog).toHaveLength(1);
    expect(reopenedLog[0].changes).toEqual({ status: { before: "won", after: "active" }, closed_on: { before: today, after: null } });
    expect(await deliveries(plan.id, "plan.reopened")).toHaveLength(1);
    expect(await textOf(await manager.get(`/plans/${plan.id}`))).toContain("Maya Chen (seller) reopened the plan (it was won on");
  });

  it("closes and reopens through the API, in the document's shapes, refusing what the form refuses", async () => {
    const plan = await planOf("Soylent Foods");
    const read = await api(`/plans/${plan.id}/close`, readToken, { outcome: "won" });
    expect(read.status).toBe(403);
    await checkResponse(read, "/plans/{planId}/close", "post");
    for (const body of [
      { outcome: "won", closedOn: tomorrow },
      { outcome: "lost" },
      { outcome: "won", lossReason: "budget" },
      { outcome: "sold" },
      { outcome: "won", extra: 1 },
    ]) {
      const refused = await api(`/plans/${plan.id}/close`, writeToken, body);
      expect(refused.status, JSON.stringify(body)).toBe(422);
      await checkResponse(refused, "/plans/{planId}/close", "post");
    }
    const stale = await api(`/plans/${plan.id}/close`, writeToken, { outcome: "won", version: plan.version + 5 });
    expect(stale.status).toBe(409);
    await checkResponse(stale, "/plans/{planId}/close", "post");
    expect((await planOf("Soylent Foods")).status).toBe("active");

    const closed = await api(`/plans/${plan.id}/close`, writeToken, { outcome: "lost", closedOn: yesterday, lossReason: "timing", version: plan.version });
    expect(closed.status).toBe(200);
    expect(await checkResponse(closed, "/plans/{planId}/close", "post")).toMatchObject({
      id: plan.id,
      status: "lost",
      closedOn: yesterday,
      lossReason: "timing",
      closeNote: null,
    });
    expect((await events(plan.id, "plan.closed"))[0].actor_name).toBe("API: CRM sync");
    const twice = await api(`/plans/${plan.id}/close`, writeToken, { outcome: "won" });
    expect(twice.status).toBe(422);

    const reopened = await api(`/plans/${plan.id}/reopen`, writeToken);
    expect(reopened.status).toBe(200);
    expect(await checkResponse(reopened, "/plans/{planId}/reopen", "post")).toMatchObject({ status: "active", closedOn: null, lossReason: null });
    const notClosed = await api(`/plans/${plan.id}/reopen`, writeToken, {});
    expect(notClosed.status).toBe(422);
    await checkResponse(notClosed, "/plans/{planId}/reopen", "post");
    expect(await checkResponse(await api(`/plans/${plan.id}/reopen`, "pt_" + "A".repeat(43)), "/plans/{planId}/reopen", "post")).toMatchObject({ status: 401 });
  });

  it("shows the buyer a closed plan read-only, and answers their posts from an older page with 400 and a message", async () => {
    const buyer = new TestClient(server.origin);
    const opened = await buyer.post(`/s/${buyerLinkToken}`, { name: "Dana Lee", email: "dana.lee@acme-logistics.example" });
    expect(opened.status).toBe(302);
    const planId = opened.headers.get("location")!.split("/").pop()!;
    const openPage = await buyer.get(`/p/${planId}`);
    const openHtml = await openPage.text();
    expect(openHtml).toContain('value="comment"');
    const milestone = await db()
      .selectFrom("milestones")
      .select(["id", "version"])
      .where("plan_id", "=", planId)
      .where("owner_side", "=", "buyer")
      .where("completed_on", "is", null)
      .executeTakeFirstOrThrow();

    const plan = await db().selectFrom("plans").select("version").where("id", "=", planId).executeTakeFirstOrThrow();
    expect(
      (
        await api(`/plans/${planId}/close`, writeToken, {
          outcome: "lost",
          closedOn: yesterday,
          lossReason: "budget",
          closeNote: "Internal: their CFO said no",
          version: plan.version,
        })
      ).status,
    ).toBe(200);

    const closedPage = await buyer.get(`/p/${planId}`);
    expect(closedPage.status).toBe(200);
    const html = await closedPage.text();
    const text = html.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, "");
    expect(text).toContain("This plan is closed");
    expect(text).toContain(`closed this plan on ${shownDay(yesterday, today)}`);
    for (const intent of ["comment", "done", "reopen", "owner", "pin", "confirm-go-live", "preview-go-live", "propose-go-live", "add-colleague"]) {
      expect(html, intent).not.toContain(`value="${intent}"`);
    }
    // Another device still signs in (that is logged, not refused) and reads it.
    const laptop = new TestClient(server.origin);
    expect((await laptop.post(`/s/${buyerLinkToken}`, { name: "Dana Lee", email: "dana.lee@acme-logistics.example" })).status).toBe(302);
    expect(await textOf(await laptop.get(`/p/${planId}`))).toContain("This plan is closed");
    // The seller's reasons stay the seller's.
    expect(html).not.toContain("CFO");
    expect(html).not.toContain("No budget");

    const comments = async () => (await db().selectFrom("comments").select("id").where("plan_id", "=", planId).execute()).length;
    const before = await comments();
    const posts: Array<Record<string, string>> = [
      { intent: "comment", body: "Are we still on?" },
      { intent: "done", milestoneId: milestone.id, version: String(milestone.version) },
      { intent: "add-colleague", name: "Lee Park", email: "lee.park@acme-logistics.example", title: "" },
      { intent: "preview-go-live", goLive: daysAfter(today, 60), reason: "Later" },
    ];
    for (const form of posts) {
      const refused = await buyer.post(`/p/${planId}`, form);
      expect(refused.status, form.intent).toBe(400);
      expect(await textOf(refused), form.intent).toContain("This plan has been closed, so it can no longer be changed.");
    }
    expect(await comments()).toBe(before);
    expect((await db().selectFrom("milestones").select("completed_on").where("id", "=", milestone.id).executeTakeFirstOrThrow()).completed_on).toBeNull();

    // Reopened, the buyer may write again.
    expect((await api(`/plans/${planId}/reopen`, writeToken)).status).toBe(200);
    expect((await buyer.post(`/p/${planId}`, { intent: "comment", body: "Glad we are back on." })).status).toBe(302);
    expect(await comments()).toBe(before + 1);
  });

  it("stops a closed plan's emails and reminders, while a paused plan's still go out", async () => {
    const closedPlan = await planOf("Hooli");
    const pausedPlan = await planOf("Wayne Financial");
    expect(pausedPlan.status).toBe("paused");
    const write = (planId: string, kind: "due_soon" | "invite_reminder") =>
      enqueueEmail(db(), {
        orgId,
        kind,
        planId,
        to: { email: DEMO_LOGINS.rep2, name: "Priya Raman" },
        audience: "seller",
        subject: `${kind} for ${planId}`,
        html: "<p>x</p>",
        text: "x",
        messageIdDomain: "test.example",
      });
    await write(closedPlan.id, "due_soon");
    await write(pausedPlan.id, "due_soon");
    expect((await api(`/plans/${closedPlan.id}/close`, writeToken, { outcome: "no_decision" })).status).toBe(200);

    await dispatchUntilIdle(db(), devMailbox);
    const rows = await db().selectFrom("email_outbox").select(["plan_id", "status", "last_error"]).where("subject", "like", "due_soon for %").execute();
    const of = (planId: string) => rows.find((r) => r.plan_id === planId);
    expect(of(closedPlan.id)).toMatchObject({ status: "skipped", last_error: "The plan was closed." });
    expect(of(pausedPlan.id)?.status).toBe("dev_mailbox");

    // A go-live move on a closed plan tells nobody (the buyer would hear of it on an open one).
    const acme = await planOf("Acme Logistics");
    expect((await api(`/plans/${acme.id}/close`, writeToken, { outcome: "won", version: acme.version })).status).toBe(200);
    const goLiveEmails = async () =>
      (await db().selectFrom("email_outbox").select("id").where("plan_id", "=", acme.id).where("kind", "=", "go_live_changed").execute()).length;
    const before = await goLiveEmails();
    const { holidays } = await db().selectFrom("organisations").select("holidays").where("id", "=", orgId).executeTakeFirstOrThrow();
    const move = async (version: number, weeks: number) => {
      const goLive = quietWednesday(acme.go_live, 7 * weeks, holidays);
      expect((await rep.post(`/plans/${acme.id}/go-live`, { intent: "save", goLive, reason: "Archive tidy-up", version: String(version) })).status).toBe(302);
      return planOf("Acme Logistics");
    };
    const moved = await move((await planOf("Acme Logistics")).version, 2);
    expect(await goLiveEmails()).toBe(before);
    // The same move on the open plan does email the buyer: the check above could fail.
    expect((await api(`/plans/${acme.id}/reopen`, writeToken)).status).toBe(200);
    await move((await planOf("Acme Logistics")).version, 4);
    expect(moved.status).toBe("won");
    expect(await goLiveEmails()).toBeGreaterThan(before);
  });
});
