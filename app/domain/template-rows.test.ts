import { describe, expect, it } from "vitest";
import { type RawTemplateRow, validateTemplateRows } from "~/domain/template-rows";

describe("validateTemplateRows (the form)", () => {
  const row = (n: number, values: Partial<RawTemplateRow>): RawTemplateRow => ({
    row: n,
    title: "",
    description: "",
    ownerSide: "seller",
    duration: "",
    lag: "",
    dependsOn: "",
    close: "",
    ...values,
  });

  it("ignores blank rows even with an owner side chosen, and refers to rows by their number", () => {
    const result = validateTemplateRows([
      row(1, { title: "Demo", duration: "1" }),
      row(2, {}),
      row(3, { title: "Pricing", duration: "3", dependsOn: "1", close: "true" }),
      row(4, {}),
    ]);
    expect(result).toEqual({
      ok: true,
      milestones: [
        { key: "1", title: "Demo", description: "", ownerSide: "seller", durationDays: 1, lagDays: 0, isClose: false, dependsOn: [] },
        { key: "3", title: "Pricing", description: "", ownerSide: "seller", durationDays: 3, lagDays: 0, isClose: true, dependsOn: ["1"] },
      ],
    });
  });

  it("asks for at least one milestone", () => {
    expect(validateTemplateRows([row(1, {}), row(2, {})])).toEqual({
      ok: false,
      errors: [{ row: 0, message: "Add at least one milestone.", problem: "Add at least one milestone." }],
    });
  });

  it("says 'not a title in this template' for the form", () => {
    const result = validateTemplateRows([row(1, { title: "A", duration: "1", dependsOn: "Legal" })]);
    expect(!result.ok && result.errors[0].message).toBe('Row 1: depends on "Legal", which is not a title in this template');
  });
});
