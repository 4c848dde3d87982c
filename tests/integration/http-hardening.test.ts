import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayIn } from "~/domain/dates";
import { createApiToken } from "~/models/api-tokens.server";
import type { Database } from "~/infra/db.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";
import { checkResponse } from "../support/openapi-check";

/*
 * Issue 17, items 1, 4, 9 and 10, at the HTTP layer of the built server: request bodies limited
 * while they stream, redirects after login that stay on the site, 500s that were reachable from
 * outside, and overload answered with fast 503s while /healthz keeps answering.
 */

const MB = 1024 * 1024;

/** Sends only the head of a request declaring `contentLength` bytes, and reads whatever comes back. */
function declareHugeBody(origin: string, path: string, contentLength: number, headers: Record<string, string> = {}) {
  const { hostname, port } = new URL(origin);
  return new Promise<{ head: string; body: string; ms: number }>((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect(Number(port), hostname);
    let raw = "";
    socket.on("data", (chunk) => (raw += chunk.toString("utf8")));
    socket.on("error", reject);
    // The server closes the connection after its answer: it never waits for the body.
    socket.on("close", () => {
      const [head, body = ""] = raw.split("\r\n\r\n");
      resolve({ head, body, ms: performance.now() - started });
    });
    const lines = [
      `POST ${path} HTTP/1.1`,
      `Host: ${hostname}:${port}`,
      `Content-Length: ${contentLength}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  });
}

/**
 * Streams a chunked body of up to `totalBytes` (never declaring its length) and reports the status,
 * the answer, and how much was written before the server answered.
 */
function streamBody(origin: string, path: string, totalBytes: number, headers: Record<string, string>, fill = "a") {
  return new Promise<{ status: number; body: string; written: number; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const request = http.request(`${origin}${path}`, { method: "POST", headers, agent: false });
    const chunk = Buffer.alloc(64 * 1024, fill);
    let written = 0;
    let answered = false;
    request.on("response", (response) => {
      answered = true;
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (c: string) => (body += c));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body, written, headers: response.headers }));
      response.on("error", reject);
    });
    // Once the server has answered and closed, writing fails: that is the point, not an error.
    request.on("error", (error) => (answered ? undefined : reject(error)));
    const pump = () => {
      while (!answered && written < totalBytes) {
        written += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
      if (!answered) request.end();
    };
    pump();
  });
}

/** Opens a form post whose body never finishes: the request holds its place until `finish`. */
function holdRequest(origin: string, path: string) {
  const request = http.request(`${origin}${path}`, {
    method: "POST",
    agent: false,
    headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" },
  });
  const response = new Promise<number>((resolve, reject) => {
    request.on("response", (r) => {
      r.resume();
      r.on("end", () => resolve(r.statusCode ?? 0));
    });
    request.on("error", reject);
  });
  request.write("email=someone%40example.com");
  request.flushHeaders();
  return { response, finish: () => request.end("&password=x") };
}

const until = async (check: () => boolean, ms = 5_000) => {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe.each(testDatabaseTargets())("the HTTP layer under attack on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let orgId: string;
  let token: string;
  let planId: string;
  const today = todayIn("UTC", new Date());

  beforeAll(async () => {
    database = await target.open();
    orgId = (await seedDemo(database.db, today)).orgId;
    server = await startTestServer(database.db, database.kind);
    const adminId = (await database.db.selectFrom("users").select("id").where("email", "=", DEMO_LOGINS.admin).executeTakeFirstOrThrow()).id;
    token = (await createApiToken(database.db, { orgId, name: "Probe", scope: "read_write", createdBy: adminId })).token;
    const rep1 = await database.db.selectFrom("users").select("id").where("email", "=", DEMO_LOGINS.rep1).executeTakeFirstOrThrow();
    planId = (await database.db.selectFrom("plans").select("id").where("org_id", "=", orgId).where("owner_id", "=", rep1.id).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  const api = (path: string, body: string, method = "PATCH") =>
    fetch(`${server.origin}/api/v1${path}`, { method, body, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" } });

  describe("item 1: request bodies are limited while they stream", () => {
    it("refuses a declared 600 MB login form with a 413 without reading it", async () => {
      const answer = await declareHugeBody(server.origin, "/login", 600 * MB, { Origin: server.origin, "Content-Type": "application/x-www-form-urlencoded" });
      expect(answer.head).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer.head).toMatch(/connection: close/i);
      expect(answer.body).toContain("larger than the 1 MB allowed here");
      expect(answer.ms).toBeLessThan(2_000);
    });

    it("lets a client still sending read its 413: the upload is drained for a moment, not reset", async () => {
      // A browser keeps sending a big upload while the answer is already on its way. Closing with
      // unread bytes makes the kernel reset the connection, and the client sees a reset instead of
      // the 413. So after the answer, the server still takes (and drops) bytes for a short while.
      const { hostname, port } = new URL(server.origin);
      // Like a browser mid-upload, the client keeps its sending side open after the server's FIN.
      const socket = net.connect({ port: Number(port), host: hostname, allowHalfOpen: true });
      const events: string[] = [];
      let raw = "";
      socket.on("data", (chunk) => (raw += chunk.toString("utf8")));
      socket.on("error", (error) => events.push(`error ${(error as NodeJS.ErrnoException).code}`));
      const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
      const head = [
        `POST /login HTTP/1.1`,
        `Host: ${hostname}:${port}`,
        `Origin: ${server.origin}`,
        "Content-Type: application/x-www-form-urlencoded",
        `Content-Length: ${600 * MB}`,
      ];
      socket.write(`${head.join("\r\n")}\r\n\r\n`);
      await until(() => raw.includes("\r\n\r\n"));
      expect(raw).toMatch(/^HTTP\/1\.1 413 /);
      // Well after the answer, the client is still sending: every write is taken, none is reset.
      const chunk = Buffer.alloc(64 * 1024, "a");
      for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        await new Promise<void>((resolve) => socket.write(chunk, (error) => resolve(void (error && events.push(`write ${error.message}`)))));
      }
      expect(socket.destroyed).toBe(false);
      expect(events).toEqual([]);
      // Then the client gives up sending, and the connection closes cleanly.
      socket.end();
      await closed;
      expect(events).toEqual([]);
      expect(raw).toContain("larger than the 1 MB allowed here");
    });

    it("cuts a chunked form off at 1 MB with a 413, and an API body too (problem+json)", async () => {
      const form = await streamBody(server.origin, "/login", 50 * MB, { Origin: server.origin, "Content-Type": "application/x-www-form-urlencoded" });
      expect(form.status).toBe(413);
      expect(form.body).toContain("larger than the 1 MB allowed here");
      // The server answered long before the 50 MB were sent (what was written includes socket buffers).
      expect(form.written).toBeLessThan(20 * MB);

      const apiCall = await streamBody(server.origin, "/api/v1/plans", 50 * MB, { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, " ");
      expect(apiCall.status).toBe(413);
      expect(apiCall.headers["content-type"]).toMatch(/application\/problem\+json/);
      expect(JSON.parse(apiCall.body)).toMatchObject({ status: 413, type: expect.stringMatching(/body-too-large/) });
    });

    it("holds the API's JSON to 100 kB while it streams (413, nothing written)", async () => {
      const before = await database.db.selectFrom("plans").select(["version", "external_crm_id"]).where("id", "=", planId).executeTakeFirstOrThrow();
      // 200 kB of valid JSON, under the 1 MB every request may carry, over what the API reads.
      const body = JSON.stringify({ externalCrmId: "X", padding: "p".repeat(200 * 1024) });
      const response = await api(`/plans/${planId}`, body);
      expect(response.status).toBe(413);
      expect(((await checkResponse(response, "/plans/{planId}", "patch")) as { detail: string }).detail).toMatch(/larger than 100 kB/);
      const after = await database.db.selectFrom("plans").select(["version", "external_crm_id"]).where("id", "=", planId).executeTakeFirstOrThrow();
      expect(after).toEqual(before);
    });

    it("keeps memory flat across 20 oversized bodies sent at once", async () => {
      const rssBefore = process.memoryUsage().rss;
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          streamBody(server.origin, "/login", 30 * MB, { Origin: server.origin, "Content-Type": "application/x-www-form-urlencoded" }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(413));
      const grewMb = (process.memoryUsage().rss - rssBefore) / MB;
      console.log(`[http-limits] ${target.name}: RSS ${Math.round(rssBefore / MB)} MB before, +${grewMb.toFixed(1)} MB after 20 × 30 MB chunked bodies`);
      expect(grewMb).toBeLessThan(50);
      // The server still answers, and ordinary forms still work.
      const client = new TestClient(server.origin);
      expect((await client.login(DEMO_LOGINS.rep1, DEMO_PASSWORD)).status).toBe(302);
    });
  });

  describe("item 4: redirects after login stay on this site", () => {
    const offSite = [
      "%2F%09%2Fevil.example",
      "%2F%0A%2Fevil.example",
      "%2F%5Cevil.example",
      "%2F.%2F%2Fevil.example",
      "https%3A%2F%2Fevil.example",
      "%2F%2Fevil.example",
    ];

    it("sends a signed-in visitor home instead of off-site, and never answers a 500", async () => {
      const client = new TestClient(server.origin);
      await client.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
      for (const target of [...offSite, "%2F%0A%2Fx"]) {
        const response = await client.get(`/login?redirectTo=${target}`);
        expect(response.status, target).toBe(302);
        expect(response.headers.get("location"), target).toBe("/plans");
      }
      const inside = await client.get(`/login?redirectTo=${encodeURIComponent(`/plans/${planId}?tab=people#top`)}`);
      expect(inside.headers.get("location")).toBe(`/plans/${planId}?tab=people#top`);
    });

    it("ignores an off-site redirectTo posted with the login form", async () => {
      for (const target of offSite) {
        const client = new TestClient(server.origin);
        const response = await client.post("/login", { email: DEMO_LOGINS.rep1, password: DEMO_PASSWORD, redirectTo: decodeURIComponent(target) });
        expect(response.status, target).toBe(302);
        expect(response.headers.get("location"), target).toBe("/plans");
      }
    });
  });

  describe("item 9: reachable 500s are 4xx with a message", () => {
    it("refuses year 0 as a CRM close date (422), on both API writes", async () => {
      const patch = await api(`/plans/${planId}`, JSON.stringify({ crmCloseDate: "0000-01-01" }));
      expect(patch.status).toBe(422);
      expect(((await patch.json()) as { errors: Record<string, string[]> }).errors.crmCloseDate[0]).toMatch(/real date/);
      const create = await api(
        "/plans",
        JSON.stringify({ templateId: "00000000-0000-4000-8000-000000000000", goLive: "0000-01-01", buyerCompany: "X", title: "Y" }),
        "POST",
      );
      expect(create.status).toBe(422);
    });

    it("refuses a lone surrogate in any API text field (400 naming the field), and writes nothing", async () => {
      const crmId = () =>
        database.db
          .selectFrom("plans")
          .select("external_crm_id")
          .where("id", "=", planId)
          .executeTakeFirstOrThrow()
          .then((r) => r.external_crm_id);
      const before = await crmId();
      for (const [body, field] of [
        ['{"externalCrmId":"CRM-\\ud800"}', "externalCrmId"],
        ['{"externalCrmId":"\\udc00x","crmCloseDate":null}', "externalCrmId"],
        ['{"externalCrmId":"ok","nested":{"note":"\\ud83d"}}', "nested.note"],
      ]) {
        const response = await api(`/plans/${planId}`, body);
        expect(response.status, body).toBe(400);
        const problem = (await checkResponse(response, "/plans/{planId}", "patch")) as { detail: string; errors: Record<string, string[]> };
        expect(problem.detail).toContain(`\`${field}\``);
        expect(problem.errors[field]).toBeDefined();
      }
      const create = await api(
        "/plans",
        `{"title":"\\ud800","buyerCompany":"X","goLive":"${today}","templateId":"00000000-0000-4000-8000-000000000000"}`,
        "POST",
      );
      expect(create.status).toBe(400);
      expect(await crmId()).toBe(before);
      // A real emoji (a surrogate pair) is fine.
      expect((await api(`/plans/${planId}`, '{"externalCrmId":"CRM-\\ud83d\\ude00"}')).status).toBe(200);
      expect(await crmId()).toBe("CRM-\u{1F600}");
    });

    it("reads the bytes of half a surrogate pair in a form as a replacement character, not a 500", async () => {
      const client = new TestClient(server.origin);
      await client.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
      const response = await client.request(`/plans/${planId}/milestones/new`, {
        method: "POST",
        body: "title=Kick%ED%A0%80off&ownerSide=seller&durationDays=1",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.origin },
      });
      expect(response.status).toBeLessThan(500);
    });

    it("bounds a milestone's dependencies with a message (and a form too big for that is a 413)", async () => {
      const client = new TestClient(server.origin);
      await client.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
      const many = new URLSearchParams({ title: "Too many waits", ownerSide: "seller", durationDays: "1" });
      for (let i = 0; i < 501; i++) many.append("dependsOn", `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
      const response = await client.request(`/plans/${planId}/milestones/new`, {
        method: "POST",
        body: many.toString(),
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.origin },
      });
      expect(response.status).toBe(400);
      const page = await response.text();
      expect(page).toContain("A milestone can wait for at most 500 others.");
      expect(page).toContain('value="Too many waits"');

      const huge = new URLSearchParams({ title: "T", ownerSide: "seller", durationDays: "1" });
      for (let i = 0; i < 70_000; i++) huge.append("dependsOn", "00000000-0000-4000-8000-000000000000");
      const refused = await client.request(`/plans/${planId}/milestones/new`, {
        method: "POST",
        body: huge.toString(),
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.origin },
      });
      expect(refused.status).toBe(413);
      expect(await refused.text()).toMatch(/larger than the 1 MB allowed/);
    });

    it("answers the old ?_data protocol with a 400 for anyone, instead of crashing on /login and /signup", async () => {
      const anon = new TestClient(server.origin);
      for (const path of ["/login?_data=routes/login", "/signup?_data=routes/signup", "/plans?_data=routes/_app.plans._index"]) {
        const response = await anon.get(path);
        expect(response.status, path).toBe(400);
        expect(await response.text()).toMatch(/does not answer `_data` requests/);
      }
      // Single fetch, which the pages use, still works.
      expect((await anon.get("/login.data")).status).toBe(200);
    });
  });
});

describe.each(testDatabaseTargets())("overload on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const logLines: string[] = [];

  beforeAll(async () => {
    database = await target.open();
    await seedDemo(database.db, todayIn("UTC", new Date()));
    server = await startTestServer(database.db, database.kind, logLines, {
      concurrency: { maxConcurrent: 2, maxQueued: 1, queueTimeoutMs: 1_500, retryAfterSeconds: 3 },
    });
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("runs 2 at once, queues 1, answers the rest with a fast 503 + Retry-After, and /healthz still answers", async () => {
    const held = [holdRequest(server.origin, "/login"), holdRequest(server.origin, "/login")];
    const queued = holdRequest(server.origin, "/login");
    // Give the three time to arrive: two running, one waiting.
    await new Promise((r) => setTimeout(r, 300));

    for (const path of ["/login", "/forecast", "/api/v1/plans"]) {
      const started = performance.now();
      const refused = await fetch(`${server.origin}${path}`);
      expect(refused.status, path).toBe(503);
      expect(refused.headers.get("retry-after")).toBe("3");
      expect(await refused.text()).toMatch(/busy right now/);
      expect(performance.now() - started).toBeLessThan(1_000);
    }

    const started = performance.now();
    const health = await fetch(`${server.origin}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", database: { status: "ok" } });
    expect(performance.now() - started).toBeLessThan(1_000);

    // The one in the queue waited its 1.5 s and was told to come back.
    expect(await queued.response).toBe(503);

    // The held requests finish (a failed login), and their places free up.
    for (const h of held) h.finish();
    expect(await Promise.all(held.map((h) => h.response))).toEqual([401, 401]);
    await until(() => logLines.filter((l) => l.includes('"status":401')).length === 2);
    expect((await fetch(`${server.origin}/login`)).status).toBe(200);
    expect(logLines.filter((l) => l.includes('"overload"')).length).toBe(4);
  });

  it("lets one address create five organisations in a row, then asks it to wait (429, values kept)", async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++) {
      const response = await new TestClient(server.origin).post("/signup", {
        organisation: `Flood ${i}`,
        name: "Fay Lood",
        email: `fay${i}@flood.example`,
        password: "long-enough-password",
      });
      statuses.push(response.status);
      if (i === 6) {
        expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
        const page = await response.text();
        expect(page).toMatch(/Too many organisations were created from your network just now\. Wait \d+ seconds? and try again\./);
        expect(page).toContain('value="Flood 6"');
      }
    }
    expect(statuses).toEqual([302, 302, 302, 302, 302, 429]);
    const orgs = await database.db.selectFrom("organisations").select("name").where("name", "like", "Flood %").execute();
    expect(orgs.length).toBe(5);
  });
});
