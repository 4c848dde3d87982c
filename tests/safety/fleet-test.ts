/*
 * `npm run fleet-test` (issue 21 item 6): three built servers (`build/server/serve.js`, each with
 * its email and webhook dispatchers) behind HAProxy, on one scratch PostgreSQL database through
 * PgBouncer, migrated once before they start. The soak's buyers and sellers and the crash test's
 * editors work through the balancer while one server is killed with SIGKILL (and brought back, as a
 * supervisor would) and another is restarted the way a rolling deploy does (drained at the
 * balancer, SIGTERM, started, put back). Then:
 *  - every request succeeded, or got a retryable answer and was retried until it did: reads on
 *    502/503/504, writes on 503 only (no server took them). A write answered 502/504 or cut off may
 *    have done its work, so it is not sent again; it passes only while in flight across the kill,
 *    and then must be all there or not there at all;
 *  - every acknowledged edit is there with its log entry, nothing is half-written, every plan's
 *    hash chain is intact (`npm run audit:verify`'s check);
 *  - every due email reached the SMTP server and every webhook its receiver, each once: a second
 *    copy passes only when the kill fell between the two (the crash test's rule);
 *  - each periodic job ran once per period across the fleet, whichever server led it (job_leases).
 *
 * FLEET_SECONDS=60 FLEET_USERS=20 FLEET_EDITORS=4 FLEET_POOL_MODE=transaction FLEET_PORT=6700 npm run fleet-test
 */
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Kysely } from "kysely";
import type { DB } from "../../db/types";
import { seedDemo } from "../../db/demo-seed";
import { todayIn } from "~/domain/dates";
import { WEBHOOK_EVENTS } from "~/domain/webhook-events";
import { openDatabase } from "~/infra/db.server";
import { loadSigningSecret } from "~/models/app-secrets.server";
import { createWebhookEndpoint } from "~/models/webhooks.server";
import { missingPrograms, serverStats, startHaproxy } from "../support/fleet";
import { startPgBouncer } from "../support/pgbouncer";
import { startSmtpPeer } from "../support/smtp";
import { killHard, percentile, requireBuild, scratchDatabase, startServer, stopGracefully, type ServerProcess } from "../support/server-process";
import { checkEdits, checkEmails, createEditor, duplicatesAcrossKills, waitForDueEmails, type EditOutcome, type KillMark } from "./edit-workload";
import { prepareSoakUsers, runSoakUsers } from "./soak-workload";

const SECONDS = Number(process.env.FLEET_SECONDS ?? 60);
const USERS = Number(process.env.FLEET_USERS ?? 20);
const EDITORS = Number(process.env.FLEET_EDITORS ?? 4);
const BASE_PORT = Number(process.env.FLEET_PORT ?? 6700);
const SMTP_DELAY_MS = Number(process.env.FLEET_SMTP_DELAY_MS ?? 250);
const DRAIN_SECONDS = Number(process.env.FLEET_DRAIN_SECONDS ?? 150);
// Transaction mode, as a fleet would run PgBouncer (the servers are told: DATABASE_POOLER, ADR 031).
const POOL_MODE = process.env.FLEET_POOL_MODE ?? "transaction";
const SERVER_ENTRY = "build/server/serve.js";
const READ_TRIES = 5;
// The periods of the jobs gated by one (see checkJobsRanOncePerPeriod).
const JOB_PERIODS_MS: Record<string, number> = { "email-scheduler": 5 * 60_000, "schedule-refresher": 15 * 60_000, "webhook-dispatcher": 1_000 };
const FLEET_JOBS = ["email-scheduler", "schedule-refresher", "webhook-dispatcher", "email-dispatcher"];

if (POOL_MODE !== "session" && POOL_MODE !== "transaction") throw new Error(`FLEET_POOL_MODE must be session or transaction, not ${POOL_MODE}`);
const missing = missingPrograms();
if (missing.length) throw new Error(`The fleet test needs ${missing.join(" and ")}: apt-get install -y ${missing.join(" ")}`);
requireBuild(SERVER_ENTRY);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const started = performance.now();
const scratch = await scratchDatabase("pt_fleet");
const cleanup: Array<() => Promise<unknown>> = [() => scratch.drop()];
const servers = new Map<string, ServerProcess>();
const problems: string[] = [];

try {
  const pooler = await startPgBouncer(scratch.url, {
    port: BASE_PORT + 1,
    poolMode: POOL_MODE,
    // Session mode ties a server connection to each client one (3 servers × a pool of 10); a
    // transaction pooler shares a few.
    poolSize: POOL_MODE === "session" ? 32 : 8,
  });
  cleanup.unshift(() => pooler.stop());
  const pooled = { DATABASE_URL: pooler.url, DATABASE_POOLER: POOL_MODE };
  // Migrated once, through the pooler, as a fleet's deploy step would (`npm run migrate`), before
  // any server starts; the servers only check the schema (MIGRATE_ON_START=off).
  const migrate = spawnSync(process.execPath, ["--import", "tsx", "db/migrate.ts"], { env: { ...process.env, ...pooled }, encoding: "utf8" });
  if (migrate.status !== 0) throw new Error(`npm run migrate failed:\n${migrate.stdout}${migrate.stderr}`);
  const database = await openDatabase({ databaseUrl: scratch.url });
  cleanup.unshift(() => database.close());
  const db = database.db;
  const now = new Date();
  const { orgId } = await seedDemo(db, todayIn("UTC", now), now);

  const smtp = await startSmtpPeer();
  smtp.delayMs = SMTP_DELAY_MS;
  cleanup.unshift(() => smtp.close());
  const hooks = await startWebhookReceiver();
  cleanup.unshift(() => hooks.close());
  await createWebhookEndpoint(db, { orgId, url: hooks.url, events: [...WEBHOOK_EVENTS], createdBy: null });

  const names = ["s1", "s2", "s3"];
  const portOf = (name: string) => BASE_PORT + 2 + names.indexOf(name);
  const balancerOrigin = `http://127.0.0.1:${BASE_PORT}`;
  const env = {
    DATABASE_POOLER: POOL_MODE,
    MIGRATE_ON_START: "off",
    SMTP_URL: smtp.url,
    EMAIL_DISPATCHER: "on",
    SEED_DEMO: "never",
    APP_URL: balancerOrigin,
    WEBHOOK_ALLOW_PRIVATE: "127.0.0.1",
  };
  const start = async (name: string) => {
    servers.set(name, await startServer({ port: portOf(name), databaseUrl: pooler.url, env, entry: SERVER_ENTRY }));
  };
  cleanup.unshift(() => Promise.all([...servers.values()].map((s) => stopGracefully(s))));
  const fleetStartedAt = Date.now();
  await Promise.all(names.map(start));
  const balancer = await startHaproxy({ port: BASE_PORT, servers: Object.fromEntries(names.map((n) => [n, portOf(n)])) });
  cleanup.unshift(() => balancer.stop());
  const allUp = async () => (await serverStats(balancer.command)).every((s) => s.status === "UP");
  for (let i = 0; i < 100 && !(await allUp()); i++) await sleep(100);
  if (!(await allUp())) throw new Error(`HAProxy does not see every server up: ${JSON.stringify(await serverStats(balancer.command))}`);
  console.log(`fleet up in ${((performance.now() - started) / 1000).toFixed(0)} s: HAProxy ${balancerOrigin}, PgBouncer (${POOL_MODE} mode) :${BASE_PORT + 1}`);

  // Links are signed with the key the servers stored on first start (ADR 018).
  await loadSigningSecret(db);
  const users = await prepareSoakUsers(db, balancerOrigin, USERS);
  // The editors' new links go to people of their own: a new link turns the person's old one off.
  const editor = await createEditor(db, balancerOrigin, { ownInvitees: true });

  // ---------------------------------------------------------------- the run
  interface Sample {
    action: string;
    safe: boolean;
    ms: number;
    tries: number;
    status: number | "network";
    /** Why the last try got no answer. */
    cause?: string;
    outcome: "ok" | "retried" | "unknown" | "error";
    startedAt: number;
    endedAt: number;
  }
  const samples: Sample[] = [];
  async function send(action: string, safe: boolean, run: (origin: string) => Promise<Response>) {
    const startedAt = Date.now();
    const t0 = performance.now();
    let tries = 0;
    let status: number | "network" = "network";
    let cause: string | undefined;
    for (;;) {
      tries++;
      try {
        const response = await run(balancerOrigin);
        await response.arrayBuffer();
        status = response.status;
      } catch (error) {
        status = "network";
        cause = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
      }
      // 503: no server took the request (HAProxy had none up, or the server's queue was full).
      const retryable = status === 503 || (safe && (status === 502 || status === 504 || status === "network"));
      if (!retryable || tries >= READ_TRIES) break;
      await sleep(200 * tries);
    }
    // 409: a concurrent editor got there first (the soak counts it as an answer, not an error).
    const ok = typeof status === "number" && (status < 400 || status === 409);
    const cut = !safe && (status === 502 || status === 504 || status === "network");
    const outcome = ok ? (tries > 1 ? "retried" : "ok") : cut ? "unknown" : "error";
    samples.push({ action, safe, ms: performance.now() - t0, tries, status, cause, outcome, startedAt, endedAt: Date.now() });
  }

  const kills: Array<{ server: string; at: number; exitedAt: number; smtpHeld: boolean }> = [];
  const killedAtReceived: KillMark[] = [];
  const killedAtHooks: KillMark[] = [];
  const restarts: Array<{ server: string; drainedMs: number; downMs: number }> = [];
  const runStarted = Date.now();
  const deadline = runStarted + SECONDS * 1000;
  const at = (share: number) => sleep(Math.max(0, runStarted + share * SECONDS * 1000 - Date.now()));

  async function disrupt() {
    // kill -9, preferably while the SMTP server holds its reply to a message (some server's
    // dispatcher is then between the acceptance and the outbox update), as crash-test does.
    await at(0.2);
    const before = smtp.received.length;
    const until = Date.now() + 5000;
    while (smtp.received.length === before && Date.now() < until) await sleep(5);
    const mark = { smtp: smtp.received.length, hooks: hooks.received.length };
    const kill = { server: "s1", at: Date.now(), exitedAt: Infinity, smtpHeld: smtp.received.length > before };
    kills.push(kill);
    await killHard(servers.get("s1")!);
    kill.exitedAt = Date.now();
    killedAtReceived.push({ before: mark.smtp, after: smtp.received.length });
    killedAtHooks.push({ before: mark.hooks, after: hooks.received.length });
    console.log(`${Math.round((Date.now() - runStarted) / 1000)} s: killed s1 (kill -9)`);
    // A supervisor brings it back a little later; HAProxy's checks put it back in rotation.
    await sleep(3000);
    await start("s1");
    console.log(`${Math.round((Date.now() - runStarted) / 1000)} s: s1 started again`);

    // A rolling restart of s2: drained at the balancer, SIGTERM (in-flight requests finish), started, back.
    await at(0.55);
    const t0 = Date.now();
    await balancer.command("set server app/s2 state drain");
    for (let i = 0; i < 50; i++) {
      if ((await serverStats(balancer.command)).find((s) => s.server === "s2")?.current === 0) break;
      await sleep(100);
    }
    const drainedMs = Date.now() - t0;
    await stopGracefully(servers.get("s2")!);
    await start("s2");
    await balancer.command("set server app/s2 state ready");
    restarts.push({ server: "s2", drainedMs, downMs: Date.now() - t0 });
    console.log(`${Math.round((Date.now() - runStarted) / 1000)} s: s2 restarted (drain, SIGTERM, start)`);
  }

  let running = true;
  const editors = Array.from({ length: EDITORS }, async () => {
    while (running) await editor.oneEdit(balancerOrigin);
  });
  const progress = setInterval(
    () => console.log(`${Math.round((Date.now() - runStarted) / 1000)} s: ${samples.length + editor.attempts.length} requests`),
    15_000,
  );
  await Promise.all([runSoakUsers(db, users, deadline, send), disrupt()]);
  running = false;
  await Promise.all(editors);
  clearInterval(progress);
  const stats = await serverStats(balancer.command);

  // ---------------------------------------------------------------- drain, then check
  const drainStarted = Date.now();
  const emailsDue = await waitForDueEmails(db, DRAIN_SECONDS);
  const hooksDue = await waitForWebhooks(db, Math.max(10, DRAIN_SECONDS - (Date.now() - drainStarted) / 1000));
  const drainSeconds = (Date.now() - drainStarted) / 1000;
  if (emailsDue > 0) console.log(`${emailsDue} email(s) still due after ${DRAIN_SECONDS} s`);

  // A request whose outcome nobody can know must have been in flight while a server was being
  // killed: from the signal until the process was gone (after that its port refuses connections,
  // which HAProxy retries elsewhere).
  const acrossKill = (a: { startedAt: number; endedAt?: number }) => kills.some((k) => a.startedAt <= k.exitedAt && k.at <= (a.endedAt ?? Infinity));
  for (const s of samples.filter((s) => s.outcome === "error")) problems.push(`${s.action}: ${s.cause ?? s.status} after ${s.tries} tries`);
  for (const s of samples.filter((s) => s.outcome === "unknown" && !acrossKill(s)))
    problems.push(`${s.action}: ${s.cause ?? s.status} with no kill while in flight`);
  const attempts = editor.attempts;
  for (const a of attempts.filter((a) => a.outcome === "unknown" && !acrossKill(a)))
    problems.push(`edit ${a.marker}: cut (${a.status ?? a.error}) with no kill while in flight`);

  const edits = await checkEdits(db, attempts);
  const emails = await checkEmails(db, smtp.received, killedAtReceived);
  const webhooks = await checkWebhooks(db, hooks.received, killedAtHooks);
  const jobs = await checkJobsRanOncePerPeriod(db, Date.now() - fleetStartedAt);
  problems.push(...edits.problems, ...emails.problems, ...webhooks.problems, ...jobs.problems);

  // ---------------------------------------------------------------- report
  const count = <T>(xs: T[], f: (x: T) => boolean) => xs.filter(f).length;
  const editCount = (o: EditOutcome) => count(attempts, (a) => a.outcome === o);
  const reads = samples.filter((s) => s.safe);
  const writes = samples.filter((s) => !s.safe);
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const seconds = (performance.now() - started) / 1000;
  console.log(`
Fleet test: 3 servers behind HAProxy (round robin, /healthz checks, retries + redispatch), PgBouncer in ${POOL_MODE} mode, PostgreSQL; ${SECONDS} s run, ${seconds.toFixed(0)} s in all
  users        ${users.buyers.length} buyers and ${users.sellers} reps/managers (the soak's), ${EDITORS} editors (the crash test's)
  disruptions  kill -9 of s1 ${kills.map((k) => `at ${Math.round((k.at - runStarted) / 1000)} s${k.smtpHeld ? " while the SMTP server held a message" : ""}`).join(", ")}, back 3 s later; rolling restart of s2 (drained in ${restarts[0]?.drainedMs ?? "?"} ms, out of rotation ${restarts[0]?.downMs ?? "?"} ms)
  balancer     ${stats.map((s) => `${s.server} ${s.sessions} requests, ${s.http5xx} 5xx, down ${s.wentDown}×`).join("; ")}; ${stats.reduce((n, s) => n + s.retries, 0)} connection retries, ${stats.reduce((n, s) => n + s.redispatches, 0)} redispatched
  soak users   ${samples.length} requests (${(samples.length / SECONDS).toFixed(1)}/s): reads ${reads.length} (${count(reads, (s) => s.outcome === "retried")} retried and then answered, ${count(reads, (s) => s.outcome === "error")} failed), writes ${writes.length} (${count(writes, (s) => s.outcome === "retried")} retried after a 503, ${count(writes, (s) => s.outcome === "unknown")} cut by the kill, ${count(writes, (s) => s.outcome === "error")} failed); ${count(samples, (s) => s.status === 409)} 409s between concurrent editors
  latency      p50 ${percentile(ms, 50).toFixed(0)} ms, p95 ${percentile(ms, 95).toFixed(0)} ms, p99 ${percentile(ms, 99).toFixed(0)} ms, max ${ms.at(-1)?.toFixed(0)} ms (retries included)
  edits        ${attempts.length}: acknowledged ${editCount("acknowledged")}, refused (4xx) ${editCount("refused")}, server errors ${editCount("server error")}, cut by the kill ${edits.unknown} (${edits.unknownCommitted} of them committed), not sent (503) ${editCount("not sent")}
  present      ${edits.acknowledged - edits.acknowledgedMissing}/${edits.acknowledged} acknowledged edits with their log entry; ${edits.halfWritten} half-written
  audit        ${edits.chains.plans} plans, ${edits.chains.events} events, ${edits.chains.broken} broken chains
  emails       ${emails.due} due (${emails.later} for later): ${emails.sent} sent, ${emails.notSent} not sent; SMTP accepted ${emails.accepted} (${emails.acceptedUnmarked} for a row that ended skipped); duplicates ${emails.duplicates} (${emails.duplicates - emails.unexplained} across the kill, ${emails.unexplained} outside); lost ${emails.lost}
  webhooks     ${webhooks.deliveries} deliveries: ${webhooks.delivered} delivered, ${hooksDue} still pending; receiver got ${webhooks.received}; duplicates ${webhooks.duplicates} (${webhooks.duplicates - webhooks.unexplained} across the kill, ${webhooks.unexplained} outside); missing ${webhooks.missing}
  drain        ${drainSeconds.toFixed(0)} s after the run (a killed dispatcher's claims wait for their lease)
  jobs         ${jobs.figure}
  result       ${problems.length ? `${problems.length} PROBLEM(S)` : "every check held"}`);
  const failed = new Map<string, number>();
  for (const s of samples.filter((s) => s.outcome === "error")) failed.set(`${s.action} → ${s.status}`, (failed.get(`${s.action} → ${s.status}`) ?? 0) + 1);
  if (failed.size) console.log(`  failed requests by action and last status: ${[...failed].map(([k, n]) => `${k} ×${n}`).join("; ")}`);
  for (const p of problems.slice(0, 30)) console.log(`  - ${p}`);
  if (problems.length) console.log(`--- HAProxy\n${balancer.output.slice(-30).join("\n")}`);
  process.exitCode = problems.length ? 1 : 0;
} catch (error) {
  // Stack frames crowd out the messages that say what went wrong.
  for (const [name, server] of servers)
    console.error(
      `--- ${name}\n${server.output
        .filter((line) => !/^\s+at /.test(line))
        .slice(-15)
        .join("\n")}`,
    );
  throw error;
} finally {
  for (const step of cleanup) await step().catch((error) => console.error(error));
}

/** A webhook receiver on loopback that answers 204 and notes each delivery's id, in arrival order. */
async function startWebhookReceiver() {
  const received: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received.push(String(req.headers["plan-together-delivery"] ?? ""));
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Waits (up to `seconds`) until no webhook delivery is pending; returns how many still are. */
async function waitForWebhooks(db: Kysely<DB>, seconds: number): Promise<number> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const { n } = await db
      .selectFrom("webhook_deliveries")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("status", "=", "pending")
      .executeTakeFirstOrThrow();
    if (Number(n) === 0 || Date.now() > until) return Number(n);
    await sleep(1000);
  }
}

/** Every delivery delivered and received, each once (a second copy only across a kill), nothing received that was never queued. */
async function checkWebhooks(db: Kysely<DB>, received: string[], killedAt: KillMark[]) {
  const problems: string[] = [];
  const rows = await db.selectFrom("webhook_deliveries").select(["id", "status"]).execute();
  const arrivals = new Map<string, number[]>();
  received.forEach((id, index) => arrivals.set(id, [...(arrivals.get(id) ?? []), index]));
  const { duplicates, unexplained } = duplicatesAcrossKills(arrivals, killedAt);
  for (const id of unexplained) problems.push(`webhook delivery ${id}: received again without a kill in between`);
  const known = new Set(rows.map((r) => r.id));
  const missing = rows.filter((r) => !arrivals.has(r.id));
  const notDelivered = rows.filter((r) => r.status !== "delivered");
  if (missing.length) problems.push(`${missing.length} webhook deliveries never reached the receiver`);
  if (notDelivered.length)
    problems.push(`${notDelivered.length} webhook deliveries not marked delivered (${[...new Set(notDelivered.map((r) => r.status))].join(", ")})`);
  for (const id of arrivals.keys()) if (!known.has(id)) problems.push(`webhook delivery ${id}: received, never queued`);
  if (rows.length === 0) problems.push("no webhook was queued: the workload did not reach the webhooks");
  return {
    problems,
    deliveries: rows.length,
    delivered: rows.length - notDelivered.length,
    received: received.length,
    duplicates,
    unexplained: unexplained.length,
    missing: missing.length,
  };
}

/*
 * Each periodic job on one server at a time (issue 21 item 3, ADR 032): the lease rows count every
 * run of each job, on whichever server. A job gated by its period ran at most once per period over
 * the whole fleet, across the kill and the restart: with three servers each running it, the count
 * would be about three times that. The email dispatcher runs on every tick of its leader and on
 * demand, so it has no such bound; it and every other job must have run, and be held by a server
 * of the fleet at the end.
 */
async function checkJobsRanOncePerPeriod(db: Kysely<DB>, windowMs: number): Promise<{ problems: string[]; figure: string }> {
  const problems: string[] = [];
  const leases = await db.selectFrom("job_leases").select(["job", "holder", "runs"]).execute();
  const figures: string[] = [];
  for (const job of FLEET_JOBS) {
    const lease = leases.find((l) => l.job === job);
    if (!lease || Number(lease.runs) === 0) {
      problems.push(`${job}: never ran`);
      continue;
    }
    const runs = Number(lease.runs);
    const period = JOB_PERIODS_MS[job];
    // One run at the start, then one per full period; one more for a period that ends as the window does.
    const most = period ? Math.floor(windowMs / period) + 2 : null;
    if (most !== null && runs > most)
      problems.push(`${job}: ran ${runs} times in ${(windowMs / 1000).toFixed(0)} s, at most ${most} once per ${period / 1000} s`);
    figures.push(`${job} ${runs}${most !== null ? ` (≤ ${most})` : ""}, led by ${lease.holder}`);
  }
  return { problems, figure: `runs over ${(windowMs / 1000).toFixed(0)} s, all servers together: ${figures.join("; ")}` };
}
