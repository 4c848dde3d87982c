import { describe, expect, it } from "vitest";
import { bodyLimitFor, formatBytes, MB } from "./body-limit";

describe("bodyLimitFor", () => {
  const rules = [
    { prefix: "/", maxBytes: 1 * MB },
    { prefix: "/api/", maxBytes: 2 * MB },
    { prefix: "/plans/uploads/", maxBytes: 25 * MB },
  ];

  it("takes the longest matching prefix", () => {
    expect(bodyLimitFor("/login", rules)).toBe(1 * MB);
    expect(bodyLimitFor("/api/v1/plans", rules)).toBe(2 * MB);
    expect(bodyLimitFor("/plans/uploads/x", rules)).toBe(25 * MB);
    expect(bodyLimitFor("/plans/x", rules)).toBe(1 * MB);
  });

  it("defaults to 1 MB for forms and the API", () => {
    expect(bodyLimitFor("/login")).toBe(MB);
    expect(bodyLimitFor("/api/v1/plans")).toBe(MB);
  });

  it("refuses a rule set that leaves a path uncovered", () => {
    expect(() => bodyLimitFor("/login", [{ prefix: "/api/", maxBytes: MB }])).toThrow(/no body limit/);
  });

  it("names sizes in words", () => {
    expect(formatBytes(MB)).toBe("1 MB");
    expect(formatBytes(100 * 1024)).toBe("100 kB");
    expect(formatBytes(1000)).toBe("1000 bytes");
  });
});
