import { plural } from "~/domain/words";

/*
 * Engagement per buyer-side person (ADR 037): how a page view becomes a visit, and how the rep
 * reads the counts. A visit is what a person would call one: a view after half an hour without
 * any counts as a new one, so reloading, or reading for an hour, stays one visit.
 */

/** Minutes without a view after which the next view starts a new visit. */
export const VISIT_GAP_MINUTES = 30;

/**
 * How stale "last seen" may get before a view refreshes it. Views closer together than this write
 * nothing (a reload costs no write); the gap above is measured with at most this much error.
 */
export const SEEN_REFRESH_MINUTES = 5;

const MINUTE_MS = 60_000;

/** What is stored about a person so far, or null before their first view. */
export interface SeenSoFar {
  lastVisitAt: Date | string;
  milestonesOpened: readonly string[];
}

/** The write one view needs: none, or one upsert (which may start a visit and add a milestone). */
export type EngagementWrite = null | { newVisit: boolean; openedMilestoneId: string | null };

/** Whether a view at `now` (opening `milestoneId`, if one) is a new visit, a refresh of "last seen", or nothing to write. */
export function engagementWrite(seen: SeenSoFar | null, now: Date, milestoneId: string | null = null): EngagementWrite {
  const newMilestone = milestoneId !== null && !(seen?.milestonesOpened.includes(milestoneId) ?? false) ? milestoneId : null;
  if (!seen) return { newVisit: true, openedMilestoneId: newMilestone };
  const away = now.getTime() - new Date(seen.lastVisitAt).getTime();
  if (away >= VISIT_GAP_MINUTES * MINUTE_MS) return { newVisit: true, openedMilestoneId: newMilestone };
  if (away >= SEEN_REFRESH_MINUTES * MINUTE_MS || newMilestone) return { newVisit: false, openedMilestoneId: newMilestone };
  return null;
}

/**
 * A stored "last seen" at or before this moment makes a view at `now` a new visit: the database
 * applies the rule to the row it holds, so two views at once count one visit.
 */
export function newVisitCutoff(now: Date): Date {
  return new Date(now.getTime() - VISIT_GAP_MINUTES * MINUTE_MS);
}

/** One person's engagement as the rep sees it. */
export interface PersonEngagement {
  firstVisitAt: string | null;
  lastVisitAt: string | null;
  visits: number;
  milestonesOpened: number;
  resourcesOpened: number;
  actions: number;
}

/** The counts in words ("3 visits · 2 milestones opened · 4 actions"), or the empty state. */
export function engagementCounts(e: PersonEngagement): string {
  if (!e.visits) return "Has not opened the plan yet";
  return [
    plural(e.visits, "visit"),
    `${plural(e.milestonesOpened, "milestone")} opened`,
    ...(e.resourcesOpened ? [`${plural(e.resourcesOpened, "resource")} opened`] : []),
    plural(e.actions, "action"),
  ].join(" · ");
}
