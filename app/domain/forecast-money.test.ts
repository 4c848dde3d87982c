import { describe, expect, it } from "vitest";
import { compactMoney, formatMoney } from "./forecast-money";

describe("money on the forecast", () => {
  it("formats money like the plan pages, whole units", () => {
    expect(formatMoney(184000)).toBe("$184,000");
    expect(formatMoney(50000, "EUR")).toBe("€50,000");
    expect(formatMoney(1234.6, "GBP")).toBe("£1,235");
    expect(formatMoney(5, "XYZ")).toMatch(/5/);
  });

  it("formats compact values", () => {
    expect(compactMoney(1_250_000)).toBe("$1.3M");
    expect(compactMoney(840_000)).toBe("$840K");
    expect(compactMoney(0)).toBe("$0");
  });
});
