import { describe, expect, it } from "vitest";
import { describeActivity } from "~/domain/activity";
import { MESSAGES } from "~/domain/i18n/messages";
import { createTranslator, type MessageTree } from "~/domain/i18n/translate";

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

  it("speaks the buyer's language when given their translator: whole sentences, their quotes and dates", () => {
    const german = createTranslator("de", MESSAGES.de.buyer as MessageTree);
    const moved = {
      action: "plan.go_live_changed",
      actorName: "Dana Lee",
      actorSide: "buyer" as const,
      subject: null,
      reason: "Vorstand tagt später",
      changes: { go_live: { before: "2027-03-01", after: "2027-03-15" } },
    };
    expect(describeActivity(moved, "2027-01-10", german)).toBe(
      "Dana Lee (Käuferseite) hat den Go-live von Mo., 1. März auf Mo., 15. März verschoben: Vorstand tagt später",
    );
    const comment = {
      action: "comment.added",
      actorName: "Sam Okafor",
      actorSide: "seller" as const,
      subject: "Legal redlines",
      reason: null,
      changes: { body: { before: null, after: "Bitte bis Freitag." } },
    };
    expect(describeActivity(comment, undefined, german)).toBe("Sam Okafor (Verkäuferseite) hat „Legal redlines“ kommentiert: „Bitte bis Freitag.“");
    const french = createTranslator("fr", MESSAGES.fr.buyer as MessageTree);
    expect(describeActivity({ ...comment, changes: { duration_days: { before: 10, after: 5 } }, action: "milestone.updated" }, undefined, french)).toBe(
      "Sam Okafor (côté vendeur) a modifié « Legal redlines » : durée : 10 → 5",
    );
    const sides = { ...comment, action: "milestone.updated", changes: { owner_side: { before: "seller", after: "joint" } } };
    expect(describeActivity(sides, undefined, german)).toBe(
      "Sam Okafor (Verkäuferseite) hat „Legal redlines“ geändert: zuständige Seite von Verkäuferseite auf gemeinsam",
    );
    expect(describeActivity(sides)).toBe("Sam Okafor (seller) changed “Legal redlines”: owner side from seller to joint");
    // Without one, the same event reads as the rep's pages show it.
    expect(describeActivity(comment)).toBe("Sam Okafor (seller) commented on “Legal redlines”: “Bitte bis Freitag.”");
  });
});
