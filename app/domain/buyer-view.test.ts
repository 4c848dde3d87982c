import { describe, expect, it } from "vitest";
import { buyerNextSteps, forBuyer, initialsOf } from "~/domain/buyer-view";

const m = (id: string, owner_side: "buyer" | "seller" | "joint", due_date: string | null, completed_on: string | null = null) => ({
  id,
  title: id,
  owner_side,
  due_date,
  completed_on,
});

describe("buyerNextSteps", () => {
  it("keeps the buyer's and joint open steps, soonest due first, undated last, plan order on ties", () => {
    const steps = buyerNextSteps([
      m("seller work", "seller", "2030-01-01"),
      m("late", "buyer", "2030-03-01"),
      m("undated", "buyer", null),
      m("joint", "joint", "2030-02-01"),
      m("done", "buyer", "2030-01-15", "2030-01-10"),
      m("early", "buyer", "2030-01-20"),
      m("same day", "buyer", "2030-03-01"),
    ]);
    expect(steps.map((s) => s.id)).toEqual(["early", "joint", "late", "same day", "undated"]);
  });

  it("is empty when nothing is open on the buyer's side", () => {
    expect(buyerNextSteps([m("a", "seller", "2030-01-01"), m("b", "buyer", "2030-01-01", "2029-12-01")])).toEqual([]);
  });
});

describe("forBuyer", () => {
  it("drops link bookkeeping and CRM syncs", () => {
    for (const action of ["share_link.created", "share_link.renewed", "share_link.revoked", "plan.crm_updated"]) {
      expect(forBuyer({ action, changes: {} })).toBeNull();
    }
  });

  it("strips the deal's value and CRM date from a plan edit, and drops an edit of nothing else", () => {
    const both = forBuyer({ action: "plan.updated", changes: { value: { before: 1, after: 2 }, title: { before: "a", after: "b" } } });
    expect(both?.changes).toEqual({ title: { before: "a", after: "b" } });
    expect(forBuyer({ action: "plan.updated", changes: { value: { before: 1, after: 2 }, crm_close_date: { before: null, after: "2030-01-01" } } })).toBeNull();
  });

  it("passes everything else through untouched", () => {
    const event = { action: "milestone.completed", changes: { completed_on: { before: null, after: "2030-01-01" } } };
    expect(forBuyer(event)).toBe(event);
  });
});

describe("initialsOf", () => {
  it("takes the first and last names' initials", () => {
    expect(initialsOf("Sam Okafor")).toBe("SO");
    expect(initialsOf("  priya  ")).toBe("P");
    expect(initialsOf("Ana María de la Cruz")).toBe("AC");
    expect(initialsOf("")).toBe("?");
  });
});
