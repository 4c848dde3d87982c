import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { todayIn } from "~/domain/dates";
import { verifyWebhookSignature } from "~/infra/webhook-signing.server";
import { runPlanCommand } from "~/models/plan-command.server";
import { changeGoLive, setMilestoneDone } from "~/models/plan-commands.server";
import type { Database } from "~/infra/db.server";
import { dispatchWebhooksOnce, dispatchWebhooksUntilIdle } from "~/jobs/webhook-dispatcher.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { readRequestBody, startTestServer, TestClient } from "../support/http";

/*
 * Webhooks end to end on each database: an admin registers a real HTTP receiver on loopback through
 * the settings page, real write-path changes enqueue deliveries in their transaction, and the
 * dispatcher signs, retries with backoff and keeps each plan's events in order.
 */

// The receiver runs on loopback, which webhooks may reach only when configured to (issue 17).
vi.hoisted(() => {
  process.env.WEBHOOK_ALLOW_PRIVATE = "127.0.0.1";
});

interface Received {
  type: string;
  planId: string | null;
  body: string;
  signature: string;
  status: number;
}

describe.each(testDatabaseTargets())("webhooks on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let receiver: Server;
  let hookUrl: string;
  let admin: TestClient;
  let secret: string;
  let endpointId: string;
  let orgId: string;
  const received: Received[] = [];
  /** Statuses the receiver answers with, in turn; 204 when empty. */
  const answers: number[] = [];
  const today = todayIn("UTC", new Date());
  const later = (minutes: number) => () => new Date(Date.now() + minutes * 60_000);

  beforeAll(async () => {
    database = await target.open();
    orgId = (await seedDemo(database.db, today)).orgId;
    server = await startTestServer(database.db, database.kind);
    receiver = createServer(async (req, res) => {
      const body = await readRequestBody(req);
      const status = answers.shift() ?? 204;
      const parsed = JSON.parse(body) as { type: string; data: { plan?: { id: string } } };
      received.push({ type: parsed.type, planId: parsed.data.plan?.id ?? null, body, signature: String(req.headers["plan-together-signature"] ?? ""), status });
      res.statusCode = status;
      res.end(status >= 400 ? "receiver says no" : "");
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    admin = new TestClient(server.origin);
    expect((await admin.login(DEMO_LOGINS.admin, DEMO_PASSWORD)).status).toBe(302);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
    await server?.close();
    await database?.drop();
  });

  it("registers an endpoint from the settings page and shows its signing secret once", async () => {
    const refused = await admin.post("/settings/webhooks", { intent: "create", url: "http://crm.example.com/hook", events: "plan.go_live_changed" });
    expect(refused.status).toBe(400);
    const response = await admin.request("/settings/webhooks", {
      method: "POST",
      body: new URLSearchParams([
        ["intent", "create"],
        ["url", hookUrl],
        ...["plan.forecast_date_changed", "plan.go_live_changed", "plan.go_live_confirmed", "milestone.completed"].map((e) => ["events", e]),
      ]).toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.origin },
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    secret = html.match(/value="(whsec_[A-Za-z0-9_-]{43})"/)![1];
    const row = await database.db.selectFrom("webhook_endpoints").select(["id", "secret", "url"]).where("org_id", "=", orgId).executeTakeFirstOrThrow();
    endpointId = row.id;
    expect(row.secret).toBe(secret);
    expect(row.url).toBe(hookUrl);
    expect(await (await admin.get("/settings/webhooks")).text()).not.toContain(secret);
  });

  it("sends a signed test event from the button; a tampered body or an old timestamp does not verify", async () => {
    expect((await admin.post("/settings/webhooks", { intent: "test", endpointId })).status).toBe(200);
    const report = await dispatchWebhooksOnce(database.db);
    expect(report).toMatchObject({ claimed: 1, delivered: 1 });
    const got = received.at(-1)!;
    expect(got.type).toBe("webhook.test");
    expect(verifyWebhookSignature(secret, got.signature, got.body, new Date()).ok).toBe(true);
    expect(verifyWebhookSignature(secret, got.signature, got.body.replace("test", "tset"), new Date())).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyWebhookSignature(secret, got.signature, got.body, new Date(Date.now() + 6 * 60_000))).toEqual({ ok: false, reason: "expired" });
    expect(verifyWebhookSignature("whsec_wrong", got.signature, got.body, new Date()).ok).toBe(false);
  });

  it("fires the four event types from real write-path changes", async () => {
    received.length = 0;
    const plan = await database.db
      .selectFrom("plans")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("status", "=", "active")
      .where("milestones_total", ">", 0)
      .orderBy("created_at")
      .executeTakeFirstOrThrow();
    const rep = await database.db
      .selectFrom("users")
      .select(["id", "role"])
      .where("org_id", "=", orgId)
      .where("id", "=", plan.owner_id)
      .executeTakeFirstOrThrow();
    const editor = { actor: { side: "seller" as const, name: "Sam Okafor", userId: rep.id }, today, viewer: { id: rep.id, orgId, role: rep.role } };
    const goLive = new Date(Date.parse(`${plan.go_live}T00:00:00Z`) + 21 * 86_400_000).toISOString().slice(0, 10);
    await changeGoLive(database.db, editor, orgId, plan.id, plan.version, { goLive, reason: "Customer's budget cycle" });
    await runPlanCommand(database.db, { orgId, planId: plan.id, actor: { side: "buyer", name: "Dana Lee" }, today }, async (trx, p) => {
      const now = new Date();
      await trx
        .updateTable("plans")
        .set({ go_live_confirmed_by_name: "Dana Lee", go_live_confirmed_at: now })
        .where("org_id", "=", orgId)
        .where("id", "=", p.id)
        .execute();
      return {
        value: null,
        events: [{ action: "plan.go_live_confirmed", entityType: "plan", entityId: p.id, changes: { go_live: { before: p.go_live, after: p.go_live } } }],
      };
    });
    const milestone = await database.db
      .selectFrom("milestones")
      .select(["id", "version"])
      .where("plan_id", "=", plan.id)
      .where("completed_on", "is", null)
      .orderBy("position")
      .executeTakeFirstOrThrow();
    await setMilestoneDone(database.db, editor, orgId, plan.id, milestone.id, milestone.version, today);
    // A comment calls for nothing.
    const pending = await database.db
      .selectFrom("webhook_deliveries")
      .select(["event_type"])
      .where("org_id", "=", orgId)
      .where("status", "=", "pending")
      .orderBy("seq")
      .execute();
    expect(pending.map((d) => d.event_type)).toEqual(
      expect.arrayContaining(["plan.go_live_changed", "plan.forecast_date_changed", "plan.go_live_confirmed", "milestone.completed"]),
    );
    await dispatchWebhooksUntilIdle(database.db);
    const types = received.map((r) => r.type);
    expect(types.slice(0, 3)).toEqual(["plan.go_live_changed", "plan.forecast_date_changed", "plan.go_live_confirmed"]);
    expect(types).toContain("milestone.completed");
    for (const r of received) expect(verifyWebhookSignature(secret, r.signature, r.body, new Date()).ok).toBe(true);
    const first = JSON.parse(received[0].body) as { data: { goLive: { before: string; after: string }; plan: { id: string } } };
    expect(first.data.goLive).toEqual({ before: plan.go_live, after: goLive });
    expect(first.data.plan.id).toBe(plan.id);
  });

  it("retries a 500 with backoff and keeps the plan's later events behind it until it is delivered", async () => {
    received.length = 0;
    const plan = await database.db
      .selectFrom("plans")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("status", "=", "active")
      .where("milestones_total", ">", 0)
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    const rep = await database.db.selectFrom("users").select(["id", "role"]).where("id", "=", plan.owner_id).executeTakeFirstOrThrow();
    const editor = { actor: { side: "seller" as const, name: "Rep", userId: rep.id }, today, viewer: { id: rep.id, orgId, role: rep.role } };
    const goLive = new Date(Date.parse(`${plan.go_live}T00:00:00Z`) + 35 * 86_400_000).toISOString().slice(0, 10);
    await changeGoLive(database.db, editor, orgId, plan.id, plan.version, { goLive, reason: "Slipped" });
    answers.push(500, 500);

    const round1 = await dispatchWebhooksOnce(database.db);
    expect(round1).toMatchObject({ claimed: 1, retried: 1 });
    const failed = await database.db
      .selectFrom("webhook_deliveries")
      .selectAll()
      .where("plan_id", "=", plan.id)
      .where("event_type", "=", "plan.go_live_changed")
      .executeTakeFirstOrThrow();
    expect(failed).toMatchObject({ status: "pending", attempts: 1, last_status_code: 500 });
    // Our own status line only: a receiver's (or an internal service's) words never reach the log.
    expect(failed.last_error).toBe("HTTP 500 Internal Server Error");
    expect(new Date(failed.next_attempt_at).getTime()).toBeGreaterThan(Date.now() + 20_000);
    // Not due yet, and the forecast change waits behind it: nothing goes out now.
    expect((await dispatchWebhooksOnce(database.db)).claimed).toBe(0);
    // 40 s later: the second attempt fails too; its delay doubles.
    expect(await dispatchWebhooksOnce(database.db, { now: later(1) })).toMatchObject({ claimed: 1, retried: 1 });
    const again = await database.db
      .selectFrom("webhook_deliveries")
      .select(["attempts", "next_attempt_at"])
      .where("id", "=", failed.id)
      .executeTakeFirstOrThrow();
    expect(again.attempts).toBe(2);
    expect(new Date(again.next_attempt_at).getTime()).toBeGreaterThan(Date.now() + 60_000 + 50_000);
    await dispatchWebhooksUntilIdle(database.db, { now: later(10) });
    expect(received.filter((r) => r.planId === plan.id).map((r) => `${r.type}:${r.status}`)).toEqual([
      "plan.go_live_changed:500",
      "plan.go_live_changed:500",
      "plan.go_live_changed:204",
      "plan.forecast_date_changed:204",
    ]);
    const rows = await database.db.selectFrom("webhook_deliveries").select(["status", "attempts"]).where("plan_id", "=", plan.id).orderBy("seq").execute();
    expect(rows).toEqual([
      { status: "delivered", attempts: 3 },
      { status: "delivered", attempts: 1 },
    ]);
  });

  it("shows the delivery log to admins only", async () => {
    const page = await admin.get(`/settings/webhooks/${endpointId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("webhook.test");
    expect(html).toContain("delivered");
    expect(html).toContain("plan.go_live_changed");
    const rep = new TestClient(server.origin);
    await rep.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    expect((await rep.get(`/settings/webhooks/${endpointId}`)).status).toBe(403);
    expect((await rep.get("/settings/webhooks")).status).toBe(403);
    expect((await rep.post("/settings/webhooks", { intent: "test", endpointId })).status).toBe(403);
  });
});
