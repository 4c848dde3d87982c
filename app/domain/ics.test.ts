import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { buildIcs, feedEvents, goLiveUid, milestoneUid, type FeedMilestone, type FeedPlan } from "~/domain/ics";

const plan: FeedPlan = {
  id: "p1",
  title: "Fleet analytics rollout",
  company: "Acme, Logistics; Inc",
  seller: "Northwind Analytics",
  goLive: "2027-03-02",
  updatedAt: new Date("2026-11-20T10:00:00Z"),
  revision: 7,
  url: "https://plans.example.com/p/p1",
};
const milestone = (id: string, over: Partial<FeedMilestone> = {}): FeedMilestone => ({
  id,
  planId: "p1",
  title: `Milestone ${id}`,
  dueDate: "2027-01-15",
  completedOn: null,
  ownerSide: "buyer",
  ownerName: "Dana Lee",
  updatedAt: new Date("2026-11-25T09:30:00Z"),
  ...over,
});

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return {
    calendar,
    events: calendar.getAllSubcomponents("vevent").map((c) => {
      const event = new ICAL.Event(c);
      return {
        uid: event.uid,
        summary: event.summary,
        start: event.startDate,
        end: event.endDate,
        description: event.description,
        sequence: event.sequence,
        lastModified: (c.getFirstPropertyValue("last-modified") as ICAL.Time).toJSDate().toISOString(),
        transp: c.getFirstPropertyValue("transp"),
      };
    }),
  };
}

describe("calendar feeds", () => {
  it("are all-day events at due dates plus the go-live, with stable UIDs, and parse back", () => {
    const text = buildIcs({
      name: "Acme: Fleet",
      description: "Milestones",
      events: feedEvents(
        [plan],
        [
          milestone("m1"),
          milestone("m2", { dueDate: "2027-02-01", completedOn: "2027-01-20", ownerSide: "seller", ownerName: null }),
          milestone("m3", { dueDate: null }),
        ],
        { audience: "seller" },
      ),
    });
    expect(text).toMatch(/DTSTART;VALUE=DATE:20270115/);
    const { calendar, events } = parse(text);
    expect(calendar.getFirstPropertyValue("x-wr-calname")).toBe("Acme: Fleet");
    expect(events.map((e) => e.uid)).toEqual([milestoneUid("m1"), milestoneUid("m2"), goLiveUid("p1")]);
    const [first, done, goLive] = events;
    expect(first.start.isDate).toBe(true);
    expect(first.start.toString()).toBe("2027-01-15");
    expect(first.end.toString()).toBe("2027-01-16");
    expect(first.summary).toBe("Milestone m1 · Acme, Logistics; Inc"); // commas and semicolons survive escaping
    expect(first.description).toContain("Owner: Dana Lee (buyer)");
    expect(first.transp).toBe("TRANSPARENT");
    expect(first.lastModified).toBe("2026-11-25T09:30:00.000Z");
    expect(done.summary.startsWith("✓ ")).toBe(true);
    // A done milestone sits on the day it was done, not on the due date it no longer has to meet.
    expect(done.start.toString()).toBe("2027-01-20");
    expect(done.description).toContain("Done on Wed 20 Jan (it was due Mon 1 Feb).");
    expect(goLive.start.toString()).toBe("2027-03-02");
    expect(goLive.summary).toBe("Go-live · Acme, Logistics; Inc");
  });

  it("move an event when its date moves, keeping its UID", () => {
    const before = parse(buildIcs({ name: "x", description: "x", events: feedEvents([plan], [milestone("m1")], { audience: "seller" }) })).events;
    const movedPlan = { ...plan, goLive: "2027-03-16", updatedAt: new Date("2026-11-28T12:00:00Z"), revision: plan.revision + 2 };
    const moved = parse(
      buildIcs({ name: "x", description: "x", events: feedEvents([movedPlan], [milestone("m1", { dueDate: "2027-01-29" })], { audience: "seller" }) }),
    ).events;
    expect(moved.map((e) => e.uid)).toEqual(before.map((e) => e.uid));
    expect(moved[0].start.toString()).toBe("2027-01-29");
    // The plan changed later than the milestone row: that is the event's last modification.
    expect(moved[0].lastModified).toBe("2026-11-28T12:00:00.000Z");
    // A later revision of each event, so clients that compare SEQUENCE take the moved one.
    expect(before.map((e) => e.sequence)).toEqual([7, 7]);
    expect(moved.map((e) => e.sequence)).toEqual([9, 9]);
  });

  it("name the seller, not the buyer's own company, in a buyer's feed", () => {
    const { events } = parse(buildIcs({ name: "x", description: "x", events: feedEvents([plan], [milestone("m1")], { audience: "buyer" }) }));
    expect(events.map((e) => e.summary)).toEqual(["Milestone m1 · Northwind Analytics", "Go-live · Northwind Analytics"]);
    for (const e of events) {
      expect(e.summary).not.toContain("Acme");
      expect(e.description.split("\n")[0]).toBe("Fleet analytics rollout, with Northwind Analytics");
    }
  });
});
