/**
 * The scheduling contract (shared/spec/scheduling.md): every date of a plan comes from the buyer's
 * go-live date. Pure: no I/O, no clock (`today` is an input), no database types.
 *
 * How it runs:
 *   1. `readPlan` validates the input and turns it into flat typed arrays (ids → indexes,
 *      dependencies → a compressed predecessor list, dates → working-day ranks). Every problem
 *      becomes a ScheduleError here, before any arithmetic.
 *   2. `topologicalOrder`: one Kahn sort; on a cycle, `findCycle` names it.
 *   3. `backwardPass` (sinks → sources) and `forwardPass` (sources → sinks), each O(V + E).
 *   4. `buildResult` turns ranks back into ISO dates, in input order.
 *
 * Both passes work on *ranks* (see calendar.ts): the rank of a working day is its position in the
 * sequence of working days, so "the n-th working day before d" is `rank(d) − n` and the passes are
 * integer additions, minimums and maximums. Dates are parsed once on the way in and formatted once
 * on the way out.
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
} from "./calendar";

export type ISODate = string; // 'YYYY-MM-DD', a calendar date with no time zone

export interface ScheduleInput {
  goLive: ISODate; // the buyer's go-live date: any calendar day
  today: ISODate; // the day to project from
  calendar?: {
    workingWeekdays?: number[]; // ISO weekdays, 1 = Monday … 7 = Sunday; default [1,2,3,4,5]
    holidays?: ISODate[]; // non-working dates; default none
  };
  milestones: Array<{
    id: string;
    durationDays: number; // whole working days ≥ 0; 0 = an event (a decision, a signature)
    dependsOn?: string[]; // finish-to-start predecessors, by id
    lagDays?: number; // whole working days to wait after ALL predecessors finish; default 0
    pinnedDate?: ISODate; // a date the buyer fixed (a board meeting): the milestone's due date
    completedOn?: ISODate; // set once done
    isClose?: boolean; // at most one: the signature milestone that dates the deal
  }>;
}

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
  conflicts: Array<{ milestoneId: string; kind: string; message: string }>;
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

/** The validated plan, flattened into arrays indexed by the milestone's position in the input. */
interface Plan {
  calendar: WorkingCalendar;
  goLiveDay: DayNumber;
  goLiveRank: number;
  todayRank: number;
  count: number;
  ids: string[];
  /** max(durationDays − 1, 0): how many working days after its start a milestone finishes. */
  span: Float64Array;
  lag: Float64Array;
  /** Predecessors of milestone m: predIndex[predStart[m] … predStart[m + 1]). */
  predStart: Int32Array;
  predIndex: Int32Array;
  /** Number of dependents (successor edges) of each milestone; 0 means "a sink". */
  dependentCount: Int32Array;
  pinned: Uint8Array;
  pinnedRank: Float64Array;
  pinnedDate: (ISODate | undefined)[];
  done: Uint8Array;
  completedOnDay: Float64Array;
  completedOn: (ISODate | undefined)[];
  closeIndex: number;
}

type RawMilestone = ScheduleInput["milestones"][number];

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
    throw new ScheduleError(
      "invalid_date",
      `${what} must be a real calendar date written YYYY-MM-DD (years 0001–9999), got ${describe(value)}`,
      milestoneIds,
    );
  }
  return day;
}

/** A whole number of working days ≥ 0 (durations and lags share the rule and the error code). */
function readWholeDays(value: unknown, what: string, id: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new ScheduleError(
      "invalid_duration",
      `${what} of milestone "${id}" must be a whole number of working days ≥ 0, got ${describe(value)}`,
      [id],
    );
  }
  return value;
}

function readCalendar(raw: unknown): WorkingCalendar {
  if (isUnset(raw)) return new WorkingCalendar(DEFAULT_WORKING_WEEKDAYS, []);
  if (!isObject(raw)) {
    throw new ScheduleError("invalid_calendar", `calendar must be an object, got ${describe(raw)}`);
  }
  const weekdays = isUnset(raw.workingWeekdays) ? DEFAULT_WORKING_WEEKDAYS : raw.workingWeekdays;
  const problem = describeWorkingWeekdaysProblem(weekdays);
  if (problem !== null) throw new ScheduleError("invalid_calendar", problem);

  const holidays: DayNumber[] = [];
  if (!isUnset(raw.holidays)) {
    if (!Array.isArray(raw.holidays)) {
      throw new ScheduleError("invalid_calendar", `calendar.holidays must be an array of dates, got ${describe(raw.holidays)}`);
    }
    for (const holiday of raw.holidays) holidays.push(readDate(holiday, "A holiday"));
  }
  return new WorkingCalendar(weekdays as number[], holidays);
}

function readPlan(input: ScheduleInput): Plan {
  const raw: unknown = input;
  if (!isObject(raw)) {
    throw new ScheduleError("invalid_date", `The schedule input must be an object with goLive, today and milestones, got ${describe(raw)}`);
  }
  const goLiveDay = readDate(raw.goLive, "goLive");
  const todayDay = readDate(raw.today, "today");
  const calendar = readCalendar(raw.calendar);

  const milestones = raw.milestones;
  if (!Array.isArray(milestones)) {
    // No code names "not a list"; the milestones cannot be identified, the closest is duplicate_id.
    throw new ScheduleError("duplicate_id", `milestones must be an array, got ${describe(milestones)}`);
  }

  const count = milestones.length;
  const plan: Plan = {
    calendar,
    goLiveDay,
    goLiveRank: calendar.rank(goLiveDay),
    todayRank: calendar.rank(todayDay),
    count,
    ids: new Array<string>(count),
    span: new Float64Array(count),
    lag: new Float64Array(count),
    predStart: new Int32Array(count + 1),
    predIndex: new Int32Array(0),
    dependentCount: new Int32Array(count),
    pinned: new Uint8Array(count),
    pinnedRank: new Float64Array(count),
    pinnedDate: new Array<ISODate | undefined>(count),
    done: new Uint8Array(count),
    completedOnDay: new Float64Array(count),
    completedOn: new Array<ISODate | undefined>(count),
    closeIndex: -1,
  };

  const indexById = new Map<string, number>();
  const closeIds: string[] = [];
  let edgeCount = 0;
  for (let i = 0; i < count; i++) {
    const milestone: unknown = milestones[i];
    const id = readMilestone(plan, i, milestone, indexById);
    const m = milestone as RawMilestone;
    edgeCount += isUnset(m.dependsOn) ? 0 : m.dependsOn.length;
    if (m.isClose === true) {
      closeIds.push(id);
      plan.closeIndex = i;
    }
  }
  if (closeIds.length > 1) {
    throw new ScheduleError(
      "several_close_milestones",
      `Only one milestone can be the close (isClose); found ${closeIds.length}: ${closeIds.join(", ")}`,
      closeIds,
    );
  }

  readDependencies(plan, milestones as RawMilestone[], indexById, edgeCount);
  return plan;
}

/** Validates one milestone's own fields and records them in the plan; returns its id. */
function readMilestone(plan: Plan, i: number, milestone: unknown, indexById: Map<string, number>): string {
  if (!isObject(milestone) || typeof milestone.id !== "string") {
    // Without a string id the milestone cannot be told apart from the others.
    throw new ScheduleError("duplicate_id", `Milestone #${i + 1} needs a string id, got ${describe(isObject(milestone) ? milestone.id : milestone)}`);
  }
  const id = milestone.id;
  if (indexById.has(id)) {
    throw new ScheduleError("duplicate_id", `Two milestones have the id "${id}"`, [id]);
  }
  indexById.set(id, i);
  plan.ids[i] = id;

  const duration = readWholeDays(milestone.durationDays, "durationDays", id);
  plan.span[i] = duration > 1 ? duration - 1 : 0;
  plan.lag[i] = isUnset(milestone.lagDays) ? 0 : readWholeDays(milestone.lagDays, "lagDays", id);

  if (!isUnset(milestone.pinnedDate)) {
    const pinnedDay = readDate(milestone.pinnedDate, `pinnedDate of milestone "${id}"`, [id]);
    if (!plan.calendar.isWorkingDay(pinnedDay)) {
      throw new ScheduleError(
        "pinned_on_non_working_day",
        `Milestone "${id}" is pinned to ${milestone.pinnedDate as string}, which is not a working day`,
        [id],
      );
    }
    plan.pinned[i] = 1;
    plan.pinnedRank[i] = plan.calendar.rank(pinnedDay);
    plan.pinnedDate[i] = milestone.pinnedDate as ISODate;
  }
  if (!isUnset(milestone.completedOn)) {
    plan.done[i] = 1;
    plan.completedOnDay[i] = readDate(milestone.completedOn, `completedOn of milestone "${id}"`, [id]);
    plan.completedOn[i] = milestone.completedOn as ISODate;
  }
  if (!isUnset(milestone.isClose) && typeof milestone.isClose !== "boolean") {
    throw new ScheduleError(
      "several_close_milestones",
      `isClose of milestone "${id}" must be true or false, got ${describe(milestone.isClose)}`,
      [id],
    );
  }
  if (!isUnset(milestone.dependsOn) && !Array.isArray(milestone.dependsOn)) {
    throw new ScheduleError(
      "unknown_dependency",
      `dependsOn of milestone "${id}" must be an array of milestone ids, got ${describe(milestone.dependsOn)}`,
      [id],
    );
  }
  return id;
}

/** Resolves dependsOn ids into the compressed predecessor list, once every id is known. */
function readDependencies(plan: Plan, milestones: RawMilestone[], indexById: Map<string, number>, edgeCount: number): void {
  const predIndex = new Int32Array(edgeCount);
  let edge = 0;
  for (let i = 0; i < plan.count; i++) {
    plan.predStart[i] = edge;
    const dependsOn = milestones[i].dependsOn;
    if (isUnset(dependsOn)) continue;
    for (const dependency of dependsOn as unknown[]) {
      const p = typeof dependency === "string" ? indexById.get(dependency) : undefined;
      if (p === undefined) {
        throw new ScheduleError(
          "unknown_dependency",
          `Milestone "${plan.ids[i]}" depends on ${describe(dependency)}, which is not a milestone of this plan`,
          [plan.ids[i]],
        );
      }
      predIndex[edge++] = p;
      plan.dependentCount[p]++;
    }
  }
  plan.predStart[plan.count] = edge;
  plan.predIndex = predIndex;
}

// ---------------------------------------------------------------------------------------------
// 2. Topological order (Kahn), and the cycle when there is none
// ---------------------------------------------------------------------------------------------

/** Milestone indexes, every predecessor before its dependents. Throws a `cycle` ScheduleError. */
function topologicalOrder(plan: Plan): Int32Array {
  const { count, predStart, predIndex, dependentCount } = plan;

  // Successor lists, compressed like the predecessor lists, so that Kahn can release dependents.
  const succStart = new Int32Array(count + 1);
  for (let m = 0; m < count; m++) succStart[m + 1] = succStart[m] + dependentCount[m];
  const succIndex = new Int32Array(predIndex.length);
  const fill = succStart.slice(0, count);
  const waiting = new Int32Array(count); // predecessors not yet placed
  for (let m = 0; m < count; m++) {
    waiting[m] = predStart[m + 1] - predStart[m];
    for (let e = predStart[m]; e < predStart[m + 1]; e++) succIndex[fill[predIndex[e]]++] = m;
  }

  // The order array doubles as the queue: order[head … tail) are placed but not yet released.
  const order = new Int32Array(count);
  let tail = 0;
  for (let m = 0; m < count; m++) if (waiting[m] === 0) order[tail++] = m;
  for (let head = 0; head < tail; head++) {
    const m = order[head];
    for (let e = succStart[m]; e < succStart[m + 1]; e++) {
      const s = succIndex[e];
      if (--waiting[s] === 0) order[tail++] = s;
    }
  }
  if (tail < count) throw cycleError(plan, findCycle(plan, waiting));
  return order;
}

/**
 * Kahn leaves unplaced exactly the milestones on or downstream of a cycle, and each of them still
 * waits for an unplaced predecessor. Following unplaced predecessors must therefore come back to a
 * milestone already seen: that loop is a cycle. Returned in precedence order (each milestone is a
 * predecessor of the next), starting from the one that comes first in the input.
 */
function findCycle(plan: Plan, waiting: Int32Array): number[] {
  const { count, predStart, predIndex } = plan;
  const positionInWalk = new Int32Array(count).fill(-1);
  const walk: number[] = [];
  let m = 0;
  while (waiting[m] === 0) m++;
  while (positionInWalk[m] === -1) {
    positionInWalk[m] = walk.length;
    walk.push(m);
    let next = -1;
    for (let e = predStart[m]; e < predStart[m + 1] && next === -1; e++) {
      if (waiting[predIndex[e]] > 0) next = predIndex[e];
    }
    m = next; // always found: an unplaced milestone has an unplaced predecessor
  }
  // The walk followed "depends on" links; reverse it to read in precedence order.
  const cycle = walk.slice(positionInWalk[m]).reverse();
  let first = 0;
  for (let k = 1; k < cycle.length; k++) if (cycle[k] < cycle[first]) first = k;
  return [...cycle.slice(first), ...cycle.slice(0, first)];
}

function cycleError(plan: Plan, cycle: number[]): ScheduleError {
  const ids = cycle.map((m) => plan.ids[m]);
  return new ScheduleError(
    "cycle",
    `The dependencies form a cycle: ${[...ids, ids[0]].join(" → ")}`,
    ids,
  );
}

// ---------------------------------------------------------------------------------------------
// 3. The two passes, on working-day ranks
// ---------------------------------------------------------------------------------------------

interface Backward {
  latest: Float64Array;
  due: Float64Array;
  start: Float64Array;
}

/** Latest dates, from the sinks toward the sources (reverse topological order). */
function backwardPass(plan: Plan, order: Int32Array): Backward {
  const { count, span, lag, predStart, predIndex, dependentCount, pinned, pinnedRank } = plan;
  const latest = new Float64Array(count).fill(Infinity);
  const due = new Float64Array(count);
  const start = new Float64Array(count);
  // A milestone with no dependents must finish before go-live: before(goLive, 1).
  const beforeGoLive = plan.goLiveRank - 1;

  for (let k = count - 1; k >= 0; k--) {
    const m = order[k];
    // Every dependent came later in the order and already lowered `latest[m]`.
    if (dependentCount[m] === 0) latest[m] = beforeGoLive;
    due[m] = pinned[m] === 1 ? pinnedRank[m] : latest[m];
    start[m] = due[m] - span[m];
    // Each predecessor must finish by before(start, 1 + lag).
    const bound = start[m] - 1 - lag[m];
    for (let e = predStart[m]; e < predStart[m + 1]; e++) {
      const p = predIndex[e];
      if (bound < latest[p]) latest[p] = bound;
    }
  }
  return { latest, due, start };
}

interface Forward {
  projectedStart: Float64Array;
  /**
   * The rank r such that after(projectedFinish, n) is the working day of rank r + n. For a working
   * day that is its own rank; a done milestone's completedOn may fall on a weekend, so it is
   * rank(completedOn + 1) − 1 in general.
   */
  finish: Float64Array;
}

/** Projection from today, from the sources toward the sinks (topological order). */
function forwardPass(plan: Plan, order: Int32Array, backward: Backward): Forward {
  const { count, span, lag, predStart, predIndex, pinned, done, completedOnDay, calendar } = plan;
  const projectedStart = new Float64Array(count);
  const finish = new Float64Array(count);
  // onOrAfter(today) is the working day whose rank is rank(today).
  const firstWorkingDay = plan.todayRank;

  for (let k = 0; k < count; k++) {
    const m = order[k];
    if (done[m] === 1) {
      finish[m] = calendar.rank(completedOnDay[m] + 1) - 1;
      continue;
    }
    let startRank = firstWorkingDay;
    for (let e = predStart[m]; e < predStart[m + 1]; e++) {
      const candidate = finish[predIndex[e]] + 1 + lag[m]; // after(p.projectedFinish, 1 + lag)
      if (candidate > startRank) startRank = candidate;
    }
    // A pinned milestone cannot finish before the date the buyer fixed.
    if (pinned[m] === 1 && backward.start[m] > startRank) startRank = backward.start[m];
    projectedStart[m] = startRank;
    finish[m] = startRank + span[m];
  }
  return { projectedStart, finish };
}

// ---------------------------------------------------------------------------------------------
// 4. Back to dates
// ---------------------------------------------------------------------------------------------

/** Formats ranks as ISO dates, refusing dates that an ISODate cannot write. */
class DateWriter {
  private readonly minRank: number;
  private readonly maxRankExclusive: number;

  constructor(
    private readonly calendar: WorkingCalendar,
    private readonly ids: string[],
  ) {
    this.minRank = calendar.rank(MIN_DAY_NUMBER);
    this.maxRankExclusive = calendar.rank(MAX_DAY_NUMBER + 1);
  }

  /** The working day of this rank; `m` names the milestone to blame when it is out of range. */
  day(rank: number, m: number): DayNumber {
    if (!(rank >= this.minRank && rank < this.maxRankExclusive)) {
      const id = this.ids[m];
      throw new ScheduleError(
        "invalid_date",
        `The schedule of milestone "${id}" falls outside the years 0001–9999; check go-live, today, durations and lags`,
        [id],
      );
    }
    return this.calendar.workingDayAtRank(rank);
  }

  iso(rank: number, m: number): ISODate {
    return fromDayNumber(this.day(rank, m));
  }
}

function buildResult(plan: Plan, backward: Backward, forward: Forward): ScheduleResult {
  const { count, ids, calendar, goLiveDay, todayRank, done, completedOn, completedOnDay, dependentCount } = plan;
  const writer = new DateWriter(calendar, ids);
  const milestones = new Array<ScheduledMilestone>(count);
  let latestSinkFinish = -Infinity; // F, as a day number

  for (let m = 0; m < count; m++) {
    const due = backward.due[m];
    const isDone = done[m] === 1;
    const finish = forward.finish[m];
    const finishDay = isDone ? completedOnDay[m] : writer.day(finish, m);
    if (dependentCount[m] === 0 && finishDay > latestSinkFinish) latestSinkFinish = finishDay;

    milestones[m] = {
      id: ids[m],
      start: writer.iso(backward.start[m], m),
      due: writer.iso(due, m),
      projectedStart: isDone ? null : writer.iso(forward.projectedStart[m], m),
      projectedFinish: isDone ? (completedOn[m] as ISODate) : fromDayNumber(finishDay),
      // Working days in (projectedFinish, due], negated when the finish is later:
      // rank(due + 1) − rank(projectedFinish + 1), with rank(due + 1) = due + 1 as due is a working day.
      floatDays: due - finish,
      status: statusOf(isDone, due, finish, todayRank),
    };
  }

  // projectedGoLive = goLive when F < goLive, else after(F, 1).
  const projectedGoLiveDay =
    latestSinkFinish < goLiveDay ? goLiveDay : calendar.after(latestSinkFinish, 1);
  return {
    milestones,
    projectedGoLive: fromDayNumber(projectedGoLiveDay),
    slipDays: calendar.countWorkingDaysBetween(goLiveDay, projectedGoLiveDay),
    forecastCloseDate: forecastCloseDate(plan, milestones),
    conflicts: pinConflicts(plan, backward, writer),
  };
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
  if (plan.done[plan.closeIndex] === 1) return close.projectedFinish;
  // ISO dates of the years 0001–9999 compare correctly as strings.
  return close.projectedFinish > close.due ? close.projectedFinish : close.due;
}

/** A pinned date after the latest date is kept (the buyer's date wins) and reported. */
function pinConflicts(plan: Plan, backward: Backward, writer: DateWriter): ScheduleResult["conflicts"] {
  const conflicts: ScheduleResult["conflicts"] = [];
  for (let m = 0; m < plan.count; m++) {
    if (plan.pinned[m] === 0 || plan.pinnedRank[m] <= backward.latest[m]) continue;
    const id = plan.ids[m];
    const lateBy = plan.pinnedRank[m] - backward.latest[m];
    conflicts.push({
      milestoneId: id,
      kind: "pinned_after_latest",
      message:
        `"${id}" is pinned to ${plan.pinnedDate[m]}, ${lateBy} working day${lateBy === 1 ? "" : "s"} after ` +
        `its latest date ${writer.iso(backward.latest[m], m)}: the plan cannot make go-live ` +
        `${fromDayNumber(plan.goLiveDay)} as drawn.`,
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
  const forward = forwardPass(plan, order, backward);
  return buildResult(plan, backward, forward);
}
