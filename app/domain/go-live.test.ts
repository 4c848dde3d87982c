import { describe, expect, it } from "vitest";
import { earliestFeasibleGoLive, fiscalQuarterCrossing, goLiveDateProblem } from "~/domain/go-live";
import { schedulePlan } from "~/domain/schedule";

// Pure rules: `today` is an input, so fixed dates here cannot rot.
const today = "2027-03-03"; // a Wednesday
const weekdays = { workingWeekdays: [1, 2, 3, 4, 5] };

describe("which go-live dates may be set", () => {
  it("refuses a date in the past, for anyone", () => {
    expect(goLiveDateProblem("2027-03-02", today, weekdays)).toBe("Tue 2 Mar is in the past; pick today or a later date.");
  });

  it("refuses a weekend or a holiday and names the next working day", () => {
    expect(goLiveDateProblem("2027-03-06", today, weekdays)).toBe("Sat 6 Mar is not a working day; the next working day is Mon 8 Mar.");
    expect(goLiveDateProblem("2027-03-08", today, { ...weekdays, holidays: ["2027-03-08"] })).toBe(
      "Mon 8 Mar is not a working day; the next working day is Tue 9 Mar.",
    );
  });

  it("accepts today and any later working day of the organisation's calendar", () => {
    expect(goLiveDateProblem(today, today, weekdays)).toBeNull();
    expect(goLiveDateProblem("2027-03-08", today, weekdays)).toBeNull();
    expect(goLiveDateProblem("2027-03-07", today, { workingWeekdays: [7] })).toBeNull(); // a Sunday-working organisation
  });
});

describe("the earliest go-live a plan can make", () => {
  it("is the working day after the last open milestone's projected finish", () => {
    const schedule = schedulePlan({
      goLive: "2027-03-04", // far too early: it does not change the answer
      today,
      milestones: [
        { id: "review", durationDays: 3 }, // Wed 3 → Fri 5 Mar
        { id: "sign", durationDays: 0, dependsOn: ["review"], isClose: true }, // Mon 8 Mar
      ],
    });
    expect(earliestFeasibleGoLive(schedule, today, weekdays)).toBe("2027-03-09");
  });

  it("is the first working day from today when everything is done", () => {
    const schedule = schedulePlan({ goLive: "2027-04-01", today: "2027-03-06", milestones: [{ id: "a", durationDays: 1, completedOn: "2027-03-01" }] });
    expect(earliestFeasibleGoLive(schedule, "2027-03-06", weekdays)).toBe("2027-03-08");
  });
});

describe("fiscal quarters a go-live move crosses", () => {
  it("names the quarters when the close date lands in another one", () => {
    // A fiscal year starting in February: January is the last month of FY2027.
    expect(fiscalQuarterCrossing("2027-01-20", "2027-02-10", 2)).toEqual({ from: "FY2027 Q4", to: "FY2028 Q1", later: true });
    expect(fiscalQuarterCrossing("2027-04-20", "2027-03-10", 1)).toEqual({ from: "FY2027 Q2", to: "FY2027 Q1", later: false });
  });

  it("says nothing within a quarter or without a close date", () => {
    expect(fiscalQuarterCrossing("2027-01-05", "2027-03-31", 1)).toBeNull();
    expect(fiscalQuarterCrossing(null, "2027-03-31", 1)).toBeNull();
  });
});
