import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NEW_DEVICE_ACTION } from "~/domain/buyer-devices";
import { addCalendarDays } from "~/domain/calendar";
import { maskedChannelUrl } from "~/domain/chat-alerts";
import { PlanInputError } from "~/domain/plan-validation";
import { todayIn } from "~/domain/dates";
import { WEBHOOK_CIRCUIT_THRESHOLD } from "~/domain/webhooks";
import type { Database } from "~/infra/db.server";
import { dispatchWebhooksOnce, dispatchWebhooksUntilIdle } from "~/jobs/webhook-dispatcher.server";
import { runPlanCommand } from "~/models/plan-command.server";
import { queueTestEvent } from "~/models/webhooks.server";
import { changeGoLive } from "~/models/plan-commands.server";
import { closePlan } from "~/models/plan-outcome.server";
import { refreshStaleSchedules } from "~/models/schedule-refresh.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { readRequestBody, startTestServer, TestClient } from "../support/http";

/*
 * Slack and Teams alerts end to end on each database (ADR 045): channels connected through the
 * settings page point at a local receiver, real write-path changes queue alerts in their
 * transaction, and the webhook dispatcher posts them. The receiver checks each message's structure
 * the way Slack (Block Kit) and Teams (an Adaptive Card 1.4 attachment) would read it.
 */

vi.hoisted(() => {
  process.env.WEBHOOK_ALLOW_PRIVATE = "127.0.0.1";
});

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isText = (v: unknown, max = 3000) => typeof v === "string" && v.length > 0 && v.length <= max;

/** What is wrong with a Slack incoming-webhook body (empty: nothing). */
function slackProblems(body: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(body)) return ["not an object"];
  if (!isText(body.text)) problems.push("text: a non-empty string (the notification's fallback)");
  if (!Array.isArray(body.blocks) || body.blocks.length === 0 || body.blocks.length > 50) return [...problems, "blocks: 1..50"];
  for (const [i, block] of body.blocks.entries()) {
    if (!isObject(block)) problems.push(`blocks[${i}]: an object`);
    else if (block.type === "section") {
      if (!isObject(block.text) || block.text.type !== "mrkdwn" || !isText(block.text.text)) problems.push(`blocks[${i}].text: mrkdwn text`);
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields) || block.fields.length > 10) problems.push(`blocks[${i}].fields: at most 10`);
        else for (const f of block.fields) if (!isObject(f) || f.type !== "mrkdwn" || !isText(f.text, 2000)) problems.push(`blocks[${i}].fields: mrkdwn`);
      }
    } else if (block.type === "context") {
      if (!Array.isArray(block.elements) || !block.elements.length) problems.push(`blocks[${i}].elements`);
      else for (const e of block.elements) if (!isObject(e) || e.type !== "mrkdwn" || !isText(e.text, 2000)) problems.push(`blocks[${i}].elements: mrkdwn`);
    } else if (block.type === "actions") {
      const [button] = Array.isArray(block.elements) ? block.elements : [];
      if (!isObject(button) || button.type !== "button" || !isObject(button.text) || button.text.type !== "plain_text" || !isText(button.text.text, 75))
        problems.push(`blocks[${i}]: a button with plain_text`);
      else if (typeof button.url !== "string" || !/^https?:\/\/[^/]+\/plans\/[0-9a-f-]{36}$/.test(button.url)) problems.push(`blocks[${i}]: the button's url`);
    } else problems.push(`blocks[${i}].type ${String(block.type)}`);
  }
  return problems;
}

/** What is wrong with a Teams workflow body carrying an Adaptive Card (empty: nothing). */
function teamsProblems(body: unknown): string[] {
  if (!isObject(body) || body.type !== "message" || !Array.isArray(body.attachments) || body.attachments.length !== 1) return ["a message with one attachment"];
  const [attachment] = body.attachments as unknown[];
  if (!isObject(attachment) || attachment.contentType !== "application/vnd.microsoft.card.adaptive") return ["contentType"];
  const card = attachment.content;
  if (!isObject(card) || card.type !== "AdaptiveCard" || card.version !== "1.4" || typeof card.$schema !== "string") return ["an AdaptiveCard 1.4"];
  const problems: string[] = [];
  if (!Array.isArray(card.body) || !card.body.length) problems.push("body");
  else
    for (const [i, element] of card.body.entries()) {
      if (!isObject(element)) problems.push(`body[${i}]`);
      else if (element.type === "TextBlock") {
        if (!isText(element.text)) problems.push(`body[${i}].text`);
      } else if (element.type === "FactSet") {
        if (!Array.isArray(element.facts) || !element.facts.every((f) => isObject(f) && isText(f.title) && isText(f.value))) problems.push(`body[${i}].facts`);
      } else problems.push(`body[${i}].type ${String(element.type)}`);
    }
  if (card.actions !== undefined) {
    if (!Array.isArray(card.actions) || !card.actions.every((a) => isObject(a) && a.type === "Action.OpenUrl" && isText(a.title) && typeof a.url === "string"))
      problems.push("actions: Action.OpenUrl");
  }
  return problems;
}

interface Received {
  channel: string;
  body: Json;
  text: string;
  status: number;
}

describe.each(testDatabaseTargets())("Slack and Teams alerts on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let receiver: Server;
  let base: string;
  let admin: TestClient;
  let rep1: TestClient;
  let rep2: TestClient;
  let orgId: string;
  const received: Received[] = [];
  /** Per channel path, statuses to answer with in turn (200 when empty). */
  const answers = new Map<string, number[]>();
  const today = todayIn("UTC", new Date());
  const later = (minutes: number) => () => new Date(Date.now() + minutes * 60_000);

  const userId = async (email: string) => (await database.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
  /** The buyer confirms the plan's go-live, through the write path as the buyer's page does. */
  const buyerConfirms = (planId: string, name: string) =>
    runPlanCommand(database.db, { orgId, planId, actor: { side: "buyer", name }, today }, async (trx, p) => {
      await trx
        .updateTable("plans")
        .set({ go_live_confirmed_by_name: name, go_live_confirmed_at: new Date() })
        .where("org_id", "=", orgId)
        .where("id", "=", p.id)
        .execute();
      return {
        value: null,
        events: [{ action: "plan.go_live_confirmed", entityType: "plan", entityId: p.id, changes: { go_live: { before: p.go_live, after: p.go_live } } }],
      };
    });
  const got = (channel: string) => received.filter((r) => r.channel === channel);

  beforeAll(async () => {
    database = await target.open();
    orgId = (await seedDemo(database.db, today)).orgId;
    server = await startTestServer(database.db, database.kind);
    receiver = createServer(async (req, res) => {
      const channel = req.url ?? "";
      const text = await readRequestBody(req);
      let body: Json = {};
      try {
        body = JSON.parse(text) as Json;
      } catch {
        /* counted as a problem below */
      }
      const problems = channel.startsWith("/slack") ? slackProblems(body) : teamsProblems(body);
      const status = problems.length ? 400 : (answers.get(channel)?.shift() ?? 200);
      received.push({ channel, body, text, status });
      res.statusCode = status;
      res.end(problems.join("; "));
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    admin = new TestClient(server.origin);
    rep1 = new TestClient(server.origin);
    rep2 = new TestClient(server.origin);
    expect((await admin.login(DEMO_LOGINS.admin, DEMO_PASSWORD)).status).toBe(302);
    expect((await rep1.login(DEMO_LOGINS.rep1, DEMO_PASSWORD)).status).toBe(302);
    expect((await rep2.login(DEMO_LOGINS.rep2, DEMO_PASSWORD)).status).toBe(302);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
    await server?.close();
    await database?.drop();
  });

  const connect = (client: TestClient, form: Array<[string, string]>) =>
    client.request("/settings/chat", {
      method: "POST",
      body: new URLSearchParams([["intent", "create"], ...form]).toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.origin },
    });
  const allEvents = (): Array<[string, string]> =>
    ["buyer.first_open", "plan.go_live_proposed", "plan.go_live_confirmed", "milestone.overdue", "plan.pushed_to_later_quarter", "plan.closed"].map((e) => [
      "events",
      e,
    ]);

  it("refuses an address that is not the service's, and a rep's organisation-wide channel, keeping what was typed", async () => {
    const lookalike = await connect(admin, [
      ["kind", "slack"],
      ["label", "#lookalike"],
      ["url", "https://hooks.slack.com.evil.example/services/x"],
      ["scope", "organisation"],
      ...allEvents(),
    ]);
    expect(lookalike.status).toBe(400);
    const html = await lookalike.text();
    expect(html).toContain("not a Slack incoming webhook");
    expect(html).toContain('value="#lookalike"');
    const teams = await connect(admin, [
      ["kind", "teams"],
      ["label", "#t"],
      ["url", "https://outlook.office.com/webhook/x"],
      ["scope", "organisation"],
      ...allEvents(),
    ]);
    expect(teams.status).toBe(400);
    expect(await teams.text()).toContain("not a Teams workflow URL");
    const repWide = await connect(rep1, [["kind", "slack"], ["label", "#all"], ["url", `${base}/slack/x`], ["scope", "organisation"], ...allEvents()]);
    expect(repWide.status).toBe(400);
    expect(await repWide.text()).toContain("Only an administrator");
    expect(await database.db.selectFrom("webhook_endpoints").select("id").where("kind", "<>", "webhook").execute()).toEqual([]);
  });

  it("connects the organisation's Slack channel and a rep's own Teams channel; each sees what is theirs", async () => {
    expect(
      (await connect(admin, [["kind", "slack"], ["label", "#deals"], ["url", `${base}/slack/org`], ["scope", "organisation"], ...allEvents()])).status,
    ).toBe(200);
    expect(
      (await connect(rep1, [["kind", "teams"], ["label", "Rep one's deals"], ["url", `${base}/teams/rep1`], ["scope", "organisation"], ...allEvents()])).status,
    ).toBe(400);
    expect((await connect(rep1, [["kind", "teams"], ["label", "Rep one's deals"], ["url", `${base}/teams/rep1`], ...allEvents()])).status).toBe(200);
    const channels = await database.db
      .selectFrom("webhook_endpoints")
      .select(["kind", "owner_id", "label"])
      .where("kind", "<>", "webhook")
      .orderBy("kind")
      .execute();
    expect(channels).toEqual([
      { kind: "slack", owner_id: null, label: "#deals" },
      { kind: "teams", owner_id: await userId(DEMO_LOGINS.rep1), label: "Rep one's deals" },
    ]);
    const adminPage = await (await admin.get("/settings/chat")).text();
    expect(adminPage).toContain("#deals");
    expect(adminPage).toContain("Rep one&#x27;s deals");
    // The address is the secret that posts to the channel: only its host and first step are shown.
    expect(adminPage).not.toContain("/slack/org");
    const rep2Page = await (await rep2.get("/settings/chat")).text();
    expect(rep2Page).toContain("No channels yet");
    expect(rep2Page).not.toContain("Rep one");
    // Chat channels are not webhooks: the webhooks page lists neither.
    expect(await (await admin.get("/settings/webhooks")).text()).not.toContain("#deals");
  });

  it("sends a test message from the button, in each service's format", async () => {
    const ids = await database.db.selectFrom("webhook_endpoints").select(["id", "kind"]).where("kind", "<>", "webhook").execute();
    const slack = ids.find((c) => c.kind === "slack")!.id;
    const teams = ids.find((c) => c.kind === "teams")!.id;
    // Another rep cannot press a channel that is not theirs.
    expect((await rep2.post("/settings/chat", { intent: "test", channelId: teams })).status).toBe(400);
    expect((await rep1.post("/settings/chat", { intent: "test", channelId: teams })).status).toBe(200);
    expect((await admin.post("/settings/chat", { intent: "test", channelId: slack })).status).toBe(200);
    expect(await dispatchWebhooksUntilIdle(database.db)).toMatchObject({ delivered: 2, failed: 0 });
    expect(got("/slack/org")).toMatchObject([{ status: 200 }]);
    expect(got("/teams/rep1")).toMatchObject([{ status: 200 }]);
    expect(got("/slack/org")[0].text).toContain("Plan Together is connected to this channel");
  });

  it("alerts the moments that matter from the write path: the org channel about every plan, the rep's channel about theirs", async () => {
    received.length = 0;
    const rep1Id = await userId(DEMO_LOGINS.rep1);
    const plans = await database.db
      .selectFrom("plans")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("status", "=", "active")
      .where("milestones_total", ">", 0)
      .orderBy("created_at")
      .execute();
    const mine = plans.find((p) => p.owner_id === rep1Id)!;
    const theirs = plans.find((p) => p.owner_id !== rep1Id)!;
    // The buyer's first visit: a plan no buyer has touched yet.
    await database.db.updateTable("plans").set({ last_buyer_activity_at: null }).where("org_id", "=", orgId).where("id", "=", mine.id).execute();
    const buyer = { side: "buyer" as const, name: "Dana <!channel> Lee" };
    await runPlanCommand(database.db, { orgId, planId: mine.id, actor: buyer, today }, async () => ({
      value: null,
      events: [{ action: NEW_DEVICE_ACTION, entityType: "share_link", entityId: mine.id, changes: {} }],
    }));
    await runPlanCommand(database.db, { orgId, planId: mine.id, actor: buyer, today }, async () => ({
      value: null,
      events: [{ action: NEW_DEVICE_ACTION, entityType: "share_link", entityId: mine.id, changes: {} }],
    }));
    await buyerConfirms(mine.id, buyer.name);
    // A seller moves the other rep's go-live four months out: the deal lands in a later quarter.
    const owner = await database.db.selectFrom("users").select(["id", "role", "name"]).where("id", "=", theirs.owner_id).executeTakeFirstOrThrow();
    const editor = { actor: { side: "seller" as const, name: owner.name, userId: owner.id }, today, viewer: { id: owner.id, orgId, role: owner.role } };
    // The first working day from 130 days out (weekends and the organisation's holidays are refused).
    for (let days = 130; ; days++) {
      const moved = await changeGoLive(database.db, editor, orgId, theirs.id, theirs.version, {
        goLive: addCalendarDays(theirs.go_live, days),
        reason: "Budget moved",
      }).then(
        () => true,
        (error: unknown) => (days < 140 && error instanceof PlanInputError ? false : Promise.reject(error)),
      );
      if (moved) break;
    }
    const closedBy = { side: "seller" as const, name: "Sam", userId: rep1Id };
    await closePlan(
      database.db,
      { orgId, planId: mine.id, actor: closedBy, today },
      { outcome: "won", version: (await database.db.selectFrom("plans").select("version").where("id", "=", mine.id).executeTakeFirstOrThrow()).version },
    );

    await dispatchWebhooksUntilIdle(database.db);
    for (const r of received) expect(r.status, r.text).toBe(200);
    const typesOf = async (channel: string) =>
      (
        await database.db
          .selectFrom("webhook_deliveries as d")
          .innerJoin("webhook_endpoints as e", (j) => j.onRef("e.org_id", "=", "d.org_id").onRef("e.id", "=", "d.endpoint_id"))
          .select(["d.event_type", "d.plan_id"])
          .where("e.url", "=", `${base}${channel}`)
          .where("d.event_type", "<>", "webhook.test")
          .orderBy("d.seq")
          .execute()
      ).map((d) => `${d.plan_id === mine.id ? "mine" : "theirs"}:${d.event_type}`);
    expect(await typesOf("/slack/org")).toEqual([
      "mine:buyer.first_open",
      "mine:plan.go_live_confirmed",
      "theirs:plan.pushed_to_later_quarter",
      "mine:plan.closed",
    ]);
    expect(await typesOf("/teams/rep1")).toEqual(["mine:buyer.first_open", "mine:plan.go_live_confirmed", "mine:plan.closed"]);
    // The buyer's name cannot mention the whole channel; the button links to the plan.
    const slackFirst = got("/slack/org")[0];
    expect(slackFirst.text).not.toContain("<!channel>");
    expect(slackFirst.text).toContain("&lt;!channel&gt;");
    expect(JSON.stringify(slackFirst.body)).toContain(`/plans/${mine.id}`);
    const teamsFirst = got("/teams/rep1")[0];
    expect(teamsFirst.text).not.toContain("<!channel>");
    expect(JSON.stringify(teamsFirst.body)).toContain(`/plans/${mine.id}`);
  });

  it("retries a channel answering 500 with backoff while the other channel's alerts go out", async () => {
    received.length = 0;
    answers.set("/teams/rep1", [500, 500]);
    const rep1Id = await userId(DEMO_LOGINS.rep1);
    const plan = await database.db
      .selectFrom("plans")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("owner_id", "=", rep1Id)
      .where("status", "=", "active")
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    const buyer = { side: "buyer" as const, name: "Priya Raman" };
    await buyerConfirms(plan.id, buyer.name);
    expect(await dispatchWebhooksOnce(database.db)).toMatchObject({ claimed: 2, delivered: 1, retried: 1 });
    expect(got("/slack/org").map((r) => r.status)).toEqual([200]);
    const waiting = await database.db
      .selectFrom("webhook_deliveries as d")
      .innerJoin("webhook_endpoints as e", (j) => j.onRef("e.org_id", "=", "d.org_id").onRef("e.id", "=", "d.endpoint_id"))
      .select(["d.status", "d.attempts", "d.last_error", "d.next_attempt_at"])
      .where("e.kind", "=", "teams")
      .where("d.plan_id", "=", plan.id)
      .executeTakeFirstOrThrow();
    expect(waiting).toMatchObject({ status: "pending", attempts: 1, last_error: "HTTP 500 Internal Server Error" });
    expect(new Date(waiting.next_attempt_at).getTime()).toBeGreaterThan(Date.now() + 20_000);
    expect((await dispatchWebhooksOnce(database.db)).claimed).toBe(0);
    // A minute later the second attempt fails too; its delay doubles; ten minutes on it goes out.
    expect(await dispatchWebhooksOnce(database.db, { now: later(1) })).toMatchObject({ claimed: 1, retried: 1 });
    await dispatchWebhooksUntilIdle(database.db, { now: later(10) });
    expect(got("/teams/rep1").map((r) => r.status)).toEqual([500, 500, 200]);
    expect(new Set(got("/teams/rep1").map((r) => r.text)).size).toBe(1);
  });

  it("pauses a channel that keeps failing and tells the admins which one, without its secret address", async () => {
    received.length = 0;
    answers.set(
      "/teams/rep1",
      Array.from({ length: WEBHOOK_CIRCUIT_THRESHOLD }, () => 500),
    );
    const channel = await database.db
      .selectFrom("webhook_endpoints")
      .select(["id", "url", "label"])
      .where("org_id", "=", orgId)
      .where("url", "=", `${base}/teams/rep1`)
      .executeTakeFirstOrThrow();
    // A test message is tried once; the owner presses the button again a few minutes apart until the breaker opens.
    expect((await rep1.post("/settings/chat", { intent: "test", channelId: channel.id })).status).toBe(200);
    const owner = { chat: true as const, ownerId: await userId(DEMO_LOGINS.rep1) };
    for (let press = 1; press < WEBHOOK_CIRCUIT_THRESHOLD; press++) {
      expect(await queueTestEvent(database.db, orgId, channel.id, "Rep One", later(press * 2)(), owner)).toEqual({ ok: true });
    }
    await dispatchWebhooksUntilIdle(database.db, { now: later(WEBHOOK_CIRCUIT_THRESHOLD * 2) });
    const pauses = () =>
      database.db.selectFrom("email_outbox").select(["subject", "html"]).where("org_id", "=", orgId).where("kind", "=", "webhook_paused").execute();
    expect(got("/teams/rep1").map((r) => r.status)).toEqual(Array.from({ length: WEBHOOK_CIRCUIT_THRESHOLD }, () => 500));
    const emails = await pauses();
    expect(emails.length).toBeGreaterThan(0);
    for (const email of emails) {
      expect(email.subject).toBe(`Alerts to ${channel.label} are paused`);
      expect(email.html).toContain("A chat channel is paused");
      expect(email.html).toContain(maskedChannelUrl(channel.url).replace("…", ""));
      expect(email.html).toContain("/settings/chat");
      expect(email.html).not.toContain(channel.url);
    }
    // Its owner fixes the channel, turns it back on, and the next test message goes out.
    expect((await rep1.post("/settings/chat", { intent: "resume", channelId: channel.id })).status).toBe(200);
    expect(await queueTestEvent(database.db, orgId, channel.id, "Rep One", later(20)(), owner)).toEqual({ ok: true });
    await dispatchWebhooksUntilIdle(database.db, { now: later(21) });
    expect(got("/teams/rep1").map((r) => r.status)).toEqual([...Array.from({ length: WEBHOOK_CIRCUIT_THRESHOLD }, () => 500), 200]);
  });

  it("alerts a buyer milestone that became overdue overnight", async () => {
    received.length = 0;
    await refreshStaleSchedules(database.db, new Date(Date.now() + 60 * 86_400_000));
    const overdue = await database.db
      .selectFrom("webhook_deliveries")
      .select("plan_id")
      .where("org_id", "=", orgId)
      .where("event_type", "=", "milestone.overdue")
      .execute();
    expect(overdue.length).toBeGreaterThan(0);
    await dispatchWebhooksUntilIdle(database.db, { now: later(60 * 24 * 60) });
    const slack = got("/slack/org").filter((r) => r.text.includes("overdue"));
    expect(slack.length).toBeGreaterThan(0);
    for (const r of received) expect(r.status, r.text).toBe(200);
  });
});
