import { describe, expect, it } from "vitest";
import { engagementCounts, engagementWrite, newVisitCutoff, SEEN_REFRESH_MINUTES, VISIT_GAP_MINUTES } from "~/domain/engagement";

const now = new Date();
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

describe("when a buyer's page view counts as a visit", () => {
  it("counts the first view ever", () => {
    expect(engagementWrite(null, now)).toEqual({ newVisit: true, openedMilestoneId: null });
  });

  it("writes nothing for a reload moments later", () => {
    expect(engagementWrite({ lastVisitAt: minutesAgo(1), milestonesOpened: [] }, now)).toBeNull();
  });

  it("refreshes 'last seen' without a new visit while the person keeps reading", () => {
    expect(engagementWrite({ lastVisitAt: minutesAgo(SEEN_REFRESH_MINUTES), milestonesOpened: [] }, now)).toEqual({
      newVisit: false,
      openedMilestoneId: null,
    });
    expect(engagementWrite({ lastVisitAt: minutesAgo(VISIT_GAP_MINUTES - 1), milestonesOpened: [] }, now)?.newVisit).toBe(false);
  });

  it("starts a new visit after half an hour away, exactly at the gap", () => {
    expect(engagementWrite({ lastVisitAt: minutesAgo(VISIT_GAP_MINUTES), milestonesOpened: [] }, now)?.newVisit).toBe(true);
    expect(engagementWrite({ lastVisitAt: minutesAgo(VISIT_GAP_MINUTES).toISOString(), milestonesOpened: [] }, now)?.newVisit).toBe(true);
  });

  it("writes for a milestone opened for the first time, even on a reload", () => {
    expect(engagementWrite({ lastVisitAt: minutesAgo(1), milestonesOpened: ["a"] }, now, "b")).toEqual({ newVisit: false, openedMilestoneId: "b" });
    expect(engagementWrite({ lastVisitAt: minutesAgo(1), milestonesOpened: ["a"] }, now, "a")).toBeNull();
    expect(engagementWrite(null, now, "a")).toEqual({ newVisit: true, openedMilestoneId: "a" });
  });

  it("puts the database's cutoff where the rule puts a new visit", () => {
    expect(now.getTime() - newVisitCutoff(now).getTime()).toBe(VISIT_GAP_MINUTES * 60_000);
  });
});

describe("engagement in words", () => {
  const none = { firstVisitAt: null, lastVisitAt: null, visits: 0, milestonesOpened: 0, resourcesOpened: 0, actions: 0 };

  it("says when the person never opened the plan", () => {
    expect(engagementCounts(none)).toBe("Has not opened the plan yet");
  });

  it("lists the counts, resources only once there are some", () => {
    const at = now.toISOString();
    expect(engagementCounts({ ...none, firstVisitAt: at, lastVisitAt: at, visits: 1, milestonesOpened: 2, actions: 1 })).toBe(
      "1 visit · 2 milestones opened · 1 action",
    );
    expect(engagementCounts({ ...none, firstVisitAt: at, lastVisitAt: at, visits: 3, resourcesOpened: 1 })).toBe(
      "3 visits · 0 milestones opened · 1 resource opened · 0 actions",
    );
  });
});
