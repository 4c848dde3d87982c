import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { todayIn } from "~/domain/dates";
import { changeGoLive } from "~/models/plan-commands.server";
import { createOrganisation } from "~/models/organisation.server";
import { createUser } from "~/models/user.server";
import { createWebhookEndpoint } from "~/models/webhooks.server";
import type { Database } from "~/infra/db.server";
import { hashPassword } from "~/infra/password.server";
import { dispatchWebhooksOnce, startWebhookDispatcher } from "~/jobs/webhook-dispatcher.server";
import { DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";

/*
 * Issue 17, item 2: one organisation could stall every organisation's webhooks (a receiver that
 * accepts and never answers, plus forty "send test event" clicks, delayed another organisation's
 * go-live webhook from 2.8 s to 205 s). Org B here is the one with the dead receiver; org A (the
 * demo) must not notice. Everything runs on loopback, which the configuration allows.
 */

vi.hoisted(() => {
  process.env.WEBHOOK_ALLOW_PRIVATE = "127.0.0.1";
});

const ADMIN_B = "admin@stalled.example";

describe.each(testDatabaseTargets())("webhook fairness on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let orgA: string;
  let orgB: string;
  let adminB: TestClient;
  let hangingEndpointId: string;
  const today = todayIn("UTC", new Date());

  // A receiver that accepts connections and never answers.
  const hangingSockets = new Set<Socket>();
  let hangingRequests = 0;
  let hangingMaxOpen = 0;
  const hanging: Server = createServer(() => {
    hangingRequests++;
  });
  hanging.on("connection", (socket) => {
    hangingSockets.add(socket);
    hangingMaxOpen = Math.max(hangingMaxOpen, hangingSockets.size);
    socket.on("close", () => hangingSockets.delete(socket));
  });
  // A healthy receiver: notes when each delivery arrived.
  const arrivals: Array<{ type: string; at: number }> = [];
  const healthy: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      arrivals.push({ type: (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { type: string }).type, at: Date.now() });
      res.statusCode = 204;
      res.end();
    });
  });
  // A receiver that always fails.
  let failingRequests = 0;
  const failing: Server = createServer((_req, res) => {
    failingRequests++;
    res.statusCode = 503;
    res.end("maintenance: internal detail");
  });
  const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/hook`;
  const listen = (s: Server) => new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const close = (s: Server) => new Promise<void>((resolve) => s.close(() => resolve()));
  const waitFor = async (check: () => boolean, ms: number) => {
    const end = Date.now() + ms;
    while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    return check();
  };
  const pendingTestEvents = async (orgId: string, endpointId: string, count: number) => {
    const payload = JSON.stringify({ id: "00000000-0000-4000-8000-000000000000", type: "webhook.test", createdAt: new Date().toISOString(), data: {} });
    await database.db
      .insertInto("webhook_deliveries")
      .values(
        Array.from({ length: count }, () => ({
          org_id: orgId,
          endpoint_id: endpointId,
          plan_id: null,
          event_type: "webhook.test",
          event_id: crypto.randomUUID(),
          payload,
        })),
      )
      .execute();
  };

  beforeAll(async () => {
    database = await target.open();
    orgA = (await seedDemo(database.db, today)).orgId;
    const b = await createOrganisation(database.db, { name: "Stalled Ltd" });
    orgB = b.id;
    await createUser(database.db, { orgId: orgB, email: ADMIN_B, name: "Blake Stall", role: "admin", passwordHash: await hashPassword(DEMO_PASSWORD) });
    server = await startTestServer(database.db, database.kind);
    await Promise.all([listen(hanging), listen(healthy), listen(failing)]);
    adminB = new TestClient(server.origin);
    expect((await adminB.login(ADMIN_B, DEMO_PASSWORD)).status).toBe(302);
  });
  afterAll(async () => {
    for (const socket of hangingSockets) socket.destroy();
    await Promise.all([close(hanging), close(healthy), close(failing)]);
    await server?.close();
    await database?.drop();
  });

  it("limits 'send test event' to a few a minute per endpoint, with a 429 and a message on the settings page", async () => {
    const created = await adminB.post("/settings/webhooks", { intent: "create", url: urlOf(hanging), events: "plan.go_live_changed" });
    expect(created.status).toBe(200);
    hangingEndpointId = (await database.db.selectFrom("webhook_endpoints").select("id").where("org_id", "=", orgB).executeTakeFirstOrThrow()).id;
    const statuses: number[] = [];
    let refusal = "";
    for (let click = 0; click < 40; click++) {
      const response = await adminB.post("/settings/webhooks", { intent: "test", endpointId: hangingEndpointId });
      statuses.push(response.status);
      const html = await response.text();
      if (response.status === 429 && !refusal) refusal = html;
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(37);
    expect(refusal).toMatch(/Test events are limited to 3 a minute for each endpoint\. Try again in \d+ seconds\./);
    const queued = await database.db
      .selectFrom("webhook_deliveries")
      .select("id")
      .where("org_id", "=", orgB)
      .where("event_type", "=", "webhook.test")
      .execute();
    expect(queued).toHaveLength(3);
    console.log(`[webhooks] 40 test-event clicks: ${statuses.filter((s) => s === 200).length} queued, ${statuses.filter((s) => s === 429).length} × 429`);
  });

  it("a never-answering endpoint in org B with a backlog does not delay org A's go-live webhook by more than 2 s", async () => {
    // The backlog the forty clicks (and their retries) used to build, written directly.
    await pendingTestEvents(orgB, hangingEndpointId, 40);
    await createWebhookEndpoint(database.db, { orgId: orgA, url: urlOf(healthy), events: ["plan.go_live_changed"], createdBy: null });
    const dispatcher = startWebhookDispatcher(database.db, { log: () => {} });
    try {
      expect(await waitFor(() => hangingRequests >= 1, 10_000)).toBe(true);
      const plan = await database.db
        .selectFrom("plans")
        .selectAll()
        .where("org_id", "=", orgA)
        .where("status", "=", "active")
        .orderBy("created_at")
        .executeTakeFirstOrThrow();
      const rep = await database.db
        .selectFrom("users")
        .select(["id", "role"])
        .where("org_id", "=", orgA)
        .where("id", "=", plan.owner_id)
        .executeTakeFirstOrThrow();
      const editor = { actor: { side: "seller" as const, name: "Sam Okafor", userId: rep.id }, today, viewer: { id: rep.id, orgId: orgA, role: rep.role } };
      const goLive = new Date(Date.parse(`${plan.go_live}T00:00:00Z`) + 14 * 86_400_000).toISOString().slice(0, 10);
      const changedAt = Date.now();
      await changeGoLive(database.db, editor, orgA, plan.id, plan.version, { goLive, reason: "Board meeting moved" });
      const arrived = await waitFor(() => arrivals.some((a) => a.type === "plan.go_live_changed"), 8_000);
      const latency = arrived ? arrivals.find((a) => a.type === "plan.go_live_changed")!.at - changedAt : Infinity;
      console.log(
        `[webhooks] org A's go-live webhook arrived ${latency} ms after the change, while org B's receiver hung (${hangingRequests} requests, at most ${hangingMaxOpen} open at once)`,
      );
      expect(latency).toBeLessThan(2_000);
      // Org B's dead receiver holds at most its own share of connections.
      expect(hangingMaxOpen).toBeLessThanOrEqual(2);
    } finally {
      for (const socket of hangingSockets) socket.destroy();
      await dispatcher.stop();
    }
  });

  it("pauses an endpoint that keeps failing, tells org B's admins by email and on the settings page, and resumes on request", async () => {
    expect((await adminB.post("/settings/webhooks", { intent: "disable", endpointId: hangingEndpointId })).status).toBe(200);
    const failingEndpoint = await createWebhookEndpoint(database.db, { orgId: orgB, url: urlOf(failing), events: ["plan.go_live_changed"], createdBy: null });
    await pendingTestEvents(orgB, failingEndpoint.id, 10);
    let failures = 0;
    for (let round = 0; round < 3; round++) failures += (await dispatchWebhooksOnce(database.db, { log: () => {} })).failed;
    expect(failures).toBe(6);
    expect(failingRequests).toBe(6);
    const endpoint = await database.db
      .selectFrom("webhook_endpoints")
      .selectAll()
      .where("org_id", "=", orgB)
      .where("id", "=", failingEndpoint.id)
      .executeTakeFirstOrThrow();
    expect(endpoint.consecutive_failures).toBe(6);
    expect(endpoint.circuit_opened_at).not.toBeNull();
    expect(new Date(endpoint.circuit_open_until!).getTime()).toBeGreaterThan(Date.now() + 60_000);
    expect(endpoint.last_failure).toBe("HTTP 503 Service Unavailable");
    // Paused: four deliveries are due, none goes out, and none spends an attempt.
    expect((await dispatchWebhooksOnce(database.db, { log: () => {} })).claimed).toBe(0);
    expect(failingRequests).toBe(6);

    const emails = await database.db
      .selectFrom("email_outbox")
      .select(["to_address", "subject", "text"])
      .where("org_id", "=", orgB)
      .where("kind", "=", "webhook_paused")
      .execute();
    expect(emails).toHaveLength(1);
    expect(emails[0].to_address).toBe(ADMIN_B);
    expect(emails[0].subject).toBe(`Webhook deliveries to 127.0.0.1:${(failing.address() as AddressInfo).port} are paused`);
    expect(emails[0].text).toContain("HTTP 503 Service Unavailable");
    expect(emails[0].text).not.toContain("internal detail");

    // React marks text boundaries with empty comments; a reader sees the text without them.
    const page = (await (await adminB.get("/settings/webhooks")).text()).replaceAll("<!-- -->", "");
    expect(page).toContain("Paused after 6 failed attempts in a row (last: HTTP 503 Service Unavailable)");
    expect(page).toContain("Resume now");

    // When the pause ends, one probe at a time; failing again pauses longer, without a second email.
    const later = () => new Date(Date.now() + 5 * 60_000);
    expect(await dispatchWebhooksOnce(database.db, { now: later, log: () => {} })).toMatchObject({ claimed: 1, failed: 1 });
    const again = await database.db
      .selectFrom("webhook_endpoints")
      .select(["consecutive_failures", "circuit_open_until"])
      .where("org_id", "=", orgB)
      .where("id", "=", failingEndpoint.id)
      .executeTakeFirstOrThrow();
    expect(again.consecutive_failures).toBe(7);
    expect(new Date(again.circuit_open_until!).getTime()).toBeGreaterThan(later().getTime() + 3 * 60_000);
    expect(await database.db.selectFrom("email_outbox").select("id").where("org_id", "=", orgB).where("kind", "=", "webhook_paused").execute()).toHaveLength(1);

    // The admin fixed the receiver and resumes: deliveries go out at once.
    const resumed = await adminB.post("/settings/webhooks", { intent: "resume", endpointId: failingEndpoint.id });
    expect(resumed.status).toBe(200);
    expect(await resumed.text()).toContain("Resumed: waiting deliveries go out now.");
    expect((await dispatchWebhooksOnce(database.db, { log: () => {} })).claimed).toBe(2);
  });
});
