import { describe, expect, it } from "vitest";

import { addCalendarDays, toDayNumber, weekday } from "~/domain/calendar";
import { estimateTextWidth, layoutTimeline, truncateToWidth, type TimelineLayoutInput, type TimelineLayoutMilestone } from "~/domain/timeline-layout";

function milestone(id: string, overrides: Partial<TimelineLayoutMilestone> = {}): TimelineLayoutMilestone {
  return {
    id,
    title: `Milestone ${id}`,
    start: null,
    due: null,
    projectedStart: null,
    projectedFinish: null,
    completedOn: null,
    pinnedDate: null,
    isClose: false,
    durationDays: 5,
    status: "on_track",
    dependsOn: [],
    ...overrides,
  };
}

// Go-live Mon 1 Mar 2027, seen on Mon 4 Jan 2027.
const base: TimelineLayoutInput = {
  today: "2027-01-04",
  goLive: "2027-03-01",
  projectedGoLive: "2027-03-01",
  milestones: [
    milestone("security", {
      start: "2027-01-11",
      due: "2027-01-22",
      projectedStart: "2027-01-04",
      projectedFinish: "2027-01-15",
    }),
    milestone("legal", {
      start: "2027-01-25",
      due: "2027-02-05",
      projectedStart: "2027-01-18",
      projectedFinish: "2027-01-29",
      dependsOn: ["security"],
    }),
    milestone("sign", {
      start: "2027-02-08",
      due: "2027-02-08",
      projectedStart: "2027-02-01",
      projectedFinish: "2027-02-01",
      durationDays: 0,
      isClose: true,
      dependsOn: ["legal"],
    }),
    milestone("train", {
      start: "2027-02-09",
      due: "2027-02-26",
      projectedStart: "2027-02-02",
      projectedFinish: "2027-02-19",
      dependsOn: ["sign"],
    }),
  ],
};

const WIDTH = 960;

describe("layoutTimeline", () => {
  it("places later days further right, one column per day", () => {
    const layout = layoutTimeline(base, { width: WIDTH });
    expect(layout.range).not.toBeNull();
    const ticks = layout.weekTicks.map((t) => t.x);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]).toBeGreaterThan(ticks[i - 1]);
    // Week ticks are seven columns apart.
    expect(ticks[1] - ticks[0]).toBeCloseTo(7 * layout.dayWidth, 1);

    const starts = layout.rows.map((r) => r.planned!.x);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    // today < go-live on the calendar, so on the chart too.
    expect(layout.markers.today!.x).toBeLessThan(layout.markers.goLive!.x);
    expect(layout.rows[0].planned!.x).toBeLessThan(layout.rows[1].planned!.x);
  });

  it("gives a bar the width of its inclusive day span", () => {
    const layout = layoutTimeline(base, { width: WIDTH });
    const security = layout.rows[0].planned!;
    // 11 Jan → 22 Jan is 12 calendar days, both ends included.
    expect(security.days).toBe(12);
    expect(security.width).toBeCloseTo(12 * layout.dayWidth, 1);
    // The bar ends where the day after its due date begins.
    const dueEnd = layout.plot.left + (toDayNumber("2027-01-23") - toDayNumber(layout.range!.from)) * layout.dayWidth;
    expect(security.x + security.width).toBeCloseTo(dueEnd, 1);
    // A one-day milestone is one column wide, not zero.
    const oneDay = layoutTimeline({ ...base, milestones: [milestone("a", { start: "2027-02-10", due: "2027-02-10", durationDays: 1 })] }, { width: WIDTH });
    expect(oneDay.rows[0].planned!.width).toBeCloseTo(oneDay.dayWidth, 1);
  });

  it("covers go-live, the projected go-live and today, on whole weeks from a Monday", () => {
    const late = { ...base, today: "2026-11-20", projectedGoLive: "2027-03-12" };
    const layout = layoutTimeline(late, { width: WIDTH });
    const { from, to } = layout.range!;
    expect(from <= "2026-11-20").toBe(true);
    expect(to >= "2027-03-12").toBe(true);
    expect(weekday(from)).toBe(1);
    expect(weekday(to)).toBe(7);
    expect(layout.markers.today!.x).toBeGreaterThanOrEqual(layout.plot.left);
    expect(layout.markers.projectedGoLive!.x).toBeLessThanOrEqual(layout.plot.right);
    expect(layout.markers.projectedGoLive!.visible).toBe(true);
    expect(layout.markers.goLive!.x).toBeLessThan(layout.markers.projectedGoLive!.x);
    expect(layout.span).toEqual({ from: "2026-11-20", to: "2027-03-12" });
  });

  it("hides the projected go-live line when the plan is on time", () => {
    const layout = layoutTimeline(base, { width: WIDTH });
    expect(layout.markers.projectedGoLive!.visible).toBe(false);
    expect(layoutTimeline({ ...base, projectedGoLive: null }, { width: WIDTH }).markers.projectedGoLive).toBeNull();
  });

  it("keeps a sane minimum span for a tiny plan", () => {
    const tiny = { today: "2027-02-24", goLive: "2027-03-01", projectedGoLive: null, milestones: [] };
    const layout = layoutTimeline(tiny, { width: WIDTH });
    expect(layout.range!.days).toBeGreaterThanOrEqual(21);
    expect(layout.dayWidth).toBeLessThan(40);
  });

  it("draws arrows from the predecessor's finish to the dependent's start", () => {
    const layout = layoutTimeline(base, { width: WIDTH });
    expect(layout.arrows.map((a) => [a.fromId, a.toId, a.fromRow, a.toRow])).toEqual([
      ["security", "legal", 0, 1],
      ["legal", "sign", 1, 2],
      ["sign", "train", 2, 3],
    ]);
    for (const arrow of layout.arrows) {
      const from = layout.rows[arrow.fromRow];
      const to = layout.rows[arrow.toRow];
      const first = arrow.points[0];
      const last = arrow.points[arrow.points.length - 1];
      expect(first).toEqual({ x: from.anchorOutX, y: from.midY });
      expect(last).toEqual({ x: to.anchorInX, y: to.midY });
      // Orthogonal: every segment is horizontal or vertical, and the last one runs rightwards.
      for (let i = 1; i < arrow.points.length; i++) {
        const a = arrow.points[i - 1];
        const b = arrow.points[i];
        expect(a.x === b.x || a.y === b.y).toBe(true);
      }
      expect(last.x).toBeGreaterThan(arrow.points[arrow.points.length - 2].x);
    }
    // The bar's finish is its right edge; the event's is the right tip of its diamond.
    const security = layout.rows[0];
    expect(security.anchorOutX).toBeCloseTo(security.planned!.x + security.planned!.width, 1);
    expect(layout.rows[2].kind).toBe("event");
  });

  it("routes around when the dependent starts right after its predecessor", () => {
    const tight: TimelineLayoutInput = {
      ...base,
      milestones: [
        milestone("a", { start: "2027-01-11", due: "2027-01-14" }),
        milestone("b", { start: "2027-01-15", due: "2027-01-21", dependsOn: ["a"] }),
        // Listed above its predecessor: the arrow goes up.
        milestone("c", { start: "2027-01-25", due: "2027-01-29", dependsOn: ["d"] }),
        milestone("d", { start: "2027-01-25", due: "2027-01-26" }),
      ],
    };
    const layout = layoutTimeline(tight, { width: 700 });
    const [ab, dc] = layout.arrows;
    expect(ab.points.length).toBe(6);
    expect(ab.points[0].y).toBe(layout.rows[0].midY);
    expect(ab.points[5].y).toBe(layout.rows[1].midY);
    expect(dc.fromRow).toBe(3);
    expect(dc.toRow).toBe(2);
    expect(dc.points[dc.points.length - 1]).toEqual({ x: layout.rows[2].anchorInX, y: layout.rows[2].midY });
  });

  it("ignores unknown, duplicate and self dependencies instead of throwing", () => {
    const odd: TimelineLayoutInput = {
      ...base,
      milestones: [
        milestone("a", { start: "2027-01-11", due: "2027-01-15", dependsOn: ["ghost", "a"] }),
        milestone("b", { start: "2027-01-25", due: "2027-01-29", dependsOn: ["a", "a", "nope"] }),
      ],
    };
    const layout = layoutTimeline(odd, { width: WIDTH });
    expect(layout.arrows.map((a) => `${a.fromId}->${a.toId}`)).toEqual(["a->b"]);
  });

  it("lays out an empty plan as an empty chart", () => {
    const layout = layoutTimeline({ today: "2027-01-04", goLive: "2027-03-01", projectedGoLive: null, milestones: [] }, { width: WIDTH });
    expect(layout.rows).toEqual([]);
    expect(layout.arrows).toEqual([]);
    expect(layout.counts).toEqual({ milestones: 0, scheduled: 0, done: 0, atRisk: 0, overdue: 0 });
    expect(layout.plot.bottom).toBe(layout.plot.top);

    // Without a single usable date there is nothing to place at all.
    const nothing = layoutTimeline({ today: "", goLive: "not a date", projectedGoLive: null, milestones: [] }, { width: WIDTH });
    expect(nothing.range).toBeNull();
    expect(nothing.weekTicks).toEqual([]);
    expect(nothing.markers).toEqual({ today: null, goLive: null, projectedGoLive: null });
  });

  it("uses completedOn for a done milestone, not its projection", () => {
    const done: TimelineLayoutInput = {
      ...base,
      milestones: [
        milestone("discovery", {
          start: "2027-01-04",
          due: "2027-01-08",
          projectedStart: "2027-01-11",
          projectedFinish: "2027-01-15",
          completedOn: "2026-12-11",
          status: "done",
        }),
      ],
    };
    const layout = layoutTimeline(done, { width: WIDTH });
    const row = layout.rows[0];
    expect(row.completed?.date).toBe("2026-12-11");
    expect(row.projected).toBeNull();
    // Range reaches back to the completion, and the check sits in the middle of that day.
    expect(layout.range!.from <= "2026-12-11").toBe(true);
    const column = layout.plot.left + (toDayNumber("2026-12-11") - toDayNumber(layout.range!.from)) * layout.dayWidth;
    expect(row.completed!.x).toBeCloseTo(column + layout.dayWidth / 2, 1);
    expect(layout.counts.done).toBe(1);
  });

  it("shows a projection only when it differs from the plan", () => {
    const layout = layoutTimeline(
      {
        ...base,
        milestones: [
          milestone("same", { start: "2027-01-11", due: "2027-01-15", projectedStart: "2027-01-11", projectedFinish: "2027-01-15" }),
          milestone("late", {
            start: "2027-01-11",
            due: "2027-01-15",
            projectedStart: "2027-01-13",
            projectedFinish: "2027-01-19",
            status: "at_risk",
          }),
        ],
      },
      { width: WIDTH },
    );
    expect(layout.rows[0].projected).toBeNull();
    expect(layout.rows[1].projected).toMatchObject({ from: "2027-01-13", to: "2027-01-19", days: 7 });
    expect(layout.rows[1].projected!.x + layout.rows[1].projected!.width).toBeGreaterThan(layout.rows[1].planned!.x + layout.rows[1].planned!.width);
    expect(layout.counts.atRisk).toBe(1);
  });

  it("lists unscheduled milestones in input order without a bar", () => {
    const layout = layoutTimeline({ ...base, milestones: [milestone("later"), ...base.milestones, milestone("bad", { due: "2027-02-30" })] }, { width: WIDTH });
    expect(layout.rows.map((r) => r.id)).toEqual(["later", "security", "legal", "sign", "train", "bad"]);
    expect(layout.rows[0]).toMatchObject({ kind: "unscheduled", planned: null, anchorInX: null });
    expect(layout.rows[5].kind).toBe("unscheduled");
    expect(layout.counts).toMatchObject({ milestones: 6, scheduled: 4 });
    for (let i = 1; i < layout.rows.length; i++) expect(layout.rows[i].y).toBeGreaterThan(layout.rows[i - 1].y);
  });

  it("labels Mondays, and months where they change", () => {
    const layout = layoutTimeline(base, { width: WIDTH });
    for (const tick of layout.weekTicks) expect(weekday(tick.date)).toBe(1);
    const labelled = layout.weekTicks.filter((t) => t.label !== null);
    expect(labelled.length).toBeGreaterThan(3);
    expect(labelled.find((t) => t.date === "2027-02-01")?.label).toBe("1 Feb");
    const months = layout.monthTicks.filter((t) => t.label !== null).map((t) => t.label);
    expect(months).toContain("Feb 2027");
    expect(months).toContain("Mar 2027");
    for (const tick of layout.monthTicks.filter((t) => t.x > layout.plot.left)) expect(tick.date.endsWith("-01")).toBe(true);
  });

  it("thins axis labels on a long plan so they never overlap", () => {
    const long = { ...base, today: "2026-01-05", goLive: "2027-12-06", projectedGoLive: null };
    const layout = layoutTimeline(long, { width: 700 });
    const labels = layout.weekTicks.filter((t) => t.label !== null);
    for (let i = 1; i < labels.length; i++) {
      expect(labels[i].x - labels[i - 1].x).toBeGreaterThan(estimateTextWidth(labels[i - 1].label!) + 4);
    }
    const months = layout.monthTicks.filter((t) => t.label !== null);
    for (let i = 1; i < months.length; i++) {
      expect(months[i].x - months[i - 1].x).toBeGreaterThan(estimateTextWidth(months[i - 1].label!) + 4);
    }
    expect(layout.weekTicks.length).toBeLessThan(150);
  });

  it("keeps the Today, Go-live and Projected labels apart", () => {
    const crowded = { ...base, today: "2027-02-26", projectedGoLive: "2027-03-02" };
    const layout = layoutTimeline(crowded, { width: 640 });
    const boxes = [layout.markers.today!, layout.markers.goLive!, layout.markers.projectedGoLive!];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        const apart = a.labelY !== b.labelY || a.labelX + a.labelWidth <= b.labelX || b.labelX + b.labelWidth <= a.labelX;
        expect(apart).toBe(true);
      }
      expect(boxes[i].labelX + boxes[i].labelWidth).toBeLessThanOrEqual(640);
    }
    expect(layout.plot.top).toBeGreaterThan(layout.header.markerBandTop);
  });

  it("truncates long titles with an ellipsis and keeps the full title", () => {
    const title = "Security review, penetration test and the InfoSec questionnaire for the data processing addendum";
    const layout = layoutTimeline({ ...base, milestones: [milestone("s", { title, start: "2027-01-11", due: "2027-01-22" })] }, { width: WIDTH });
    const row = layout.rows[0];
    expect(row.title).toBe(title);
    expect(row.truncated).toBe(true);
    expect(row.label.endsWith("…")).toBe(true);
    expect(estimateTextWidth(row.label)).toBeLessThanOrEqual(layout.labelColumn.width);
    expect(truncateToWidth("Kickoff", 200)).toEqual({ text: "Kickoff", truncated: false });
  });

  // How fast is for `npm run bench` (the plan page's latency), not a wall-clock bound here that a
  // busy machine fails: this checks what a long plan must still get.
  it("lays out 300 milestones: one row each, in order, and an arrow for every dependency", () => {
    const milestones: TimelineLayoutMilestone[] = [];
    for (let i = 0; i < 300; i++) {
      const start = addCalendarDays("2027-01-04", i);
      milestones.push(
        milestone(`m${i}`, {
          start,
          due: addCalendarDays(start, 4),
          projectedStart: addCalendarDays(start, 2),
          projectedFinish: addCalendarDays(start, 6),
          dependsOn: i > 0 ? [`m${i - 1}`, `m${Math.floor(i / 2)}`] : [],
        }),
      );
    }
    const layout = layoutTimeline({ today: "2027-01-04", goLive: "2028-01-03", projectedGoLive: null, milestones }, { width: WIDTH });
    expect(layout.rows.map((r) => r.id)).toEqual(milestones.map((m) => m.id));
    expect(layout.rows.every((r, i) => i === 0 || r.y > layout.rows[i - 1].y)).toBe(true);
    // m1 … m299 each follow the one before; m3 … m299 also follow m(i/2) (m1 and m2 name m0 and m1 twice).
    expect(layout.arrows.length).toBe(299 + 297);
    expect(new Set(layout.arrows.map((a) => `${a.fromId}>${a.toId}`)).size).toBe(layout.arrows.length);
  });
});
