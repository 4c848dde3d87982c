import { describe, expect, it } from "vitest";
import { timelineEntries } from "~/domain/timeline-list";

const m = (id: string, due_date: string | null, completed_on: string | null = null) => ({
  id,
  title: id,
  owner_side: "buyer" as const,
  due_date,
  projected_finish: null,
  completed_on,
  schedule_status: null,
});

describe("timelineEntries", () => {
  it("places today and go-live among the milestones by date, through go-live, undated last", () => {
    const entries = timelineEntries(
      [m("later", "2030-05-01"), m("undated", null), m("done", "2030-03-01", "2030-01-05"), m("soon", "2030-02-01")],
      "2030-01-10",
      "2030-06-01",
      null,
    );
    expect(entries.map((e) => (e.kind === "milestone" ? e.milestone.id : e.kind))).toEqual(["done", "today", "soon", "later", "goLive", "undated"]);
  });

  it("shows the projected go-live only when it is later than go-live", () => {
    expect(timelineEntries([], "2030-01-01", "2030-06-01", "2030-06-10").map((e) => e.kind)).toEqual(["today", "goLive", "projectedGoLive"]);
    expect(timelineEntries([], "2030-01-01", "2030-06-01", "2030-06-01").map((e) => e.kind)).toEqual(["today", "goLive"]);
  });

  it("puts today before a milestone due today", () => {
    expect(timelineEntries([m("due today", "2030-01-01")], "2030-01-01", "2030-02-01", null).map((e) => e.kind)).toEqual(["today", "milestone", "goLive"]);
  });
});
