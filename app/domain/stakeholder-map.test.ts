import { describe, expect, it } from "vitest";
import { describeActivity } from "~/domain/activity";
import { forBuyer } from "~/domain/buyer-view";
import { describeAtRiskReason, economicBuyerReasons } from "~/domain/forecast-risk";
import { CHART_BOX, layoutOrgChart, reportsToProblem, STAKEHOLDER_MAPPED_ACTION, STAKEHOLDER_NOTES_ACTION, type ChartBox } from "~/domain/stakeholder-map";
import { stakeholderMapSchema } from "~/domain/stakeholder-map-schema";

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";
const C = "00000000-0000-4000-8000-00000000000c";
const D = "00000000-0000-4000-8000-00000000000d";
const S = "00000000-0000-4000-8000-000000000005";

function overlaps(a: ChartBox, b: ChartBox) {
  const { width, height } = CHART_BOX;
  return a.x < b.x + width && b.x < a.x + width && a.y < b.y + height && b.y < a.y + height;
}

function expectNoOverlaps(boxes: ChartBox[]) {
  for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(overlaps(a, b), `${a.id} overlaps ${b.id}`).toBe(false);
}

describe("the org chart's layout", () => {
  it("puts reports in the row below, their manager centred over them, without overlaps", () => {
    const layout = layoutOrgChart([
      { id: A, reports_to_id: null },
      { id: B, reports_to_id: A },
      { id: C, reports_to_id: A },
      { id: D, reports_to_id: B },
    ]);
    const at = new Map(layout.boxes.map((b) => [b.id, b]));
    expect(at.get(A)!.depth).toBe(0);
    expect(at.get(B)!.depth).toBe(1);
    expect(at.get(C)!.depth).toBe(1);
    expect(at.get(D)!.depth).toBe(2);
    expect(at.get(D)!.y).toBeGreaterThan(at.get(B)!.y);
    expect(at.get(B)!.y).toBeGreaterThan(at.get(A)!.y);
    expect(at.get(A)!.x).toBe((at.get(B)!.x + at.get(C)!.x) / 2);
    expect(at.get(B)!.x).toBe(at.get(D)!.x);
    expectNoOverlaps(layout.boxes);
    expect(layout.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual([`${A}>${B}`, `${A}>${C}`, `${B}>${D}`].sort());
    // Every box and line fits inside the picture.
    for (const b of layout.boxes) {
      expect(b.x + CHART_BOX.width).toBeLessThanOrEqual(layout.width);
      expect(b.y + CHART_BOX.height).toBeLessThanOrEqual(layout.height);
    }
    const edge = layout.edges.find((e) => e.to === D)!;
    expect(edge.points[0]).toEqual([at.get(B)!.x + CHART_BOX.width / 2, at.get(B)!.y + CHART_BOX.height]);
    expect(edge.points[edge.points.length - 1]).toEqual([at.get(D)!.x + CHART_BOX.width / 2, at.get(D)!.y]);
  });

  it("stands several roots, and people whose manager is not mapped, side by side", () => {
    const layout = layoutOrgChart([
      { id: A, reports_to_id: null },
      { id: B, reports_to_id: null },
      { id: C, reports_to_id: S }, // their manager is not on the map
      { id: D, reports_to_id: B },
    ]);
    const roots = layout.boxes.filter((b) => b.depth === 0).map((b) => b.id);
    expect(roots.sort()).toEqual([A, B, C].sort());
    expect(layout.boxes.map((b) => b.id)).toEqual([A, B, C, D]);
    expectNoOverlaps(layout.boxes);
    expect(layout.edges).toHaveLength(1);
  });

  it("draws an empty picture for nobody and cuts a loop rather than losing people", () => {
    expect(layoutOrgChart([])).toEqual({ boxes: [], edges: [], width: 0, height: 0 });
    const loop = layoutOrgChart([
      { id: A, reports_to_id: B },
      { id: B, reports_to_id: A },
    ]);
    expect(loop.boxes.map((b) => b.id).sort()).toEqual([A, B].sort());
    expectNoOverlaps(loop.boxes);
  });

  it("keeps a wide team free of overlaps", () => {
    const people = [{ id: "root", reports_to_id: null as string | null }];
    for (let i = 0; i < 12; i++) people.push({ id: `m${i}`, reports_to_id: i < 3 ? "root" : `m${i % 3}` });
    const layout = layoutOrgChart(people);
    expect(layout.boxes).toHaveLength(13);
    expectNoOverlaps(layout.boxes);
  });
});

describe("reports-to", () => {
  const people = [
    { id: A, side: "buyer" as const, reports_to_id: null },
    { id: B, side: "buyer" as const, reports_to_id: A },
    { id: C, side: "buyer" as const, reports_to_id: B },
    { id: S, side: "seller" as const, reports_to_id: null },
  ];
  it("accepts a manager on the buyer's side and nobody", () => {
    expect(reportsToProblem(people, C, A)).toBeNull();
    expect(reportsToProblem(people, A, null)).toBeNull();
  });
  it("refuses themselves, a seller, someone unknown and a loop", () => {
    expect(reportsToProblem(people, A, A)).toMatch(/themselves/);
    expect(reportsToProblem(people, A, S)).toMatch(/buyer's side/);
    expect(reportsToProblem(people, A, D)).toMatch(/buyer's side/);
    expect(reportsToProblem(people, A, C)).toMatch(/loop/);
    expect(reportsToProblem(people, A, B)).toMatch(/loop/);
  });
});

describe("the map's form", () => {
  it("reads empty selects as not set and trims the note", () => {
    expect(stakeholderMapSchema.parse({ decisionRole: "", reportsToId: "", influence: "", sentiment: "", privateNote: "  keen  " })).toEqual({
      decisionRole: null,
      reportsToId: null,
      influence: null,
      sentiment: null,
      privateNote: "keen",
    });
  });
  it("names each bad field", () => {
    const parsed = stakeholderMapSchema.safeParse({
      decisionRole: "boss",
      reportsToId: "x",
      influence: "huge",
      sentiment: "angry",
      privateNote: "n".repeat(2001),
    });
    expect(parsed.success).toBe(false);
    expect(Object.keys(parsed.error!.flatten().fieldErrors).sort()).toEqual(["decisionRole", "influence", "privateNote", "reportsToId", "sentiment"]);
  });
});

describe("the map in the log", () => {
  const mapped = {
    action: STAKEHOLDER_MAPPED_ACTION,
    actorName: "Ana",
    actorSide: "seller" as const,
    subject: "Dana",
    changes: { decision_role: { before: null, after: "economic_buyer" }, reports_to: { before: null, after: "Sam Lee" } },
    reason: null,
  };
  const notes = {
    ...mapped,
    action: STAKEHOLDER_NOTES_ACTION,
    changes: { sentiment: { before: null, after: "detractor" }, private_note_length: { before: 0, after: 20 } },
  };
  it("reads for the rep without the note's text", () => {
    expect(describeActivity(mapped)).toBe("Ana (seller) mapped “Dana”: role economic buyer; reports to Sam Lee");
    expect(describeActivity({ ...mapped, changes: { reports_to: { before: "Sam Lee", after: null } } })).toBe(
      "Ana (seller) mapped “Dana”: no longer reports to Sam Lee",
    );
    expect(describeActivity(notes)).toBe("Ana (seller) updated the private notes on “Dana”");
    expect(describeActivity(notes)).not.toContain("detractor");
  });
  it("is never read for a buyer", () => {
    expect(forBuyer(mapped)).toBeNull();
    expect(forBuyer(notes)).toBeNull();
  });
});

describe("the economic buyer's signal", () => {
  it("names a missing or unseen economic buyer", () => {
    expect(economicBuyerReasons("none").map(describeAtRiskReason)).toEqual(["No economic buyer named"]);
    expect(economicBuyerReasons("unseen").map(describeAtRiskReason)).toEqual(["The economic buyer never opened the plan"]);
    expect(economicBuyerReasons("seen")).toEqual([]);
  });
});
