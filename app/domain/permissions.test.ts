import { describe, expect, it } from "vitest";
import { planScope, planScopeCovers } from "~/domain/permissions";

describe("plan visibility", () => {
  it("limits a rep to their own plans", () => {
    const scope = planScope({ id: "rep1", orgId: "o", role: "rep" }, ["rep1", "rep2"]);
    expect(planScopeCovers(scope, "rep1")).toBe(true);
    expect(planScopeCovers(scope, "rep2")).toBe(false);
  });

  it("lets a manager see their whole team and an admin the organisation", () => {
    const manager = planScope({ id: "m", orgId: "o", role: "manager" }, ["m", "rep1", "rep3"]);
    expect(planScopeCovers(manager, "rep3")).toBe(true);
    expect(planScopeCovers(manager, "rep9")).toBe(false);
    expect(planScopeCovers(planScope({ id: "a", orgId: "o", role: "admin" }, []), "rep9")).toBe(true);
  });
});
