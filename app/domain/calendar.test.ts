import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addCalendarDays,
  fromDayNumber,
  isValidISODate,
  isWorkingDay,
  makeCalendar,
  MAX_DAY_NUMBER,
  MIN_DAY_NUMBER,
  parseISODate,
  toDayNumber,
  weekday,
  weekdayOfDayNumber,
  WorkingCalendar,
} from "~/domain/calendar";

describe("ISO dates and day numbers", () => {
  it("counts days from 1970-01-01", () => {
    expect(toDayNumber("1970-01-01")).toBe(0);
    expect(toDayNumber("1970-01-02")).toBe(1);
    expect(toDayNumber("1969-12-31")).toBe(-1);
    expect(toDayNumber("2000-03-01")).toBe(11017);
    expect(fromDayNumber(0)).toBe("1970-01-01");
    expect(fromDayNumber(11017)).toBe("2000-03-01");
    expect(fromDayNumber(MIN_DAY_NUMBER)).toBe("0001-01-01");
    expect(fromDayNumber(MAX_DAY_NUMBER)).toBe("9999-12-31");
  });

  it("agrees with Date.UTC on any day of the years 0001–9999", () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_DAY_NUMBER, max: MAX_DAY_NUMBER }), (day) => {
        const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
        expect(fromDayNumber(day)).toBe(iso);
        expect(toDayNumber(iso)).toBe(day);
      }),
      { numRuns: 500 },
    );
  });

  it("rejects impossible and malformed dates", () => {
    for (const bad of [
      "2026-02-30",
      "2026-02-29", // 2026 is not a leap year
      "1900-02-29", // nor is 1900
      "2026-04-31",
      "2026-13-01",
      "2026-00-10",
      "2026-01-00",
      "0000-00-00",
      "0000-01-01",
      "2026-1-01",
      "2026-01-1",
      "26-01-01",
      "2026/01/01",
      "2026-01-01T00:00:00Z",
      " 2026-01-01",
      "",
      "２０２６-01-01",
    ]) {
      expect(parseISODate(bad), bad).toBeNull();
      expect(isValidISODate(bad), bad).toBe(false);
    }
    for (const notAString of [undefined, null, 20260101, new Date(0), ["2026-01-01"]]) {
      expect(isValidISODate(notAString)).toBe(false);
    }
    expect(() => toDayNumber("2026-02-30")).toThrow(RangeError);
    expect(() => fromDayNumber(MAX_DAY_NUMBER + 1)).toThrow(RangeError);
    expect(() => fromDayNumber(1.5)).toThrow(RangeError);
  });

  it("accepts leap days of leap years", () => {
    expect(isValidISODate("2024-02-29")).toBe(true);
    expect(isValidISODate("2000-02-29")).toBe(true);
    expect(addCalendarDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addCalendarDays("2023-02-28", 1)).toBe("2023-03-01");
    expect(addCalendarDays("2027-01-01", -1)).toBe("2026-12-31");
  });

  it("knows the ISO weekday", () => {
    expect(weekday("2027-03-01")).toBe(1); // Monday
    expect(weekday("2027-02-27")).toBe(6); // Saturday
    expect(weekday("2027-02-28")).toBe(7); // Sunday
    expect(weekday("1970-01-01")).toBe(4); // Thursday
    expect(weekdayOfDayNumber(-1)).toBe(3); // 1969-12-31, a Wednesday
    expect(weekday("0001-01-01")).toBe(1); // proleptic Gregorian: a Monday
  });
});

describe("WorkingCalendar", () => {
  const monFri = makeCalendar();
  const d = toDayNumber;

  it("defaults to Monday–Friday with no holidays", () => {
    expect(monFri.workingWeekdays).toEqual([1, 2, 3, 4, 5]);
    expect(monFri.isWorkingDate("2027-02-26")).toBe(true); // Friday
    expect(monFri.isWorkingDate("2027-02-27")).toBe(false); // Saturday
    expect(monFri.isWorkingDate("2027-02-28")).toBe(false); // Sunday
  });

  it("before/after are strictly before/after, skipping weekends", () => {
    expect(monFri.beforeDate("2027-03-01", 1)).toBe("2027-02-26"); // Mon → Fri
    expect(monFri.beforeDate("2027-02-27", 1)).toBe("2027-02-26"); // Sat → Fri
    expect(monFri.beforeDate("2027-02-26", 2)).toBe("2027-02-24");
    expect(monFri.beforeDate("2027-03-01", 6)).toBe("2027-02-19");
    expect(monFri.afterDate("2027-02-26", 1)).toBe("2027-03-01"); // Fri → Mon
    expect(monFri.afterDate("2027-02-27", 1)).toBe("2027-03-01"); // Sat → Mon
    expect(monFri.afterDate("2027-01-05", 2)).toBe("2027-01-07");
  });

  it("onOrAfter keeps a working day and moves a weekend to Monday", () => {
    expect(monFri.onOrAfterDate("2027-01-04")).toBe("2027-01-04");
    expect(monFri.onOrAfterDate("2027-01-02")).toBe("2027-01-04");
    expect(monFri.onOrAfterDate("2027-01-03")).toBe("2027-01-04");
  });

  it("skips holidays, including runs of them", () => {
    const cal = makeCalendar({ holidays: ["2026-12-24", "2026-12-25", "2026-12-28", "2027-01-01"] });
    expect(cal.isWorkingDate("2026-12-25")).toBe(false);
    expect(cal.afterDate("2026-12-23", 1)).toBe("2026-12-29");
    expect(cal.afterDate("2026-12-31", 1)).toBe("2027-01-04");
    expect(cal.beforeDate("2026-12-29", 1)).toBe("2026-12-23");
    expect(cal.beforeDate("2027-01-04", 2)).toBe("2026-12-30");
    expect(cal.onOrAfterDate("2026-12-24")).toBe("2026-12-29");
    expect(cal.countWorkingDaysBetweenDates("2026-12-23", "2027-01-04")).toBe(4); // 29, 30, 31, Jan 4
  });

  it("has a one-call isWorkingDay for callers without a calendar object", () => {
    expect(isWorkingDay("2027-02-26")).toBe(true);
    expect(isWorkingDay("2027-02-27")).toBe(false);
    expect(isWorkingDay("2027-02-26", { holidays: ["2027-02-26"] })).toBe(false);
    expect(isWorkingDay("2027-02-27", { workingWeekdays: [6] })).toBe(true);
  });

  it("ignores holidays on non-working days and duplicates", () => {
    const cal = makeCalendar({ holidays: ["2027-02-27", "2027-02-26", "2027-02-26"] });
    expect(Array.from(cal.holidays)).toEqual([d("2027-02-26")]);
  });

  it("supports other working weeks (Sunday–Thursday)", () => {
    const cal = makeCalendar({ workingWeekdays: [7, 1, 2, 3, 4] });
    expect(cal.workingWeekdays).toEqual([1, 2, 3, 4, 7]);
    expect(cal.isWorkingDate("2027-02-26")).toBe(false); // Friday
    expect(cal.isWorkingDate("2027-02-28")).toBe(true); // Sunday
    expect(cal.afterDate("2027-02-25", 1)).toBe("2027-02-28"); // Thu → Sun
    expect(cal.beforeDate("2027-02-28", 1)).toBe("2027-02-25");
  });

  it("counts working days half-open and signed", () => {
    expect(monFri.countWorkingDaysBetweenDates("2027-03-01", "2027-03-01")).toBe(0);
    expect(monFri.countWorkingDaysBetweenDates("2027-02-26", "2027-03-01")).toBe(1); // (Fri, Mon]
    expect(monFri.countWorkingDaysBetweenDates("2027-02-27", "2027-02-28")).toBe(0); // weekend
    expect(monFri.countWorkingDaysBetweenDates("2027-03-01", "2027-02-26")).toBe(-1);
    expect(monFri.countWorkingDaysBetweenDates("2027-01-04", "2027-02-01")).toBe(20);
  });

  // Speed belongs to the benchmarks (`npm run bench:schedule` runs the scheduler on this calendar), not to a wall-clock bound here.
  it("is exact five years out with hundreds of holidays, ending on any weekday", () => {
    const holidays: string[] = [];
    for (let k = 0; k < 400; k++) holidays.push(addCalendarDays("2026-01-01", k * 5));
    const cal = makeCalendar({ holidays });
    const from = d("2026-01-01");
    const to = d("2031-01-01");
    for (let k = 0; k < 7; k++) expect(cal.countWorkingDaysBetween(from, to + k)).toBe(naiveCount(cal, from, to + k));
  });

  it("rejects an unusable week", () => {
    expect(() => makeCalendar({ workingWeekdays: [] })).toThrow(RangeError);
    expect(() => makeCalendar({ workingWeekdays: [0] })).toThrow(RangeError);
    expect(() => makeCalendar({ workingWeekdays: [8] })).toThrow(RangeError);
    expect(() => makeCalendar({ workingWeekdays: [1.5] })).toThrow(RangeError);
    expect(() => makeCalendar({ holidays: ["2026-02-30"] })).toThrow(RangeError);
  });
});

// ------------------------------------------------------------------------------------------------
// Properties against a day-by-day reference, on short spans where walking is cheap.
// ------------------------------------------------------------------------------------------------

function naiveIsWorking(weekdays: number[], holidays: Set<number>, day: number): boolean {
  return weekdays.includes(weekdayOfDayNumber(day)) && !holidays.has(day);
}

function naiveCount(cal: WorkingCalendar, from: number, to: number): number {
  let count = 0;
  const lo = Math.min(from, to);
  const hi = Math.max(from, to);
  for (let day = lo + 1; day <= hi; day++) if (cal.isWorkingDay(day)) count++;
  return from <= to ? count : 0 - count; // 0 - 0 is +0, not -0
}

const BASE = toDayNumber("2026-06-01");

const calendarArb = fc.record({
  weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
  holidays: fc.uniqueArray(fc.integer({ min: -200, max: 200 }), { maxLength: 60 }),
});

describe("WorkingCalendar properties (against a day-by-day walk)", () => {
  it("isWorkingDay, before, after, onOrAfter and counts match the reference", () => {
    fc.assert(
      fc.property(
        calendarArb,
        fc.integer({ min: -120, max: 120 }),
        fc.integer({ min: -120, max: 120 }),
        fc.integer({ min: 1, max: 15 }),
        ({ weekdays, holidays }, a, b, n) => {
          const holidayDays = holidays.map((h) => BASE + h);
          const cal = new WorkingCalendar(weekdays, holidayDays);
          const holidaySet = new Set(holidayDays);
          const day = BASE + a;
          const other = BASE + b;

          expect(cal.isWorkingDay(day)).toBe(naiveIsWorking(weekdays, holidaySet, day));

          let expectedAfter = day;
          for (let left = n; left > 0;) if (cal.isWorkingDay(++expectedAfter)) left--;
          expect(cal.after(day, n)).toBe(expectedAfter);

          let expectedBefore = day;
          for (let left = n; left > 0;) if (cal.isWorkingDay(--expectedBefore)) left--;
          expect(cal.before(day, n)).toBe(expectedBefore);

          let expectedOnOrAfter = day;
          while (!naiveIsWorking(weekdays, holidaySet, expectedOnOrAfter)) expectedOnOrAfter++;
          expect(cal.onOrAfter(day)).toBe(expectedOnOrAfter);

          expect(cal.countWorkingDaysBetween(day, other)).toBe(naiveCount(cal, day, other));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("workingDayAtRank inverts rank on working days", () => {
    fc.assert(
      fc.property(calendarArb, fc.integer({ min: -300, max: 300 }), ({ weekdays, holidays }, a) => {
        const cal = new WorkingCalendar(
          weekdays,
          holidays.map((h) => BASE + h),
        );
        const day = cal.onOrAfter(BASE + a);
        expect(cal.isWorkingDay(day)).toBe(true);
        expect(cal.workingDayAtRank(cal.rank(day))).toBe(day);
        expect(cal.rank(day + 1)).toBe(cal.rank(day) + 1);
      }),
      { numRuns: 200 },
    );
  });
});
