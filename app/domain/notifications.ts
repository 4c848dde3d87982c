import { addCalendarDays, isValidISODate, type WorkingCalendar } from "~/domain/calendar";
import { formatDay, todayIn } from "~/domain/dates";
import { fiscalQuarterOf } from "~/domain/fiscal-quarters";
import { countPushes, isQuarterPush } from "~/domain/forecast-pushes";
import { provenanceOf } from "~/domain/go-live-provenance";
import { plural } from "~/domain/words";

/*
 * Who gets which email, pure: no I/O, no clock (today and the local hour are inputs). The models
 * read the rows, these functions decide, the templates in emails/ say it, the outbox sends it.
 *
 * Rules, in short:
 *  - Event emails follow the plan's log: a go-live change goes to the OTHER side than the one who
 *    made it (a seller's date is a proposal to the buyer; a buyer's date is news for the seller).
 *  - A milestone's reminders (due in 2 working days, overdue) go to its owner only: the named
 *    owner, or the plan's rep for an unnamed seller/joint milestone. Buyers are reached through
 *    their link: no live link (revoked, expired), no email.
 *  - Everyone can turn each kind off; buyers start with the quietest useful set.
 */

export type Audience = "buyer" | "seller";

export const NOTIFICATION_KINDS = [
  "invite",
  "invite_reminder",
  "due_soon",
  "overdue",
  "go_live_changed",
  "buyer_activity",
  "weekly_digest",
  "webhook_paused",
  "plans_handed_over",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface KindInfo {
  label: string;
  description: string;
  /** Who can receive it; the preference page shows only these. */
  audiences: readonly Audience[];
  defaults: Record<Audience, boolean>;
}

/** A kind for one side only, on by default for it. */
const only = (audience: Audience, label: string, description: string): KindInfo => ({
  label,
  description,
  audiences: [audience],
  defaults: { buyer: audience === "buyer", seller: audience === "seller" },
});

export const KINDS: Record<NotificationKind, KindInfo> = {
  invite: only("buyer", "Invitations", "When someone shares a plan with you: your personal link to it."),
  invite_reminder: only("buyer", "One reminder of an unopened invitation", "Sent once, three days after an invitation nobody opened."),
  due_soon: {
    label: "Your milestones due soon",
    description: "Two working days before a milestone you own is due.",
    audiences: ["buyer", "seller"],
    defaults: { buyer: true, seller: true },
  },
  overdue: {
    label: "Your overdue milestones",
    description: "The working day after a milestone you own was due, if it is not done.",
    audiences: ["buyer", "seller"],
    // Buyers are not nagged by default: the rep follows up in person.
    defaults: { buyer: false, seller: true },
  },
  go_live_changed: {
    label: "Go-live date changes",
    description: "When the other side proposes or moves the go-live date, with their reason.",
    audiences: ["buyer", "seller"],
    defaults: { buyer: true, seller: true },
  },
  buyer_activity: only(
    "seller",
    "What buyers did on your plans",
    "Their comments, completed milestones and changes, gathered into at most one email per plan every 15 minutes.",
  ),
  weekly_digest: only("seller", "Weekly team digest", "Monday morning: this quarter's forecast, what slipped, what customers confirmed."),
  webhook_paused: only("seller", "Paused webhook endpoints", "Administrators only: when an endpoint keeps failing and deliveries to it are paused."),
  plans_handed_over: only("seller", "Plans handed over to you", "When an administrator makes you the owner of a teammate's plans: one email listing them."),
};

export function isNotificationKind(value: unknown): value is NotificationKind {
  return typeof value === "string" && (NOTIFICATION_KINDS as readonly string[]).includes(value);
}

/** Account emails (ADR 020) are not notifications, but the dev mailbox names them too. */
const ACCOUNT_EMAIL_LABELS: Record<string, string> = { account_invite: "Team invitation", password_reset: "Password reset" };

export function kindLabel(kind: string): string {
  return isNotificationKind(kind) ? KINDS[kind].label : (ACCOUNT_EMAIL_LABELS[kind] ?? kind);
}

/** How an outbox row's status reads to an admin (and the badge tone it gets). */
export function outboxStatusLabel(status: string): { label: string; tone: "blue" | "green" | "slate" | "red" | "amber" } {
  const labels = {
    pending: { label: "Queued", tone: "blue" },
    sent: { label: "Sent", tone: "green" },
    dev_mailbox: { label: "Kept here", tone: "slate" },
    failed: { label: "Failed", tone: "red" },
    skipped: { label: "Not sent", tone: "amber" },
  } as const;
  return labels[status as keyof typeof labels] ?? { label: status, tone: "slate" };
}

export function kindsFor(audience: Audience): NotificationKind[] {
  return NOTIFICATION_KINDS.filter((kind) => KINDS[kind].audiences.includes(audience));
}

// ---------------------------------------------------------------------------------------------
// Preferences
// ---------------------------------------------------------------------------------------------

export interface PreferenceState {
  /** Only what the person chose; a kind not listed follows the default for their side. */
  choices: Partial<Record<NotificationKind, boolean>>;
  unsubscribedAll: boolean;
}

export const NO_PREFERENCES: PreferenceState = { choices: {}, unsubscribedAll: false };

/** Does this person want this kind of email? */
export function wants(prefs: PreferenceState | null | undefined, kind: NotificationKind, audience: Audience): boolean {
  if (prefs?.unsubscribedAll) return false;
  const chosen = prefs?.choices[kind];
  return typeof chosen === "boolean" ? chosen : KINDS[kind].defaults[audience];
}

/** Reads stored choices defensively: unknown keys and non-booleans are dropped. */
export function cleanChoices(raw: unknown): Partial<Record<NotificationKind, boolean>> {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return {};
  const out: Partial<Record<NotificationKind, boolean>> = {};
  for (const [key, value] of Object.entries(raw)) if (isNotificationKind(key) && typeof value === "boolean") out[key] = value;
  return out;
}

/**
 * The preference form: one checkbox per kind the audience can receive (checked = wanted). Saving
 * the form is an explicit choice for every kind shown, and it lifts an "unsubscribe from all".
 */
export function preferencesFromForm(audience: Audience, checked: ReadonlySet<string>): PreferenceState {
  const choices: Partial<Record<NotificationKind, boolean>> = {};
  for (const kind of kindsFor(audience)) choices[kind] = checked.has(kind);
  return { choices, unsubscribedAll: false };
}

// ---------------------------------------------------------------------------------------------
// Emails caused by the plan's log
// ---------------------------------------------------------------------------------------------

export interface LoggedEvent {
  action: string;
  changes?: Record<string, { before: unknown; after: unknown }>;
  reason?: string | null;
}

export type EventNotice = {
  kind: "go_live_changed";
  /** Who is told: the side that did not make the change. */
  toSide: Audience;
  before: string;
  after: string;
  reason: string | null;
  byName: string;
  /** A seller's date is a proposal until a buyer confirms it; a buyer's date stands. */
  proposal: boolean;
};

/** The emails a command's events call for. Most commands call for none. */
export function noticesForEvents(events: readonly LoggedEvent[], actor: { side: "buyer" | "seller" | "system"; name: string }): EventNotice[] {
  if (actor.side === "system") return [];
  const notices: EventNotice[] = [];
  for (const event of events) {
    if (event.action !== "plan.go_live_changed") continue;
    const before = event.changes?.go_live?.before;
    const after = event.changes?.go_live?.after;
    if (!isValidISODate(before) || !isValidISODate(after) || before === after) continue;
    notices.push({
      kind: "go_live_changed",
      toSide: actor.side === "buyer" ? "seller" : "buyer",
      before,
      after,
      reason: event.reason ?? null,
      byName: actor.name,
      proposal: actor.side === "seller",
    });
  }
  return notices;
}

// ---------------------------------------------------------------------------------------------
// Recipients
// ---------------------------------------------------------------------------------------------

export interface PlanPerson {
  stakeholderId: string | null;
  userId: string | null;
  name: string;
  email: string;
  side: Audience;
  /** The buyer link this person is reached through (buyers only; null when none is live). */
  liveLinkId?: string | null;
  /** The language kept for a buyer (ADR 046); their emails are written in it. */
  locale?: string | null;
}

export interface Recipient {
  name: string;
  email: string;
  audience: Audience;
  stakeholderId: string | null;
  userId: string | null;
  shareLinkId: string | null;
  /** A buyer's kept language (ADR 046); absent: English, like the rep's emails. */
  locale?: string;
}

function asRecipient(person: PlanPerson): Recipient {
  return {
    name: person.name,
    email: person.email.toLowerCase(),
    audience: person.side,
    stakeholderId: person.stakeholderId,
    userId: person.userId,
    shareLinkId: person.side === "buyer" ? (person.liveLinkId ?? null) : null,
    ...(person.side === "buyer" && person.locale ? { locale: person.locale } : {}),
  };
}

/** One email per address, first mention wins (the rep before a seller stakeholder with the same address). */
function distinctByEmail(recipients: Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return recipients.filter((r) => (seen.has(r.email) ? false : (seen.add(r.email), true)));
}

/**
 * The side told about a go-live change. Sellers: the plan's rep and the seller people on the plan.
 * Buyers: the buyer people on the plan who hold a live link.
 */
export function goLiveRecipients(toSide: Audience, people: { rep: PlanPerson; stakeholders: readonly PlanPerson[] }): Recipient[] {
  if (toSide === "seller") {
    return distinctByEmail([people.rep, ...people.stakeholders.filter((s) => s.side === "seller")].map(asRecipient));
  }
  return distinctByEmail(people.stakeholders.filter((s) => s.side === "buyer" && s.liveLinkId).map(asRecipient));
}

/**
 * A milestone's owner, the only person reminded about it: the named owner (a buyer only through
 * a live link), else the rep for a seller or joint milestone. An unnamed buyer milestone has no
 * one to remind: the rep sees it on the plan.
 */
export function milestoneOwnerRecipient(
  milestone: { ownerSide: "buyer" | "seller" | "joint"; ownerStakeholderId: string | null },
  people: { rep: PlanPerson; stakeholders: readonly PlanPerson[] },
): Recipient | null {
  if (milestone.ownerStakeholderId) {
    const owner = people.stakeholders.find((s) => s.stakeholderId === milestone.ownerStakeholderId);
    if (!owner) return null;
    if (owner.side === "buyer" && !owner.liveLinkId) return null;
    return asRecipient(owner);
  }
  return milestone.ownerSide === "buyer" ? null : asRecipient(people.rep);
}

// ---------------------------------------------------------------------------------------------
// Time-based emails: windows and keys
// ---------------------------------------------------------------------------------------------

export const DUE_SOON_WORKING_DAYS = 2;
/** Overdue reminders are for fresh misses: older ones would be a flood, not news. */
export const OVERDUE_LOOKBACK_DAYS = 7;
export const INVITE_REMINDER_DAYS = 3;
/** The weekly digest goes out from Monday at this local hour (or on Tuesday, if the servers slept). */
export const DIGEST_HOUR = 7;

/** Milestones due after today and at most 2 working days ahead get a "due soon" (once per due date). */
export function dueSoonWindow(today: string, calendar: WorkingCalendar): { after: string; through: string } {
  return { after: today, through: calendar.afterDate(today, DUE_SOON_WORKING_DAYS) };
}

/** Open milestones due in the last week (before today) get an "overdue" (once per due date). */
export function overdueWindow(today: string): { from: string; before: string } {
  return { from: addCalendarDays(today, -OVERDUE_LOOKBACK_DAYS), before: today };
}

/** Working days from today to a due date: 1 = tomorrow's working day. */
export function workingDaysUntil(today: string, due: string, calendar: WorkingCalendar): number {
  return calendar.countWorkingDaysBetweenDates(today, due);
}

/**
 * The Monday of the week whose digest is due at this local moment, or null. Monday from 07:00 and
 * all of Tuesday, so a digest is never days late; the outbox's dedupe key makes it once a week.
 */
export function digestWeekStart(localDate: string, localHour: number, isoWeekday: number): string | null {
  if (isoWeekday === 1 && localHour >= DIGEST_HOUR) return localDate;
  if (isoWeekday === 2) return addCalendarDays(localDate, -1);
  return null;
}

/** The local hour (0–23) at a moment in a time zone. */
export function localHourIn(timeZone: string, now: Date): number {
  const hour = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", hourCycle: "h23" }).format(now);
  return Number(hour) % 24;
}

/** The domain Message-IDs are made in: the From address's, so they look like the sender's own. */
export function messageIdDomain(mailFrom: string): string {
  const address = /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom;
  const domain = address.split("@")[1]?.trim().toLowerCase();
  return domain && /^[a-z0-9.-]+$/.test(domain) ? domain : "plan-together.invalid";
}

export const dedupeKeys = {
  invite: (linkId: string) => `invite:${linkId}`,
  inviteReminder: (linkId: string) => `invite-reminder:${linkId}`,
  dueSoon: (milestoneId: string, due: string) => `due:${milestoneId}:${due}`,
  overdue: (milestoneId: string, due: string) => `overdue:${milestoneId}:${due}`,
  digest: (userId: string, weekStart: string) => `digest:${userId}:${weekStart}`,
  buyerActivity: (planId: string, throughSeq: number, email: string) => `buyer-activity:${planId}:${throughSeq}:${email.toLowerCase()}`,
};

// ---------------------------------------------------------------------------------------------
// Buyer activity: batched news for the seller side
// ---------------------------------------------------------------------------------------------

/** At most one buyer-activity email per plan in this many minutes; what happens meanwhile waits for the next. */
export const BUYER_ACTIVITY_BATCH_MINUTES = 15;

/**
 * Buyer actions worth telling the seller about. A buyer's go-live change is left out: it has its
 * own email, sent at once, with the reason and what moved. A new colleague's link is the same news
 * as the colleague being added.
 */
const NOT_BUYER_NEWS = new Set(["plan.go_live_changed", "share_link.created"]);

export function isBuyerNews(event: { action: string; actorSide: string }): boolean {
  return event.actorSide === "buyer" && !NOT_BUYER_NEWS.has(event.action);
}

/** May a plan's next buyer-activity email go out now? Not within 15 minutes of the last one. */
export function buyerActivityDue(lastSentAt: Date | string | null, now: Date): boolean {
  return !lastSentAt || now.getTime() - new Date(lastSentAt).getTime() >= BUYER_ACTIVITY_BATCH_MINUTES * 60_000;
}

export interface BuyerActivityCount {
  comments: number;
  completed: number;
  other: number;
}

/** What a week of buyer news amounts to, for the digest: comments, milestones done, other changes. */
export function countBuyerNews(events: ReadonlyArray<{ action: string }>): BuyerActivityCount {
  const count = { comments: 0, completed: 0, other: 0 };
  for (const e of events) {
    if (e.action === "comment.added") count.comments++;
    else if (e.action === "milestone.completed") count.completed++;
    else count.other++;
  }
  return count;
}

/** When something happened, on the organisation's clock: "14:05" today, "Thu 4 Dec, 14:05" before. */
export function localTimeLabel(moment: Date, timeZone: string, today: string): string {
  const time = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(moment);
  const day = todayIn(timeZone, moment);
  return day === today ? time : `${formatDay(day, today)}, ${time}`;
}

export function describeBuyerCount(c: BuyerActivityCount): string {
  const parts = [
    c.comments ? `${plural(c.comments, "comment")}` : "",
    c.completed ? `${plural(c.completed, "milestone")} done` : "",
    c.other ? `${plural(c.other, "other change")}` : "",
  ].filter(Boolean);
  return parts.join(", ");
}

// ---------------------------------------------------------------------------------------------
// Sending: retries
// ---------------------------------------------------------------------------------------------

/** After this many failed attempts an email is given up (status failed, last error kept). */
export const MAX_ATTEMPTS = 8;

/** Seconds to wait after the n-th failed attempt: 1, 2, 4 … minutes, at most 2 hours. */
export function retryDelaySeconds(failedAttempts: number): number {
  return Math.min(60 * 2 ** Math.max(0, failedAttempts - 1), 2 * 60 * 60);
}

/**
 * A 5xx answer from the SMTP server is final (no such mailbox, refused): trying again changes
 * nothing. Anything else (4xx, a dropped connection, a timeout) is worth another try.
 */
export function isPermanentSmtpFailure(responseCode: number | undefined): boolean {
  return typeof responseCode === "number" && responseCode >= 500 && responseCode < 600;
}

/** What the dispatcher knows about a claimed email's recipient when its time comes. */
export interface SendCheck {
  preferences: { choices: unknown; unsubscribedAll: boolean } | null;
  /** The buyer link the email goes through (null when it has none, or the link is gone). */
  link: { revokedAt: Date | string | null; expiresAt: Date | string; firstVisitAt: Date | string | null } | null;
  /** Whether the plan the email is about was closed meanwhile (won, lost or no decision). */
  planClosed?: boolean;
}

/** Emails about a plan's progress: none is wanted once the deal has ended (ADR 026). Paused plans still get them. */
const PLAN_PROGRESS_KINDS: readonly string[] = [
  "invite",
  "invite_reminder",
  "due_soon",
  "overdue",
  "go_live_changed",
  "buyer_activity",
] satisfies NotificationKind[];

export type SendDecision = { send: true } | { send: false; reason: string };

/**
 * Checked again just before sending, because time passes between writing an email and sending
 * it (a reminder waits three days): the recipient may have unsubscribed, the link been revoked,
 * the invitation opened.
 */
export function sendDecision(email: { kind: string; audience: Audience; shareLinkId: string | null }, check: SendCheck, now: Date): SendDecision {
  if (check.planClosed && PLAN_PROGRESS_KINDS.includes(email.kind)) return { send: false, reason: "The plan was closed." };
  if (isNotificationKind(email.kind)) {
    const prefs = check.preferences ? { choices: cleanChoices(check.preferences.choices), unsubscribedAll: check.preferences.unsubscribedAll } : null;
    if (prefs?.unsubscribedAll) return { send: false, reason: "The recipient unsubscribed from all emails." };
    if (!wants(prefs, email.kind, email.audience)) return { send: false, reason: "The recipient turned these emails off." };
  }
  if (email.audience === "buyer") {
    const link = check.link;
    if (!link || link.revokedAt || new Date(link.expiresAt).getTime() <= now.getTime()) {
      return { send: false, reason: "The buyer's link was revoked or has expired." };
    }
    if (email.kind === "invite_reminder" && link.firstVisitAt) return { send: false, reason: "The invitation was opened; no reminder needed." };
  }
  return { send: true };
}

// ---------------------------------------------------------------------------------------------
// The weekly digest
// ---------------------------------------------------------------------------------------------

export interface DigestPlan {
  id: string;
  title: string;
  company: string;
  ownerName: string;
  value: number;
  currency: string;
  forecastCloseDate: string | null;
  goLive: string;
  goLiveConfirmedAt: Date | string | null;
}

export interface DigestCloseChange {
  planId: string;
  oldDate: string | null;
  newDate: string | null;
  at: Date | string;
}

export interface DigestConfirmation {
  planId: string;
  byName: string;
  goLive: string;
  at: Date | string;
}

export interface DigestInput {
  today: string;
  fiscalStartMonth: number;
  /** The team's active plans. */
  plans: DigestPlan[];
  /** Every change of those plans' forecast close dates (all time: pushes count the whole history). */
  closeHistory: DigestCloseChange[];
  /** Buyers' confirmations and buyer-set go-live dates of the past week. */
  confirmations: DigestConfirmation[];
  /** The start of the week reported on (inclusive), as a moment. */
  since: Date;
  /** What buyers did on those plans this week (news only: see isBuyerNews). */
  buyerActivity?: Array<{ planId: string; action: string }>;
}

export interface DigestLine {
  planId: string;
  company: string;
  title: string;
  ownerName: string;
  value: number;
  currency: string;
}

export interface Digest {
  quarter: { label: string; plans: number; total: number; confirmedTotal: number; currency: string; otherCurrencies: number };
  slipped: Array<DigestLine & { from: string; to: string }>;
  confirmed: Array<DigestLine & { byName: string; goLive: string }>;
  pushedAgain: Array<DigestLine & { pushes: number; to: string }>;
  buyerActivity: Array<DigestLine & BuyerActivityCount>;
}

/**
 * This quarter's forecast (active plans whose forecast close date falls in the current fiscal
 * quarter, in the headline currency), what slipped this week (the close date ended the week later
 * than it began), what customers confirmed, and deals pushed into a later quarter again (a push
 * this week, at least the second in the deal's life).
 */
export function assembleDigest(input: DigestInput, currency = "USD"): Digest {
  const quarter = fiscalQuarterOf(input.today, input.fiscalStartMonth);
  const byId = new Map(input.plans.map((p) => [p.id, p]));
  const line = (p: DigestPlan): DigestLine => ({
    planId: p.id,
    company: p.company,
    title: p.title,
    ownerName: p.ownerName,
    value: p.value,
    currency: p.currency,
  });
  const inQuarter = input.plans.filter((p) => p.forecastCloseDate && p.forecastCloseDate >= quarter.start && p.forecastCloseDate < quarter.end);
  const headline = inQuarter.filter((p) => p.currency === currency);

  const sinceMs = input.since.getTime();
  const thisWeek = (c: { at: Date | string }) => new Date(c.at).getTime() >= sinceMs;
  const historyByPlan = new Map<string, DigestCloseChange[]>();
  for (const change of [...input.closeHistory].sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime())) {
    const list = historyByPlan.get(change.planId) ?? [];
    list.push(change);
    historyByPlan.set(change.planId, list);
  }

  const slipped: Digest["slipped"] = [];
  const pushedAgain: Digest["pushedAgain"] = [];
  for (const [planId, history] of historyByPlan) {
    const plan = byId.get(planId);
    if (!plan) continue;
    const week = history.filter(thisWeek);
    if (!week.length) continue;
    // Where the week started: a close date first set this week counts from its first value.
    const from = week[0].oldDate ?? week[0].newDate;
    const to = week[week.length - 1].newDate;
    if (from && to && to > from) slipped.push({ ...line(plan), from, to });
    const pushes = countPushes(history, input.fiscalStartMonth);
    if (pushes >= 2 && week.some((c) => isQuarterPush(c, input.fiscalStartMonth)) && to) pushedAgain.push({ ...line(plan), pushes, to });
  }

  const confirmed: Digest["confirmed"] = [];
  const seen = new Set<string>();
  for (const c of [...input.confirmations].filter(thisWeek).sort((a, b) => new Date(b.at).getTime() - new Date(a.at).getTime())) {
    const plan = byId.get(c.planId);
    if (!plan || seen.has(c.planId)) continue;
    seen.add(c.planId);
    confirmed.push({ ...line(plan), byName: c.byName, goLive: c.goLive });
  }

  const newsByPlan = new Map<string, Array<{ action: string }>>();
  for (const e of input.buyerActivity ?? []) newsByPlan.set(e.planId, [...(newsByPlan.get(e.planId) ?? []), e]);
  const buyerActivity: Digest["buyerActivity"] = [];
  for (const [planId, events] of newsByPlan) {
    const plan = byId.get(planId);
    if (plan) buyerActivity.push({ ...line(plan), ...countBuyerNews(events) });
  }

  const byCompany = <T extends DigestLine>(a: T, b: T) => a.company.localeCompare(b.company);
  return {
    quarter: {
      label: quarter.label,
      plans: inQuarter.length,
      total: headline.reduce((sum, p) => sum + p.value, 0),
      confirmedTotal: headline.filter((p) => provenanceOf({ goLiveConfirmedAt: p.goLiveConfirmedAt }) === "confirmed").reduce((sum, p) => sum + p.value, 0),
      currency,
      otherCurrencies: inQuarter.length - headline.length,
    },
    slipped: slipped.sort(byCompany),
    confirmed: confirmed.sort(byCompany),
    pushedAgain: pushedAgain.sort(byCompany),
    buyerActivity: buyerActivity.sort(byCompany),
  };
}

export function digestIsEmpty(digest: Digest): boolean {
  return digest.quarter.plans === 0 && !digest.slipped.length && !digest.confirmed.length && !digest.pushedAgain.length && !digest.buyerActivity.length;
}
