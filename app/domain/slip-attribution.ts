import type { ISODate, WorkingCalendar } from "~/domain/calendar";
import { OWNER_SIDES, type OwnerSide } from "~/domain/owner-side";

/*
 * Which milestones made won deals late (issue 19, ADR 028): the as-built critical path of each
 * deal, walked back from its close, and the working days each milestone on it overran, summed by
 * side and by title across deals. Pure: the caller reads the milestones and passes the calendar.
 */

export const SLIP_SIDE_LABELS: Record<OwnerSide, string> = {
  buyer: "Buyer side",
  seller: "Seller side",
  joint: "Joint",
};

export interface SlipMilestone {
  id: string;
  title: string;
  side: OwnerSide;
  durationDays: number;
  lagDays: number;
  position: number;
  completedOn: ISODate | null;
  isClose: boolean;
  dependsOn: string[];
  /** The latest start the plan's schedule gave it (as the plan stood at its close); null when it had none. */
  plannedStart?: ISODate | null;
}

export interface SlipDeal {
  planId: string;
  /** Where a chain with no predecessors starts: the plan's first history day (ADR 028). */
  firstDay: ISODate;
  closedOn: ISODate;
  milestones: SlipMilestone[];
}

/** One milestone of a deal's as-built critical path. */
export interface ChainLink {
  milestoneId: string;
  title: string;
  side: OwnerSide;
  /** The first working day it could start: after its driving predecessor and lag (or the plan's first working day), and not before its planned start. */
  ready: ISODate;
  /** Where it would have finished had it taken its duration from `ready`, as the forward pass counts it. */
  expectedFinish: ISODate;
  finishedOn: ISODate;
  /** Working days after `expectedFinish` up to `finishedOn` (never negative: an early finish credits nobody). */
  overrunDays: number;
}

export interface AsBuiltChain {
  /** From the first milestone of the chain to the close. */
  links: ChainLink[];
  /**
   * False when the walk could not reach the plan's start: no close milestone, or a milestone on the
   * chain waited on predecessors of which none was ever marked done (so its ready day is unknown and
   * it, and what came before, are left out).
   */
  traced: boolean;
}

export interface SlipShare {
  key: string;
  label: string;
  workingDays: number;
  /** Deals in which it caused slip. */
  deals: number;
  planIds: string[];
}

export interface SlipAttribution {
  deals: number;
  dealsWithSlip: number;
  totalWorkingDays: number;
  /** Deals whose chain stops before the plan's start (see AsBuiltChain.traced): their figures cover only the part traced. */
  untracedDeals: number;
  untracedPlanIds: string[];
  /** All three sides, most slip first. */
  bySide: SlipShare[];
  /** The titles that caused slip, most first. */
  byTitle: SlipShare[];
}

/** The predecessor a milestone waited for: among those completed no later than it, the last to finish (ties: lowest position, then id). */
function drivingPredecessor(milestone: SlipMilestone, finishedOn: ISODate, byId: Map<string, SlipMilestone>, seen: Set<string>): SlipMilestone | null {
  let best: SlipMilestone | null = null;
  for (const id of milestone.dependsOn) {
    const p = byId.get(id);
    // One finished after this milestone did not hold it up; a seen one would be a cycle.
    if (!p || p.completedOn === null || p.completedOn > finishedOn || seen.has(p.id)) continue;
    if (
      !best ||
      p.completedOn > best.completedOn! ||
      (p.completedOn === best.completedOn && (p.position < best.position || (p.position === best.position && p.id < best.id)))
    ) {
      best = p;
    }
  }
  return best;
}

/** Walks a won deal's as-built critical path back from its close milestone, which finished on the day the deal closed. */
export function asBuiltChain(deal: SlipDeal, calendar: WorkingCalendar): AsBuiltChain {
  const byId = new Map(deal.milestones.map((m) => [m.id, m]));
  const close = deal.milestones.find((m) => m.isClose);
  if (!close) return { links: [], traced: false };
  const links: ChainLink[] = [];
  const seen = new Set<string>();
  let current: SlipMilestone | null = close;
  let finishedOn: ISODate = deal.closedOn;
  let traced = true;
  while (current) {
    seen.add(current.id);
    const driver = drivingPredecessor(current, finishedOn, byId, seen);
    const waited = current.dependsOn.some((id) => byId.has(id));
    if (!driver && waited) {
      traced = false;
      break;
    }
    const afterWork = driver ? calendar.afterDate(driver.completedOn!, 1 + current.lagDays) : calendar.onOrAfterDate(deal.firstDay);
    // Work the plan scheduled for later was not late while it waited for its day: a plan made months
    // before go-live would otherwise blame its first milestone for every day before it was due to start.
    const planned = current.plannedStart ? calendar.onOrAfterDate(current.plannedStart) : null;
    const ready = planned && planned > afterWork ? planned : afterWork;
    const expectedFinish = current.durationDays <= 1 ? ready : calendar.afterDate(ready, current.durationDays - 1);
    const overrunDays = Math.max(0, calendar.countWorkingDaysBetweenDates(expectedFinish, finishedOn));
    links.push({ milestoneId: current.id, title: current.title, side: current.side, ready, expectedFinish, finishedOn, overrunDays });
    current = driver;
    if (driver) finishedOn = driver.completedOn!;
  }
  return { links: links.reverse(), traced };
}

/** Titles as people type them: the same words in another case or spacing are one milestone. */
export function titleKey(title: string): string {
  return title.trim().replace(/\s+/g, " ").toLowerCase();
}

function add(shares: Map<string, SlipShare>, key: string, label: string, days: number, planId: string) {
  const share = shares.get(key) ?? { key, label, workingDays: 0, deals: 0, planIds: [] };
  share.workingDays += days;
  if (share.planIds[share.planIds.length - 1] !== planId) {
    share.deals += 1;
    share.planIds.push(planId);
  }
  shares.set(key, share);
}

const mostFirst = (a: SlipShare, b: SlipShare) => b.workingDays - a.workingDays || b.deals - a.deals || a.label.localeCompare(b.label);

export function attributeSlip(deals: SlipDeal[], calendar: WorkingCalendar): SlipAttribution {
  const bySide = new Map<string, SlipShare>(
    OWNER_SIDES.map((side) => [side, { key: side, label: SLIP_SIDE_LABELS[side], workingDays: 0, deals: 0, planIds: [] }]),
  );
  const byTitle = new Map<string, SlipShare>();
  const untracedPlanIds: string[] = [];
  let dealsWithSlip = 0;
  let totalWorkingDays = 0;
  for (const deal of deals) {
    const chain = asBuiltChain(deal, calendar);
    if (!chain.traced) untracedPlanIds.push(deal.planId);
    let slip = 0;
    for (const link of chain.links) {
      if (link.overrunDays === 0) continue;
      slip += link.overrunDays;
      add(bySide, link.side, SLIP_SIDE_LABELS[link.side], link.overrunDays, deal.planId);
      add(byTitle, titleKey(link.title), link.title.trim(), link.overrunDays, deal.planId);
    }
    if (slip > 0) dealsWithSlip += 1;
    totalWorkingDays += slip;
  }
  return {
    deals: deals.length,
    dealsWithSlip,
    totalWorkingDays,
    untracedDeals: untracedPlanIds.length,
    untracedPlanIds,
    // Stable sort: sides with equal slip keep the order buyer, seller, joint.
    bySide: [...bySide.values()].sort((a, b) => b.workingDays - a.workingDays),
    byTitle: [...byTitle.values()].sort(mostFirst),
  };
}

/** What a page or the API sends of slip attribution: the shares without the plans behind them (a drill-down recomputes those). */
export interface SlipCounts {
  deals: number;
  dealsWithSlip: number;
  totalWorkingDays: number;
  untracedDeals: number;
  bySide: Array<Omit<SlipShare, "planIds">>;
  byTitle: Array<Omit<SlipShare, "planIds">>;
}

export function slipCounts(slip: SlipAttribution): SlipCounts {
  const share = (s: SlipShare) => ({ key: s.key, label: s.label, workingDays: s.workingDays, deals: s.deals });
  return {
    deals: slip.deals,
    dealsWithSlip: slip.dealsWithSlip,
    totalWorkingDays: slip.totalWorkingDays,
    untracedDeals: slip.untracedDeals,
    bySide: slip.bySide.map(share),
    byTitle: slip.byTitle.map(share),
  };
}
