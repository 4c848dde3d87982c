import { describe, expect, it } from "vitest";
import { describeActivity } from "~/domain/activity";
import { forBuyer } from "~/domain/buyer-view";
import { blueprintOf, cloneFormSchema, type SourceMilestone, type SourcePerson } from "~/domain/plan-clone";

const milestone = (id: string, extra: Partial<SourceMilestone> = {}): SourceMilestone => ({
  id,
  title: `Step ${id}`,
  description: "",
  owner_side: "buyer",
  owner_stakeholder_id: null,
  duration_days: 3,
  lag_days: 0,
  is_close: false,
  ...extra,
});
const person = (id: string, extra: Partial<SourcePerson> = {}): SourcePerson => ({
  id,
  side: "buyer",
  name: `Person ${id}`,
  email: `${id}@buyer.example`,
  title: "",
  user_id: null,
  deactivated: false,
  ...extra,
});

describe("what a clone copies", () => {
  const source = {
    milestones: [
      milestone("a", { owner_stakeholder_id: "dana", lag_days: 2, description: "Kick-off" }),
      milestone("b", { owner_side: "seller", owner_stakeholder_id: "sam", duration_days: 5 }),
      milestone("c", { owner_side: "joint", is_close: true, owner_stakeholder_id: "gone" }),
    ],
    dependencies: [
      { milestone_id: "b", depends_on_id: "a" },
      { milestone_id: "c", depends_on_id: "b" },
    ],
    people: [person("dana"), person("sam", { side: "seller", user_id: "user-sam" }), person("gone", { side: "seller", deactivated: true })],
  };

  it("keeps the shape (order, durations, lags, sides, the close milestone, dependencies) and never completion or pins", () => {
    const blueprint = blueprintOf(source, false);
    expect(blueprint.milestones.map((m) => [m.key, m.ownerSide, m.durationDays, m.lagDays, m.isClose])).toEqual([
      ["a", "buyer", 3, 2, false],
      ["b", "seller", 5, 0, false],
      ["c", "joint", 3, 0, true],
    ]);
    expect(blueprint.milestones[0].description).toBe("Kick-off");
    expect(blueprint.dependencies).toEqual([
      { milestoneKey: "b", dependsOnKey: "a" },
      { milestoneKey: "c", dependsOnKey: "b" },
    ]);
  });

  it("leaves people and named owners behind unless asked", () => {
    const blueprint = blueprintOf(source, false);
    expect(blueprint.people).toEqual([]);
    expect(blueprint.milestones.map((m) => m.ownerKey)).toEqual([null, null, null]);
  });

  it("copies people when asked, except deactivated teammates, and keeps owners who come along", () => {
    const blueprint = blueprintOf(source, true);
    expect(blueprint.people.map((p) => [p.key, p.side, p.userId])).toEqual([
      ["dana", "buyer", null],
      ["sam", "seller", "user-sam"],
    ]);
    expect(blueprint.milestones.map((m) => m.ownerKey)).toEqual(["dana", "sam", null]);
  });
});

describe("the clone form", () => {
  const form = { title: "Rollout: EMEA finance", buyerCompany: "Acme", value: "90,000", currency: "EUR", goLive: "2031-06-04", copyPeople: true };

  it("reads values as plan creation does", () => {
    expect(cloneFormSchema.parse(form)).toEqual({ ...form, value: 90000 });
  });

  it("says what to fix for a bad date, an empty title and a bad amount", () => {
    const parsed = cloneFormSchema.safeParse({ ...form, title: " ", goLive: "2031-02-30", value: "lots" });
    expect(parsed.success).toBe(false);
    const errors = parsed.error!.flatten().fieldErrors;
    expect(Object.keys(errors).sort()).toEqual(["goLive", "title", "value"]);
  });
});

describe("a clone in the log", () => {
  const base = { actorName: "Sam Okafor", actorSide: "seller" as const, subject: null, reason: null };

  it("names the source on the new plan and the copy on the source", () => {
    const created = {
      ...base,
      action: "plan.created",
      changes: { go_live: { before: null, after: "2031-06-04" }, cloned_from: { before: null, after: "Analytics rollout" } },
    };
    expect(describeActivity(created, "2031-01-10")).toBe("Sam Okafor (seller) created the plan as a copy of “Analytics rollout” with go-live Wed 4 Jun");
    expect(describeActivity({ ...base, action: "plan.cloned", changes: { clone: { before: null, after: "Rollout: EMEA" } } })).toBe(
      "Sam Okafor (seller) cloned the plan into “Rollout: EMEA”",
    );
  });

  it("keeps both from buyers: the source's entry whole, the copy's mention of its source", () => {
    expect(forBuyer({ action: "plan.cloned", changes: { clone: { before: null, after: "Rollout: EMEA" } } })).toBeNull();
    const created = forBuyer({
      action: "plan.created",
      changes: { go_live: { before: null, after: "2031-06-04" }, cloned_from: { before: null, after: "Analytics rollout" } },
    });
    expect(created?.changes).toEqual({ go_live: { before: null, after: "2031-06-04" } });
  });
});
