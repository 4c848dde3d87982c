import { describe, expect, it } from "vitest";
import { teamOwnerUserId, teamOwnerValue } from "~/domain/milestone-owner";

describe("the Owner select's team choices", () => {
  const id = "3f2b8c1e-5d4a-4b6c-9e7f-0a1b2c3d4e5f";

  it("reads back the user id a team option carries", () => {
    expect(teamOwnerUserId(teamOwnerValue(id))).toBe(id);
  });

  it("leaves stakeholder ids, empty choices and non-strings alone", () => {
    expect(teamOwnerUserId(id)).toBeNull();
    expect(teamOwnerUserId("")).toBeNull();
    expect(teamOwnerUserId(undefined)).toBeNull();
  });

  it("flags a team choice whose id is malformed", () => {
    expect(teamOwnerUserId("user:")).toBe("invalid");
    expect(teamOwnerUserId("user:1 or 1=1")).toBe("invalid");
  });
});
