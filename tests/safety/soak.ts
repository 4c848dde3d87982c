/*
 * `npm run soak` (item 11 of the safety suite): the built server on a scratch PostgreSQL database
 * under 50 concurrent users (buyers on their links and signed-in reps and managers) for
 * SOAK_SECONDS (default 120; run 1800 for the documented 30 minutes). Reports requests, errors,
 * latency percentiles and the server's resident memory; fails when errors reach 0.1% of requests
 * or memory grows 10% or more between the first and the last stretch of the run.
 *
 * SOAK_SECONDS=1800 SOAK_USERS=50 npm run soak
 */
import { loadSigningSecret } from "~/models/app-secrets.server";
import { createLinkForStakeholder } from "~/models/share-link-commands.server";
import { openDatabase } from "~/infra/db.server";
import { buyerCookie, form, percentile, requireBuild, scratchDatabase, signIn, startServer, stopGracefully } from "../support/server-process";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 120);
const USERS = Number(process.env.SOAK_USERS ?? 50);
const BUYER_SHARE = 0.6;
const PORT = Number(process.env.SOAK_PORT ?? 3470);

requireBuild();
const scratch = await scratchDatabase("pt_soak");
const database = await openDatabase({ databaseUrl: scratch.url });
const db = database.db;
const server = await startServer({ port: PORT, databaseUrl: scratch.url, env: { EMAIL_DISPATCHER: "on" } });
// The buyers' links are made in this process: signed with the secret the server stored (ADR 018).
await loadSigningSecret(db);

interface Sample {
  action: string;
  ms: number;
  status: number | "network";
}
const samples: Sample[] = [];
const rss: Array<{ t: number; mb: number }> = [];

try {
  const origin = server.origin;
  const plans = await db
    .selectFrom("plans as p")
    .innerJoin("users as u", (j) => j.onRef("u.id", "=", "p.owner_id"))
    .select(["p.id", "p.org_id", "p.owner_id", "u.email", "u.name"])
    .where("p.status", "=", "active")
    .execute();
  const sellerEmails = ["rep1@demo.example", "rep2@demo.example", "manager@demo.example", "admin@demo.example"];
  const sellerCookies = new Map<string, string>();
  for (const email of sellerEmails) sellerCookies.set(email, await signIn(origin, email));

  // One buyer device per buyer user, each on a link of its own (a buyer of each active plan in turn).
  const buyerCount = Math.round(USERS * BUYER_SHARE);
  const buyers: Array<{ planId: string; cookie: string }> = [];
  for (let i = 0; i < buyerCount; i++) {
    const plan = plans[i % plans.length];
    const person = await db
      .selectFrom("stakeholders")
      .select(["id", "name", "email"])
      .where("plan_id", "=", plan.id)
      .where("side", "=", "buyer")
      .executeTakeFirstOrThrow();
    const { token } = await createLinkForStakeholder(
      db,
      {
        actor: { side: "seller", name: plan.name, userId: plan.owner_id },
        today: new Date().toISOString().slice(0, 10),
        viewer: { id: plan.owner_id, orgId: plan.org_id, role: "rep" },
      },
      plan.org_id,
      plan.id,
      person.id,
      30,
    );
    buyers.push({ planId: plan.id, cookie: await buyerCookie(origin, token, { name: person.name, email: person.email }) });
  }

  async function timed(action: string, run: () => Promise<Response>) {
    const t0 = performance.now();
    try {
      const response = await run();
      await response.arrayBuffer();
      samples.push({ action, ms: performance.now() - t0, status: response.status });
    } catch {
      samples.push({ action, ms: performance.now() - t0, status: "network" });
    }
  }
  const milestoneOf = (planId: string, side?: "buyer") => {
    let q = db.selectFrom("milestones").select(["id", "version", "completed_on"]).where("plan_id", "=", planId);
    if (side) q = q.where("owner_side", "<>", "seller");
    return q.orderBy("position").executeTakeFirst();
  };

  const deadline = Date.now() + SECONDS * 1000;
  const buyerLoop = async (b: (typeof buyers)[number], n: number) => {
    while (Date.now() < deadline) {
      const roll = (Math.random() + n * 0.618) % 1;
      if (roll < 0.7) await timed("buyer: open plan", () => fetch(`${origin}/p/${b.planId}`, { headers: { Cookie: b.cookie } }));
      else if (roll < 0.85)
        await timed("buyer: comment", () =>
          fetch(`${origin}/p/${b.planId}`, form(origin, b.cookie, { intent: "comment", milestoneId: "", body: `soak ${Date.now()}` })),
        );
      else {
        const m = await milestoneOf(b.planId, "buyer");
        if (m)
          await timed("buyer: mark done/reopen", () =>
            fetch(
              `${origin}/p/${b.planId}`,
              form(origin, b.cookie, { intent: m.completed_on ? "reopen" : "done", milestoneId: m.id, version: String(m.version) }),
            ),
          );
      }
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 400));
    }
  };
  const sellerLoop = async (n: number) => {
    const email = sellerEmails[n % sellerEmails.length];
    const cookie = sellerCookies.get(email)!;
    const mine = plans.filter((p) => (email.startsWith("rep") ? p.email === email : true));
    while (Date.now() < deadline) {
      const plan = mine[Math.floor(Math.random() * mine.length)];
      const roll = Math.random();
      if (roll < 0.3) await timed("rep: plans list", () => fetch(`${origin}/plans`, { headers: { Cookie: cookie } }));
      else if (roll < 0.7) await timed("rep: plan page", () => fetch(`${origin}/plans/${plan.id}`, { headers: { Cookie: cookie } }));
      else if (roll < 0.8)
        await timed("rep: comment", () =>
          fetch(`${origin}/plans/${plan.id}`, form(origin, cookie, { intent: "comment", milestoneId: "", body: `soak ${Date.now()}` })),
        );
      else if (roll < 0.9) {
        const m = await milestoneOf(plan.id);
        if (m)
          await timed("rep: complete/reopen", () =>
            fetch(
              `${origin}/plans/${plan.id}`,
              form(origin, cookie, { intent: m.completed_on ? "reopen" : "complete", milestoneId: m.id, version: String(m.version) }),
            ),
          );
      } else await timed("rep: forecast", () => fetch(`${origin}/forecast`, { headers: { Cookie: cookie } }));
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 400));
    }
  };

  const started = Date.now();
  const sampler = setInterval(() => {
    const mb = server.rssMb();
    if (mb !== null) rss.push({ t: (Date.now() - started) / 1000, mb });
  }, 1000);
  const progress = setInterval(
    () => console.log(`${Math.round((Date.now() - started) / 1000)} s: ${samples.length} requests, RSS ${rss.at(-1)?.mb.toFixed(0) ?? "?"} MB`),
    15_000,
  );
  await Promise.all([...buyers.map((b, i) => buyerLoop(b, i)), ...Array.from({ length: USERS - buyers.length }, (_, i) => sellerLoop(i))]);
  clearInterval(sampler);
  clearInterval(progress);

  // ------------------------------------------------------------------ report
  const ok = (s: Sample) => typeof s.status === "number" && (s.status < 400 || s.status === 409);
  const errors = samples.filter((s) => !ok(s));
  const conflicts = samples.filter((s) => s.status === 409).length;
  const errorRate = errors.length / Math.max(1, samples.length);
  const all = samples.map((s) => s.ms).sort((a, b) => a - b);
  // Memory: the median of the first tenth after a tenth of warm-up, against the median of the last tenth.
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const tenth = Math.max(1, Math.floor(rss.length / 10));
  const early = median(rss.slice(tenth, 2 * tenth).map((r) => r.mb));
  const late = median(rss.slice(-tenth).map((r) => r.mb));
  const growth = (late - early) / early;
  const byAction = new Map<string, number[]>();
  for (const s of samples) byAction.set(s.action, [...(byAction.get(s.action) ?? []), s.ms]);

  console.log(`
Soak on PostgreSQL: ${USERS} concurrent users (${buyers.length} buyers, ${USERS - buyers.length} reps and managers) for ${SECONDS} s
  requests     ${samples.length} (${(samples.length / SECONDS).toFixed(1)}/s); 409 conflicts (expected between concurrent editors) ${conflicts}
  errors       ${errors.length} (${(errorRate * 100).toFixed(3)}%): ${JSON.stringify(errors.reduce<Record<string, number>>((acc, s) => ({ ...acc, [String(s.status)]: (acc[String(s.status)] ?? 0) + 1 }), {}))}
  latency      p50 ${percentile(all, 50).toFixed(0)} ms, p95 ${percentile(all, 95).toFixed(0)} ms, p99 ${percentile(all, 99).toFixed(0)} ms, max ${all.at(-1)?.toFixed(0)} ms
  memory (RSS) ${early.toFixed(0)} MB early → ${late.toFixed(0)} MB at the end: ${(growth * 100).toFixed(1)}% (peak ${Math.max(...rss.map((r) => r.mb)).toFixed(0)} MB)
  per action   ${[...byAction]
    .map(
      ([a, ms]) =>
        `${a} ${ms.length} p95 ${percentile(
          ms.sort((x, y) => x - y),
          95,
        ).toFixed(0)} ms`,
    )
    .join("; ")}
  result       ${errorRate < 0.001 && growth < 0.1 ? "held: errors < 0.1% and RSS growth < 10%" : "FAILED"}`);
  process.exitCode = errorRate < 0.001 && growth < 0.1 ? 0 : 1;
} finally {
  await stopGracefully(server);
  await database.close();
  await scratch.drop();
}
