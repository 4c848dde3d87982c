import { describe, expect, it } from "vitest";
import { plural } from "~/domain/words";

describe("plural", () => {
  it("says one thing, many things, and an irregular plural, with the count grouped", () => {
    expect(plural(1, "plan")).toBe("1 plan");
    expect(plural(0, "plan")).toBe("0 plans");
    expect(plural(2, "working day")).toBe("2 working days");
    expect(plural(1, "person", "people")).toBe("1 person");
    expect(plural(4, "person", "people")).toBe("4 people");
    expect(plural(12500, "plan")).toBe("12,500 plans");
  });
});
