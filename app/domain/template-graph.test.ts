import { describe, expect, it } from "vitest";
import { checkTemplateGraph, templateLeadTimes } from "~/domain/template-graph";
import { type TemplateMilestoneInput } from "~/domain/template-rows";

describe("checkTemplateGraph", () => {
  const m = (key: string, dependsOn: string[] = [], isClose = false): TemplateMilestoneInput => ({
    key,
    title: key.toUpperCase(),
    ownerSide: "seller",
    durationDays: 1,
    dependsOn,
    isClose,
  });

  it("accepts a DAG and reports a cycle by title, an unknown key, and several closes", () => {
    expect(checkTemplateGraph([m("a"), m("b", ["a"]), m("c", ["a", "b"], true)])).toEqual([]);
    expect(checkTemplateGraph([m("a", ["c"]), m("b", ["a"]), m("c", ["b"])])).toEqual([
      // In the order work flows: A comes before B (B depends on A), B before C, C before A.
      { kind: "cycle", keys: ["a", "b", "c"], message: "the dependencies form a cycle: A → B → C → A. Remove one of these dependencies" },
    ]);
    expect(checkTemplateGraph([m("a", ["zz"])])[0].kind).toBe("unknown_dependency");
    expect(checkTemplateGraph([m("a", [], true), m("b", [], true)])[0]).toMatchObject({ kind: "several_close", keys: ["a", "b"] });
  });
});

describe("templateLeadTimes", () => {
  it("places milestones in working days before go-live, as the scheduler does (the spec's worked example)", () => {
    const leadTimes = templateLeadTimes([
      { key: "sign", title: "Sign", ownerSide: "buyer", durationDays: 0, isClose: true },
      { key: "train", title: "Train", ownerSide: "seller", durationDays: 3, dependsOn: ["sign"] },
    ]);
    // train: due the working day before go-live, starts 2 working days earlier; sign: the day before train starts.
    expect(leadTimes).toEqual([
      { key: "sign", startsBefore: 4, dueBefore: 4 },
      { key: "train", startsBefore: 3, dueBefore: 1 },
    ]);
  });

  it("counts lags, and gives null for a graph that cannot be scheduled", () => {
    const leadTimes = templateLeadTimes([
      { key: "a", title: "A", ownerSide: "buyer", durationDays: 5 },
      { key: "b", title: "B", ownerSide: "buyer", durationDays: 1, lagDays: 2, dependsOn: ["a"] },
    ]);
    expect(leadTimes).toEqual([
      { key: "a", startsBefore: 8, dueBefore: 4 },
      { key: "b", startsBefore: 1, dueBefore: 1 },
    ]);
    expect(templateLeadTimes([{ key: "a", title: "A", ownerSide: "buyer", durationDays: 1, dependsOn: ["a"] }])).toBeNull();
  });
});
