import { describe, expect, it } from "vitest";
import { isBusy, roundRatios, verdict, type LoadSummary } from "./noise";

const quiet: LoadSummary = { samples: 10, median: 2.4, max: 2.9, cores: 2, busy: false };
const busy: LoadSummary = { ...quiet, median: 9, max: 15, busy: true };

describe("benchmark verdicts under noise", () => {
  it("calls a machine busy when most samples exceed what the bench brings itself (cores + 1)", () => {
    expect(isBusy([2.5, 2.9, 3.0, 2.1], 2)).toBe(false);
    expect(isBusy([2.5, 8, 2, 9], 2)).toBe(false); // half is not most
    expect(isBusy([3.5, 8, 2, 9, 12], 2)).toBe(true);
  });

  it("takes the median of the rounds' own ratios, with the spread and the middle half", () => {
    const r = roundRatios([70, 80, 90, 100, 60], [100, 100, 100, 100, 100]);
    expect(r).toEqual({ ratio: 0.8, min: 0.6, max: 1, lowerQuartile: 0.7, upperQuartile: 0.9, rounds: 5 });
  });

  it("gives OK or MISS by the median when the middle half agrees", () => {
    const atLeast = (target: number) => (ratio: number) => ratio >= target;
    expect(verdict(atLeast(0.7), roundRatios([75, 80, 85, 90, 60], [100, 100, 100, 100, 100]), quiet)).toBe("OK");
    expect(verdict(atLeast(0.95), roundRatios([75, 80, 85, 90, 60], [100, 100, 100, 100, 100]), quiet)).toBe("MISS");
  });

  it("gives no verdict when the middle half straddles the target, or when the machine was busy", () => {
    const atLeast = (ratio: number) => ratio >= 0.8;
    expect(verdict(atLeast, roundRatios([70, 75, 80, 85, 90], [100, 100, 100, 100, 100]), quiet)).toBe("NO VERDICT");
    expect(verdict(atLeast, roundRatios([90, 92, 95, 97, 99], [100, 100, 100, 100, 100]), busy)).toBe("NO VERDICT");
    expect(verdict(() => true, 0, busy)).toBe("NO VERDICT");
    expect(verdict(() => false, 0, null)).toBe("MISS");
  });
});
