import { describe, expect, it } from "vitest";
import { planScope, scopeAllows } from "./permissions";

describe("plan visibility", () => {
  it("limits a rep to their own plans", () => {
    const scope = planScope({ id: "rep1", orgId: "o", role: "rep" }, ["rep1", "rep2"]);
    expect(scopeAllows(scope, "rep1")).toBe(true);
    expect(scopeAllows(scope, "rep2")).toBe(false);
  });

  it("lets a manager see their whole team and an admin the organisation", () => {
    const manager = planScope({ id: "m", orgId: "o", role: "manager" }, ["m", "rep1", "rep3"]);
    expect(scopeAllows(manager, "rep3")).toBe(true);
    expect(scopeAllows(manager, "rep9")).toBe(false);
    expect(scopeAllows(planScope({ id: "a", orgId: "o", role: "admin" }, []), "rep9")).toBe(true);
  });
});
