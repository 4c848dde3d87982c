import ical, { ICalEventTransparency } from "ical-generator";
import { addCalendarDays } from "~/domain/calendar";
import { formatDay } from "~/domain/dates";

/*
 * Calendar feeds (ICS) that Google Calendar, Outlook and Apple Calendar subscribe to. Milestones
 * are all-day events on their due dates (a done one on the day it was done) and each plan's
 * go-live is an event too. UIDs are stable (`<milestoneId>@plan-together`,
 * `go-live-<planId>@plan-together`), so when a date moves the calendar moves the event instead of
 * adding another; LAST-MODIFIED and DTSTAMP come from the rows' updated_at, and SEQUENCE is the
 * length of the plan's log (ADR 015): every date move is a logged change, so it only grows, and
 * clients that compare revisions (Outlook) take the moved event over the one they hold. Events are
 * transparent: a milestone does not block anyone's free/busy time.
 */

export const ICS_DOMAIN = "plan-together";

export function milestoneUid(milestoneId: string) {
  return `${milestoneId}@${ICS_DOMAIN}`;
}

export function goLiveUid(planId: string) {
  return `go-live-${planId}@${ICS_DOMAIN}`;
}

export interface IcsEvent {
  uid: string;
  /** An all-day event on this date. */
  date: string;
  summary: string;
  description: string;
  url?: string;
  lastModified: Date;
  /** RFC 5545 SEQUENCE: the event's revision, never lower than before. */
  sequence: number;
}

export interface FeedPlan {
  id: string;
  title: string;
  /** The buyer's company. */
  company: string;
  /** The selling organisation's name. */
  seller: string;
  goLive: string;
  updatedAt: Date;
  /** How many changes the plan's log holds: every date move is one of them (ADR 015). */
  revision: number;
  /** Where the feed's owner opens the plan. */
  url: string;
}

export interface FeedMilestone {
  id: string;
  planId: string;
  title: string;
  dueDate: string | null;
  completedOn: string | null;
  ownerSide: "buyer" | "seller" | "joint";
  ownerName: string | null;
  updatedAt: Date;
}

const later = (a: Date, b: Date) => (new Date(a).getTime() >= new Date(b).getTime() ? new Date(a) : new Date(b));

const SIDE = { buyer: "buyer", seller: "seller", joint: "both sides" } as const;

export interface FeedOptions {
  /**
   * Whose calendar it is. Titles name the other party: the buyer's company in a rep's feed, the
   * seller in a buyer's (a buyer's own company on every event of their own calendar says nothing).
   */
  audience: "seller" | "buyer";
  goLives?: boolean;
}

/** The events of a feed: each milestone on its due date (a done one on its day), and each plan's go-live. */
export function feedEvents(plans: FeedPlan[], milestones: FeedMilestone[], options: FeedOptions): IcsEvent[] {
  const byId = new Map(plans.map((p) => [p.id, p]));
  const other = (plan: FeedPlan) => (options.audience === "buyer" ? plan.seller : plan.company);
  const heading = (plan: FeedPlan) => (options.audience === "buyer" ? `${plan.title}, with ${plan.seller}` : `${plan.company}: ${plan.title}`);
  const events: IcsEvent[] = [];
  for (const m of milestones) {
    const plan = byId.get(m.planId);
    const date = m.completedOn ?? m.dueDate;
    if (!plan || !date) continue;
    const owner = m.ownerName ? `${m.ownerName} (${SIDE[m.ownerSide]})` : SIDE[m.ownerSide];
    const status = m.completedOn
      ? `Done on ${formatDay(m.completedOn)}${m.dueDate && m.dueDate !== m.completedOn ? ` (it was due ${formatDay(m.dueDate)})` : ""}.`
      : `Due ${formatDay(date)}; go-live ${formatDay(plan.goLive)}.`;
    events.push({
      uid: milestoneUid(m.id),
      date,
      summary: `${m.completedOn ? "✓ " : ""}${m.title} · ${other(plan)}`,
      description: [heading(plan), `Owner: ${owner}`, status, plan.url].join("\n"),
      url: plan.url,
      lastModified: later(m.updatedAt, plan.updatedAt),
      sequence: plan.revision,
    });
  }
  if (options.goLives ?? true) {
    for (const plan of plans) {
      events.push({
        uid: goLiveUid(plan.id),
        date: plan.goLive,
        summary: `Go-live · ${other(plan)}`,
        description: [heading(plan), `The date both teams work towards.`, plan.url].join("\n"),
        url: plan.url,
        lastModified: new Date(plan.updatedAt),
        sequence: plan.revision,
      });
    }
  }
  return events.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.uid < b.uid ? -1 : 1));
}

const asUtcDay = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** The feed as iCalendar text (RFC 5545). */
export function buildIcs(feed: { name: string; description: string; events: IcsEvent[] }): string {
  const calendar = ical({
    name: feed.name,
    description: feed.description,
    prodId: { company: "Plan Together", product: "Plan Together", language: "EN" },
    // Ask subscribers to refresh hourly (REFRESH-INTERVAL, X-PUBLISHED-TTL); Google decides for itself.
    ttl: 60 * 60,
  });
  for (const event of feed.events) {
    calendar.createEvent({
      id: event.uid,
      allDay: true,
      start: asUtcDay(event.date),
      end: asUtcDay(addCalendarDays(event.date, 1)),
      summary: event.summary,
      description: event.description,
      url: event.url ?? null,
      stamp: event.lastModified,
      lastModified: event.lastModified,
      sequence: event.sequence,
      transparency: ICalEventTransparency.TRANSPARENT,
    });
  }
  return calendar.toString();
}
