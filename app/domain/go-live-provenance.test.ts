import { describe, expect, it } from "vitest";
import { provenanceOf } from "~/domain/go-live-provenance";

describe("go-live provenance", () => {
  it("calls a plan customer-confirmed only when a buyer confirmed its go-live", () => {
    expect(provenanceOf({ goLiveConfirmedAt: "2026-11-02T10:00:00Z" })).toBe("confirmed");
    expect(provenanceOf({ goLiveConfirmedAt: new Date() })).toBe("confirmed");
    expect(provenanceOf({ goLiveConfirmedAt: null })).toBe("proposed");
  });
});
