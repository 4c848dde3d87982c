/* Slip history: how often a deal's close date was pushed into a later fiscal quarter. */

import type { ISODate } from "~/domain/calendar";
import { fiscalQuarterAt, fiscalQuarterIndex } from "~/domain/fiscal-quarters";

/** Deals whose close date crossed into a later quarter this many times (or more) are flagged. */
export const PUSH_FLAG_THRESHOLD = 2;

export interface CloseDateChange {
  oldDate: ISODate | null;
  newDate: ISODate | null;
}

/** A change that moved the close date into a later fiscal quarter (setting or clearing it is not). */
export function isQuarterPush(change: CloseDateChange, startMonth: number): boolean {
  if (!change.oldDate || !change.newDate) return false;
  return fiscalQuarterIndex(change.newDate, startMonth) > fiscalQuarterIndex(change.oldDate, startMonth);
}

/**
 * How many times a deal's forecast close date crossed into a later fiscal quarter. Each change
 * counts at most once, however many quarters it jumps; a move within a quarter or back into an
 * earlier one is not a push, and a later push after a pull-in counts again.
 */
export function countPushes(history: CloseDateChange[], startMonth: number): number {
  return history.reduce((n, change) => n + (isQuarterPush(change, startMonth) ? 1 : 0), 0);
}

/**
 * Quarter starts from `span` quarters before today's quarter to `span` after its end, for SQL:
 * width_bucket(date, starts) numbers the quarters of dates inside [first, last) consecutively, a
 * cheap stand-in for the quarter index there (dates outside fall back to the index formula).
 */
export function quarterStarts(today: ISODate, startMonth: number, span = 40): ISODate[] {
  const index = fiscalQuarterIndex(today, startMonth);
  return Array.from({ length: 2 * span + 2 }, (_, k) => fiscalQuarterAt(index - span + k, startMonth).start);
}

export function isFlaggedForPushes(pushes: number): boolean {
  return pushes >= PUSH_FLAG_THRESHOLD;
}
