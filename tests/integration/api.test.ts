import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayIn } from "~/domain/dates";
import { tenantToken, tenantTokenLookup } from "~/domain/tenant-token";
import { hashToken } from "~/infra/secret-tokens.server";
import { createOrganisation } from "~/models/organisation.server";
import { createApiToken } from "~/models/api-tokens.server";
import type { Database } from "~/infra/db.server";
import { DEMO_LOGINS, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { daysAfter, quietWednesday } from "../support/dates";
import { startTestServer } from "../support/http";
import { checkResponse, schemaErrors } from "../support/openapi-check";

/*
 * The JSON API against the built server on each database: tokens and scopes, cursor pagination,
 * creating a plan from a template, the CRM fields through the write path, the forecast rollup and
 * the rate limit. Every response is checked against the OpenAPI document it is served with.
 */

type Json = Record<string, unknown> & { [key: string]: unknown };

describe.each(testDatabaseTargets())("the JSON API on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let orgId: string;
  let adminId: string;
  let readToken: string;
  let writeToken: string;
  const today = todayIn("UTC", new Date());

  const call = (path: string, token: string | null, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (token) headers.set("Authorization", `Bearer ${token}`);
    if (init.body) headers.set("Content-Type", "application/json");
    return fetch(`${server.origin}/api/v1${path}`, { ...init, headers, redirect: "manual" });
  };

  beforeAll(async () => {
    database = await target.open();
    const seeded = await seedDemo(database.db, today);
    orgId = seeded.orgId;
    server = await startTestServer(database.db, database.kind);
    adminId = (await database.db.selectFrom("users").select("id").where("email", "=", DEMO_LOGINS.admin).executeTakeFirstOrThrow()).id;
    readToken = (await createApiToken(database.db, { orgId, name: "CRM reader", scope: "read", createdBy: adminId })).token;
    writeToken = (await createApiToken(database.db, { orgId, name: "Salesforce sync", scope: "read_write", createdBy: adminId })).token;
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("serves its OpenAPI 3.1 document, and stores only the tokens' hashes", async () => {
    const response = await fetch(`${server.origin}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as Json;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths as Json)).toEqual([
      "/plans",
      "/plans/{planId}",
      "/plans/{planId}/close",
      "/plans/{planId}/reopen",
      "/plans/{planId}/clone",
      "/plans/{planId}/engagement",
      "/forecast",
      "/forecast/accuracy",
    ]);
    expect(JSON.stringify(doc)).toContain("Plan-Together-Signature");
    const hashes = (await database.db.selectFrom("api_tokens").select("token_hash").execute()).map((r) => r.token_hash);
    expect(hashes).not.toContain(readToken);
    expect(readToken).toMatch(/^pt_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
  });

  it("answers 401 problem+json without a token or with an unknown or revoked one, whatever the cookies", async () => {
    for (const token of [null, "pt_" + "A".repeat(43), "not-a-token"]) {
      const response = await call("/plans", token);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      const body = (await checkResponse(response, "/plans", "get")) as Json;
      expect(body.detail).toMatch(/token/i);
    }
    const revoked = await createApiToken(database.db, { orgId, name: "Old", scope: "read", createdBy: adminId });
    await database.db.updateTable("api_tokens").set({ revoked_at: new Date() }).where("id", "=", revoked.id).execute();
    expect((await call("/plans", revoked.token)).status).toBe(401);
  });

  it("finds a token in the organisation it names, an old one (no organisation) by its hash alone, and never across organisations", async () => {
    expect(tenantTokenLookup(readToken.slice("pt_".length))).toEqual({ orgId });
    const secret = () => randomBytes(32).toString("base64url");
    const addToken = async (org: string, name: string, token: string) =>
      database.db
        .insertInto("api_tokens")
        .values({ org_id: org, name, scope: "read", created_by: org === orgId ? adminId : null, token_hash: hashToken(token) })
        .execute();
    const legacy = `pt_${secret()}`;
    await addToken(orgId, "Made before 029", legacy);
    const legacyList = await call("/plans", legacy);
    expect(legacyList.status).toBe(200);
    await legacyList.arrayBuffer();
    // Its hash is stored in this organisation, but the token names another: looked for there only.
    const other = await createOrganisation(database.db, { name: "Elsewhere Ltd" });
    const namesOther = `pt_${tenantToken(other.id, secret())}`;
    await addToken(orgId, "Names another organisation", namesOther);
    const namesOurs = `pt_${tenantToken(orgId, secret())}`;
    await addToken(other.id, "Kept in another organisation", namesOurs);
    expect([(await call("/plans", namesOther)).status, (await call("/plans", namesOurs)).status]).toEqual([401, 401]);
  });

  it("lets a read token read but not write (403 problem+json), and changes nothing", async () => {
    const plan = await database.db.selectFrom("plans").select(["id", "version"]).where("org_id", "=", orgId).executeTakeFirstOrThrow();
    const response = await call(`/plans/${plan.id}`, readToken, { method: "PATCH", body: JSON.stringify({ externalCrmId: "006READ" }) });
    expect(response.status).toBe(403);
    expect(((await checkResponse(response, "/plans/{planId}", "patch")) as Json).type).toMatch(/insufficient-scope/);
    const create = await call("/plans", readToken, { method: "POST", body: JSON.stringify({}) });
    expect(create.status).toBe(403);
    await checkResponse(create, "/plans", "post");
    expect((await database.db.selectFrom("plans").select("version").where("id", "=", plan.id).executeTakeFirstOrThrow()).version).toBe(plan.version);
  });

  it("pages through every plan exactly once by cursor", async () => {
    const all = await database.db.selectFrom("plans").select("id").where("org_id", "=", orgId).execute();
    expect(all.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await call(`/plans?limit=2${cursor ? `&cursor=${cursor}` : ""}`, readToken);
      expect(response.status).toBe(200);
      const page = (await checkResponse(response, "/plans", "get")) as { data: Array<{ id: string }>; nextCursor: string | null };
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((p) => p.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(seen.length).toBe(all.length);
    expect(new Set(seen)).toEqual(new Set(all.map((p) => p.id)));
    const active = (await checkResponse(await call("/plans?limit=100&status=active", readToken), "/plans", "get")) as { data: Array<{ status: string }> };
    expect(active.data.every((p) => p.status === "active")).toBe(true);
    for (const bad of ["limit=0", "limit=101", "limit=abc", "cursor=bogus", "status=open"]) {
      const response = await call(`/plans?${bad}`, readToken);
      expect(response.status, bad).toBe(400);
      await checkResponse(response, "/plans", "get");
    }
  });

  it("returns one plan with milestones, computed dates, provenance and history; 404 for unknown or malformed ids", async () => {
    const plan = await database.db.selectFrom("plans").select("id").where("org_id", "=", orgId).where("milestones_total", ">", 0).executeTakeFirstOrThrow();
    const body = (await checkResponse(await call(`/plans/${plan.id}`, readToken), "/plans/{planId}", "get")) as Json & { milestones: unknown[]; goLive: Json };
    expect(body.id).toBe(plan.id);
    expect(body.milestones.length).toBeGreaterThan(0);
    expect(body.goLive.setBy).toBeTruthy();
    for (const id of ["00000000-0000-4000-8000-000000000000", "nope"]) {
      const response = await call(`/plans/${id}`, readToken);
      expect(response.status).toBe(404);
      await checkResponse(response, "/plans/{planId}", "get");
    }
  });

  it("creates a plan from a template, its milestones scheduled backward from the go-live", async () => {
    const template = await database.db.selectFrom("templates").select("id").where("org_id", "=", orgId).executeTakeFirstOrThrow();
    const { holidays } = await database.db.selectFrom("organisations").select("holidays").where("id", "=", orgId).executeTakeFirstOrThrow();
    const goLive = quietWednesday(today, 120, holidays); // a working day, whatever day the test runs
    const response = await call("/plans", writeToken, {
      method: "POST",
      body: JSON.stringify({
        templateId: template.id,
        goLive,
        buyerCompany: "Umbrella Corp",
        title: "Umbrella rollout",
        value: 50000,
        currency: "USD",
        externalCrmId: "006UMB",
      }),
    });
    expect(response.status).toBe(201);
    const plan = (await checkResponse(response, "/plans", "post")) as Json & { milestones: Array<{ due: string; start: string }>; goLive: Json; owner: Json };
    expect(response.headers.get("location")).toBe(`/api/v1/plans/${plan.id}`);
    expect(plan.externalCrmId).toBe("006UMB");
    expect(plan.goLive.date).toBe(goLive);
    expect(plan.goLive.setBy).toBe("API: Salesforce sync");
    expect(plan.owner.id).toBe(adminId);
    expect(plan.milestones.length).toBeGreaterThan(0);
    for (const m of plan.milestones) {
      expect(m.due <= goLive).toBe(true);
      expect(m.start <= m.due).toBe(true);
    }
    expect(plan.milestones.some((m) => m.due === goLive || m.due > today)).toBe(true);
    const events = await database.db
      .selectFrom("plan_events")
      .select(["action", "actor_name"])
      .where("plan_id", "=", plan.id as string)
      .orderBy("seq")
      .execute();
    expect(events.map((e) => e.action)).toEqual(["plan.created", "plan.crm_updated"]);

    const invalid = [
      { body: { templateId: template.id, goLive: "2027-02-30", buyerCompany: "X", title: "Y" }, field: "goLive" },
      { body: { templateId: "00000000-0000-4000-8000-000000000000", goLive, buyerCompany: "X", title: "Y" }, field: "templateId" },
      { body: { templateId: template.id, goLive, buyerCompany: "", title: "Y" }, field: "buyerCompany" },
      { body: { templateId: template.id, goLive, buyerCompany: "X", title: "Y", ownerId: "00000000-0000-4000-8000-000000000000" }, field: "ownerId" },
      { body: { templateId: template.id, goLive, buyerCompany: "X", title: "Y", surprise: 1 }, field: "body" },
      // The forms' currencies, no more: before, any three capitals (say "ABC") went in.
      { body: { templateId: template.id, goLive, buyerCompany: "X", title: "Y", currency: "ABC" }, field: "currency" },
    ];
    for (const { body, field } of invalid) {
      const bad = await call("/plans", writeToken, { method: "POST", body: JSON.stringify(body) });
      expect(bad.status, field).toBe(422);
      const problem = (await checkResponse(bad, "/plans", "post")) as { errors: Record<string, string[]> };
      expect(Object.keys(problem.errors), field).toContain(field);
    }
    const notJson = await fetch(`${server.origin}/api/v1/plans`, {
      method: "POST",
      headers: { Authorization: `Bearer ${writeToken}`, "Content-Type": "application/json" },
      body: "{oops",
    });
    expect(notJson.status).toBe(400);
    await checkResponse(notJson, "/plans", "post");
    const wrongType = await fetch(`${server.origin}/api/v1/plans`, {
      method: "POST",
      headers: { Authorization: `Bearer ${writeToken}`, "Content-Type": "text/plain" },
      body: "{}",
    });
    expect(wrongType.status).toBe(415);
    await checkResponse(wrongType, "/plans", "post");
  });

  it("sets the CRM id and the rep's CRM close date through the write path, logging an event", async () => {
    const before = await database.db.selectFrom("plans").selectAll().where("org_id", "=", orgId).where("status", "=", "active").executeTakeFirstOrThrow();
    const crmCloseDate = daysAfter(today, 200);
    const response = await call(`/plans/${before.id}`, writeToken, {
      method: "PATCH",
      body: JSON.stringify({ externalCrmId: "006ABC", crmCloseDate, version: before.version }),
    });
    expect(response.status).toBe(200);
    const plan = (await checkResponse(response, "/plans/{planId}", "patch")) as Json;
    expect(plan.externalCrmId).toBe("006ABC");
    expect(plan.crmCloseDate).toBe(crmCloseDate);
    expect(plan.version).toBe(before.version + 1);
    const event = await database.db.selectFrom("plan_events").selectAll().where("plan_id", "=", before.id).orderBy("seq", "desc").executeTakeFirstOrThrow();
    expect(event.action).toBe("plan.crm_updated");
    expect(event.actor_name).toBe("API: Salesforce sync");
    expect(event.changes).toEqual({
      external_crm_id: { before: before.external_crm_id, after: "006ABC" },
      crm_close_date: { before: before.crm_close_date, after: crmCloseDate },
    });
    // A stale version is a conflict; bad values are 422; clearing works.
    const stale = await call(`/plans/${before.id}`, writeToken, {
      method: "PATCH",
      body: JSON.stringify({ externalCrmId: "006OLD", version: before.version }),
    });
    expect(stale.status).toBe(409);
    await checkResponse(stale, "/plans/{planId}", "patch");
    for (const body of [{ crmCloseDate: "30/06/2027" }, {}, { status: "won" }, { externalCrmId: 42 }]) {
      const bad = await call(`/plans/${before.id}`, writeToken, { method: "PATCH", body: JSON.stringify(body) });
      expect(bad.status, JSON.stringify(body)).toBe(422);
      await checkResponse(bad, "/plans/{planId}", "patch");
    }
    const cleared = (await checkResponse(
      await call(`/plans/${before.id}`, writeToken, { method: "PATCH", body: JSON.stringify({ externalCrmId: null }) }),
      "/plans/{planId}",
      "patch",
    )) as Json;
    expect(cleared.externalCrmId).toBeNull();
    const missing = await call("/plans/00000000-0000-4000-8000-000000000000", writeToken, { method: "PATCH", body: JSON.stringify({ externalCrmId: "x" }) });
    expect(missing.status).toBe(404);
    await checkResponse(missing, "/plans/{planId}", "patch");
  });

  it("reports the forecast rollup", async () => {
    const forecast = (await checkResponse(await call("/forecast", readToken), "/forecast", "get")) as Json & { all: { total: { plans: number } } };
    const active = await database.db
      .selectFrom("plans")
      .select("id")
      .where("org_id", "=", orgId)
      .where("status", "=", "active")
      .where("currency", "=", "USD")
      .execute();
    expect(forecast.all.total.plans).toBe(active.length);
    expect(forecast.today).toBe(today);
  });

  it("reports forecast accuracy over a window of quarters, and says what is wrong with a bad window", async () => {
    const accuracy = (await checkResponse(await call("/forecast/accuracy", readToken), "/forecast/accuracy", "get")) as Json & {
      window: { from: string; to: string };
      horizons: Array<{ horizon: number }>;
    };
    expect(accuracy.today).toBe(today);
    expect(accuracy.horizons.map((h) => h.horizon)).toEqual([90, 60, 30]);
    const bad = await call("/forecast/accuracy?from=FY1999-Q9", readToken);
    expect(bad.status).toBe(400);
    const problem = (await checkResponse(bad, "/forecast/accuracy", "get")) as Json & { errors: Record<string, string[]> };
    expect(problem.errors.from).toEqual(["“from” isn't a quarter we know: use a fiscal quarter like " + accuracy.window.to.replace(" ", "-") + "."]);
  });

  it("refuses a cookie-authenticated cross-site write, but takes a bearer write without an Origin", async () => {
    const response = await fetch(`${server.origin}/api/v1/plans`, {
      method: "POST",
      headers: { Origin: "https://evil.example", "Content-Type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(403);
  });

  it("rate-limits each token (429 with Retry-After), without touching other tokens", async () => {
    const limited = await createApiToken(database.db, { orgId, name: "Chatty", scope: "read", createdBy: adminId });
    await database.db.updateTable("api_tokens").set({ rate_limit_per_minute: 3 }).where("id", "=", limited.id).execute();
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 5; i++) {
      last = await call("/forecast", limited.token);
      statuses.push(last.status);
      if (last.status === 429) break;
      await last.text();
    }
    // Three per minute: the fourth is refused (unless the minute turned over in between).
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await checkResponse(last!, "/forecast", "get")) as Json;
    expect(body.status).toBe(429);
    expect((await call("/forecast", readToken)).status).toBe(200);
  });

  it("has a schema checker that does catch mismatches", () => {
    expect(schemaErrors({ id: "x" }, { $ref: "#/components/schemas/Problem" }).length).toBeGreaterThan(0);
    expect(
      schemaErrors(
        { field: "goLive", from: "2027-02-30", to: null, at: "yesterday", by: "Ann", side: "seller", reason: null },
        { $ref: "#/components/schemas/DateChange" },
      ),
    ).toEqual([expect.stringMatching(/^\$\.from: must match format "date"/), expect.stringMatching(/^\$\.at: must match format "date-time"/)]);
    // Strict: a keyword the validator does not know (a typo) is refused, not silently ignored.
    expect(() => schemaErrors(1, { type: "integer", minimun: 1 })).toThrow(/unknown keyword/);
  });
});
