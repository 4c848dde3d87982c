import { describe, expect, it } from "vitest";
import { compactMoney, formatMoney } from "~/domain/money";

describe("money", () => {
  it("writes whole units in the plan's own currency", () => {
    expect(formatMoney(184000, "USD")).toBe("$184,000");
    expect(formatMoney(50000, "EUR")).toBe("€50,000");
    expect(formatMoney(1234.6, "GBP")).toBe("£1,235");
  });

  it("keeps formatting after a currency Intl refuses, and the same code again gives the same text", () => {
    expect(formatMoney(1234, "not a currency")).toBe("1,234 not a currency");
    expect(formatMoney(1234, "not a currency")).toBe("1,234 not a currency");
    expect(formatMoney(99, "USD")).toBe("$99");
  });

  it("shortens values for chart labels", () => {
    expect(compactMoney(1_250_000, "USD")).toBe("$1.3M");
    expect(compactMoney(840_000, "USD")).toBe("$840K");
    expect(compactMoney(0, "USD")).toBe("$0");
  });
});
