/**
 * The scheduling contract (shared/spec/scheduling.md): every date of a plan comes from the buyer's
 * go-live date. Pure: no I/O, no clock (`today` is an input), no database types.
 *
 * How it runs:
 *   1. `readPlan` validates the input and turns it into arrays indexed by the milestone's position
 *      (ids → indexes, dependencies → predecessor lists, dates → working-day ranks), in one walk
 *      over the input. Every problem becomes a ScheduleError here, before any arithmetic.
 *   2. `topologicalOrder`: one Kahn sort; on a cycle, `findCycle` names it.
 *   3. `backwardPass` (sinks → sources) and `forwardPass` (sources → sinks), each O(V + E).
 *   4. `buildResult` turns ranks back into ISO dates, in input order.
 *
 * Both passes work on *ranks* (see calendar.ts): the rank of a working day is its position in the
 * sequence of working days, so "the n-th working day before d" is `rank(d) − n` and the passes are
 * integer additions, minimums and maximums. Dates are parsed once on the way in and formatted once
 * on the way out.
 *
 * Each side works on its own calendar (docs/scheduling.md): a seller milestone on `calendar`, a buyer
 * milestone on `buyerCalendar` (the organisation's `calendar` when the plan has none), a joint one on
 * the days that are working days of both. Ranks belong to one calendar, so every milestone's ranks
 * are kept in its own calendar's; a dependency between milestones of two calendars goes through a
 * day number once per edge, and one between milestones of the same calendar stays an addition.
 * A plan with a single calendar (most plans) runs exactly as before.
 *
 * Plans are small (a template holds at most 200 milestones), so the internals are plain: a `Map`
 * from id to index, arrays of numbers, each date formatted where it is written (ADR 025).
 */

import {
  describeWorkingWeekdaysProblem,
  DEFAULT_WORKING_WEEKDAYS,
  fromDayNumber,
  MAX_DAY_NUMBER,
  MIN_DAY_NUMBER,
  parseISODate,
  WorkingCalendar,
  type DayNumber,
  type ISODate,
} from "~/domain/calendar";
import { plural } from "~/domain/words";

export type { ISODate };

export interface ScheduleInput {
  goLive: ISODate; // the buyer's go-live date: any calendar day
  today: ISODate; // the day to project from
  /** The organisation's (the seller's) calendar; also the buyer's when buyerCalendar is unset. */
  calendar?: CalendarSpec;
  /** The buyer's own calendar, for buyer-side milestones; joint ones need a working day on both. */
  buyerCalendar?: CalendarSpec;
  milestones: Array<{
    id: string;
    side?: MilestoneSide; // whose calendar schedules it; default "seller"
    durationDays: number; // whole working days ≥ 0; 0 = an event (a decision, a signature)
    dependsOn?: string[]; // finish-to-start predecessors, by id
    lagDays?: number; // whole working days to wait after ALL predecessors finish; default 0
    pinnedDate?: ISODate; // a date the buyer fixed (a board meeting): the milestone's due date
    completedOn?: ISODate; // set once done
    isClose?: boolean; // at most one: the signature milestone that dates the deal
  }>;
}

export interface CalendarSpec {
  workingWeekdays?: number[]; // ISO weekdays, 1 = Monday … 7 = Sunday; default [1,2,3,4,5]
  holidays?: ISODate[]; // non-working dates; default none
}

export type MilestoneSide = "seller" | "buyer" | "joint";

export interface ScheduledMilestone {
  id: string;
  start: ISODate; // latest start that still meets go-live (backward pass)
  due: ISODate; // latest finish that still meets go-live (backward pass)
  projectedStart: ISODate | null; // forward pass; null when done
  projectedFinish: ISODate; // forward pass; completedOn when done
  floatDays: number; // signed working days from projectedFinish to due (negative = late)
  status: "done" | "overdue" | "at_risk" | "on_track";
}

export interface ScheduleResult {
  milestones: ScheduledMilestone[]; // same order as the input
  projectedGoLive: ISODate;
  slipDays: number; // working days past goLive, 0 when on time
  forecastCloseDate: ISODate | null; // null when no milestone isClose
  /** `message` in English for logs; the dates and the count, for a page to word in its reader's language. */
  conflicts: Array<{ milestoneId: string; kind: string; message: string; pinnedDate: ISODate; latestDate: ISODate; lateBy: number; goLive: ISODate }>;
}

export type ScheduleErrorCode =
  | "cycle"
  | "unknown_dependency"
  | "duplicate_id"
  | "invalid_date"
  | "invalid_duration"
  | "invalid_calendar"
  | "pinned_on_non_working_day"
  | "several_close_milestones";

export class ScheduleError extends Error {
  code: ScheduleErrorCode;
  milestoneIds: string[]; // the ids involved; for a cycle, the ids on the cycle in order

  constructor(code: ScheduleErrorCode, message: string, milestoneIds: string[] = []) {
    super(message);
    this.name = "ScheduleError";
    this.code = code;
    this.milestoneIds = milestoneIds;
  }
}

// ---------------------------------------------------------------------------------------------
// 1. Reading and validating the input
// ---------------------------------------------------------------------------------------------

/**
 * Every date an ISODate can name has a rank within a few million of 0, so anything beyond
 * ±RANK_LIMIT is out of range whatever its exact value: durations and lags (any safe integer) are
 * capped at RANK_LIMIT when read, so the arithmetic stays exact, and every rank a pass computes is
 * clamped to ±RANK_LIMIT before it is stored. The passes only add
 * constants and take minimums and maximums, so clamping never turns an out-of-range date into an
 * in-range one (or the reverse), and every in-range rank is computed exactly; out-of-range ranks
 * end in the same `invalid_date` error, for the same milestone, as they would unclamped.
 */
const RANK_LIMIT = 2 ** 29;
/** Marks "not pinned" in pinnedRank and "not done" in completedOnDay: no rank or day number. */
const NONE = -(2 ** 31);

function clampRank(rank: number): number {
  return rank < -RANK_LIMIT ? -RANK_LIMIT : rank > RANK_LIMIT ? RANK_LIMIT : rank;
}

/** The validated plan, flattened into arrays indexed by the milestone's position in the input. */
interface Plan {
  /** The organisation's calendar: projected go-live and slip are counted on it. */
  calendar: WorkingCalendar;
  /** The calendars milestones are scheduled on: [0] is `calendar`; the buyer's and the joint one follow when used. */
  calendars: WorkingCalendar[];
  /** The buyer's calendar as given, or null when the buyer works on the organisation's. */
  buyerCalendar: WorkingCalendar | null;
  /** Indexes into calendars of the buyer's and the joint calendar, -1 until a milestone uses them. */
  buyerIndex: number;
  jointIndex: number;
  /** calendarOf[m]: the index into calendars of milestone m's calendar; its ranks are that calendar's. */
  calendarOf: number[];
  goLiveDay: DayNumber;
  todayDay: DayNumber;
  /** Per calendar: rank(goLive) and rank(today). */
  goLiveRanks: number[];
  todayRanks: number[];
  count: number;
  ids: string[];
  /** min(max(durationDays − 1, 0), RANK_LIMIT): working days from a milestone's start to its finish. */
  span: number[];
  /** min(lagDays, RANK_LIMIT). */
  lag: number[];
  /** preds[m]: the indexes of milestone m's predecessors, in its dependsOn order. */
  preds: number[][];
  /** The pinned date's rank, or NONE. */
  pinnedRank: number[];
  /** The pinned milestones in input order, with their pinned dates as given. */
  pinnedIndexes: number[];
  pinnedDates: ISODate[];
  /** completedOn as a day number, or NONE when the milestone is not done. */
  completedOnDay: number[];
  /** completedOn as given, for the done milestones in input order. */
  completedOnDates: ISODate[];
  closeIndex: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Optional fields accept `undefined` and `null` (what a database row or JSON gives) as "unset". */
function isUnset(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || isUnset(value)) return String(value);
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}

function readDate(value: unknown, what: string, milestoneIds: string[] = []): DayNumber {
  const day = parseISODate(value);
  if (day === null) {
    throw new ScheduleError("invalid_date", `${what} must be a real calendar date written YYYY-MM-DD (years 0001–9999), got ${describe(value)}`, milestoneIds);
  }
  return day;
}

/** A whole number of working days ≥ 0 (durations and lags share the rule and the error code). */
function readWholeDays(value: unknown, what: string, id: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new ScheduleError("invalid_duration", `${what} of milestone "${id}" must be a whole number of working days ≥ 0, got ${describe(value)}`, [id]);
  }
  return value;
}

function readCalendar(raw: unknown, name = "calendar"): WorkingCalendar {
  if (isUnset(raw)) return new WorkingCalendar(DEFAULT_WORKING_WEEKDAYS, []);
  if (!isObject(raw)) {
    throw new ScheduleError("invalid_calendar", `${name} must be an object, got ${describe(raw)}`);
  }
  const weekdays = isUnset(raw.workingWeekdays) ? DEFAULT_WORKING_WEEKDAYS : raw.workingWeekdays;
  const problem = describeWorkingWeekdaysProblem(weekdays);
  if (problem !== null) throw new ScheduleError("invalid_calendar", name === "calendar" ? problem : `${name}: ${problem}`);

  const holidays: DayNumber[] = [];
  if (!isUnset(raw.holidays)) {
    if (!Array.isArray(raw.holidays)) {
      throw new ScheduleError("invalid_calendar", `${name}.holidays must be an array of dates, got ${describe(raw.holidays)}`);
    }
    for (const holiday of raw.holidays) holidays.push(readDate(holiday, "A holiday"));
  }
  return new WorkingCalendar(weekdays as number[], holidays);
}

/** Same working weekdays and the same effective holidays: the same working days. */
function sameCalendar(a: WorkingCalendar, b: WorkingCalendar): boolean {
  if (a.workingWeekdays.length !== b.workingWeekdays.length || a.holidays.length !== b.holidays.length) return false;
  for (let k = 0; k < a.workingWeekdays.length; k++) if (a.workingWeekdays[k] !== b.workingWeekdays[k]) return false;
  for (let k = 0; k < a.holidays.length; k++) if (a.holidays[k] !== b.holidays[k]) return false;
  return true;
}

/** Adds a calendar the milestones use, with its go-live and today ranks; returns its index. */
function addCalendar(plan: Plan, calendar: WorkingCalendar): number {
  for (let c = 0; c < plan.calendars.length; c++) if (sameCalendar(plan.calendars[c], calendar)) return c;
  plan.calendars.push(calendar);
  plan.goLiveRanks.push(calendar.rank(plan.goLiveDay));
  plan.todayRanks.push(calendar.rank(plan.todayDay));
  return plan.calendars.length - 1;
}

/** The index into plan.calendars of the calendar that schedules a milestone of this side. */
function calendarIndexFor(plan: Plan, side: unknown, id: string): number {
  if (isUnset(side) || side === "seller") return 0;
  if (side !== "buyer" && side !== "joint") {
    throw new ScheduleError("invalid_calendar", `side of milestone "${id}" must be "seller", "buyer" or "joint", got ${describe(side)}`, [id]);
  }
  const buyer = plan.buyerCalendar;
  if (buyer === null) return 0;
  if (side === "buyer") {
    if (plan.buyerIndex === -1) plan.buyerIndex = addCalendar(plan, buyer);
    return plan.buyerIndex;
  }
  if (plan.jointIndex === -1) {
    // A working day of both: the weekdays both work, minus the holidays of either.
    const seller = plan.calendar;
    const weekdays = seller.workingWeekdays.filter((w) => buyer.workingWeekdays.includes(w));
    if (weekdays.length === 0) {
      throw new ScheduleError(
        "invalid_calendar",
        `Joint milestone "${id}" has no working day: the organisation's and the buyer's working weeks share no weekday`,
        [id],
      );
    }
    plan.jointIndex = addCalendar(plan, new WorkingCalendar(weekdays, [...seller.holidays, ...buyer.holidays]));
  }
  return plan.jointIndex;
}

function readPlan(input: ScheduleInput): Plan {
  const raw: unknown = input;
  if (!isObject(raw)) {
    throw new ScheduleError("invalid_date", `The schedule input must be an object with goLive, today and milestones, got ${describe(raw)}`);
  }
  const goLiveDay = readDate(raw.goLive, "goLive");
  const todayDay = readDate(raw.today, "today");
  const calendar = readCalendar(raw.calendar);
  const buyerCalendar = isUnset(raw.buyerCalendar) ? null : readCalendar(raw.buyerCalendar, "buyerCalendar");

  const milestones = raw.milestones;
  if (!Array.isArray(milestones)) {
    // No code names "not a list"; the milestones cannot be identified, the closest is duplicate_id.
    throw new ScheduleError("duplicate_id", `milestones must be an array, got ${describe(milestones)}`);
  }

  const count = milestones.length;
  const plan: Plan = {
    calendar,
    calendars: [calendar],
    buyerCalendar,
    buyerIndex: -1,
    jointIndex: -1,
    calendarOf: new Array<number>(count).fill(0),
    goLiveDay,
    todayDay,
    goLiveRanks: [calendar.rank(goLiveDay)],
    todayRanks: [calendar.rank(todayDay)],
    count,
    ids: new Array<string>(count),
    span: new Array<number>(count).fill(0),
    lag: new Array<number>(count).fill(0),
    preds: [],
    pinnedRank: new Array<number>(count).fill(NONE),
    pinnedIndexes: [],
    pinnedDates: [],
    completedOnDay: new Array<number>(count).fill(NONE),
    completedOnDates: [],
    closeIndex: -1,
  };

  // First every milestone's own fields (and its id), then the dependencies, so that a problem with
  // a milestone's fields is reported before any unknown dependency, and unknown dependencies come in
  // input order.
  const indexById = new Map<string, number>();
  const dependsOnLists: unknown[][] = [];
  const closeIds: string[] = [];
  for (let i = 0; i < count; i++) dependsOnLists.push(readMilestone(plan, i, milestones[i], indexById, closeIds));
  if (closeIds.length > 1) {
    throw new ScheduleError(
      "several_close_milestones",
      `Only one milestone can be the close (isClose); found ${closeIds.length}: ${closeIds.join(", ")}`,
      closeIds,
    );
  }
  plan.preds = dependsOnLists.map((dependsOn, i) =>
    // Array.from, not map: a hole in the list is read as undefined (an unknown dependency), not skipped.
    Array.from(dependsOn, (dependency) => {
      const p = typeof dependency === "string" ? indexById.get(dependency) : undefined;
      if (p === undefined) {
        const id = plan.ids[i];
        throw new ScheduleError("unknown_dependency", `Milestone "${id}" depends on ${describe(dependency)}, which is not a milestone of this plan`, [id]);
      }
      return p;
    }),
  );
  return plan;
}

/**
 * Validates one milestone's own fields and records them in the plan. Returns its dependency list
 * (validated as an array, its ids not yet resolved; empty when it has none).
 */
function readMilestone(plan: Plan, i: number, milestone: unknown, indexById: Map<string, number>, closeIds: string[]): unknown[] {
  if (!isObject(milestone) || typeof milestone.id !== "string") {
    // Without a string id the milestone cannot be told apart from the others.
    throw new ScheduleError("duplicate_id", `Milestone #${i + 1} needs a string id, got ${describe(isObject(milestone) ? milestone.id : milestone)}`);
  }
  const { id, durationDays, lagDays, pinnedDate, completedOn, isClose, dependsOn, side } = milestone;
  plan.ids[i] = id;
  if (indexById.has(id)) {
    throw new ScheduleError("duplicate_id", `Two milestones have the id "${id}"`, [id]);
  }
  indexById.set(id, i);
  const c = calendarIndexFor(plan, side, id);
  plan.calendarOf[i] = c;
  const calendar = plan.calendars[c];

  const duration = readWholeDays(durationDays, "durationDays", id);
  plan.span[i] = duration > 1 ? Math.min(duration - 1, RANK_LIMIT) : 0;
  plan.lag[i] = isUnset(lagDays) ? 0 : Math.min(readWholeDays(lagDays, "lagDays", id), RANK_LIMIT);

  if (!isUnset(pinnedDate)) {
    const pinnedDay = readDate(pinnedDate, `pinnedDate of milestone "${id}"`, [id]);
    if (!calendar.isWorkingDay(pinnedDay)) {
      throw new ScheduleError("pinned_on_non_working_day", `Milestone "${id}" is pinned to ${pinnedDate as string}, which is not a working day`, [id]);
    }
    plan.pinnedRank[i] = calendar.rank(pinnedDay);
    plan.pinnedIndexes.push(i);
    plan.pinnedDates.push(pinnedDate as ISODate);
  }
  if (!isUnset(completedOn)) {
    plan.completedOnDay[i] = readDate(completedOn, `completedOn of milestone "${id}"`, [id]);
    plan.completedOnDates.push(completedOn as ISODate);
  }
  if (!isUnset(isClose) && typeof isClose !== "boolean") {
    throw new ScheduleError("several_close_milestones", `isClose of milestone "${id}" must be true or false, got ${describe(isClose)}`, [id]);
  }
  if (!isUnset(dependsOn) && !Array.isArray(dependsOn)) {
    throw new ScheduleError("unknown_dependency", `dependsOn of milestone "${id}" must be an array of milestone ids, got ${describe(dependsOn)}`, [id]);
  }
  if (isClose === true) {
    closeIds.push(id);
    plan.closeIndex = i;
  }
  return isUnset(dependsOn) ? [] : (dependsOn as unknown[]);
}

// ---------------------------------------------------------------------------------------------
// 2. Topological order (Kahn), and the cycle when there is none
// ---------------------------------------------------------------------------------------------

/** Milestone indexes, every predecessor before its dependents. Throws a `cycle` ScheduleError. */
function topologicalOrder(plan: Plan): number[] {
  const { count, preds } = plan;
  const successors: number[][] = preds.map(() => []);
  const waiting: number[] = preds.map((list) => list.length); // predecessors not yet placed
  for (let m = 0; m < count; m++) for (const p of preds[m]) successors[p].push(m);

  // Kahn's algorithm, taking ready milestones in input order: a scan over the input places each
  // milestone once nothing is waiting, and a stack places those that become ready behind the scan.
  // Any choice among ready milestones gives a topological order; this one keeps the input order
  // whenever it already is one (plans are usually written in order).
  const order: number[] = [];
  for (let scan = 0; scan < count; scan++) {
    if (waiting[scan] !== 0) continue;
    const readyBehindScan = [scan];
    while (readyBehindScan.length > 0) {
      const m = readyBehindScan.pop()!;
      order.push(m);
      for (const s of successors[m]) {
        // A milestone ahead of the scan is placed when the scan reaches it.
        if (--waiting[s] === 0 && s < scan) readyBehindScan.push(s);
      }
    }
  }
  if (order.length < count) throw cycleError(plan, findCycle(plan, waiting));
  return order;
}

/**
 * Kahn leaves unplaced exactly the milestones on or downstream of a cycle, and each of them still
 * waits for an unplaced predecessor. Following unplaced predecessors must therefore come back to a
 * milestone already seen: that loop is a cycle. Returned in precedence order (each milestone is a
 * predecessor of the next), starting from the one that comes first in the input.
 */
function findCycle(plan: Plan, waiting: number[]): number[] {
  const positionInWalk = new Map<number, number>();
  const walk: number[] = [];
  let m = waiting.findIndex((w) => w > 0);
  while (!positionInWalk.has(m)) {
    positionInWalk.set(m, walk.length);
    walk.push(m);
    // Always found: an unplaced milestone has an unplaced predecessor.
    m = plan.preds[m].find((p) => waiting[p] > 0)!;
  }
  // The walk followed "depends on" links; reverse it to read in precedence order.
  const cycle = walk.slice(positionInWalk.get(m)).reverse();
  let first = 0;
  for (let k = 1; k < cycle.length; k++) if (cycle[k] < cycle[first]) first = k;
  return [...cycle.slice(first), ...cycle.slice(0, first)];
}

function cycleError(plan: Plan, cycle: number[]): ScheduleError {
  const ids = cycle.map((m) => plan.ids[m]);
  return new ScheduleError("cycle", `The dependencies form a cycle: ${[...ids, ids[0]].join(" → ")}`, ids);
}

// ---------------------------------------------------------------------------------------------
// 3. The two passes, on working-day ranks
// ---------------------------------------------------------------------------------------------

/** In `latest`: no dependent has bounded this milestone yet. Above every clamped rank. */
const NO_DEPENDENT = 2 ** 31 - 1;

/**
 * The backward pass keeps only `latest` (and which milestones are sinks): due and start follow
 * from it (due = the pin or latest, start = due − span), so they are computed where they are used.
 */
interface Backward {
  isSink: boolean[];
  latest: number[];
}

/**
 * The rank, in calendar `to`, of the last working day strictly before the working day of rank
 * `rank` in calendar `from`: how a dependent's bound reaches a predecessor on another calendar.
 */
function boundOnCalendar(plan: Plan, from: number, rank: number, to: number): number {
  return clampRank(plan.calendars[to].rank(plan.calendars[from].workingDayAtRank(clampRank(rank))) - 1);
}

/** Latest dates, from the sinks toward the sources (reverse topological order). */
function backwardPass(plan: Plan, order: number[]): Backward {
  const { count, span, lag, preds, pinnedRank, calendarOf, goLiveRanks } = plan;
  const isSink = new Array<boolean>(count).fill(false);
  const latest = new Array<number>(count).fill(NO_DEPENDENT);

  for (let k = count - 1; k >= 0; k--) {
    const m = order[k];
    const c = calendarOf[m];
    // Every dependent came later in the order and already lowered `latest[m]`; none did when m
    // has no dependents.
    if (latest[m] === NO_DEPENDENT) {
      isSink[m] = true;
      // A milestone with no dependents must finish before go-live: before(goLive, 1).
      latest[m] = goLiveRanks[c] - 1;
    }
    const due = pinnedRank[m] === NONE ? latest[m] : pinnedRank[m];
    const start = due - span[m];
    // Each predecessor must finish by before(start, 1 + lag): on another calendar, by its last
    // working day before the day `lag` working days (of this milestone's calendar) before start.
    const bound = clampRank(start - 1 - lag[m]);
    for (const p of preds[m]) {
      const b = calendarOf[p] === c ? bound : boundOnCalendar(plan, c, start - lag[m], calendarOf[p]);
      if (b < latest[p]) latest[p] = b;
    }
  }
  return { isSink, latest };
}

/**
 * The forward pass's result: `finish[m]` is the rank r such that after(projectedFinish, n) is the
 * working day of rank r + n. For a working day that is its own rank; a done milestone's completedOn
 * may fall on a weekend, so it is rank(completedOn + 1) − 1 in general. An open milestone's
 * projected start is finish − span.
 */
type Forward = number[];

/** `finish` of milestone p (see Forward) in the ranks of calendar `to`. */
function finishOnCalendar(plan: Plan, finish: Forward, p: number, to: number): number {
  const done = plan.completedOnDay[p];
  const day = done !== NONE ? done : plan.calendars[plan.calendarOf[p]].workingDayAtRank(finish[p]);
  return clampRank(plan.calendars[to].rank(day + 1) - 1);
}

/** Projection from today, from the sources toward the sinks (topological order). */
function forwardPass(plan: Plan, order: number[]): Forward {
  const { count, span, lag, preds, pinnedRank, completedOnDay, calendars, calendarOf, todayRanks } = plan;
  const finish = new Array<number>(count).fill(0);

  for (const m of order) {
    const c = calendarOf[m];
    if (completedOnDay[m] !== NONE) {
      finish[m] = calendars[c].rank(completedOnDay[m] + 1) - 1;
      continue;
    }
    // onOrAfter(today) is the working day whose rank is rank(today).
    let startRank = todayRanks[c];
    const wait = 1 + lag[m];
    for (const p of preds[m]) {
      // after(p.projectedFinish, 1 + lag), counted on this milestone's calendar.
      const candidate = (calendarOf[p] === c ? finish[p] : finishOnCalendar(plan, finish, p, c)) + wait;
      if (candidate > startRank) startRank = candidate;
    }
    // A pinned milestone cannot finish before the date the buyer fixed: not before its start.
    if (pinnedRank[m] !== NONE) {
      const latestStart = pinnedRank[m] - span[m];
      if (latestStart > startRank) startRank = latestStart;
    }
    finish[m] = clampRank(startRank + span[m]);
  }
  return finish;
}

// ---------------------------------------------------------------------------------------------
// 4. Back to dates
// ---------------------------------------------------------------------------------------------

/** Turns ranks of one calendar into dates, refusing any working day outside 0001–9999. */
class DateWriter {
  private readonly validMin: number;
  private readonly validMaxExclusive: number;

  constructor(
    private readonly calendar: WorkingCalendar,
    private readonly ids: string[],
  ) {
    this.validMin = calendar.rank(MIN_DAY_NUMBER);
    this.validMaxExclusive = calendar.rank(MAX_DAY_NUMBER + 1);
  }

  /** Throws unless the working day of this rank is between 0001-01-01 and 9999-12-31. */
  check(rank: number, m: number): void {
    if (rank >= this.validMin && rank < this.validMaxExclusive) return;
    const id = this.ids[m];
    throw new ScheduleError("invalid_date", `The schedule of milestone "${id}" falls outside the years 0001–9999; check go-live, today, durations and lags`, [
      id,
    ]);
  }

  /** The working day of this rank, as an ISO date. */
  iso(rank: number, m: number): ISODate {
    this.check(rank, m);
    return fromDayNumber(this.calendar.workingDayAtRank(rank));
  }
}

function buildResult(plan: Plan, backward: Backward, forward: Forward): ScheduleResult {
  const { count, ids, calendar, calendars, calendarOf, goLiveDay, todayRanks, span, pinnedRank, completedOnDay, completedOnDates } = plan;
  const { latest, isSink } = backward;
  const finish = forward;
  // One writer per calendar: ranks are converted to dates on the milestone's own calendar.
  const writers = calendars.map((cal) => new DateWriter(cal, ids));
  const milestones = new Array<ScheduledMilestone>(count);
  let latestSink = -1; // the milestone with no dependents that finishes last: it gives F
  let doneSoFar = 0;

  for (let m = 0; m < count; m++) {
    const writer = writers[calendarOf[m]];
    const due = pinnedRank[m] === NONE ? latest[m] : pinnedRank[m];
    const start = due - span[m];
    const end = finish[m];
    const isDone = completedOnDay[m] !== NONE;
    const projectedStart = end - span[m];
    // Every date of milestone m must be writable before any is written. The message names the
    // milestone, not the date, so the first milestone in input order with a bad date is reported.
    writer.check(start, m);
    writer.check(due, m);
    if (!isDone) {
      writer.check(projectedStart, m);
      writer.check(end, m);
    }
    if (isSink[m] && (latestSink === -1 || sinkFinishIsLater(plan, forward, m, latestSink))) {
      latestSink = m;
    }

    milestones[m] = {
      id: ids[m],
      start: writer.iso(start, m),
      due: writer.iso(due, m),
      projectedStart: isDone ? null : writer.iso(projectedStart, m),
      projectedFinish: isDone ? completedOnDates[doneSoFar++] : writer.iso(end, m),
      // Working days in (projectedFinish, due], negated when the finish is later:
      // rank(due + 1) − rank(projectedFinish + 1), with rank(due + 1) = due + 1 as due is a working day.
      floatDays: due - end,
      status: statusOf(isDone, due, end, todayRanks[calendarOf[m]]),
    };
  }

  // projectedGoLive = goLive when F < goLive (or there is no milestone), else after(F, 1).
  const F = latestSink === -1 ? -Infinity : finishDay(plan, forward, latestSink);
  const projectedGoLiveDay = F < goLiveDay ? goLiveDay : calendar.after(F, 1);
  if (projectedGoLiveDay > MAX_DAY_NUMBER) {
    const id = ids[latestSink];
    throw new ScheduleError("invalid_date", `Milestone "${id}" pushes the projected go-live past 9999-12-31`, [id]);
  }
  return {
    milestones,
    projectedGoLive: fromDayNumber(projectedGoLiveDay),
    slipDays: calendar.countWorkingDaysBetween(goLiveDay, projectedGoLiveDay),
    forecastCloseDate: forecastCloseDate(plan, milestones),
    conflicts: pinConflicts(plan, backward, writers),
  };
}

/**
 * Does milestone m finish later than milestone best? Open finishes are working days, so their
 * ranks order them like dates; a done finish is completedOn, which may fall on a weekend, so any
 * comparison involving one is made on day numbers.
 */
function sinkFinishIsLater(plan: Plan, forward: Forward, m: number, best: number): boolean {
  if (plan.completedOnDay[m] === NONE && plan.completedOnDay[best] === NONE && plan.calendarOf[m] === plan.calendarOf[best]) {
    return forward[m] > forward[best];
  }
  return finishDay(plan, forward, m) > finishDay(plan, forward, best);
}

function finishDay(plan: Plan, forward: Forward, m: number): DayNumber {
  const done = plan.completedOnDay[m];
  return done !== NONE ? done : plan.calendars[plan.calendarOf[m]].workingDayAtRank(forward[m]);
}

/** Status precedence: done > overdue > at_risk > on_track (all on ranks; due is a working day). */
function statusOf(isDone: boolean, due: number, finish: number, todayRank: number): ScheduledMilestone["status"] {
  if (isDone) return "done";
  if (due < todayRank) return "overdue"; // due < today ⇔ due is one of the working days before today
  if (finish > due) return "at_risk";
  return "on_track";
}

/** The close milestone's completedOn when done, else the later of its due and projected finish. */
function forecastCloseDate(plan: Plan, milestones: ScheduledMilestone[]): ISODate | null {
  if (plan.closeIndex === -1) return null;
  const close = milestones[plan.closeIndex];
  if (plan.completedOnDay[plan.closeIndex] !== NONE) return close.projectedFinish;
  // ISO dates of the years 0001–9999 compare correctly as strings.
  return close.projectedFinish > close.due ? close.projectedFinish : close.due;
}

/** A pinned date after the latest date is kept (the buyer's date wins) and reported. */
function pinConflicts(plan: Plan, backward: Backward, writers: DateWriter[]): ScheduleResult["conflicts"] {
  const conflicts: ScheduleResult["conflicts"] = [];
  for (let k = 0; k < plan.pinnedIndexes.length; k++) {
    const m = plan.pinnedIndexes[k];
    const latest = backward.latest[m];
    if (plan.pinnedRank[m] <= latest) continue;
    const id = plan.ids[m];
    const lateBy = plan.pinnedRank[m] - latest;
    const latestDate = writers[plan.calendarOf[m]].iso(latest, m);
    const goLive = fromDayNumber(plan.goLiveDay);
    conflicts.push({
      milestoneId: id,
      kind: "pinned_after_latest",
      message:
        `"${id}" is pinned to ${plan.pinnedDates[k]}, ${plural(lateBy, "working day")} after ` +
        `its latest date ${latestDate}: the plan cannot make go-live ${goLive} as drawn.`,
      pinnedDate: plan.pinnedDates[k],
      latestDate,
      lateBy,
      goLive,
    });
  }
  return conflicts;
}

// ---------------------------------------------------------------------------------------------

/** Schedules a plan backward from go-live and projects it forward from today. Throws ScheduleError. */
export function schedulePlan(input: ScheduleInput): ScheduleResult {
  const plan = readPlan(input);
  const order = topologicalOrder(plan);
  const backward = backwardPass(plan, order);
  const forward = forwardPass(plan, order);
  return buildResult(plan, backward, forward);
}
