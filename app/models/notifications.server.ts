import { createElement } from "react";
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/types";
import { BuyerActivityEmail, buyerActivitySubject } from "../../emails/buyer-activity";
import { GoLiveChangedEmail, goLiveChangedReason, goLiveChangedSubject, type MovedMilestone } from "../../emails/go-live-changed";
import { InviteEmail, inviteReason, inviteSubject } from "../../emails/invite";
import { emailTranslator } from "../../emails/translator";
import { MilestoneReminderEmail, milestoneReminderSubject } from "../../emails/milestone-reminder";
import { asLocale } from "~/domain/i18n/locales";
import { renderEmail } from "../../emails/render";
import { WeeklyDigestEmail, weeklyDigestSubject } from "../../emails/weekly-digest";
import { describeActivity } from "~/domain/activity";
import { makeCalendar, weekday } from "~/domain/calendar";
import { todayIn } from "~/domain/dates";
import {
  assembleDigest,
  buyerActivityDue,
  BUYER_ACTIVITY_BATCH_MINUTES,
  dedupeKeys,
  isBuyerNews,
  localTimeLabel,
  digestIsEmpty,
  digestWeekStart,
  dueSoonWindow,
  goLiveRecipients,
  INVITE_REMINDER_DAYS,
  localHourIn,
  messageIdDomain,
  milestoneOwnerRecipient,
  noticesForEvents,
  overdueWindow,
  wants,
  workingDaysUntil,
  type Audience,
  type LoggedEvent,
  type NotificationKind,
  type PlanPerson,
  type Recipient,
} from "~/domain/notifications";
import type { Actor } from "~/domain/plan-events";
import { isClosedStatus } from "~/domain/plan-outcome";
import { parseAccuracyWindow } from "~/domain/accuracy-window";
import { accuracyByHorizon, accuracyHeadline, horizonCounts } from "~/domain/forecast-accuracy";
import { wonDealsClosedIn } from "~/models/forecast-accuracy.server";
import type { ForecastScope } from "~/models/forecast.server";
import { signOpenLinkToken } from "~/models/buyer-access.server";
import { getEnv, publicBaseUrl } from "~/infra/env.server";
import { getPreferencesOf, preferenceKey, preferencesUrl } from "~/models/email-preferences.server";
import { calendarOf } from "~/models/organisation.server";
import { emailBrandOf } from "~/models/branding.server";
import { enqueueEmail, existingDedupeKeys } from "~/models/outbox.server";
import type { GoLivePreview } from "~/domain/go-live";
import { previewGoLive } from "~/models/plan-schedule.server";
import { teamMemberIds } from "~/models/user.server";
import type { Conn } from "~/models/conn";

/*
 * Turns what happened into emails in the outbox. Event emails are written inside the command's
 * transaction (see runPlanCommandIn), invites inside the link's; time-based emails by the
 * scheduler tick (enqueueScheduledEmails), idempotently through the outbox's dedupe keys. Who
 * gets what is decided in app/domain/notifications.ts; this module reads rows and renders.
 */

interface MailSettings {
  baseUrl: string;
  messageIdDomain: string;
}

function mailSettings(): MailSettings {
  const env = getEnv();
  return { baseUrl: publicBaseUrl(env), messageIdDomain: messageIdDomain(env.MAIL_FROM) };
}

/** A buyer's way back in is a signed pointer to their own link (a device without their cookie still gets in). */
function planUrl(settings: MailSettings, recipient: { audience: Audience; shareLinkId: string | null }, orgId: string, planId: string) {
  if (recipient.audience === "seller") return `${settings.baseUrl}/plans/${planId}`;
  return recipient.shareLinkId ? `${settings.baseUrl}/o/${signOpenLinkToken(orgId, recipient.shareLinkId)}` : `${settings.baseUrl}/p/${planId}`;
}

/** The plan, its organisation, its rep and its people (buyers with the live link they are reached through). */
async function loadPlanPeople(db: Conn, orgId: string, planId: string, now: Date) {
  const plan = await db
    .selectFrom("plans as p")
    .innerJoin("organisations as o", "o.id", "p.org_id")
    .innerJoin("users as u", (j) => j.onRef("u.org_id", "=", "p.org_id").onRef("u.id", "=", "p.owner_id"))
    .select([
      "p.id",
      "p.title",
      "p.buyer_company",
      "p.go_live",
      "p.status",
      "p.owner_id",
      "o.name as org_name",
      "o.time_zone",
      "o.working_weekdays",
      "o.holidays",
      "u.name as rep_name",
      "u.email as rep_email",
    ])
    .where("p.org_id", "=", orgId)
    .where("p.id", "=", planId)
    .executeTakeFirstOrThrow();
  const stakeholders = await db
    .selectFrom("stakeholders")
    .select(["id", "name", "email", "side", "user_id", "locale"])
    .where("org_id", "=", orgId)
    .where("plan_id", "=", planId)
    .execute();
  const links = await db
    .selectFrom("share_links")
    .select(["id", "stakeholder_id"])
    .where("org_id", "=", orgId)
    .where("plan_id", "=", planId)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .orderBy("created_at", "desc")
    .execute();
  const linkOf = (stakeholderId: string) => links.find((l) => l.stakeholder_id === stakeholderId)?.id ?? null;
  const rep: PlanPerson = { stakeholderId: null, userId: plan.owner_id, name: plan.rep_name, email: plan.rep_email, side: "seller" };
  const people: PlanPerson[] = stakeholders.map((s) => ({
    stakeholderId: s.id,
    userId: s.user_id,
    name: s.name,
    email: s.email,
    side: s.side,
    liveLinkId: s.side === "buyer" ? linkOf(s.id) : null,
    locale: s.locale,
  }));
  // On the emails of the plan (ADR 039): mail clients fetch the logo by its absolute address.
  const brand = { name: plan.org_name, ...(await emailBrandOf(db, orgId, publicBaseUrl())) };
  return { plan, rep, stakeholders: people, brand };
}

type PlanPeople = Awaited<ReturnType<typeof loadPlanPeople>>;

/** A buyer's email comes from the plan's rep (named in From, answered at Reply-To); the seller's own from the portal. */
function onBehalfOfRep(audience: Audience, people: PlanPeople) {
  return audience === "buyer" ? { name: people.rep.name, email: people.rep.email } : undefined;
}

async function wantedRecipients(db: Conn, orgId: string, kind: NotificationKind, recipients: Recipient[]) {
  const prefs = await getPreferencesOf(
    db,
    recipients.map((r) => ({ orgId, email: r.email })),
  );
  return recipients.filter((r) => wants(prefs.get(preferenceKey(orgId, r.email)), kind, r.audience));
}

function footerFor(settings: MailSettings, orgId: string, recipient: { email: string; audience: Audience }, reason: string) {
  return { reason, preferencesUrl: preferencesUrl(settings.baseUrl, { orgId, email: recipient.email, audience: recipient.audience }) };
}

// ---------------------------------------------------------------------------------------------
// Emails caused by a plan command (called from runPlanCommandIn, inside its transaction)
// ---------------------------------------------------------------------------------------------

export interface NotificationContext {
  orgId: string;
  planId: string;
  actor: Actor;
  today: string;
}

/**
 * Writes the emails a command's events call for into the outbox, in the command's transaction:
 * they exist if and only if the change commits. Runs before the schedule is stored, so the stored
 * due dates are still the old ones ("what moved").
 */
export async function queueNotifications(trx: Transaction<DB>, ctx: NotificationContext, events: readonly LoggedEvent[], now = new Date()) {
  const notices = noticesForEvents(events, ctx.actor);
  if (!notices.length) return;
  const settings = mailSettings();
  const people = await loadPlanPeople(trx, ctx.orgId, ctx.planId, now);
  // A closed deal's dates no longer concern anyone's inbox (ADR 026).
  if (isClosedStatus(people.plan.status)) return;
  for (const notice of notices) {
    const recipients = await wantedRecipients(trx, ctx.orgId, "go_live_changed", goLiveRecipients(notice.toSide, people));
    if (!recipients.length) continue;
    const { moved, more } = await movedMilestones(trx, ctx, notice.after);
    for (const r of recipients) {
      const props = {
        locale: r.locale,
        audience: r.audience,
        recipientName: r.name,
        byName: notice.byName,
        proposal: notice.proposal,
        before: notice.before,
        after: notice.after,
        reason: notice.reason,
        moved,
        movedMore: more,
        buyerCompany: people.plan.buyer_company,
        sellerName: people.plan.org_name,
        planTitle: people.plan.title,
        planUrl: planUrl(settings, r, ctx.orgId, ctx.planId),
        today: ctx.today,
        footer: footerFor(settings, ctx.orgId, r, goLiveChangedReason({ buyerCompany: people.plan.buyer_company, locale: r.locale })),
        brand: people.brand,
      };
      const rendered = await renderEmail(goLiveChangedSubject(props), createElement(GoLiveChangedEmail, props));
      await enqueueEmail(trx, {
        orgId: ctx.orgId,
        kind: "go_live_changed",
        planId: ctx.planId,
        to: r,
        audience: r.audience,
        ...rendered,
        preferencesUrl: props.footer.preferencesUrl,
        shareLinkId: r.shareLinkId,
        messageIdDomain: settings.messageIdDomain,
        onBehalfOf: onBehalfOfRep(r.audience, people),
      });
    }
  }
}

/** Open milestones whose due date moves when go-live becomes `newGoLive` (stored dates are the old schedule). */
async function movedMilestones(trx: Transaction<DB>, ctx: NotificationContext, newGoLive: string): Promise<{ moved: MovedMilestone[]; more: number }> {
  let moves: GoLivePreview["moves"];
  try {
    ({ moves } = await previewGoLive(trx, ctx.orgId, ctx.planId, newGoLive, ctx.today));
  } catch {
    // The command itself reports an unschedulable plan when it stores the schedule.
    return { moved: [], more: 0 };
  }
  const moved = moves
    .filter((m) => m.dueBefore)
    .map((m) => ({ title: m.title, from: m.dueBefore!, to: m.dueAfter }))
    .sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : a.title.localeCompare(b.title)));
  const shown = 6;
  return { moved: moved.slice(0, shown), more: Math.max(0, moved.length - shown) };
}

// ---------------------------------------------------------------------------------------------
// Invitations (called where a link's token exists: inside the link's transaction)
// ---------------------------------------------------------------------------------------------

export interface InviteInput {
  orgId: string;
  planId: string;
  linkId: string;
  /** The raw link token. It goes into the invite's body (and its reminder's) and nowhere else. */
  token: string;
  stakeholderId: string;
  inviterName: string;
  /** A buyer inviting a colleague: their kept language, for an invitee who has none yet. */
  inviterLocale?: string | null;
  expiresAt: Date;
  now: Date;
}

/**
 * The buyer's invitation with their link, and its one reminder, written now but due in three days:
 * the dispatcher sends it only if the link is still unopened and live by then (see sendDecision).
 * The reminder is written here because only here does the token exist; the outbox body is the one
 * place a raw link token is ever stored, and it is removed once the SMTP server has the email.
 */
export async function queueInvite(trx: Transaction<DB>, input: InviteInput) {
  const settings = mailSettings();
  const people = await loadPlanPeople(trx, input.orgId, input.planId, input.now);
  const person = people.stakeholders.find((s) => s.stakeholderId === input.stakeholderId);
  if (!person || person.side !== "buyer") return;
  const recipient: Recipient = {
    name: person.name,
    email: person.email,
    audience: "buyer",
    stakeholderId: person.stakeholderId,
    userId: null,
    shareLinkId: input.linkId,
  };
  const today = todayIn(people.plan.time_zone, input.now);
  const prefs = (await getPreferencesOf(trx, [{ orgId: input.orgId, email: recipient.email }])).get(preferenceKey(input.orgId, recipient.email));
  // In the language the buyer kept (ADR 046); someone just added has none yet: a colleague a buyer
  // added reads the inviting buyer's, anyone else English.
  const locale = person.locale ?? input.inviterLocale ?? null;
  const footer = footerFor(settings, input.orgId, recipient, inviteReason({ inviterName: input.inviterName, locale }));
  const base = {
    locale,
    recipientName: person.name,
    inviterName: input.inviterName,
    sellerName: people.plan.org_name,
    buyerCompany: people.plan.buyer_company,
    planTitle: people.plan.title,
    goLive: people.plan.go_live,
    linkUrl: `${settings.baseUrl}/s/${input.token}`,
    linkExpiresOn: todayIn(people.plan.time_zone, input.expiresAt),
    today,
    footer,
    brand: people.brand,
  };
  const emails = [
    { kind: "invite" as const, props: base, dedupeKey: dedupeKeys.invite(input.linkId), notBefore: undefined },
    {
      kind: "invite_reminder" as const,
      props: { ...base, reminder: true },
      dedupeKey: dedupeKeys.inviteReminder(input.linkId),
      notBefore: new Date(input.now.getTime() + INVITE_REMINDER_DAYS * 86_400_000),
    },
  ];
  for (const email of emails) {
    if (!wants(prefs, email.kind, "buyer")) continue;
    const rendered = await renderEmail(inviteSubject(email.props), createElement(InviteEmail, email.props));
    await enqueueEmail(trx, {
      orgId: input.orgId,
      kind: email.kind,
      planId: input.planId,
      to: recipient,
      audience: "buyer",
      ...rendered,
      preferencesUrl: footer.preferencesUrl,
      dedupeKey: email.dedupeKey,
      shareLinkId: input.linkId,
      notBefore: email.notBefore,
      messageIdDomain: settings.messageIdDomain,
      onBehalfOf: onBehalfOfRep("buyer", people),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Time-based emails: the scheduler tick
// ---------------------------------------------------------------------------------------------

export interface ScheduledReport {
  dueSoon: number;
  overdue: number;
  digests: number;
  /** Buyer-activity emails written (one per seller recipient of each plan whose batch went out). */
  buyerActivity: number;
}

/**
 * Writes the time-based emails that are due at `now`, for every organisation in its own time
 * zone and working calendar: milestones due in 2 working days, milestones missed, and on Monday
 * morning each manager's digest. Idempotent: each email has a dedupe key (`due:<milestone>:<date>`,
 * `digest:<manager>:<week>`), so any number of servers may run it any number of times.
 */
export async function enqueueScheduledEmails(db: Kysely<DB>, now = new Date()): Promise<ScheduledReport> {
  const report: ScheduledReport = { dueSoon: 0, overdue: 0, digests: 0, buyerActivity: 0 };
  const settings = mailSettings();
  const orgs = await db.selectFrom("organisations").select(["id", "time_zone", "working_weekdays", "holidays", "fiscal_year_start_month"]).execute();
  for (const org of orgs) {
    const today = todayIn(org.time_zone, now);
    const calendar = makeCalendar(calendarOf(org));
    report.dueSoon += await milestoneReminders(db, settings, org.id, today, "due_soon", calendar, now);
    report.overdue += await milestoneReminders(db, settings, org.id, today, "overdue", calendar, now);
    report.buyerActivity += await buyerActivityEmails(db, settings, { id: org.id, timeZone: org.time_zone }, today, now);
    const weekStart = digestWeekStart(today, localHourIn(org.time_zone, now), weekday(today));
    if (weekStart) report.digests += await managerDigests(db, settings, { id: org.id, fiscalStartMonth: org.fiscal_year_start_month }, today, weekStart, now);
  }
  return report;
}

async function milestoneReminders(
  db: Kysely<DB>,
  settings: MailSettings,
  orgId: string,
  today: string,
  kind: "due_soon" | "overdue",
  calendar: ReturnType<typeof makeCalendar>,
  now: Date,
): Promise<number> {
  let query = db
    .selectFrom("milestones as m")
    .innerJoin("plans as p", (j) => j.onRef("p.org_id", "=", "m.org_id").onRef("p.id", "=", "m.plan_id"))
    .select(["m.id", "m.plan_id", "m.title", "m.due_date", "m.owner_side", "m.owner_stakeholder_id"])
    .where("m.org_id", "=", orgId)
    .where("p.status", "=", "active")
    .where("m.completed_on", "is", null);
  if (kind === "due_soon") {
    const window = dueSoonWindow(today, calendar);
    query = query.where("m.due_date", ">", window.after).where("m.due_date", "<=", window.through);
  } else {
    const window = overdueWindow(today);
    query = query.where("m.due_date", ">=", window.from).where("m.due_date", "<", window.before);
  }
  const milestones = await query.orderBy("m.plan_id").orderBy("m.due_date").execute();
  const keyOf = (m: { id: string; due_date: string | null }) =>
    kind === "due_soon" ? dedupeKeys.dueSoon(m.id, m.due_date!) : dedupeKeys.overdue(m.id, m.due_date!);
  const taken = await existingDedupeKeys(db, orgId, milestones.map(keyOf));
  const plans = new Map<string, PlanPeople>();
  let written = 0;
  for (const m of milestones) {
    if (taken.has(keyOf(m))) continue;
    if (!plans.has(m.plan_id)) plans.set(m.plan_id, await loadPlanPeople(db, orgId, m.plan_id, now));
    const people = plans.get(m.plan_id)!;
    const owner = milestoneOwnerRecipient({ ownerSide: m.owner_side, ownerStakeholderId: m.owner_stakeholder_id }, people);
    if (!owner) continue;
    const [recipient] = await wantedRecipients(db, orgId, kind, [owner]);
    if (!recipient) continue;
    const locale = asLocale(recipient.locale);
    const props = {
      kind,
      locale,
      audience: recipient.audience,
      recipientName: recipient.name,
      milestoneTitle: m.title,
      dueDate: m.due_date!,
      workingDaysLeft: workingDaysUntil(today, m.due_date!, calendar),
      buyerCompany: people.plan.buyer_company,
      planTitle: people.plan.title,
      planUrl: planUrl(settings, recipient, orgId, m.plan_id),
      today,
      footer: footerFor(settings, orgId, recipient, emailTranslator(locale).t("reminder.reason", { title: m.title, company: people.plan.buyer_company })),
      brand: people.brand,
    };
    const rendered = await renderEmail(milestoneReminderSubject(props), createElement(MilestoneReminderEmail, props));
    const added = await enqueueEmail(db, {
      orgId,
      kind,
      planId: m.plan_id,
      to: recipient,
      audience: recipient.audience,
      ...rendered,
      preferencesUrl: props.footer.preferencesUrl,
      dedupeKey: keyOf(m),
      shareLinkId: recipient.shareLinkId,
      messageIdDomain: settings.messageIdDomain,
      onBehalfOf: onBehalfOfRep(recipient.audience, people),
    });
    if (added) written++;
  }
  return written;
}

/**
 * What buyers did on each active plan since its last buyer-activity email, one email per seller
 * person (the rep and the seller people on the plan), at most one per plan every 15 minutes.
 * The plan's notice row is the cursor: moved forward (conditionally on where this tick found it)
 * in the transaction that writes the emails, so two servers ticking at once write them once.
 * Closed plans are not looked at: their news stops with them.
 */
async function buyerActivityEmails(db: Kysely<DB>, settings: MailSettings, org: { id: string; timeZone: string }, today: string, now: Date): Promise<number> {
  const quietSince = new Date(now.getTime() - BUYER_ACTIVITY_BATCH_MINUTES * 60_000);
  // The plan row carries its log's head: only plans with entries past their cursor, out of their quiet time, are read.
  const plans = await db
    .selectFrom("plans as p")
    .leftJoin("buyer_activity_notices as n", (j) => j.onRef("n.org_id", "=", "p.org_id").onRef("n.plan_id", "=", "p.id"))
    .select(["p.id", "p.last_event_seq", "n.last_seq", "n.last_sent_at"])
    .where("p.org_id", "=", org.id)
    .where("p.status", "=", "active")
    .where((eb) => eb("p.last_event_seq", ">", eb.fn.coalesce("n.last_seq", eb.lit(0))))
    .where((eb) => eb.or([eb("n.last_sent_at", "is", null), eb("n.last_sent_at", "<=", quietSince)]))
    // ...and of those, only plans with a buyer's entry past the cursor (a probe of the log's (org, plan, seq) key).
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("plan_events as e")
          .select("e.seq")
          .where("e.org_id", "=", org.id)
          .whereRef("e.plan_id", "=", "p.id")
          .where((eb) => eb("e.seq", ">", eb.fn.coalesce("n.last_seq", eb.lit(0))))
          .where("e.actor_side", "=", "buyer"),
      ),
    )
    .execute();
  let written = 0;
  for (const plan of plans) {
    if (!buyerActivityDue(plan.last_sent_at, now)) continue;
    const fromSeq = plan.last_seq ?? 0;
    written += await db.transaction().execute(async (trx) => {
      const events = await trx
        .selectFrom("plan_events as e")
        .leftJoin("milestones as m", (j) => j.onRef("m.org_id", "=", "e.org_id").onRef("m.id", "=", "e.entity_id"))
        .leftJoin("stakeholders as s", (j) => j.onRef("s.org_id", "=", "e.org_id").onRef("s.id", "=", "e.entity_id"))
        .select(["e.seq", "e.action", "e.actor_name", "e.actor_side", "e.changes", "e.reason", "e.created_at"])
        .select((eb) => eb.fn.coalesce("m.title", "s.name").as("subject"))
        .where("e.org_id", "=", org.id)
        .where("e.plan_id", "=", plan.id)
        .where("e.seq", ">", fromSeq)
        .where("e.seq", "<=", plan.last_event_seq)
        .orderBy("e.seq")
        .execute();
      const news = events.filter((e) => isBuyerNews({ action: e.action, actorSide: e.actor_side }));
      const throughSeq = plan.last_event_seq;
      // Claim the batch: only if no one moved the cursor since this tick read it.
      const claimed = await trx
        .insertInto("buyer_activity_notices")
        .values({ org_id: org.id, plan_id: plan.id, last_seq: throughSeq, last_sent_at: news.length ? now : null })
        .onConflict((oc) =>
          oc
            .columns(["org_id", "plan_id"])
            .doUpdateSet((eb) => ({ last_seq: throughSeq, last_sent_at: news.length ? now : eb.ref("buyer_activity_notices.last_sent_at") }))
            .where("buyer_activity_notices.last_seq", "=", fromSeq),
        )
        .returning("plan_id")
        .executeTakeFirst();
      if (!claimed || !news.length) return 0;
      const people = await loadPlanPeople(trx, org.id, plan.id, now);
      const recipients = await wantedRecipients(trx, org.id, "buyer_activity", goLiveRecipients("seller", people));
      const buyerNames = [...new Set(news.map((e) => e.actor_name))];
      const lines = news.map((e) => ({
        when: localTimeLabel(new Date(e.created_at), org.timeZone, today),
        text: describeActivity(
          { action: e.action, actorName: e.actor_name, actorSide: e.actor_side, subject: e.subject, changes: e.changes, reason: e.reason },
          today,
        ),
      }));
      let added = 0;
      for (const r of recipients) {
        const props = {
          recipientName: r.name,
          buyerNames,
          lines,
          buyerCompany: people.plan.buyer_company,
          planTitle: people.plan.title,
          planUrl: planUrl(settings, r, org.id, plan.id),
          footer: footerFor(settings, org.id, r, `You get this email because you are on the seller side of the ${people.plan.buyer_company} plan.`),
        };
        const rendered = await renderEmail(buyerActivitySubject(props), createElement(BuyerActivityEmail, props));
        const ok = await enqueueEmail(trx, {
          orgId: org.id,
          kind: "buyer_activity",
          planId: plan.id,
          to: r,
          audience: "seller",
          ...rendered,
          preferencesUrl: props.footer.preferencesUrl,
          dedupeKey: dedupeKeys.buyerActivity(plan.id, throughSeq, r.email),
          messageIdDomain: settings.messageIdDomain,
        });
        if (ok) added++;
      }
      return added;
    });
  }
  return written;
}

async function managerDigests(
  db: Kysely<DB>,
  settings: MailSettings,
  org: { id: string; fiscalStartMonth: number },
  today: string,
  weekStart: string,
  now: Date,
): Promise<number> {
  const managers = await db
    .selectFrom("users")
    .select(["id", "name", "email"])
    .where("org_id", "=", org.id)
    .where("role", "=", "manager")
    .where("deactivated_at", "is", null)
    .orderBy("id")
    .execute();
  const taken = await existingDedupeKeys(
    db,
    org.id,
    managers.map((m) => dedupeKeys.digest(m.id, weekStart)),
  );
  let written = 0;
  for (const manager of managers) {
    const key = dedupeKeys.digest(manager.id, weekStart);
    if (taken.has(key)) continue;
    const recipient: Recipient = { name: manager.name, email: manager.email, audience: "seller", stakeholderId: null, userId: manager.id, shareLinkId: null };
    if (!(await wantedRecipients(db, org.id, "weekly_digest", [recipient])).length) continue;
    const digest = assembleDigest(await digestInput(db, org, await teamMemberIds(db, org.id, manager.id), today, now));
    if (digestIsEmpty(digest)) continue;
    const props = {
      accuracy: await accuracyHeadlineFor(db, { orgId: org.id, kind: "team", managerId: manager.id }, org.fiscalStartMonth, today),
      managerName: manager.name,
      weekStart,
      digest,
      baseUrl: settings.baseUrl,
      today,
      footer: footerFor(settings, org.id, recipient, "You get this email because you manage a team in Plan Together."),
    };
    const rendered = await renderEmail(weeklyDigestSubject(props), createElement(WeeklyDigestEmail, props));
    const added = await enqueueEmail(db, {
      orgId: org.id,
      kind: "weekly_digest",
      to: recipient,
      audience: "seller",
      ...rendered,
      preferencesUrl: props.footer.preferencesUrl,
      dedupeKey: key,
      messageIdDomain: settings.messageIdDomain,
    });
    if (added) written++;
  }
  return written;
}

/** The accuracy page's headline for a team over its default window (the last four quarters). */
async function accuracyHeadlineFor(db: Kysely<DB>, scope: ForecastScope, fiscalStartMonth: number, today: string) {
  const window = parseAccuracyWindow(null, null, today, fiscalStartMonth);
  if (!window.ok) return null;
  const deals = await wonDealsClosedIn(db, scope, { from: window.value.start, to: window.value.end });
  const headline = accuracyHeadline(accuracyByHorizon(deals, fiscalStartMonth).map(horizonCounts));
  return headline ? { window: window.value.label, headline } : null;
}

async function digestInput(db: Kysely<DB>, org: { id: string; fiscalStartMonth: number }, ownerIds: string[], today: string, now: Date) {
  const since = new Date(now.getTime() - 7 * 86_400_000);
  const plans = ownerIds.length
    ? await db
        .selectFrom("plans as p")
        .innerJoin("users as u", (j) => j.onRef("u.org_id", "=", "p.org_id").onRef("u.id", "=", "p.owner_id"))
        .select([
          "p.id",
          "p.title",
          "p.buyer_company",
          "p.value",
          "p.currency",
          "p.forecast_close_date",
          "p.go_live",
          "p.go_live_confirmed_at",
          "u.name as owner_name",
        ])
        .where("p.org_id", "=", org.id)
        .where("p.owner_id", "in", ownerIds)
        .where("p.status", "=", "active")
        .execute()
    : [];
  const planIds = plans.map((p) => p.id);
  const history = planIds.length
    ? await db
        .selectFrom("plan_date_history")
        .select(["plan_id", "old_date", "new_date", "created_at"])
        .where("org_id", "=", org.id)
        .where("plan_id", "in", planIds)
        .where("field", "=", "forecast_close_date")
        .execute()
    : [];
  const confirmations = planIds.length
    ? await db
        .selectFrom("plan_events")
        .select(["plan_id", "actor_name", "changes", "created_at", "action"])
        .where("org_id", "=", org.id)
        .where("plan_id", "in", planIds)
        .where("created_at", ">=", since)
        .where((eb) =>
          eb.or([eb("action", "=", "plan.go_live_confirmed"), eb.and([eb("action", "=", "plan.go_live_changed"), eb("actor_side", "=", "buyer")])]),
        )
        .execute()
    : [];
  const buyerEvents = planIds.length
    ? await db
        .selectFrom("plan_events")
        .select(["plan_id", "action", "actor_side"])
        .where("org_id", "=", org.id)
        .where("plan_id", "in", planIds)
        .where("created_at", ">=", since)
        .where("actor_side", "=", "buyer")
        .execute()
    : [];
  const goLiveOf = new Map(plans.map((p) => [p.id, p.go_live]));
  return {
    today,
    fiscalStartMonth: org.fiscalStartMonth,
    since,
    plans: plans.map((p) => ({
      id: p.id,
      title: p.title,
      company: p.buyer_company,
      ownerName: p.owner_name,
      value: p.value,
      currency: p.currency,
      forecastCloseDate: p.forecast_close_date,
      goLive: p.go_live,
      goLiveConfirmedAt: p.go_live_confirmed_at,
    })),
    buyerActivity: buyerEvents.filter((e) => isBuyerNews({ action: e.action, actorSide: e.actor_side })).map((e) => ({ planId: e.plan_id, action: e.action })),
    closeHistory: history.map((h) => ({ planId: h.plan_id, oldDate: h.old_date, newDate: h.new_date, at: h.created_at })),
    confirmations: confirmations.map((c) => {
      const after = c.changes?.go_live?.after;
      return { planId: c.plan_id, byName: c.actor_name, goLive: typeof after === "string" ? after : goLiveOf.get(c.plan_id)!, at: c.created_at };
    }),
  };
}
