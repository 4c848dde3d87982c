import { describe, expect, it } from "vitest";
import { fiscalQuarterIndex } from "~/domain/fiscal-quarters";
import { forecastPeriods, parsePeriodKey } from "~/domain/forecast-periods";
import { parseForecastWindow, WINDOW_QUARTERS_AHEAD, WINDOW_QUARTERS_BACK } from "~/domain/forecast-window";

describe("the window of quarters", () => {
  it("moves the window of quarters forward and back, within a year back and two years ahead", () => {
    const moved = forecastPeriods("2026-12-02", 2, 6, fiscalQuarterIndex("2026-12-02", 2) + 2); // FY2028 Q2 = May–Jul 2027
    expect([moved.thisQuarter.key, moved.nextQuarter.key]).toEqual(["FY2028-Q2", "FY2028-Q3"]);
    expect(moved.months[0]).toMatchObject({ key: "2027-05", start: "2027-05-01" });
    expect(moved.earlier.label).toBe("Before FY2028 Q2");
    expect(moved.later.label).toBe("After FY2028 Q3");

    const current = parseForecastWindow(null, "2026-12-02", 2);
    expect(current).toMatchObject({ ok: true, value: { from: null, isCurrent: true, earlier: "FY2027-Q3", later: "FY2028-Q1" } });
    const ahead = parseForecastWindow("FY2028-Q1", "2026-12-02", 2);
    expect(ahead).toMatchObject({ ok: true, value: { from: "FY2028-Q1", isCurrent: false, earlier: "", later: "FY2028-Q2" } });
    if (!current.ok) throw new Error("unreachable");
    expect(current.value.options).toHaveLength(WINDOW_QUARTERS_BACK + WINDOW_QUARTERS_AHEAD + 1);
    expect(current.value.options[WINDOW_QUARTERS_BACK]).toEqual({ key: "FY2027-Q4", label: "FY2027 Q4 – FY2028 Q1 (now)" });
    expect(parseForecastWindow("FY2030-Q1", "2026-12-02", 2)).toMatchObject({ ok: false, message: "The forecast shows quarters from FY2026 Q4 to FY2029 Q4." });
    expect(parseForecastWindow("FY2030-Q4", "2026-12-02", 2)).toMatchObject({ ok: false });
    expect(parseForecastWindow("next", "2026-12-02", 2)).toMatchObject({ ok: false });
    // "later" in a moved window means after ITS second quarter.
    expect(parsePeriodKey("later", "2026-12-02", 2, fiscalQuarterIndex("2027-05-01", 2))).toMatchObject({ start: "2027-11-01", end: null });
  });
});
