import { describe, expect, it } from "vitest";
import {
  buyerCalendarOf,
  describeHolidayChange,
  mergeHolidays,
  parseHoliday,
  parseWorkingWeek,
  pinsOffBuyerCalendar,
  pinsOffCalendar,
  type PinnedMilestone,
} from "~/domain/holiday-calendar";

describe("the organisation's calendar form", () => {
  it("needs at least one working weekday, each 1 to 7", () => {
    expect(parseWorkingWeek([])).toEqual({ ok: false, error: expect.stringContaining("at least one working day") });
    expect(parseWorkingWeek(["8"]).ok).toBe(false);
    expect(parseWorkingWeek(["5", "1", "1"])).toEqual({ ok: true, value: [1, 5] });
  });

  it("takes a holiday as a real date, its name optional", () => {
    expect(parseHoliday("2026-02-30", "x")).toEqual({ ok: false, errors: { date: expect.stringContaining("is not a date") } });
    expect(parseHoliday("", "x")).toEqual({ ok: false, errors: { date: "Enter the holiday's date." } });
    expect(parseHoliday(" 2026-12-24 ", "")).toEqual({ ok: true, value: { date: "2026-12-24", name: "Holiday" } });
    expect(parseHoliday("2026-12-24", "x".repeat(101)).ok).toBe(false);
  });

  it("merges holidays by date, keeping the names already there", () => {
    const merged = mergeHolidays(["2026-12-25"], { "2026-12-25": "Christmas" }, [
      { date: "2026-12-25", name: "Christmas Day" },
      { date: "2026-12-24", name: "Christmas Eve" },
    ]);
    expect(merged).toEqual({ dates: ["2026-12-24", "2026-12-25"], names: { "2026-12-24": "Christmas Eve", "2026-12-25": "Christmas" }, added: ["2026-12-24"] });
    expect(describeHolidayChange({ added: [{ date: "2026-12-24", name: "Christmas Eve" }] })).toBe("added 24 Dec 2026 (Christmas Eve)");
  });
});

describe("pins and calendar changes", () => {
  const pin = (side: PinnedMilestone["side"], buyerCalendar: PinnedMilestone["buyerCalendar"] = null): PinnedMilestone => ({
    planId: "p",
    planTitle: "Plan",
    milestoneTitle: `${side} pin`,
    side,
    pinnedDate: "2026-12-24",
    buyerCalendar,
  });

  it("a new organisation holiday catches seller and joint pins, and buyer pins only when the buyer has no calendar of their own", () => {
    const next = { holidays: ["2026-12-24"] };
    const caught = pinsOffCalendar(next, [pin("seller"), pin("joint"), pin("buyer"), pin("buyer", { holidays: [] })]);
    expect(caught.map((p) => [p.side, p.buyerCalendar])).toEqual([
      ["seller", null],
      ["joint", null],
      ["buyer", null],
    ]);
    expect(pinsOffCalendar({ holidays: [] }, [pin("seller")])).toEqual([]);
  });

  it("a buyer calendar catches buyer and joint pins on its days off", () => {
    const pins = [
      { side: "seller" as const, pinnedDate: "2026-10-05", milestoneTitle: "s" },
      { side: "buyer" as const, pinnedDate: "2026-10-05", milestoneTitle: "b" },
    ];
    // Monday 5 October: a day off for a buyer working Tuesday to Saturday.
    expect(pinsOffBuyerCalendar({}, { workingWeekdays: [2, 3, 4, 5, 6] }, pins).map((p) => p.milestoneTitle)).toEqual(["b"]);
  });

  it("a plan's buyer calendar fills the half it does not set from the organisation's", () => {
    const organisation = { workingWeekdays: [1, 2, 3, 4, 5], holidays: ["2026-12-25"] };
    expect(buyerCalendarOf(organisation, { buyer_working_weekdays: null, buyer_holidays: null })).toBeNull();
    expect(buyerCalendarOf(organisation, { buyer_working_weekdays: [1, 2, 3, 4], buyer_holidays: null })).toEqual({
      workingWeekdays: [1, 2, 3, 4],
      holidays: ["2026-12-25"],
    });
    expect(buyerCalendarOf(organisation, { buyer_working_weekdays: null, buyer_holidays: ["2026-10-03"] })).toEqual({
      workingWeekdays: [1, 2, 3, 4, 5],
      holidays: ["2026-10-03"],
    });
  });
});
