import { describe, expect, it } from "vitest";
import { projectedFinishWords } from "~/domain/projection";

describe("words for a projected finish beside a due date", () => {
  it("says 'could finish by' when the work can be done before it is due", () => {
    expect(projectedFinishWords("2027-03-03", "2027-03-10")).toBe("could finish by");
  });
  it("says 'likely to finish' when the projection is past the due date", () => {
    expect(projectedFinishWords("2027-03-12", "2027-03-10")).toBe("likely to finish");
  });
  it("says nothing when they agree or one is missing", () => {
    expect(projectedFinishWords("2027-03-10", "2027-03-10")).toBeNull();
    expect(projectedFinishWords(null, "2027-03-10")).toBeNull();
  });
});
