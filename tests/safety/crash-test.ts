/*
 * `npm run crash-test` (item 6 of the safety suite): the built server on a scratch PostgreSQL
 * database, edited by several clients at once and killed with SIGKILL at random moments
 * (CRASH_KILLS, default 20), restarted each time. Then it checks that every edit the server
 * acknowledged is there with its log entry and stored schedule, that nothing is half-written (a
 * change without its log entry or the other way round, counters that disagree with the rows, a
 * broken hash chain), and that every queued email reaches the SMTP server, counting duplicates and
 * whether each falls in the crash window between the SMTP server's acceptance and the outbox update.
 *
 * CRASH_KILLS=20 CRASH_WORKERS=4 CRASH_SMTP_DELAY_MS=250 npm run crash-test
 */
import { sql } from "kysely";
import { openDatabase } from "~/infra/db.server";
import { verifyEventChains } from "~/models/plan-event.server";
import { startSmtpPeer } from "../support/smtp";
import { form, killHard, requireBuild, scratchDatabase, signIn, startServer, stopGracefully, type ServerProcess } from "../support/server-process";

const KILLS = Number(process.env.CRASH_KILLS ?? 20);
const WORKERS = Number(process.env.CRASH_WORKERS ?? 4);
const PORT = Number(process.env.CRASH_PORT ?? 3460);
const SMTP_DELAY_MS = Number(process.env.CRASH_SMTP_DELAY_MS ?? 250);
const DRAIN_SECONDS = Number(process.env.CRASH_DRAIN_SECONDS ?? 200);

type Kind = "comment" | "title" | "toggle" | "link";
interface Attempt {
  kind: Kind;
  marker: string;
  planId: string;
  outcome: "acknowledged" | "refused" | "unknown" | "not sent";
  status?: number;
}

requireBuild();
const started = performance.now();
const scratch = await scratchDatabase("pt_crash");
const smtp = await startSmtpPeer();
smtp.delayMs = SMTP_DELAY_MS;
const database = await openDatabase({ databaseUrl: scratch.url });
const db = database.db;
const env = { SMTP_URL: smtp.url, EMAIL_DISPATCHER: "on" };
let server: ServerProcess = await startServer({ port: PORT, databaseUrl: scratch.url, env });

try {
  const plans = await db
    .selectFrom("plans as p")
    .innerJoin("users as u", (j) => j.onRef("u.id", "=", "p.owner_id"))
    .select(["p.id", "u.email"])
    .where("p.status", "=", "active")
    .execute();
  const cookies = new Map<string, string>();
  for (const email of new Set(plans.map((p) => p.email))) cookies.set(email, await signIn(server.origin, email));

  const attempts: Attempt[] = [];
  const killedAtReceived: number[] = [];
  let counter = 0;
  let running = true;
  let up = true;

  async function oneEdit() {
    const plan = plans[Math.floor(Math.random() * plans.length)];
    const cookie = cookies.get(plan.email)!;
    const kind: Kind = (["comment", "comment", "title", "toggle", "link"] as const)[Math.floor(Math.random() * 5)];
    const marker = `crash-${process.pid}-${++counter}`;
    let values: Record<string, string>;
    let path = `/plans/${plan.id}`;
    if (kind === "comment") values = { intent: "comment", milestoneId: "", body: marker };
    else if (kind === "title") {
      const p = await db.selectFrom("plans").selectAll().where("id", "=", plan.id).executeTakeFirstOrThrow();
      path = `/plans/${plan.id}/edit`;
      values = {
        buyerCompany: p.buyer_company,
        title: marker,
        value: String(p.value),
        currency: p.currency,
        crmCloseDate: p.crm_close_date ?? "",
        status: p.status,
        version: String(p.version),
      };
    } else if (kind === "toggle") {
      const m = await db
        .selectFrom("milestones")
        .select(["id", "version", "completed_on"])
        .where("plan_id", "=", plan.id)
        .orderBy(sql`random()`)
        .executeTakeFirstOrThrow();
      values = { intent: m.completed_on ? "reopen" : "complete", milestoneId: m.id, version: String(m.version) };
    } else {
      const s = await db.selectFrom("stakeholders").select("id").where("plan_id", "=", plan.id).where("side", "=", "buyer").executeTakeFirst();
      if (!s) return;
      values = { intent: "create-link", stakeholderId: s.id, days: "30" };
    }
    const attempt: Attempt = { kind, marker, planId: plan.id, outcome: "unknown" };
    attempts.push(attempt);
    try {
      const response = await fetch(`${server.origin}${path}`, form(server.origin, cookie, values));
      await response.arrayBuffer();
      attempt.status = response.status;
      attempt.outcome = response.status === 302 || (kind === "link" && response.status === 200) ? "acknowledged" : "refused";
    } catch (error) {
      // Refused before anything was sent (the server was down) is not an unknown outcome.
      const code = (error as { cause?: { code?: string } }).cause?.code;
      attempt.outcome = code === "ECONNREFUSED" ? "not sent" : "unknown";
    }
  }

  const workers = Array.from({ length: WORKERS }, async () => {
    while (running) {
      if (!up) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      await oneEdit();
    }
  });

  let inWindow = 0;
  for (let kill = 1; kill <= KILLS; kill++) {
    await new Promise((r) => setTimeout(r, 300 + Math.random() * 2500));
    // Every other kill waits (up to 6 s) for the SMTP server to take a message and kills while it
    // holds its reply (CRASH_SMTP_DELAY_MS): the crash window between acceptance and the outbox update.
    if (kill % 2 === 0) {
      const before = smtp.received.length;
      const until = Date.now() + 6000;
      while (smtp.received.length === before && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      if (smtp.received.length > before) inWindow++;
    }
    killedAtReceived.push(smtp.received.length);
    up = false;
    await killHard(server);
    process.stdout.write(`kill ${kill}/${KILLS} (${attempts.length} edits so far) … `);
    server = await startServer({ port: PORT, databaseUrl: scratch.url, env });
    up = true;
    process.stdout.write("restarted\n");
  }
  await new Promise((r) => setTimeout(r, 1500));
  running = false;
  await Promise.all(workers);

  // Every queued email eventually goes out: claimed rows orphaned by a kill wait for their lease.
  const drainStarted = Date.now();
  let pending = Infinity;
  while (Date.now() - drainStarted < DRAIN_SECONDS * 1000) {
    // Due now: reminders queued for days later are not expected yet.
    pending = Number(
      (
        await db
          .selectFrom("email_outbox")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("status", "=", "pending")
          .where("next_attempt_at", "<=", new Date())
          .executeTakeFirstOrThrow()
      ).n,
    );
    if (pending === 0) break;
    const waited = Math.round((Date.now() - drainStarted) / 1000);
    if (waited % 10 === 0) console.log(`waiting for ${pending} due email(s) (a killed dispatcher's claims wait for their lease to end)… ${waited} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }

  // ------------------------------------------------------------------ checks
  const problems: string[] = [];
  const chains = await verifyEventChains(db);
  for (const p of chains.problems) problems.push(`log: ${p.message}`);

  const comments = await db.selectFrom("comments").select(["id", "body", "plan_id"]).where("body", "like", "crash-%").execute();
  const commentEvents = await db.selectFrom("plan_events").select(["changes", "plan_id"]).where("action", "=", "comment.added").execute();
  const loggedBodies = new Map<string, number>();
  for (const e of commentEvents) {
    const body = (e.changes as { body?: { after?: string } }).body?.after;
    if (body?.startsWith("crash-")) loggedBodies.set(body, (loggedBodies.get(body) ?? 0) + 1);
  }
  const storedBodies = new Map<string, number>();
  for (const c of comments) storedBodies.set(c.body, (storedBodies.get(c.body) ?? 0) + 1);
  const titleEvents = await db.selectFrom("plan_events").select(["changes"]).where("action", "in", ["plan.updated", "plan.status_changed"]).execute();
  const loggedTitles = new Map<string, number>();
  for (const e of titleEvents) {
    const title = (e.changes as { title?: { after?: string } }).title?.after;
    if (title?.startsWith("crash-")) loggedTitles.set(title, (loggedTitles.get(title) ?? 0) + 1);
  }

  const acknowledged = attempts.filter((a) => a.outcome === "acknowledged");
  for (const a of acknowledged) {
    if (a.kind === "comment" && (storedBodies.get(a.marker) !== 1 || loggedBodies.get(a.marker) !== 1))
      problems.push(`acknowledged comment ${a.marker}: stored ${storedBodies.get(a.marker) ?? 0}, logged ${loggedBodies.get(a.marker) ?? 0}`);
    if (a.kind === "title" && loggedTitles.get(a.marker) !== 1) problems.push(`acknowledged title ${a.marker}: logged ${loggedTitles.get(a.marker) ?? 0}`);
  }
  // Nothing half-written: a comment and its log entry exist together or not at all, whatever the request's fate.
  for (const [body, n] of storedBodies) if (loggedBodies.get(body) !== n) problems.push(`comment ${body}: ${n} stored, ${loggedBodies.get(body) ?? 0} logged`);
  for (const [body, n] of loggedBodies) if (!storedBodies.has(body)) problems.push(`comment ${body}: logged ${n}×, not stored`);
  const unknown = attempts.filter((a) => a.outcome === "unknown");
  const unknownCommitted = unknown.filter(
    (a) => (a.kind === "comment" && storedBodies.has(a.marker)) || (a.kind === "title" && loggedTitles.has(a.marker)),
  ).length;

  // Stored schedule and counters agree with the rows, and the plan's title with its last logged change.
  const { rows: mismatched } = await sql<{ id: string; reason: string }>`
    select p.id, 'milestone counters' as reason from plans p
      where p.milestones_total <> (select count(*) from milestones m where m.org_id = p.org_id and m.plan_id = p.id)
         or p.milestones_done <> (select count(*) from milestones m where m.org_id = p.org_id and m.plan_id = p.id and m.completed_on is not null)
    union all
    select m.plan_id, 'milestone without a stored schedule' from milestones m where m.due_date is null or m.start_date is null
`.execute(db);
  for (const m of mismatched) problems.push(`plan ${m.id}: ${m.reason}`);
  for (const p of await db.selectFrom("plans").select(["id", "title"]).where("title", "like", "crash-%").execute()) {
    const last = await db
      .selectFrom("plan_events")
      .select("changes")
      .where("plan_id", "=", p.id)
      .where("action", "in", ["plan.updated", "plan.status_changed"])
      .orderBy("seq", "desc")
      .executeTakeFirst();
    const after = (last?.changes as { title?: { after?: string } } | undefined)?.title?.after;
    if (after !== undefined && after !== p.title) problems.push(`plan ${p.id}: title ${p.title}, last logged title ${after}`);
  }

  // Emails: every queued one sent, duplicates counted and explained by a kill inside the window.
  const outbox = await db.selectFrom("email_outbox").select(["message_id", "status", "kind"]).where("next_attempt_at", "<=", new Date()).execute();
  const later = Number(
    (
      await db
        .selectFrom("email_outbox")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("next_attempt_at", ">", new Date())
        .executeTakeFirstOrThrow()
    ).n,
  );
  const byMessage = new Map<string, number[]>();
  smtp.received.forEach((m, index) => byMessage.set(m.messageId.replace(/[<>]/g, ""), [...(byMessage.get(m.messageId.replace(/[<>]/g, "")) ?? []), index]));
  let duplicates = 0;
  let unexplained = 0;
  for (const [id, indexes] of byMessage) {
    if (indexes.length < 2) continue;
    duplicates += indexes.length - 1;
    for (let i = 1; i < indexes.length; i++) {
      const [first, again] = [indexes[i - 1], indexes[i]];
      // A kill after the SMTP server accepted the first copy and before it accepted the next one.
      if (!killedAtReceived.some((k) => k > first && k <= again)) {
        unexplained++;
        problems.push(`email ${id}: sent again without a crash in between`);
      }
    }
  }
  const notSent = outbox.filter((e) => e.status === "pending" || e.status === "failed");
  const lost = outbox.filter((e) => e.status === "sent" && !byMessage.has(e.message_id.replace(/[<>]/g, "")));
  if (notSent.length) problems.push(`${notSent.length} email(s) never sent (${[...new Set(notSent.map((e) => e.status))].join(", ")})`);
  if (lost.length) problems.push(`${lost.length} email(s) marked sent that the SMTP server never accepted`);

  const count = (o: Attempt["outcome"]) => attempts.filter((a) => a.outcome === o).length;
  const seconds = (performance.now() - started) / 1000;
  console.log(`
Crash test on PostgreSQL: ${KILLS} kill -9s (${KILLS - inWindow} at random moments, ${inWindow} while the SMTP server held its reply to a message), ${WORKERS} concurrent editors, ${seconds.toFixed(0)} s
  edits attempted          ${attempts.length}: acknowledged ${count("acknowledged")}, refused (4xx) ${count("refused")}, outcome unknown (connection cut) ${unknown.length} (${unknownCommitted} of them committed), not sent (server down) ${count("not sent")}
  acknowledged and present ${acknowledged.length - problems.filter((p) => p.startsWith("acknowledged")).length}/${acknowledged.length} (comments, titles, toggles and links; comments and titles checked by content)
  log                      ${chains.plans} plans, ${chains.events} events, ${chains.problems.length} broken chains
  half-written             ${problems.filter((p) => p.startsWith("comment") || p.startsWith("plan ")).length} (comment without log entry or log entry without comment, counters or stored schedule out of step, title vs last logged change)
  emails                   ${outbox.length} due (and ${later} scheduled for later, e.g. reminders): ${outbox.filter((e) => e.status === "sent").length} sent, ${notSent.length} not sent; SMTP accepted ${smtp.received.length}; duplicates ${duplicates} (${duplicates - unexplained} inside the crash window, ${unexplained} outside); lost ${lost.length}
  result                   ${problems.length ? `${problems.length} PROBLEM(S)` : "every check held"}`);
  for (const p of problems.slice(0, 30)) console.log(`  - ${p}`);
  process.exitCode = problems.length ? 1 : 0;
} finally {
  await stopGracefully(server);
  await database.close();
  await smtp.close();
  await scratch.drop();
}
