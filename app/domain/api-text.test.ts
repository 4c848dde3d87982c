import { describe, expect, it } from "vitest";
import { malformedTextPath } from "~/domain/api";

describe("malformedTextPath", () => {
  it("finds half a surrogate pair anywhere in a JSON value, by its path", () => {
    expect(malformedTextPath({ title: "ok", crm: { id: "x\ud800" } })).toBe("crm.id");
    expect(malformedTextPath({ list: ["a", "\udc00"] })).toBe("list.1");
    expect(malformedTextPath({ ["k\ud800"]: 1 })).toBe("k\ud800");
    expect(malformedTextPath("\ud83d")).toBe("");
  });

  it("accepts whole characters, emoji included, and non-text values", () => {
    expect(malformedTextPath({ title: "Kick-off \u{1F680}", n: 3, none: null, flag: true, list: ["é"] })).toBeNull();
  });
});
