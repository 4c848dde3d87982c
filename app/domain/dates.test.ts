import { describe, expect, it } from "vitest";
import { calendarDaysBetween, formatDay, formatDayShort, formatRelative, todayIn } from "~/domain/dates";

describe("dates shown to people", () => {
  it("writes a day in words, adding the year only when it differs", () => {
    expect(formatDay("2026-03-03", "2026-11-28")).toBe("Tue 3 Mar");
    expect(formatDay("2027-03-01", "2026-11-28")).toBe("Mon 1 Mar 2027");
    expect(formatDayShort("2027-03-01")).toBe("1 Mar 2027");
  });

  it("takes today's date in the organisation's zone, not the server's", () => {
    const lateEveningUtc = new Date("2026-11-28T23:30:00Z");
    expect(todayIn("UTC", lateEveningUtc)).toBe("2026-11-28");
    expect(todayIn("Asia/Tokyo", lateEveningUtc)).toBe("2026-11-29");
    expect(todayIn("America/Los_Angeles", lateEveningUtc)).toBe("2026-11-28");
  });

  it("counts calendar days across months and leap days", () => {
    expect(calendarDaysBetween("2028-02-28", "2028-03-01")).toBe(2);
    expect(calendarDaysBetween("2026-03-01", "2026-02-27")).toBe(-2);
  });

  it("says how long ago something happened", () => {
    const now = new Date("2026-11-28T12:00:00Z");
    expect(formatRelative(new Date("2026-11-28T11:59:30Z"), now)).toBe("just now");
    expect(formatRelative(new Date("2026-11-28T09:00:00Z"), now)).toBe("3 hours ago");
    expect(formatRelative(new Date("2026-11-27T12:00:00Z"), now)).toBe("1 day ago");
    expect(formatRelative(new Date("2026-09-01T12:00:00Z"), now)).toBe("1 Sep 2026");
  });
});
