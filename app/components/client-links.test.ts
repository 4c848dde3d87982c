import { describe, expect, it } from "vitest";
import { isPlainClick } from "./client-links";

const click = { button: 0, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false, defaultPrevented: false };

describe("isPlainClick", () => {
  it("takes a plain left click for the app", () => {
    expect(isPlainClick(click)).toBe(true);
  });

  it("leaves new-tab, new-window and download clicks to the browser", () => {
    for (const key of ["metaKey", "ctrlKey", "shiftKey", "altKey"] as const) expect(isPlainClick({ ...click, [key]: true })).toBe(false);
    expect(isPlainClick({ ...click, button: 1 })).toBe(false);
  });

  it("leaves a click another handler has already taken", () => {
    expect(isPlainClick({ ...click, defaultPrevented: true })).toBe(false);
  });
});
