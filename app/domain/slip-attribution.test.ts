import { describe, expect, it } from "vitest";
import { makeCalendar } from "~/domain/calendar";
import { asBuiltChain, attributeSlip, type SlipDeal, type SlipMilestone } from "~/domain/slip-attribution";

/*
 * Small graphs worked out by hand on a Monday–Friday week (2026-03-02 is a Monday). Ready days,
 * expected finishes and overruns below are counted on the fingers, not with the calendar code.
 * The functions are pure and take no clock, so fixed dates cannot rot here.
 */
const weekdays = makeCalendar();

let position = 0;
function m(
  id: string,
  side: SlipMilestone["side"],
  durationDays: number,
  completedOn: string | null,
  dependsOn: string[] = [],
  extra: Partial<SlipMilestone> = {},
): SlipMilestone {
  return { id, title: id, side, durationDays, lagDays: 0, position: position++, completedOn, isClose: false, dependsOn, ...extra };
}

/*
 * A diamond: A (seller, 2 days) → B (buyer, 3 days) and C (seller, 1 day) → D, the close (lag 1).
 * A: ready Mon 2, expected Tue 3, done Tue 3: no overrun.
 * B: ready Wed 4, expected Fri 6, done Fri 13: Mon 9 … Fri 13 = 5 days over.
 * C: ready Wed 4, expected Wed 4, done Mon 9: 3 days over, but B finished later, so C drove nothing.
 * D: after B plus one day's lag, ready Tue 17; closed Thu 19: Wed 18, Thu 19 = 2 days over.
 */
const diamond: SlipDeal = {
  planId: "diamond",
  firstDay: "2026-03-02",
  closedOn: "2026-03-19",
  milestones: [
    m("A", "seller", 2, "2026-03-03"),
    m("B", "buyer", 3, "2026-03-13", ["A"]),
    m("C", "seller", 1, "2026-03-09", ["A"]),
    m("D", "buyer", 0, null, ["B", "C"], { isClose: true, lagDays: 1 }),
  ],
};

describe("the as-built critical path", () => {
  it("follows the predecessor that finished last through a diamond, with the lag before the close", () => {
    const chain = asBuiltChain(diamond, weekdays);
    expect(chain.traced).toBe(true);
    expect(chain.links.map((l) => [l.milestoneId, l.ready, l.expectedFinish, l.finishedOn, l.overrunDays])).toEqual([
      ["A", "2026-03-02", "2026-03-03", "2026-03-03", 0],
      ["B", "2026-03-04", "2026-03-06", "2026-03-13", 5],
      ["D", "2026-03-17", "2026-03-17", "2026-03-19", 2],
    ]);
  });

  it("breaks a tie between predecessors that finished the same day by the lower position", () => {
    const tie: SlipDeal = {
      ...diamond,
      milestones: [
        m("A", "seller", 2, "2026-03-03"),
        m("C", "seller", 1, "2026-03-13", ["A"]),
        m("B", "buyer", 3, "2026-03-13", ["A"]),
        m("D", "buyer", 0, null, ["B", "C"], { isClose: true, lagDays: 1 }),
      ],
    };
    // C sits above B now: ready Wed 4, expected Wed 4, done Fri 13 = Thu 5 … Fri 13 = 7 days over.
    expect(asBuiltChain(tie, weekdays).links.map((l) => [l.milestoneId, l.overrunDays])).toEqual([
      ["A", 0],
      ["C", 7],
      ["D", 2],
    ]);
  });

  it("counts no working days on a holiday inside a milestone nor on a weekend it finished on", () => {
    // E (3 days) ready Thu 5: Thu 5, Fri 6, Mon 9 is Tue 10 when Fri 6 is a holiday. The close
    // after it is ready Wed 11 and signed on Saturday 14: Thu 12 and Fri 13 are over.
    const deal: SlipDeal = {
      planId: "holiday",
      firstDay: "2026-03-05",
      closedOn: "2026-03-14",
      milestones: [m("E", "seller", 3, "2026-03-10"), m("F", "joint", 0, "2026-03-14", ["E"], { isClose: true })],
    };
    const withHoliday = asBuiltChain(deal, makeCalendar({ holidays: ["2026-03-06"] }));
    expect(withHoliday.links.map((l) => [l.milestoneId, l.expectedFinish, l.overrunDays])).toEqual([
      ["E", "2026-03-10", 0],
      ["F", "2026-03-11", 2],
    ]);
    // Without the holiday E was due Mon 9 and is a day over.
    expect(asBuiltChain(deal, weekdays).links.map((l) => l.overrunDays)).toEqual([1, 2]);
  });

  it("leaves a milestone never marked done off the chain, and passes through its completed sibling", () => {
    const deal: SlipDeal = {
      planId: "open",
      firstDay: "2026-03-02",
      closedOn: "2026-03-05",
      milestones: [m("G", "buyer", 1, null), m("K", "seller", 1, "2026-03-03"), m("H", "buyer", 0, null, ["G", "K"], { isClose: true })],
    };
    // K: ready Mon 2, done Tue 3, a day over; H ready Wed 4, signed Thu 5, a day over.
    expect(asBuiltChain(deal, weekdays)).toEqual({
      traced: true,
      links: [
        { milestoneId: "K", title: "K", side: "seller", ready: "2026-03-02", expectedFinish: "2026-03-02", finishedOn: "2026-03-03", overrunDays: 1 },
        { milestoneId: "H", title: "H", side: "buyer", ready: "2026-03-04", expectedFinish: "2026-03-04", finishedOn: "2026-03-05", overrunDays: 1 },
      ],
    });
  });

  it("stops, untraced, at a milestone whose predecessors were none of them marked done, and without a close milestone", () => {
    const deal: SlipDeal = {
      planId: "unknown",
      firstDay: "2026-03-02",
      closedOn: "2026-03-19",
      milestones: [m("G", "buyer", 1, null), m("H", "buyer", 0, null, ["G"], { isClose: true })],
    };
    expect(asBuiltChain(deal, weekdays)).toEqual({ traced: false, links: [] });
    expect(asBuiltChain({ ...deal, milestones: [m("G", "buyer", 1, "2026-03-03")] }, weekdays)).toEqual({ traced: false, links: [] });
  });

  it("ignores a predecessor finished after the milestone it precedes: it held nothing up", () => {
    const deal: SlipDeal = {
      planId: "late-tick",
      firstDay: "2026-03-02",
      closedOn: "2026-03-06",
      milestones: [m("P", "seller", 1, "2026-03-03"), m("Q", "buyer", 1, "2026-03-10"), m("S", "buyer", 0, null, ["P", "Q"], { isClose: true })],
    };
    // S: ready after P, Wed 4; signed Fri 6: Thu 5, Fri 6 = 2 over. Q (ticked on Tue 10) is not on the chain.
    expect(asBuiltChain(deal, weekdays).links.map((l) => [l.milestoneId, l.overrunDays])).toEqual([
      ["P", 1],
      ["S", 2],
    ]);
  });

  it("starts a root on the plan's first working day, so a root that started late carries the delay", () => {
    // First day Saturday 28 Feb: R (2 days) is ready Mon 2, expected Tue 3, done Fri 13 = Wed 4 … Fri 13 = 8 over.
    const deal: SlipDeal = {
      planId: "late-root",
      firstDay: "2026-02-28",
      closedOn: "2026-03-16",
      milestones: [m("R", "buyer", 2, "2026-03-13"), m("S", "seller", 0, null, ["R"], { isClose: true })],
    };
    expect(asBuiltChain(deal, weekdays).links.map((l) => [l.milestoneId, l.ready, l.overrunDays])).toEqual([
      ["R", "2026-03-02", 8],
      ["S", "2026-03-16", 0],
    ]);
  });

  it("does not count the days a milestone waited for the start the plan gave it, only what came after", () => {
    // The plan scheduled R to start Mon 9 (a week after the plan began): ready Mon 9, expected Tue 10,
    // done Fri 13 = Wed 11 … Fri 13 = 3 over, not 8. S, planned for Tue 17 and signed that day, is on time;
    // a planned start earlier than the work allowed changes nothing (T below).
    const deal: SlipDeal = {
      planId: "planned",
      firstDay: "2026-03-02",
      closedOn: "2026-03-17",
      milestones: [
        m("R", "buyer", 2, "2026-03-13", [], { plannedStart: "2026-03-09" }),
        m("T", "joint", 1, "2026-03-16", ["R"], { plannedStart: "2026-03-02" }),
        m("S", "seller", 0, null, ["T"], { isClose: true, plannedStart: "2026-03-17" }),
      ],
    };
    expect(asBuiltChain(deal, weekdays).links.map((l) => [l.milestoneId, l.ready, l.overrunDays])).toEqual([
      ["R", "2026-03-09", 3],
      ["T", "2026-03-16", 0],
      ["S", "2026-03-17", 0],
    ]);
  });
});

describe("slip attribution across deals", () => {
  const second: SlipDeal = {
    planId: "second",
    firstDay: "2026-03-02",
    closedOn: "2026-03-06",
    // security review (the same words as the diamond's B): ready Mon 2, expected Wed 4, done Thu 5 = 1 over;
    // the close ready Fri 6, signed that day.
    milestones: [
      m("s1", "buyer", 3, "2026-03-05", [], { title: "  Security  Review" }),
      m("s2", "seller", 0, null, ["s1"], { isClose: true, title: "Signature" }),
    ],
  };
  const untraced: SlipDeal = { planId: "untraced", firstDay: "2026-03-02", closedOn: "2026-03-06", milestones: [] };

  it("sums overruns by side and by title, most first, with the deals behind each", () => {
    const titled: SlipDeal = {
      ...diamond,
      milestones: diamond.milestones.map((x) => (x.id === "B" ? { ...x, title: "Security review" } : x.id === "D" ? { ...x, title: "Signature" } : x)),
    };
    const a = attributeSlip([titled, second, untraced], weekdays);
    expect(a).toMatchObject({ deals: 3, dealsWithSlip: 2, totalWorkingDays: 5 + 2 + 1, untracedDeals: 1, untracedPlanIds: ["untraced"] });
    expect(a.bySide).toEqual([
      { key: "buyer", label: "Buyer side", workingDays: 5 + 2 + 1, deals: 2, planIds: ["diamond", "second"] },
      { key: "seller", label: "Seller side", workingDays: 0, deals: 0, planIds: [] },
      { key: "joint", label: "Joint", workingDays: 0, deals: 0, planIds: [] },
    ]);
    expect(a.byTitle).toEqual([
      { key: "security review", label: "Security review", workingDays: 5 + 1, deals: 2, planIds: ["diamond", "second"] },
      { key: "signature", label: "Signature", workingDays: 2, deals: 1, planIds: ["diamond"] },
    ]);
  });

  it("puts the side with most slip first", () => {
    const a = attributeSlip([{ ...diamond, milestones: diamond.milestones.map((x) => ({ ...x, side: x.id === "B" ? "joint" : "seller" })) }], weekdays);
    expect(a.bySide.map((s) => [s.key, s.workingDays])).toEqual([
      ["joint", 5],
      ["seller", 2],
      ["buyer", 0],
    ]);
  });

  it("has nothing to attribute without deals", () => {
    expect(attributeSlip([], weekdays)).toMatchObject({ deals: 0, dealsWithSlip: 0, totalWorkingDays: 0, byTitle: [] });
  });
});
