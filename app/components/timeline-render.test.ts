import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { Timeline, type TimelineMilestone, type TimelineProps } from "~/components/timeline";

function milestone(id: string, overrides: Partial<TimelineMilestone> = {}): TimelineMilestone {
  return {
    id,
    title: `Milestone ${id}`,
    ownerSide: "seller",
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

const props: TimelineProps = {
  today: "2027-01-12",
  goLive: "2027-03-01",
  projectedGoLive: "2027-03-05",
  milestones: [
    milestone("discovery", {
      title: "Discovery",
      ownerSide: "joint",
      start: "2026-12-07",
      due: "2026-12-11",
      projectedFinish: "2026-12-11",
      completedOn: "2026-12-11",
      status: "done",
    }),
    milestone("security", {
      title: "Security review",
      ownerSide: "buyer",
      start: "2027-01-11",
      due: "2027-01-22",
      projectedStart: "2027-01-13",
      projectedFinish: "2027-01-26",
      status: "at_risk",
      dependsOn: ["discovery"],
    }),
    milestone("board", {
      title: "Board approval",
      ownerSide: "buyer",
      start: "2027-01-06",
      due: "2027-01-08",
      projectedStart: "2027-01-12",
      projectedFinish: "2027-01-14",
      pinnedDate: "2027-01-08",
      status: "overdue",
    }),
    milestone("signature", {
      title: "Contract signature",
      ownerSide: "joint",
      start: "2027-02-10",
      due: "2027-02-10",
      projectedStart: "2027-02-12",
      projectedFinish: "2027-02-12",
      durationDays: 0,
      isClose: true,
      status: "at_risk",
      dependsOn: ["security", "board"],
    }),
    milestone("training", { title: "Training", ownerSide: "seller", status: null }),
  ],
};

const render = (p: TimelineProps) => renderToStaticMarkup(createElement(Timeline, p));

/** The markup of the element carrying `data-bar="id"`, up to its closing tag. */
function barMarkup(html: string, id: string): string {
  const start = html.indexOf(`data-bar="${id}"`);
  expect(start).toBeGreaterThan(-1);
  const open = html.lastIndexOf("<g", start);
  let depth = 0;
  const tag = /<(\/?)g[\s>]/g;
  tag.lastIndex = open;
  for (let match = tag.exec(html); match; match = tag.exec(html)) {
    depth += match[1] ? -1 : 1;
    if (depth === 0) return html.slice(open, match.index);
  }
  throw new Error("unbalanced <g>");
}

describe("Timeline markup", () => {
  it("renders a scalable, scrollable SVG", () => {
    const html = render(props);
    expect(html).toMatch(/<svg[^>]*viewBox="0 0 960 \d+"/);
    expect(html).toMatch(/<svg[^>]*role="img"/);
    expect(html).toContain("min-width:640px");
    expect(html).toContain("overflow-x:auto");
    expect(html).toMatch(/<svg[^>]*>\s*<title[^>]*>/);
    expect(html).toContain("<desc");
  });

  it("draws one bar per scheduled milestone and none for an unscheduled one", () => {
    const html = render(props);
    const bars = [...html.matchAll(/data-bar="([^"]+)"/g)].map((m) => m[1]);
    expect(bars).toEqual(["discovery", "security", "board", "signature"]);
    expect(html).toContain("Not scheduled yet");
    expect(html).toContain(">Training</text>");
  });

  it("draws today, go-live and the later projected go-live with their labels", () => {
    const html = render(props);
    expect(html).toMatch(/data-line="today"[\s\S]*?>Today<\/text>/);
    expect(html).toMatch(/data-line="goLive"[\s\S]*?>Go-live<\/text>/);
    expect(html).toMatch(/data-line="projectedGoLive"[\s\S]*?>Projected<\/text>/);
    // On time: no projected line.
    const onTime = render({ ...props, projectedGoLive: "2027-03-01" });
    expect(onTime).not.toContain('data-line="projectedGoLive"');
    expect(onTime).toContain('data-line="goLive"');
  });

  it("summarises the chart in its aria-label", () => {
    const html = render(props);
    // The year shows only where it is not today's.
    expect(html).toContain('aria-label="Timeline of 5 milestones from Mon 7 Dec 2026 to Fri 5 Mar; 2 at risk; 1 overdue"');
    const one = render({ ...props, milestones: props.milestones.slice(0, 2) });
    expect(one).toMatch(/aria-label="Timeline of 2 milestones from [^"]*; 1 at risk"/);
    const empty = render({ ...props, milestones: [] });
    expect(empty).toContain('aria-label="Timeline of 0 milestones from Tue 12 Jan to Fri 5 Mar"');
    expect(empty).toContain("No milestones yet");
  });

  it("has a legend telling the owner sides apart by more than colour", () => {
    const html = render(props);
    for (const side of ["seller", "buyer", "joint"]) expect(html).toContain(`data-legend="${side}"`);
    expect(html).toMatch(/data-legend="buyer"[\s\S]*?>Buyer<\/text>/);
    expect(html).toMatch(/data-legend="seller"[\s\S]*?>Seller<\/text>/);
    expect(html).toMatch(/data-legend="joint"[\s\S]*?>Joint<\/text>/);
    // Buyer bars are hatched; seller bars are not.
    expect(barMarkup(html, "security")).toMatch(/fill="url\(#[^)]+-hatch\)"/);
    const seller = render({
      ...props,
      milestones: [milestone("s", { start: "2027-01-11", due: "2027-01-15", ownerSide: "seller" })],
    });
    expect(barMarkup(seller, "s")).not.toContain("-hatch)");
  });

  it("marks at-risk and overdue bars, pins and the close", () => {
    const html = render(props);
    const security = barMarkup(html, "security");
    expect(security).toContain('data-marker="at_risk"');
    expect(security).toContain('stroke="#d97706"');
    const board = barMarkup(html, "board");
    expect(board).toContain('data-marker="overdue"');
    expect(board).toContain('data-marker="pinned"');
    expect(board).toContain('stroke="#dc2626"');
    const discovery = barMarkup(html, "discovery");
    expect(discovery).toContain('data-marker="done"');
    expect(discovery).not.toContain('data-marker="at_risk"');
    expect(barMarkup(html, "signature")).toContain(">Signature</text>");
  });

  it("describes each bar in its tooltip", () => {
    const html = render(props);
    expect(barMarkup(html, "security")).toContain("<title>Security review — Buyer — 2027-01-11 → 2027-01-22, likely to finish 2027-01-26, at risk</title>");
    expect(barMarkup(html, "discovery")).toContain("completed 2026-12-11, done");
  });

  it("draws dependency arrows with arrowheads", () => {
    const html = render(props);
    expect(html).toMatch(/<marker[^>]*id="([^"]+-arrow)"/);
    const arrows = [...html.matchAll(/<polyline data-from="([^"]+)" data-to="([^"]+)"[^>]*marker-end="url\(#[^)]+-arrow\)"/g)];
    expect(arrows.map((m) => `${m[1]} → ${m[2]}`)).toEqual(["discovery → security", "security → signature", "board → signature"]);
  });

  it("escapes titles", () => {
    const html = render({
      ...props,
      milestones: [milestone("x", { title: '<script>alert("x")</script> & co', start: "2027-01-11", due: "2027-01-15" })],
    });
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain("&amp; co");
  });

  it("renders the same markup twice (no clock, no randomness)", () => {
    expect(render(props)).toBe(render(props));
  });

  it("keeps the ids of two different charts apart, even rendered separately", () => {
    const ids = (html: string) => [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    const first = ids(render(props));
    const second = ids(render({ ...props, milestones: props.milestones.slice(1) }));
    expect(first.length).toBeGreaterThan(3);
    expect(first.filter((id) => second.includes(id))).toEqual([]);
  });
});
