/*
 * The crash test's workload and its checks, shared with the fleet test: concurrent editors posting
 * comments, versioned title edits, milestone toggles and new buyer links (which queue invites), each
 * attempt recorded with what the client could know of its fate; then, on the database, whether every
 * acknowledged edit is there with its log entry, whether anything is half-written, and whether every
 * due email reached the SMTP server once (a second copy only across a kill).
 */
import { sql, type Kysely } from "kysely";
import type { DB } from "../../db/types";
import { verifyEventChains } from "~/models/plan-event.server";
import type { ReceivedEmail } from "../support/smtp";
import { form, signIn } from "../support/server-process";

export type EditKind = "comment" | "title" | "toggle" | "link";

/**
 * acknowledged: 302 (a link: 200). refused: a 4xx, nothing written. server error: a 500 or another
 * answer no client should get. unknown: the connection was cut, or a balancer answered 502/504
 * after passing the request on (the server died holding it). not sent: refused before any server
 * took it (connection refused, or a 503: the balancer had no server, or the server's queue was full).
 */
export type EditOutcome = "acknowledged" | "refused" | "server error" | "unknown" | "not sent";

export interface EditAttempt {
  kind: EditKind;
  marker: string;
  planId: string;
  outcome: EditOutcome;
  status?: number;
  /** Why the request failed without an answer (the error's code). */
  error?: string;
  startedAt: number;
  endedAt?: number;
}

export interface Editor {
  attempts: EditAttempt[];
  /** One edit by a random rep on one of their plans, through `origin`. */
  oneEdit(origin: string): Promise<void>;
}

/**
 * Signs in the owner of every active plan at `origin` and returns an editor over those plans.
 * `ownInvitees`: first add a buyer person to each plan (through the plan page) and make the new
 * links for them only, so the links other clients browse on (the soak's buyers) are never replaced.
 */
export async function createEditor(db: Kysely<DB>, origin: string, options: { ownInvitees?: boolean } = {}): Promise<Editor> {
  const plans = await db
    .selectFrom("plans as p")
    .innerJoin("users as u", (j) => j.onRef("u.id", "=", "p.owner_id"))
    .select(["p.id", "u.email"])
    .where("p.status", "=", "active")
    .execute();
  const cookies = new Map<string, string>();
  for (const email of new Set(plans.map((p) => p.email))) cookies.set(email, await signIn(origin, email));
  const invitees = new Map<string, string>();
  if (options.ownInvitees)
    for (const [i, plan] of plans.entries()) {
      const email = `invitee-${i}@invitees.example`;
      const response = await fetch(
        `${origin}/plans/${plan.id}`,
        form(origin, cookies.get(plan.email)!, { intent: "add-stakeholder", side: "buyer", name: `Invitee ${i}`, email, title: "" }),
      );
      if (response.status !== 302) throw new Error(`could not add an invitee to plan ${plan.id} (${response.status})`);
      const person = await db.selectFrom("stakeholders").select("id").where("plan_id", "=", plan.id).where("email", "=", email).executeTakeFirstOrThrow();
      invitees.set(plan.id, person.id);
    }
  const attempts: EditAttempt[] = [];
  let counter = 0;

  async function oneEdit(origin: string) {
    const plan = plans[Math.floor(Math.random() * plans.length)];
    const cookie = cookies.get(plan.email)!;
    const kind: EditKind = (["comment", "comment", "title", "toggle", "link"] as const)[Math.floor(Math.random() * 5)];
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
      const s = options.ownInvitees
        ? { id: invitees.get(plan.id)! }
        : await db.selectFrom("stakeholders").select("id").where("plan_id", "=", plan.id).where("side", "=", "buyer").executeTakeFirst();
      if (!s) return;
      values = { intent: "create-link", stakeholderId: s.id, days: "30" };
    }
    const attempt: EditAttempt = { kind, marker, planId: plan.id, outcome: "unknown", startedAt: Date.now() };
    attempts.push(attempt);
    try {
      const response = await fetch(`${origin}${path}`, form(origin, cookie, values));
      await response.arrayBuffer();
      attempt.status = response.status;
      attempt.outcome = outcomeOf(kind, response.status);
    } catch (error) {
      // Refused before anything was sent (the server was down) is not an unknown outcome.
      const code = (error as { cause?: { code?: string } }).cause?.code;
      attempt.outcome = code === "ECONNREFUSED" ? "not sent" : "unknown";
      attempt.error = code ?? (error instanceof Error ? error.message : String(error));
    }
    attempt.endedAt = Date.now();
  }

  return { attempts, oneEdit };
}

function outcomeOf(kind: EditKind, status: number): EditOutcome {
  if (status === 302 || (kind === "link" && status === 200)) return "acknowledged";
  if (status === 503) return "not sent";
  if (status === 502 || status === 504) return "unknown";
  return status >= 500 ? "server error" : "refused";
}

/**
 * Waits (up to `seconds`) until no email is due and unsent: claims a killed dispatcher held wait
 * for their lease to end. Returns how many are still due.
 */
export async function waitForDueEmails(db: Kysely<DB>, seconds: number): Promise<number> {
  const started = Date.now();
  let pending = Infinity;
  while (Date.now() - started < seconds * 1000) {
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
    const waited = Math.round((Date.now() - started) / 1000);
    if (waited % 10 === 0) console.log(`waiting for ${pending} due email(s) (a killed dispatcher's claims wait for their lease to end)… ${waited} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  return pending;
}

export interface EditReport {
  problems: string[];
  acknowledged: number;
  acknowledgedMissing: number;
  unknown: number;
  unknownCommitted: number;
  halfWritten: number;
  chains: { plans: number; events: number; broken: number };
}

/**
 * Every acknowledged edit present with its log entry, nothing half-written (a comment without its log
 * entry or the other way round, counters or stored schedules out of step with the rows, a title that
 * is not the last logged one), and every plan's hash chain intact (what `npm run audit:verify` runs).
 */
export async function checkEdits(db: Kysely<DB>, attempts: EditAttempt[]): Promise<EditReport> {
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
  let acknowledgedMissing = 0;
  for (const a of acknowledged) {
    if (a.kind === "comment" && (storedBodies.get(a.marker) !== 1 || loggedBodies.get(a.marker) !== 1)) {
      acknowledgedMissing++;
      problems.push(`acknowledged comment ${a.marker}: stored ${storedBodies.get(a.marker) ?? 0}, logged ${loggedBodies.get(a.marker) ?? 0}`);
    }
    if (a.kind === "title" && loggedTitles.get(a.marker) !== 1) {
      acknowledgedMissing++;
      problems.push(`acknowledged title ${a.marker}: logged ${loggedTitles.get(a.marker) ?? 0}`);
    }
  }
  let halfWritten = 0;
  const half = (message: string) => {
    halfWritten++;
    problems.push(message);
  };
  // Nothing half-written: a comment and its log entry exist together or not at all, whatever the request's fate.
  for (const [body, n] of storedBodies) if (loggedBodies.get(body) !== n) half(`comment ${body}: ${n} stored, ${loggedBodies.get(body) ?? 0} logged`);
  for (const [body, n] of loggedBodies) if (!storedBodies.has(body)) half(`comment ${body}: logged ${n}×, not stored`);
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
  for (const m of mismatched) half(`plan ${m.id}: ${m.reason}`);
  for (const p of await db.selectFrom("plans").select(["id", "title"]).where("title", "like", "crash-%").execute()) {
    const last = await db
      .selectFrom("plan_events")
      .select("changes")
      .where("plan_id", "=", p.id)
      .where("action", "in", ["plan.updated", "plan.status_changed"])
      .orderBy("seq", "desc")
      .executeTakeFirst();
    const after = (last?.changes as { title?: { after?: string } } | undefined)?.title?.after;
    if (after !== undefined && after !== p.title) half(`plan ${p.id}: title ${p.title}, last logged title ${after}`);
  }
  for (const a of attempts.filter((a) => a.outcome === "server error")) problems.push(`${a.kind} ${a.marker}: answered ${a.status}`);

  return {
    problems,
    acknowledged: acknowledged.length,
    acknowledgedMissing,
    unknown: unknown.length,
    unknownCommitted,
    halfWritten,
    chains: { plans: chains.plans, events: chains.events, broken: chains.problems.length },
  };
}

/**
 * What had arrived (messages, webhook deliveries) when a kill began and when the killed process was
 * gone: a copy the dying process sent may land in between.
 */
export interface KillMark {
  before: number;
  after: number;
}

/**
 * Copies of one message beyond the first, and those not explained by a kill: a copy is explained when
 * the previous one arrived before a kill ended and this one after it began. `arrivals` holds each
 * message's arrival indexes; a kill given as a number marks one moment.
 */
export function duplicatesAcrossKills(arrivals: Map<string, number[]>, kills: Array<number | KillMark>): { duplicates: number; unexplained: string[] } {
  const marks = kills.map((k) => (typeof k === "number" ? { before: k, after: k } : k));
  let duplicates = 0;
  const unexplained: string[] = [];
  for (const [id, indexes] of arrivals) {
    for (let i = 1; i < indexes.length; i++) {
      duplicates++;
      const [first, again] = [indexes[i - 1], indexes[i]];
      if (!marks.some((k) => first < k.after && again >= k.before)) unexplained.push(`${id} (arrived as #${first} and #${again})`);
    }
  }
  return { duplicates, unexplained };
}

export interface EmailReport {
  problems: string[];
  due: number;
  later: number;
  sent: number;
  notSent: number;
  accepted: number;
  /** Accepted by the SMTP server, but the row ended skipped (a kill in between). */
  acceptedUnmarked: number;
  duplicates: number;
  unexplained: number;
  lost: number;
}

/** Every due email sent, each accepted by the SMTP server once (again only across a kill), none marked sent that never arrived. */
export async function checkEmails(db: Kysely<DB>, received: ReceivedEmail[], killedAtReceived: Array<number | KillMark>): Promise<EmailReport> {
  const problems: string[] = [];
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
  received.forEach((m, index) => {
    const id = m.messageId.replace(/[<>]/g, "");
    byMessage.set(id, [...(byMessage.get(id) ?? []), index]);
  });
  const { duplicates, unexplained } = duplicatesAcrossKills(byMessage, killedAtReceived);
  for (const id of unexplained) problems.push(`email ${id}: sent again without a crash in between`);
  const notSent = outbox.filter((e) => e.status === "pending" || e.status === "failed");
  const lost = outbox.filter((e) => e.status === "sent" && !byMessage.has(e.message_id.replace(/[<>]/g, "")));
  // Accepted by the SMTP server for a row that ended otherwise: a kill between the acceptance and
  // the outbox update, after which the re-claimed row was no longer wanted (skipped).
  const statusOf = new Map(outbox.map((e) => [e.message_id.replace(/[<>]/g, ""), e.status]));
  const acceptedUnmarked = [...byMessage.keys()].filter((id) => statusOf.has(id) && statusOf.get(id) !== "sent").length;
  if (notSent.length) problems.push(`${notSent.length} email(s) never sent (${[...new Set(notSent.map((e) => e.status))].join(", ")})`);
  if (lost.length) problems.push(`${lost.length} email(s) marked sent that the SMTP server never accepted`);
  return {
    problems,
    due: outbox.length,
    later,
    sent: outbox.filter((e) => e.status === "sent").length,
    notSent: notSent.length,
    accepted: received.length,
    acceptedUnmarked,
    duplicates,
    unexplained: unexplained.length,
    lost: lost.length,
  };
}
