import { describe, expect, it } from "vitest";
import { parseAccuracyWindow } from "~/domain/accuracy-window";

/* Fixed dates: the function takes `today`, so they cannot rot. Start month 2: FY2027 Q4 is Nov 2026 – Jan 2027. */
describe("the accuracy page's window of closed deals", () => {
  it("defaults to the last four finished fiscal quarters, and carries nothing in links", () => {
    const w = parseAccuracyWindow(null, null, "2026-12-05", 2);
    expect(w).toMatchObject({
      ok: true,
      value: { start: "2025-11-01", end: "2026-11-01", label: "FY2026 Q4 – FY2027 Q3", from: null, to: null, isDefault: true },
    });
    if (!w.ok) throw new Error("unreachable");
    expect(w.value.options).toHaveLength(13);
    expect(w.value.options.at(-1)).toEqual({ key: "FY2027-Q4", label: "FY2027 Q4 (so far)" });
    expect(w.value.options[0].key).toBe("FY2024-Q4"); // twelve quarters back
  });

  it("takes any run of quarters up to the current one; the same quarters asked for explicitly are still the default", () => {
    expect(parseAccuracyWindow("FY2027-Q4", "FY2027-Q4", "2026-12-05", 2)).toMatchObject({
      ok: true,
      value: { start: "2026-11-01", end: "2027-02-01", label: "FY2027 Q4", from: "FY2027-Q4", to: "FY2027-Q4" },
    });
    expect(parseAccuracyWindow("FY2026-Q4", "FY2027-Q3", "2026-12-05", 2)).toMatchObject({ ok: true, value: { isDefault: true, from: null } });
    expect(parseAccuracyWindow("FY2027-Q1", null, "2026-12-05", 2)).toMatchObject({
      ok: true,
      value: { start: "2026-02-01", end: "2026-11-01", from: "FY2027-Q1" },
    });
  });

  it("says what to fix: an unknown key, a future quarter, more than three years back, or a window ending before it starts", () => {
    expect(parseAccuracyWindow("next", null, "2026-12-05", 2)).toEqual({
      ok: false,
      message: "“from” isn't a quarter we know: use a fiscal quarter like FY2027-Q3.",
      field: "from",
    });
    expect(parseAccuracyWindow(null, "FY2028-Q1", "2026-12-05", 2)).toEqual({
      ok: false,
      message: "Only closed deals can be measured: “to” can be FY2027 Q4 at the latest.",
      field: "to",
    });
    expect(parseAccuracyWindow("FY2024-Q3", null, "2026-12-05", 2)).toEqual({
      ok: false,
      message: "Accuracy goes back three years: “from” can be FY2024 Q4 at the earliest.",
      field: "from",
    });
    expect(parseAccuracyWindow("FY2027-Q3", "FY2027-Q1", "2026-12-05", 2)).toEqual({
      ok: false,
      message: "The window must start no later than it ends: FY2027 Q3 is after FY2027 Q1.",
      field: "to",
    });
  });
});
