import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "~/route-helpers/guards.server";

describe("safeRedirectPath", () => {
  it("keeps a path on this site, query and fragment included", () => {
    expect(safeRedirectPath("/plans/abc?tab=people#top")).toBe("/plans/abc?tab=people#top");
    expect(safeRedirectPath("/forecast")).toBe("/forecast");
  });

  it.each([
    ["a tab a browser strips to //", "/\t/evil.example"],
    ["a newline", "/\n/evil.example"],
    ["a carriage return", "/\r/evil.example"],
    ["a backslash read as a slash", "/\\evil.example"],
    ["a protocol-relative address", "//evil.example"],
    ["a dot segment that leaves //", "/.//evil.example"],
    ["an absolute URL", "https://evil.example/plans"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a relative path", "plans"],
    ["nothing", ""],
  ])("sends %s to the fallback", (_why, to) => {
    expect(safeRedirectPath(to)).toBe("/plans");
    expect(safeRedirectPath(to, "/home")).toBe("/home");
  });

  it("never returns a value that could not go in a Location header", () => {
    expect(safeRedirectPath("/%0A/x")).toBe("/%0A/x");
    expect(safeRedirectPath("/a\nb")).toBe("/ab");
    expect(safeRedirectPath(null)).toBe("/plans");
  });
});
