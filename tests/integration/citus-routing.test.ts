import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CompiledQuery } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayIn } from "~/domain/dates";
import type { Database } from "~/infra/db.server";
import { parseAddressPolicy } from "~/infra/webhook-address.server";
import { hashToken } from "~/infra/secret-tokens.server";
import { createApiToken } from "~/models/api-tokens.server";
import { ensureFeed, repFeedOwner } from "~/models/calendar-feed.server";
import { refreshStaleSchedules } from "~/models/schedule-refresh.server";
import { createWebhookEndpoint } from "~/models/webhooks.server";
import { devMailbox, dispatchOnce } from "~/jobs/email-dispatcher.server";
import { claimJobLease, recordJobRun, releaseJobLease } from "~/models/job-leases.server";
import { dispatchWebhooksOnce } from "~/jobs/webhook-dispatcher.server";
import { unplacedTables } from "../../db/citus";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { daysAfter, quietWednesday } from "../support/dates";
import { startTestServer, TestClient } from "../support/http";

/*
 * Issue 20, item 4: on Citus every statement the app sends for one organisation must run on one
 * shard. A statement that names no organisation (or names it only through a join or a correlated
 * `p.org_id`) is sent to all 32 shards: it works, so no functional test notices, but every such
 * request costs a round trip to every shard and the cluster stops scaling with the number of
 * organisations.
 *
 * This test records every statement the app sends while people use it through the real HTTP app
 * (a rep, a buyer, a manager, the API, a calendar feed) and while the background jobs run once,
 * then asks the coordinator to EXPLAIN each one with the parameters it was sent with. Citus says
 * how many shards a statement runs on as "Task Count"; above 1 fails, unless the statement is on
 * FAN_OUT_ALLOWED below, each with its reason.
 */

process.env.WEBHOOK_ALLOW_PRIVATE = "127.0.0.1";

/**
 * Statements allowed on every shard, by the function that sends them (the first app frame of the
 * stack) or by their SQL. Keep it short: each entry is a cost paid on every shard.
 */
const FAN_OUT_ALLOWED: Array<{ name: string; reason: string; caller?: RegExp; sql?: RegExp }> = [
  {
    name: "email dispatcher: the organisations with due mail",
    reason: "a cross-organisation job, once per round; each organisation's emails are then claimed on its own shard",
    caller: /^organisationsWithDueEmails\b/,
  },
  {
    name: "webhook dispatcher: the endpoints with due deliveries",
    reason:
      "a cross-organisation job, once per round (fairness between endpoints is across organisations, ADR 017); each endpoint's deliveries are then claimed on its organisation's shard",
    caller: /(^|\.)fill < /,
    sql: /^select "w"\."org_id", "w"\."id" from "webhook_endpoints" as "w" where /,
  },
  {
    name: "a buyer link issued before tokens carried their organisation",
    reason: "found by its hash alone until no live link from before migration 029 is left (ADR 030); a token with its organisation is never looked up this way",
    caller: /^(openLink|findLiveShareLink)\b/,
    sql: /^select \* from "share_links" where "token_hash" = \$1 /,
  },
  {
    name: "sign-in throttle: the counters a sign-in is held under",
    reason:
      "auth_throttle belongs to no organisation and is distributed by its own key (ADR 030): one read of a sign-in's few keys (its address, its network) touches one shard per key, never all of them",
    caller: /^throttleWaitSeconds\b/,
    sql: /^select \* from "auth_throttle" where "key" in \(/,
  },
  {
    name: "schedule refresher: the organisations to look at",
    reason:
      "a cross-organisation job, once a quarter of an hour on the server leading it (ADR 032); each organisation's stale plans are then claimed on its own shard",
    caller: /^refreshStaleSchedules\b/,
    sql: /^select "id", "time_zone" from "organisations"$/,
  },
];

interface Statement {
  sql: string;
  parameters: unknown[];
  /** The app functions on the stack, innermost first: who sent it. */
  caller: string;
  /** The walk's step it was sent during. */
  step: string;
  error?: { code?: string; message: string };
}

const APP_FILE = /\/app\/|\/build\/index\.js|\/server\/|\/db\//;

/**
 * Who sent a statement, from its stack: the app's own frames (the built server's bundle, app/,
 * server/, db/), innermost first. `ours` is true for this test's own statements (fixtures, reading a
 * version to post): a frame in tests/ and none of the app's.
 */
function callersOf(stack: string | undefined): { names: string[]; ours: boolean } {
  const names: string[] = [];
  let fromTests = false;
  for (const line of (stack ?? "").split("\n").slice(1)) {
    const frame = /^\s*at (?:async )?(?:(.+?) \()?(.+?):\d+:\d+\)?$/.exec(line);
    if (!frame) continue;
    const [, name, file] = frame;
    // The pool's client (app/infra) is on every statement's stack and says nothing about who sent it.
    if (file.includes("node_modules") || file.startsWith("node:") || file.endsWith("prepared-statements.server.ts")) continue;
    if (file.includes("/tests/")) fromTests = true;
    else if (APP_FILE.test(file)) names.push(name ?? "<anonymous>");
  }
  return { names, ours: fromTests && names.length === 0 };
}

/**
 * Records every statement sent over a pg connection while on, by wrapping pg's Client.query (the
 * app's pool clients, PreparingClient included, all end there). Only this test's own statements
 * are left out; one whose stack says nothing is recorded, as sent by "<unknown>".
 */
function statementRecorder() {
  const statements: Statement[] = [];
  const original = pg.Client.prototype.query;
  const stackLimit = Error.stackTraceLimit;
  let step = "setup";
  let on = false;
  Error.stackTraceLimit = 60;
  pg.Client.prototype.query = function (this: pg.Client, config: unknown, values?: unknown, callback?: unknown) {
    const result = (original as (...args: unknown[]) => unknown).call(this, config, values, callback);
    const text = typeof config === "string" ? config : (config as { text?: unknown } | null)?.text;
    if (!on || typeof text !== "string") return result;
    const { names, ours } = callersOf(new Error().stack);
    if (ours) return result;
    const parameters = ((config as { values?: unknown[] }).values ?? (Array.isArray(values) ? values : [])) as unknown[];
    const statement: Statement = { sql: text, parameters, caller: names.slice(0, 4).join(" < ") || "<unknown>", step };
    statements.push(statement);
    if (result instanceof Promise)
      result.catch((error: { code?: string; message?: string }) => {
        statement.error = { code: error?.code, message: String(error?.message ?? error) };
      });
    return result;
  } as typeof pg.Client.prototype.query;
  return {
    statements,
    start: () => (on = true),
    stop: () => (on = false),
    step: (name: string) => (step = name),
    restore() {
      pg.Client.prototype.query = original;
      Error.stackTraceLimit = stackLimit;
    },
  };
}

/** Statements EXPLAIN accepts; transaction control and settings are not planned and touch no shard. */
const EXPLAINABLE = /^\s*(?:\/\*.*?\*\/\s*)*(?:with|select|insert|update|delete|values)\b/is;

/** The most shards any of the statement's distributed scans runs on (1 when Citus is not involved at all). */
function taskCount(plan: string): number {
  const counts = [...plan.matchAll(/Task Count: (\d+)/g)].map((m) => Number(m[1]));
  return counts.length ? Math.max(...counts) : 1;
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

const target = testDatabaseTargets().find((t) => t.name === "citus");

describe.skipIf(!target)("every tenant statement on citus runs on one shard", () => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let receiver: Server;
  let recorder: ReturnType<typeof statementRecorder>;
  const walkFailures: string[] = [];

  beforeAll(async () => {
    database = await target!.open();
    server = await startTestServer(database.db, database.kind);
    receiver = createServer((_req, res) => res.writeHead(204).end());
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    recorder?.restore();
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
    await server?.close();
    await database?.drop();
  });

  it("places every table on the workers as db/citus.ts lists it (else the statements below would run on the coordinator)", async () => {
    expect(await unplacedTables(database.db)).toEqual([]);
  });

  it("walks a rep, a buyer, a manager, the API, a calendar feed and the background jobs without a statement Citus refuses", async () => {
    const db = database.db;
    const now = new Date();
    const today = todayIn("UTC", now);
    const { orgId } = await seedDemo(db, today, now);
    const userId = async (email: string) => (await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
    const [rep1, admin] = [await userId(DEMO_LOGINS.rep1), await userId(DEMO_LOGINS.admin)];
    const plan = await db
      .selectFrom("plans")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("owner_id", "=", rep1)
      .where("status", "=", "active")
      .orderBy("created_at")
      .executeTakeFirstOrThrow();
    const planRow = () => db.selectFrom("plans").selectAll().where("id", "=", plan.id).executeTakeFirstOrThrow();
    const champion = await db
      .selectFrom("stakeholders")
      .select("id")
      .where("plan_id", "=", plan.id)
      .where("side", "=", "buyer")
      .orderBy("created_at")
      .executeTakeFirstOrThrow();
    const apiToken = (await createApiToken(db, { orgId, name: "Citus walk", scope: "read_write", createdBy: admin })).token;
    const feedToken = await ensureFeed(db, repFeedOwner(orgId, rep1), now);
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    await createWebhookEndpoint(db, {
      orgId,
      url: hookUrl,
      events: ["plan.go_live_confirmed", "plan.go_live_changed", "milestone.completed"],
      createdBy: admin,
    });
    // A link as issued before tokens carried their organisation: the secret alone, its hash kept.
    const legacyToken = randomBytes(32).toString("base64url");
    const otherPlan = await db
      .selectFrom("plans")
      .innerJoin("stakeholders", (join) => join.onRef("stakeholders.org_id", "=", "plans.org_id").onRef("stakeholders.plan_id", "=", "plans.id"))
      .select(["plans.id as planId", "stakeholders.id as stakeholderId"])
      .where("plans.org_id", "=", orgId)
      .where("plans.status", "=", "active")
      .where("plans.id", "<>", plan.id)
      .where("stakeholders.side", "=", "buyer")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("share_links")
      .values({
        org_id: orgId,
        plan_id: otherPlan.planId,
        stakeholder_id: otherPlan.stakeholderId,
        token_hash: hashToken(legacyToken),
        created_by: rep1,
        expires_at: new Date(now.getTime() + 30 * 86_400_000),
      })
      .execute();
    const policy = parseAddressPolicy("127.0.0.1");
    if (!policy.ok) throw new Error(policy.message);

    recorder = statementRecorder();
    recorder.start();
    const step = async (name: string, run: () => Promise<void>) => {
      recorder.step(name);
      try {
        await run();
      } catch (error) {
        walkFailures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    const expectStatus = async (response: Response, status: number, what: string) => {
      if (response.status === status) return response;
      const body = await response.text();
      // A page's HTML says nothing useful here (the cluster's error is reported with its statement below).
      throw new Error(`${what}: expected ${status}, got ${response.status}${body.startsWith("<") ? "" : ` ${body.slice(0, 200)}`}`);
    };
    const rep = new TestClient(server.origin);
    const buyer = new TestClient(server.origin);
    const manager = new TestClient(server.origin);
    let buyerPath = "";
    let buyerIn = false;

    await step("rep signs in", async () => {
      await expectStatus(await rep.login(DEMO_LOGINS.rep1, DEMO_PASSWORD), 302, "POST /login");
    });
    await step("rep opens the plans list and a plan", async () => {
      await expectStatus(await rep.get("/plans"), 200, "GET /plans");
      await expectStatus(await rep.get(`/plans/${plan.id}`), 200, "GET /plans/:id");
    });
    await step("rep edits a milestone and marks it done", async () => {
      const m = await db
        .selectFrom("milestones")
        .selectAll()
        .where("plan_id", "=", plan.id)
        .where("completed_on", "is", null)
        .orderBy("position")
        .executeTakeFirstOrThrow();
      const deps = await db.selectFrom("milestone_dependencies").select("depends_on_id").where("milestone_id", "=", m.id).execute();
      await expectStatus(await rep.get(`/plans/${plan.id}/milestones/${m.id}`), 200, "GET milestone");
      const form = new URLSearchParams({
        title: m.title,
        description: `${m.description} (checked on Citus)`,
        ownerSide: m.owner_side,
        ownerStakeholderId: m.owner_stakeholder_id ?? "",
        durationDays: String(m.duration_days),
        lagDays: String(m.lag_days),
        pinnedDate: m.pinned_date ?? "",
        completedOn: "",
        ...(m.is_close ? { isClose: "on" } : {}),
        version: String(m.version),
      });
      for (const d of deps) form.append("dependsOn", d.depends_on_id);
      const saved = await rep.request(`/plans/${plan.id}/milestones/${m.id}`, {
        method: "POST",
        body: form.toString(),
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.origin },
      });
      await expectStatus(saved, 302, "POST milestone edit");
      const after = await db.selectFrom("milestones").select("version").where("id", "=", m.id).executeTakeFirstOrThrow();
      await expectStatus(await rep.post(`/plans/${plan.id}`, { intent: "complete", milestoneId: m.id, version: String(after.version) }), 302, "POST complete");
    });
    await step("rep comments", async () => {
      await expectStatus(await rep.post(`/plans/${plan.id}`, { intent: "comment", milestoneId: "", body: "Walked on Citus." }), 302, "POST comment");
    });
    await step("rep creates a buyer link", async () => {
      const created = await expectStatus(
        await rep.post(`/plans/${plan.id}`, { intent: "create-link", stakeholderId: champion.id, days: "30" }),
        302,
        "POST create-link",
      );
      const page = await (await rep.get(created.headers.get("location")!)).text();
      const url = /value="(http[^"]+\/s\/[^"]+)"/.exec(page);
      if (!url) throw new Error("the new link is not on the page");
      buyerPath = new URL(url[1]).pathname;
    });
    await step("buyer opens the link and says who they are", async () => {
      if (!buyerPath) throw new Error("skipped: the rep's link was not created");
      await expectStatus(await buyer.get(buyerPath), 200, "GET /s/:token");
      const confirmed = await expectStatus(await buyer.post(buyerPath, { name: "Citus Buyer", email: "citus.buyer@acme.example" }), 302, "POST /s/:token");
      if (confirmed.headers.get("location") !== `/p/${plan.id}`) throw new Error(`POST /s/:token went to ${confirmed.headers.get("location")}`);
      buyerIn = true;
    });
    await step("buyer opens the plan, proposes a go-live, comments", async () => {
      if (!buyerIn) throw new Error("skipped: the buyer could not open the link");
      await expectStatus(await buyer.get(`/p/${plan.id}`), 200, "GET /p/:id");
      const opened = await db.selectFrom("milestones").select("id").where("org_id", "=", orgId).where("plan_id", "=", plan.id).executeTakeFirstOrThrow();
      await expectStatus(await buyer.get(`/p/${plan.id}?m=${opened.id}`), 200, "GET /p/:id?m= (a milestone opened)");
      const before = await planRow();
      const org = await db.selectFrom("organisations").select("holidays").where("id", "=", orgId).executeTakeFirstOrThrow();
      const holidays = [...org.holidays, ...(before.buyer_holidays ?? [])];
      const proposal = { goLive: quietWednesday(before.go_live, 28, holidays), reason: "Our board moved a month", version: String(before.version) };
      await expectStatus(await buyer.post(`/p/${plan.id}`, { intent: "preview-go-live", ...proposal }), 200, "POST preview-go-live");
      await expectStatus(await buyer.post(`/p/${plan.id}`, { intent: "propose-go-live", ...proposal }), 302, "POST propose-go-live");
      await expectStatus(await buyer.post(`/p/${plan.id}`, { intent: "comment", milestoneId: "", body: "Buyer on Citus." }), 302, "POST buyer comment");
      // The rep moves it a week: seller-proposed until the buyer confirms it.
      const moved = { goLive: quietWednesday(proposal.goLive, 7, holidays), reason: "Training needs a week", version: String((await planRow()).version) };
      await expectStatus(await rep.post(`/plans/${plan.id}/go-live`, { intent: "preview", ...moved }), 200, "POST rep go-live preview");
      await expectStatus(await rep.post(`/plans/${plan.id}/go-live`, { intent: "save", ...moved }), 302, "POST rep go-live save");
    });
    await step("buyer confirms the rep's go-live", async () => {
      if (!buyerIn) throw new Error("skipped: the buyer could not open the link");
      await expectStatus(
        await buyer.post(`/p/${plan.id}`, { intent: "confirm-go-live", version: String((await planRow()).version) }),
        302,
        "POST confirm-go-live",
      );
    });
    await step("a buyer opens a link issued before tokens carried their organisation", async () => {
      await expectStatus(await new TestClient(server.origin).get(`/s/${legacyToken}`), 200, "GET /s/:legacy-token");
    });
    await step("manager opens the forecast, its accuracy and the plan", async () => {
      await expectStatus(await manager.login(DEMO_LOGINS.manager, DEMO_PASSWORD), 302, "POST /login");
      await expectStatus(await manager.get("/forecast"), 200, "GET /forecast");
      await expectStatus(await manager.get("/forecast/accuracy"), 200, "GET /forecast/accuracy");
      await expectStatus(await manager.get(`/plans/${plan.id}`), 200, "GET /plans/:id");
    });
    await step("the API lists and updates plans", async () => {
      const call = (path: string, init: RequestInit = {}) =>
        fetch(`${server.origin}/api/v1${path}`, { ...init, headers: { Authorization: `Bearer ${apiToken}`, "Content-Type": "application/json" } });
      await expectStatus(await call("/plans"), 200, "GET /api/v1/plans");
      await expectStatus(await call(`/plans/${plan.id}`), 200, "GET /api/v1/plans/:id");
      await expectStatus(await call(`/plans/${plan.id}/engagement`), 200, "GET /api/v1/plans/:id/engagement");
      const { version } = await planRow();
      const body = JSON.stringify({ externalCrmId: "006CITUS", crmCloseDate: daysAfter(today, 120), version });
      await expectStatus(await call(`/plans/${plan.id}`, { method: "PATCH", body }), 200, "PATCH /api/v1/plans/:id");
    });
    await step("the rep and the API clone the plan for another team", async () => {
      const org = await db.selectFrom("organisations").select("holidays").where("id", "=", orgId).executeTakeFirstOrThrow();
      const goLive = quietWednesday(today, 150, org.holidays);
      const form = { title: "Cloned on Citus", buyerCompany: "Citus Clone Co", value: "1000", currency: "USD", goLive, copyPeople: "on" };
      await expectStatus(await rep.get(`/plans/${plan.id}/clone`), 200, "GET /plans/:id/clone");
      await expectStatus(await rep.post(`/plans/${plan.id}/clone`, form), 302, "POST /plans/:id/clone");
      const body = JSON.stringify({ title: "Cloned by the API on Citus", goLive, copyPeople: true });
      const cloned = await fetch(`${server.origin}/api/v1/plans/${plan.id}/clone`, {
        method: "POST",
        headers: { Authorization: `Bearer ${apiToken}`, "Content-Type": "application/json" },
        body,
      });
      await expectStatus(cloned, 201, "POST /api/v1/plans/:id/clone");
    });
    await step("a calendar feed is fetched", async () => {
      await expectStatus(await fetch(`${server.origin}/calendar/${feedToken}.ics`), 200, "GET /calendar/:token.ics");
    });
    await step("the email dispatcher runs once", async () => {
      const report = await dispatchOnce(db, devMailbox);
      if (!report.claimed) throw new Error("no email was due: the walk should have queued the buyer's link email");
    });
    await step("the webhook dispatcher runs once", async () => {
      const report = await dispatchWebhooksOnce(db, { policy: policy.policy, log: () => {} });
      if (!report.delivered) throw new Error(`no webhook was delivered: ${JSON.stringify(report)}`);
    });
    await step("the schedule refresher runs once", async () => {
      await db
        .updateTable("plans")
        .set({ schedule_computed_on: daysAfter(today, -1) })
        .where("id", "=", plan.id)
        .execute();
      const refreshed = await refreshStaleSchedules(db, now);
      if (refreshed < 1) throw new Error("the refresher found no stale plan");
    });
    await step("two servers claim the refresher's lease, the holder runs it and lets it go", async () => {
      const lease = { job: "schedule-refresher", leaseSeconds: 30 };
      if (!(await claimJobLease(db, { ...lease, holder: "server-1" })).held) throw new Error("the first server did not get the free lease");
      if ((await claimJobLease(db, { ...lease, holder: "server-2" })).held) throw new Error("the second server took a lease still held");
      if (!(await recordJobRun(db, lease.job, "server-1"))) throw new Error("the holder's run was not recorded");
      await releaseJobLease(db, lease.job, "server-1");
    });
    recorder.stop();
    const refused = recorder.statements.filter((s) => s.error);
    const problems = [
      ...walkFailures,
      ...refused.map(
        (s) => `during "${s.step}", ${s.caller} sent a statement the cluster refused (${s.error!.code}: ${s.error!.message}):\n    ${oneLine(s.sql)}`,
      ),
    ];
    expect(problems.length, `${walkFailures.length} step(s) failed, the cluster refused ${refused.length} statement(s):\n\n${problems.join("\n\n")}\n`).toBe(0);
  });

  it("sends every tenant statement of that walk to one shard (Task Count 1), except those listed with their reason", async () => {
    if (!recorder?.statements.length) throw new Error("the walk sent no statement: see the test above");
    const distinct = new Map<string, Statement>();
    // A statement the cluster refused while the walk ran is reported there, not here again.
    for (const s of recorder.statements) if (EXPLAINABLE.test(s.sql) && !s.error && !distinct.has(s.sql)) distinct.set(s.sql, s);

    const fanOut: string[] = [];
    const unplannable: string[] = [];
    const allowedSeen = new Map<string, number>();
    const histogram = new Map<number, number>();
    const pulled: string[] = [];
    let withSubplans = 0;
    for (const s of distinct.values()) {
      let plan: string;
      try {
        // EXPLAIN without ANALYZE plans the statement (Citus prunes shards with the parameters given) and runs nothing.
        const { rows } = await database.db.executeQuery<{ "QUERY PLAN": string }>(CompiledQuery.raw(`explain (format text) ${s.sql}`, s.parameters));
        plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
      } catch (error) {
        unplannable.push(`${s.caller} (during "${s.step}"): ${error instanceof Error ? error.message : String(error)}\n    ${oneLine(s.sql)}`);
        continue;
      }
      const tasks = taskCount(plan);
      histogram.set(tasks, (histogram.get(tasks) ?? 0) + 1);
      if (plan.includes("Distributed Subplan")) withSubplans++;
      // Rows read into the coordinator and sent out again: one shard still, but two trips and a copy.
      if (plan.includes("pull to coordinator")) pulled.push(`${s.caller} (during "${s.step}")\n    ${oneLine(s.sql)}`);
      if (tasks <= 1) continue;
      const allowed = FAN_OUT_ALLOWED.find((a) => (!a.caller || a.caller.test(s.caller)) && (!a.sql || a.sql.test(oneLine(s.sql))));
      if (allowed) allowedSeen.set(allowed.name, (allowedSeen.get(allowed.name) ?? 0) + 1);
      else fanOut.push(`${tasks} tasks: ${s.caller} (during "${s.step}")\n    ${oneLine(s.sql)}`);
    }
    console.log(
      `[citus-routing] ${recorder.statements.length} statements sent, ${distinct.size} distinct explained; by task count ${JSON.stringify(Object.fromEntries([...histogram].sort((a, b) => a[0] - b[0])))}; ${withSubplans} with subplans (data-modifying CTEs: a trip to the worker each); ` +
        `allowed to fan out: ${JSON.stringify(Object.fromEntries(allowedSeen))}; unused allowances: ${JSON.stringify(FAN_OUT_ALLOWED.filter((a) => !allowedSeen.has(a.name)).map((a) => a.name))}`,
    );
    const problems = [
      ...fanOut.map((f) => `runs on every shard: ${f}`),
      ...unplannable.map((u) => `the coordinator could not plan: ${u}`),
      ...pulled.map((p) => `pulls its rows through the coordinator (write them as VALUES): ${p}`),
    ];
    expect(
      problems.length,
      `${fanOut.length} statement(s) fan out, ${unplannable.length} could not be planned, ${pulled.length} pull rows through the coordinator:\n\n${problems.join("\n\n")}\n`,
    ).toBe(0);
  });
});
