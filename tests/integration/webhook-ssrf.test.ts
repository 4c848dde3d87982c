import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { todayIn } from "~/domain/dates";
import { queueTestEvent } from "~/models/webhooks.server";
import type { Database } from "~/infra/db.server";
import { dispatchWebhooksOnce } from "~/jobs/webhook-dispatcher.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";

/*
 * Issue 17, item 3 (SSRF) with the default configuration (no WEBHOOK_ALLOW_PRIVATE): the settings
 * page refuses internal addresses, and an internal address that got into the table anyway (saved
 * before this check, or allowed then no longer) is not connected to when a delivery is sent.
 */

vi.hoisted(() => {
  delete process.env.WEBHOOK_ALLOW_PRIVATE;
});

const INTERNAL = ["127.0.0.1", "169.254.169.254", "[::1]", "2130706433", "0x7f.0.0.1", "[::ffff:127.0.0.1]", "10.0.0.1", "localhost", "0.0.0.0"];

describe.each(testDatabaseTargets())("webhook destinations on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let internal: Server;
  let internalConnections = 0;
  let admin: TestClient;
  let orgId: string;

  beforeAll(async () => {
    database = await target.open();
    orgId = (await seedDemo(database.db, todayIn("UTC", new Date()))).orgId;
    server = await startTestServer(database.db, database.kind);
    // Stands for an internal service (an admin page, a metadata endpoint) only the server can reach.
    internal = createServer((_req, res) => {
      res.statusCode = 403;
      res.end("internal-service-secret: db password is hunter2");
    });
    internal.on("connection", () => internalConnections++);
    await new Promise<void>((resolve) => internal.listen(0, "127.0.0.1", resolve));
    admin = new TestClient(server.origin);
    expect((await admin.login(DEMO_LOGINS.admin, DEMO_PASSWORD)).status).toBe(302);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => internal?.close(() => resolve()));
    await server?.close();
    await database?.drop();
  });

  it("refuses loopback, private, link-local and reserved addresses in every spelling when an endpoint is saved", async () => {
    const accepted: string[] = [];
    for (const host of INTERNAL) {
      for (const scheme of ["https", "http"]) {
        const url = `${scheme}://${host}/hook`;
        const response = await admin.post("/settings/webhooks", { intent: "create", url, events: "plan.go_live_changed" });
        const html = await response.text();
        if (response.status !== 400) accepted.push(`${url} (${response.status})`);
        else expect(html, url).toMatch(/private, loopback or reserved network|Use an https:\/\/ address/);
      }
    }
    expect(accepted).toEqual([]);
    expect(await database.db.selectFrom("webhook_endpoints").select("url").where("org_id", "=", orgId).execute()).toEqual([]);
  });

  it("keeps what was typed when an address is refused", async () => {
    const response = await admin.post("/settings/webhooks", { intent: "create", url: "https://169.254.169.254/latest", events: "milestone.completed" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('value="https://169.254.169.254/latest"');
  });

  it("does not connect to an internal address at delivery time, and shows none of its answer", async () => {
    const url = `http://127.0.0.1:${(internal.address() as AddressInfo).port}/admin`;
    const endpoint = await database.db
      .insertInto("webhook_endpoints")
      .values({ org_id: orgId, url, events: JSON.stringify(["plan.go_live_changed"]), created_by: null, secret: "whsec_test" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await queueTestEvent(database.db, orgId, endpoint.id, "Alex Morgan", new Date());
    await dispatchWebhooksOnce(database.db, { log: () => {} });
    expect(internalConnections).toBe(0);
    const delivery = await database.db
      .selectFrom("webhook_deliveries")
      .select(["status", "last_error"])
      .where("org_id", "=", orgId)
      .where("endpoint_id", "=", endpoint.id)
      .executeTakeFirstOrThrow();
    expect(delivery.status).toBe("failed");
    expect(delivery.last_error).toMatch(/^Refused/);
    const log = await (await admin.get(`/settings/webhooks/${endpoint.id}`)).text();
    expect(log).toContain("Refused");
    expect(log).not.toContain("hunter2");
  });
});
