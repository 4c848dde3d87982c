import { describe, expect, it } from "vitest";
import { weekday } from "~/domain/calendar";
import { timeTicks } from "~/domain/time-axis";

const labels = (from: string, to: string, max: number) => timeTicks(from, to, max).map((t) => t.label);
const dates = (from: string, to: string, max: number) => timeTicks(from, to, max).map((t) => t.date);

describe("time axis ticks", () => {
  it("gives a week of history daily or two-daily ticks, every one a different date", () => {
    expect(labels("2026-11-28", "2026-12-04", 7)).toEqual(["28 Nov", "29 Nov", "30 Nov", "1 Dec", "2 Dec", "3 Dec", "4 Dec"]);
    const few = timeTicks("2026-11-28", "2026-12-04", 4);
    expect(few.length).toBeLessThanOrEqual(4);
    expect(few.length).toBeGreaterThanOrEqual(3);
    expect(new Set(few.map((t) => t.label)).size).toBe(few.length);
  });

  it("puts weekly ticks on Mondays, and never more than asked for", () => {
    const ticks = timeTicks("2026-10-01", "2026-11-15", 7);
    expect(ticks.length).toBeLessThanOrEqual(7);
    expect(ticks.every((t) => weekday(t.date) === 1)).toBe(true);
    expect(ticks.map((t) => t.label)).toEqual(["5 Oct", "12 Oct", "19 Oct", "26 Oct", "2 Nov", "9 Nov"]);
  });

  it("steps two weeks from a fixed Monday, so the ticks do not shift as the span grows", () => {
    const a = dates("2026-09-01", "2026-11-15", 6);
    const b = dates("2026-09-02", "2026-11-20", 6);
    expect(a).toEqual(["2026-09-14", "2026-09-28", "2026-10-12", "2026-10-26", "2026-11-09"]);
    expect(b.slice(0, 5)).toEqual(a);
  });

  it("uses months, quarters and years as the history grows, labelled in words with the year where it changes", () => {
    expect(labels("2026-08-20", "2026-12-04", 4)).toEqual(["Sep 2026", "Oct", "Nov", "Dec"]);
    expect(labels("2026-06-10", "2027-03-04", 4)).toEqual(["Jul 2026", "Oct", "Jan 2027"]);
    expect(labels("2025-02-10", "2026-12-04", 4)).toEqual(["Jul 2025", "Jan 2026", "Jul"]);
    expect(labels("2019-05-01", "2026-12-04", 4)).toEqual(["2020", "2022", "2024", "2026"]);
  });

  it("adds the year to a day label when the axis crosses New Year", () => {
    expect(labels("2026-12-27", "2027-01-02", 7)).toEqual(["27 Dec 2026", "28 Dec", "29 Dec", "30 Dec", "31 Dec", "1 Jan 2027", "2 Jan"]);
  });

  it("copes with a single day and with no room", () => {
    expect(labels("2026-12-04", "2026-12-04", 5)).toEqual(["4 Dec"]);
    expect(timeTicks("2026-12-01", "2026-12-04", 1)).toHaveLength(1);
    expect(timeTicks("2026-12-04", "2026-12-01", 4).map((t) => t.date)).toEqual(["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"]);
  });
});
