import { describe, expect, it } from "vitest";
import { describeActivity } from "~/domain/activity";

describe("activity sentences", () => {
  it("words a go-live move with its reason", () => {
    expect(
      describeActivity(
        {
          action: "plan.go_live_changed",
          actorName: "Dana Lee",
          actorSide: "buyer",
          subject: null,
          reason: "board approval moved",
          changes: { go_live: { before: "2027-03-01", after: "2027-03-15" } },
        },
        "2027-01-10",
      ),
    ).toBe("Dana Lee (buyer) moved go-live from Mon 1 Mar to Mon 15 Mar: board approval moved");
  });

  it("lists each changed field of a milestone", () => {
    expect(
      describeActivity({
        action: "milestone.updated",
        actorName: "Sam Okafor",
        actorSide: "seller",
        subject: "Security review",
        reason: null,
        changes: { duration_days: { before: 10, after: 5 }, depends_on: { before: [], after: ["Discovery"] } },
      }),
    ).toBe("Sam Okafor (seller) changed “Security review”: duration from 10 to 5; dependencies from none to Discovery");
  });

  it("names a removed milestone by its old title", () => {
    expect(
      describeActivity({
        action: "milestone.removed",
        actorName: "Sam",
        actorSide: "seller",
        subject: null,
        reason: null,
        changes: { title: { before: "Kickoff", after: null } },
      }),
    ).toBe("Sam (seller) removed “Kickoff”");
  });

  it("quotes a comment's text, on a milestone or on the plan", () => {
    const comment = {
      action: "comment.added",
      actorName: "Marcus Webb",
      actorSide: "buyer" as const,
      reason: null,
      changes: { body: { before: null, after: "Legal has the redlines." } },
    };
    expect(describeActivity({ ...comment, subject: "Legal redlines" })).toBe("Marcus Webb (buyer) commented on “Legal redlines”: “Legal has the redlines.”");
    expect(describeActivity({ ...comment, subject: null })).toBe("Marcus Webb (buyer) commented on the plan: “Legal has the redlines.”");
  });
});
