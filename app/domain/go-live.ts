import { makeCalendar, type CalendarInput } from "~/domain/calendar";
import { wordInputCode } from "~/domain/buyer-errors";
import { ENGLISH } from "~/domain/i18n/english";
import type { InputCode } from "~/domain/plan-validation";
import { fiscalQuarterOf } from "~/domain/fiscal-quarters";
import type { ScheduleResult } from "~/domain/schedule";

/*
 * The rules a new go-live date must meet, whoever sets it (rep form, buyer page, any later API):
 * pure, so the pages and the write path give the same answer. A go-live in the past would turn
 * every open milestone overdue at once; one on a non-working day is a day nobody can go live.
 */

/**
 * Why this go-live date cannot be set, as a message code with its ISO dates (the buyer's page words
 * it in the reader's language: `buyer.errors.<code>`); null when it can.
 */
export function goLiveDateIssue(goLive: string, today: string, calendar: CalendarInput): InputCode | null {
  if (goLive < today) return { code: "goLivePast", values: { date: goLive } };
  const cal = makeCalendar(calendar);
  if (!cal.isWorkingDate(goLive)) return { code: "goLiveNotWorkingDay", values: { date: goLive, next: cal.onOrAfterDate(goLive) } };
  return null;
}

/** A go-live refusal in the app's English (the rep's pages, the API): the same sentence as the buyer messages' English. */
export function goLiveIssueInEnglish(issue: InputCode, today: string): string {
  return wordInputCode(issue, ENGLISH, today);
}

/** Why this go-live date cannot be set, in words for the person who typed it; null when it can. */
export function goLiveDateProblem(goLive: string, today: string, calendar: CalendarInput): string | null {
  const issue = goLiveDateIssue(goLive, today, calendar);
  return issue ? goLiveIssueInEnglish(issue, today) : null;
}

/**
 * The earliest go-live the plan can make from today: the working day after the last open
 * milestone's projected finish (the forward pass does not depend on go-live), or the first working
 * day from today when nothing is left to do.
 */
export function earliestFeasibleGoLive(schedule: Pick<ScheduleResult, "milestones">, today: string, calendar: CalendarInput): string {
  const cal = makeCalendar(calendar);
  let last: string | null = null;
  for (const m of schedule.milestones) {
    if (m.status === "done") continue;
    if (last === null || m.projectedFinish > last) last = m.projectedFinish;
  }
  const first = cal.onOrAfterDate(today);
  if (last === null) return first;
  const after = cal.afterDate(last, 1);
  return after > first ? after : first;
}

export interface QuarterCrossing {
  from: string;
  to: string;
  later: boolean;
}

/** When a move of the forecast close date lands in another fiscal quarter: "FY2027 Q4" → "FY2028 Q1". */
export function fiscalQuarterCrossing(before: string | null, after: string | null, fiscalYearStartMonth: number): QuarterCrossing | null {
  if (!before || !after) return null;
  const from = fiscalQuarterOf(before, fiscalYearStartMonth);
  const to = fiscalQuarterOf(after, fiscalYearStartMonth);
  if (from.index === to.index) return null;
  return { from: from.label, to: to.label, later: to.index > from.index };
}

/** What a new go-live date would do to a plan (see previewGoLive in the plan-schedule model). */
export interface GoLivePreview {
  /** The go-live date the plan has now. */
  currentGoLive: string;
  /** Why the date cannot be set (in the past, not a working day), in English; null when it can. */
  problem: string | null;
  /** The same as a message code, for the buyer's page. */
  problemCode: InputCode | null;
  /** The earliest go-live the plan can make from today (forward pass). */
  earliestFeasible: string;
  moves: Array<{ id: string; title: string; dueBefore: string | null; dueAfter: string }>;
  forecastCloseBefore: string | null;
  forecastCloseAfter: string | null;
  /** The forecast close crosses into another fiscal quarter; null when it stays in its quarter. */
  quarterCrossing: QuarterCrossing | null;
  projectedGoLiveAfter: string;
  slipDaysAfter: number;
  /** Pins the new date cannot honour, with the milestone's title (the schedule knows only ids). */
  conflicts: Array<ScheduleResult["conflicts"][number] & { title: string }>;
}
