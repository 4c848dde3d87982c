import { addCalendarDays, toDayNumber, weekday } from "~/domain/calendar";

/*
 * Where a chart's time axis puts its ticks: the smallest step of a fixed ladder (days, weeks,
 * months, quarters, years) that keeps the ticks across [from, to] within `maxTicks`, on dates a
 * reader expects (weeks on Mondays, months on the 1st, quarters in Jan/Apr/Jul/Oct, years on
 * 1 Jan), each labelled in words. Pure: the chart passes its own span and room.
 */

type ISODate = string;

export interface TimeTick {
  date: ISODate;
  label: string;
}

type Step = { unit: "day"; days: number } | { unit: "month"; months: number };

const LADDER: Step[] = [
  { unit: "day", days: 1 },
  { unit: "day", days: 2 },
  { unit: "day", days: 7 },
  { unit: "day", days: 14 },
  { unit: "month", months: 1 },
  { unit: "month", months: 2 },
  { unit: "month", months: 3 },
  { unit: "month", months: 6 },
  { unit: "month", months: 12 },
  { unit: "month", months: 24 },
  { unit: "month", months: 60 },
];

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

/** The tick dates of one step across [from, to], aligned to fixed points so they never drift. */
function ticksOf(step: Step, from: ISODate, to: ISODate): ISODate[] {
  const out: ISODate[] = [];
  if (step.unit === "day") {
    // Weekly steps land on Mondays; a two-week step on every other Monday counted from a fixed
    // Monday (1970-01-05), so the same history always gets the same ticks.
    let first = from;
    if (step.days >= 7) {
      first = addCalendarDays(from, (8 - weekday(from)) % 7);
      const weeks = Math.round((toDayNumber(first) - toDayNumber("1970-01-05")) / 7);
      if (step.days === 14 && weeks % 2 !== 0) first = addCalendarDays(first, 7);
    } else if (step.days > 1) {
      const offset = toDayNumber(from) % step.days;
      if (offset) first = addCalendarDays(from, step.days - offset);
    }
    for (let d = first; d <= to; d = addCalendarDays(d, step.days)) out.push(d);
    return out;
  }
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7)) - 1;
  if (from.slice(8) !== "01") month += 1;
  // Multi-month steps start at a month index divisible by the step (Jan, Apr, Jul, Oct for quarters; Jan for years).
  let index = year * 12 + month;
  const remainder = index % step.months;
  if (remainder) index += step.months - remainder;
  for (;;) {
    year = Math.floor(index / 12);
    month = index % 12;
    const date = `${year}-${pad(month + 1)}-01`;
    if (date > to) return out;
    out.push(date);
    index += step.months;
  }
}

/**
 * Ticks across [from, to] (ISO dates, from ≤ to): at most `maxTicks` (at least 1), the finest step
 * that fits. Labels: "3 Mar" for day and week steps, "Mar" for months with the year added on the
 * first tick and every January ("Jan 2027"), "2027" for yearly steps. The year is also added to a
 * day label when the axis crosses into another year, so no two ticks ever read the same.
 */
export function timeTicks(from: ISODate, to: ISODate, maxTicks: number): TimeTick[] {
  if (from > to) [from, to] = [to, from];
  const room = Math.max(1, Math.floor(maxTicks));
  let chosen: { step: Step; dates: ISODate[] } | undefined;
  for (const step of LADDER) {
    const dates = ticksOf(step, from, to);
    if (dates.length <= room && dates.length > 0) {
      chosen = { step, dates };
      break;
    }
  }
  // Wider than five-year steps can show, or a step with no tick inside a short span: the ends.
  if (!chosen) chosen = { step: { unit: "day", days: 1 }, dates: from === to || room === 1 ? [from] : [from, to] };
  const { step, dates } = chosen;
  const crossesYears = from.slice(0, 4) !== to.slice(0, 4);
  return dates.map((date, i) => {
    const year = date.slice(0, 4);
    const month = MONTHS[Number(date.slice(5, 7)) - 1];
    const day = Number(date.slice(8, 10));
    if (step.unit === "month" && step.months >= 12) return { date, label: year };
    if (step.unit === "month") return { date, label: i === 0 || month === "Jan" ? `${month} ${year}` : month };
    const newYear = i === 0 ? crossesYears : year !== dates[i - 1].slice(0, 4);
    return { date, label: newYear ? `${day} ${month} ${year}` : `${day} ${month}` };
  });
}
