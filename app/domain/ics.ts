import ical, { ICalEventTransparency } from "ical-generator";
import { addCalendarDays } from "./calendar";
import { formatDay } from "./dates";

/*
 * Calendar feeds (ICS) that Google Calendar, Outlook and Apple Calendar subscribe to. Milestones
 * are all-day events on their due dates and each plan's go-live is an event too. UIDs are stable
 * (`<milestoneId>@plan-together`, `go-live-<planId>@plan-together`), so when a date moves the
 * calendar moves the event instead of adding another; LAST-MODIFIED and DTSTAMP come from the
 * rows' updated_at. Events are transparent: a milestone does not block anyone's free/busy time.
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
}

export interface FeedPlan {
  id: string;
  title: string;
  company: string;
  goLive: string;
  updatedAt: Date;
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

/** The events of a feed: each scheduled milestone on its due date, and each plan's go-live. */
export function feedEvents(plans: FeedPlan[], milestones: FeedMilestone[], options: { goLives?: boolean } = {}): IcsEvent[] {
  const byId = new Map(plans.map((p) => [p.id, p]));
  const events: IcsEvent[] = [];
  for (const m of milestones) {
    const plan = byId.get(m.planId);
    if (!plan || !m.dueDate) continue;
    const owner = m.ownerName ? `${m.ownerName} (${SIDE[m.ownerSide]})` : SIDE[m.ownerSide];
    events.push({
      uid: milestoneUid(m.id),
      date: m.dueDate,
      summary: `${m.completedOn ? "✓ " : ""}${m.title} · ${plan.company}`,
      description: [
        `${plan.company}: ${plan.title}`,
        `Owner: ${owner}`,
        m.completedOn ? `Done on ${formatDay(m.completedOn)}.` : `Due ${formatDay(m.dueDate)}; go-live ${formatDay(plan.goLive)}.`,
        plan.url,
      ].join("\n"),
      url: plan.url,
      lastModified: later(m.updatedAt, plan.updatedAt),
    });
  }
  if (options.goLives ?? true) {
    for (const plan of plans) {
      events.push({
        uid: goLiveUid(plan.id),
        date: plan.goLive,
        summary: `Go-live · ${plan.company}`,
        description: [`${plan.company}: ${plan.title}`, `The date both teams work towards.`, plan.url].join("\n"),
        url: plan.url,
        lastModified: new Date(plan.updatedAt),
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
      transparency: ICalEventTransparency.TRANSPARENT,
    });
  }
  return calendar.toString();
}
