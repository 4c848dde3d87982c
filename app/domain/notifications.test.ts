import { describe, expect, it } from "vitest";
import { makeCalendar } from "~/domain/calendar";
import {
  assembleDigest,
  buyerActivityDue,
  describeBuyerCount,
  digestIsEmpty,
  isBuyerNews,
  digestWeekStart,
  dueSoonWindow,
  goLiveRecipients,
  isPermanentSmtpFailure,
  kindsFor,
  localHourIn,
  MAX_ATTEMPTS,
  messageIdDomain,
  milestoneOwnerRecipient,
  noticesForEvents,
  overdueWindow,
  preferencesFromForm,
  retryDelaySeconds,
  sendDecision,
  wants,
  workingDaysUntil,
  type PlanPerson,
} from "~/domain/notifications";

const rep: PlanPerson = { stakeholderId: null, userId: "u-rep", name: "Sam Okafor", email: "Rep1@demo.example", side: "seller" };
const champion: PlanPerson = { stakeholderId: "s-dana", userId: null, name: "Dana Lee", email: "dana@acme.example", side: "buyer", liveLinkId: "l-dana" };
const revoked: PlanPerson = { stakeholderId: "s-ravi", userId: null, name: "Ravi Shah", email: "ravi@acme.example", side: "buyer", liveLinkId: null };
const sellerSe: PlanPerson = { stakeholderId: "s-se", userId: null, name: "Kim Sales Engineer", email: "kim@demo.example", side: "seller" };
const repAsStakeholder: PlanPerson = { stakeholderId: "s-rep", userId: "u-rep", name: "Sam Okafor", email: "rep1@demo.example", side: "seller" };
const people = { rep, stakeholders: [champion, revoked, sellerSe, repAsStakeholder] };

describe("emails caused by the log", () => {
  const goLiveChange = { action: "plan.go_live_changed", changes: { go_live: { before: "2027-03-02", after: "2027-03-16" } }, reason: "Training needs a week" };

  it("tells the other side about a go-live change, with the reason", () => {
    expect(noticesForEvents([goLiveChange], { side: "seller", name: "Sam Okafor" })).toEqual([
      {
        kind: "go_live_changed",
        toSide: "buyer",
        before: "2027-03-02",
        after: "2027-03-16",
        reason: "Training needs a week",
        byName: "Sam Okafor",
        proposal: true,
      },
    ]);
    expect(noticesForEvents([goLiveChange], { side: "buyer", name: "Dana Lee" })[0]).toMatchObject({ toSide: "seller", proposal: false });
  });

  it("stays quiet for everything else, for the system, and for malformed changes", () => {
    expect(
      noticesForEvents([{ action: "milestone.completed" }, { action: "plan.go_live_confirmed" }, { action: "comment.added" }], { side: "buyer", name: "Dana" }),
    ).toEqual([]);
    expect(noticesForEvents([goLiveChange], { side: "system", name: "Daily re-projection" })).toEqual([]);
    expect(
      noticesForEvents([{ action: "plan.go_live_changed", changes: { go_live: { before: "2027-03-02", after: "soon" } } }], { side: "seller", name: "Sam" }),
    ).toEqual([]);
  });

  it("reaches sellers once per address and buyers only through a live link", () => {
    expect(goLiveRecipients("seller", people).map((r) => r.email)).toEqual(["rep1@demo.example", "kim@demo.example"]);
    const buyers = goLiveRecipients("buyer", people);
    expect(buyers).toEqual([{ name: "Dana Lee", email: "dana@acme.example", audience: "buyer", stakeholderId: "s-dana", userId: null, shareLinkId: "l-dana" }]);
  });
});

describe("a milestone's owner, and only them", () => {
  it("is the named owner, a buyer only while their link lives", () => {
    expect(milestoneOwnerRecipient({ ownerSide: "buyer", ownerStakeholderId: "s-dana" }, people)?.email).toBe("dana@acme.example");
    expect(milestoneOwnerRecipient({ ownerSide: "buyer", ownerStakeholderId: "s-ravi" }, people)).toBeNull();
    expect(milestoneOwnerRecipient({ ownerSide: "joint", ownerStakeholderId: "s-se" }, people)?.email).toBe("kim@demo.example");
  });

  it("falls back to the rep for seller and joint milestones, and to nobody for an unowned buyer milestone", () => {
    expect(milestoneOwnerRecipient({ ownerSide: "seller", ownerStakeholderId: null }, people)?.userId).toBe("u-rep");
    expect(milestoneOwnerRecipient({ ownerSide: "joint", ownerStakeholderId: null }, people)?.userId).toBe("u-rep");
    expect(milestoneOwnerRecipient({ ownerSide: "buyer", ownerStakeholderId: null }, people)).toBeNull();
    expect(milestoneOwnerRecipient({ ownerSide: "buyer", ownerStakeholderId: "s-gone" }, people)).toBeNull();
  });
});

describe("preferences", () => {
  it("start from the quietest useful set for buyers and everything for sellers", () => {
    expect(kindsFor("buyer")).toEqual(["invite", "invite_reminder", "due_soon", "overdue", "go_live_changed"]);
    expect(kindsFor("seller")).toEqual(["due_soon", "overdue", "go_live_changed", "buyer_activity", "weekly_digest", "webhook_paused", "plans_handed_over"]);
    expect(wants(null, "overdue", "buyer")).toBe(false);
    expect(wants(null, "overdue", "seller")).toBe(true);
    expect(wants(null, "due_soon", "buyer")).toBe(true);
  });

  it("follow explicit choices, and unsubscribe-all beats them", () => {
    expect(wants({ choices: { overdue: true }, unsubscribedAll: false }, "overdue", "buyer")).toBe(true);
    expect(wants({ choices: { go_live_changed: false }, unsubscribedAll: false }, "go_live_changed", "seller")).toBe(false);
    expect(wants({ choices: { go_live_changed: true }, unsubscribedAll: true }, "go_live_changed", "seller")).toBe(false);
  });

  it("are read from the form as an explicit choice for every kind shown", () => {
    expect(preferencesFromForm("seller", new Set(["due_soon", "weekly_digest", "invite"]))).toEqual({
      choices: {
        due_soon: true,
        overdue: false,
        go_live_changed: false,
        buyer_activity: false,
        weekly_digest: true,
        webhook_paused: false,
        plans_handed_over: false,
      },
      unsubscribedAll: false,
    });
  });
});

describe("just before sending", () => {
  const now = new Date("2026-12-01T10:00:00Z");
  const liveLink = { revokedAt: null, expiresAt: "2027-01-01T00:00:00Z", firstVisitAt: null };
  it("skips emails the recipient no longer wants", () => {
    expect(
      sendDecision(
        { kind: "due_soon", audience: "seller", shareLinkId: null },
        { preferences: { choices: { due_soon: false }, unsubscribedAll: false }, link: null },
        now,
      ),
    ).toMatchObject({ send: false });
    expect(
      sendDecision({ kind: "due_soon", audience: "seller", shareLinkId: null }, { preferences: { choices: {}, unsubscribedAll: true }, link: null }, now),
    ).toMatchObject({ send: false });
    expect(sendDecision({ kind: "due_soon", audience: "seller", shareLinkId: null }, { preferences: null, link: null }, now)).toEqual({ send: true });
  });

  it("sends buyers nothing once their link is revoked or expired", () => {
    expect(sendDecision({ kind: "invite", audience: "buyer", shareLinkId: "l" }, { preferences: null, link: liveLink }, now)).toEqual({ send: true });
    expect(
      sendDecision({ kind: "invite", audience: "buyer", shareLinkId: "l" }, { preferences: null, link: { ...liveLink, revokedAt: now } }, now),
    ).toMatchObject({ send: false });
    expect(
      sendDecision(
        { kind: "go_live_changed", audience: "buyer", shareLinkId: "l" },
        { preferences: null, link: { ...liveLink, expiresAt: "2026-12-01T09:00:00Z" } },
        now,
      ),
    ).toMatchObject({ send: false });
    expect(sendDecision({ kind: "go_live_changed", audience: "buyer", shareLinkId: null }, { preferences: null, link: null }, now)).toMatchObject({
      send: false,
    });
  });

  it("drops the reminder of an invitation that was opened", () => {
    expect(sendDecision({ kind: "invite_reminder", audience: "buyer", shareLinkId: "l" }, { preferences: null, link: liveLink }, now)).toEqual({ send: true });
    expect(
      sendDecision(
        { kind: "invite_reminder", audience: "buyer", shareLinkId: "l" },
        { preferences: null, link: { ...liveLink, firstVisitAt: "2026-11-30T08:00:00Z" } },
        now,
      ),
    ).toMatchObject({
      send: false,
      reason: expect.stringContaining("opened"),
    });
  });

  it("retries with exponential backoff and treats 5xx as final", () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([60, 120, 240, 480]);
    expect(retryDelaySeconds(MAX_ATTEMPTS)).toBe(2 * 60 * 60);
    expect(isPermanentSmtpFailure(550)).toBe(true);
    expect(isPermanentSmtpFailure(451)).toBe(false);
    expect(isPermanentSmtpFailure(undefined)).toBe(false);
  });
});

describe("time windows", () => {
  const calendar = makeCalendar({ holidays: ["2026-12-25"] });

  it("counts due-soon in the organisation's working days", () => {
    // Thursday 24 Dec: the next two working days skip Christmas and the weekend.
    expect(dueSoonWindow("2026-12-24", calendar)).toEqual({ after: "2026-12-24", through: "2026-12-29" });
    expect(workingDaysUntil("2026-12-24", "2026-12-29", calendar)).toBe(2);
    expect(dueSoonWindow("2026-11-28", calendar)).toEqual({ after: "2026-11-28", through: "2026-12-01" });
  });

  it("looks back a week for fresh misses", () => {
    expect(overdueWindow("2026-12-02")).toEqual({ from: "2026-11-25", before: "2026-12-02" });
  });

  it("sends the digest from Monday 07:00 local, or on Tuesday, for that week", () => {
    expect(digestWeekStart("2026-11-30", 6, 1)).toBeNull();
    expect(digestWeekStart("2026-11-30", 7, 1)).toBe("2026-11-30");
    expect(digestWeekStart("2026-12-01", 15, 2)).toBe("2026-11-30");
    expect(digestWeekStart("2026-12-02", 9, 3)).toBeNull();
    expect(localHourIn("Asia/Tokyo", new Date("2026-11-29T23:30:00Z"))).toBe(8);
  });

  it("makes Message-IDs in the sender's domain", () => {
    expect(messageIdDomain("Plan Together <plans@localhost>")).toBe("localhost");
    expect(messageIdDomain("plans@Example.COM")).toBe("example.com");
    expect(messageIdDomain("nonsense")).toBe("plan-together.invalid");
  });
});

describe("buyer activity", () => {
  it("is news when a buyer did it, except a go-live change (its own email) and a colleague's link (same as adding them)", () => {
    expect(isBuyerNews({ action: "comment.added", actorSide: "buyer" })).toBe(true);
    expect(isBuyerNews({ action: "milestone.completed", actorSide: "buyer" })).toBe(true);
    expect(isBuyerNews({ action: "comment.added", actorSide: "seller" })).toBe(false);
    expect(isBuyerNews({ action: "plan.go_live_changed", actorSide: "buyer" })).toBe(false);
    expect(isBuyerNews({ action: "share_link.created", actorSide: "buyer" })).toBe(false);
  });

  it("goes out at most once per plan every 15 minutes", () => {
    const last = new Date("2026-11-30T10:00:00Z");
    expect(buyerActivityDue(null, last)).toBe(true);
    expect(buyerActivityDue(last, new Date("2026-11-30T10:14:59Z"))).toBe(false);
    expect(buyerActivityDue(last, new Date("2026-11-30T10:15:00Z"))).toBe(true);
  });
});

describe("the weekly digest", () => {
  const plan = (id: string, over: Partial<Parameters<typeof assembleDigest>[0]["plans"][number]> = {}) => ({
    id,
    title: `Plan ${id}`,
    company: `Company ${id}`,
    ownerName: "Sam",
    value: 100_000,
    currency: "USD",
    forecastCloseDate: "2026-12-15",
    goLive: "2027-02-01",
    goLiveConfirmedAt: null,
    ...over,
  });
  const since = new Date("2026-11-23T08:00:00Z");

  it("sums this quarter, lists what slipped, what was confirmed and what was pushed again", () => {
    const digest = assembleDigest({
      today: "2026-11-30",
      fiscalStartMonth: 2, // FY2027 Q4 = Nov 2026 – Jan 2027
      since,
      plans: [
        plan("a", { goLiveConfirmedAt: "2026-11-25T00:00:00Z" }),
        plan("b", { forecastCloseDate: "2027-02-10" }),
        plan("c", { currency: "EUR" }),
        plan("d", { forecastCloseDate: "2027-03-01" }),
      ],
      closeHistory: [
        { planId: "b", oldDate: "2026-12-20", newDate: "2027-01-05", at: "2026-11-24T10:00:00Z" },
        { planId: "b", oldDate: "2027-01-05", newDate: "2027-02-10", at: "2026-11-26T10:00:00Z" },
        { planId: "d", oldDate: "2026-07-01", newDate: "2026-08-15", at: "2026-06-01T10:00:00Z" },
        { planId: "d", oldDate: "2027-01-20", newDate: "2027-03-01", at: "2026-11-27T10:00:00Z" },
        { planId: "a", oldDate: "2026-12-20", newDate: "2026-12-15", at: "2026-11-25T10:00:00Z" },
        // c was created this week (its close date first set), then moved later.
        { planId: "c", oldDate: null, newDate: "2026-12-01", at: "2026-11-24T09:00:00Z" },
        { planId: "c", oldDate: "2026-12-01", newDate: "2026-12-15", at: "2026-11-24T10:00:00Z" },
      ],
      confirmations: [
        { planId: "a", byName: "Dana Lee", goLive: "2027-02-01", at: "2026-11-25T00:00:00Z" },
        { planId: "a", byName: "Dana Lee", goLive: "2027-02-01", at: "2026-11-26T00:00:00Z" },
        { planId: "b", byName: "Old news", goLive: "2027-02-01", at: "2026-11-01T00:00:00Z" },
      ],
    });
    expect(digest.quarter).toEqual({ label: "FY2027 Q4", plans: 2, total: 100_000, confirmedTotal: 100_000, currency: "USD", otherCurrencies: 1 });
    expect(digest.slipped.map((s) => [s.planId, s.from, s.to])).toEqual([
      ["b", "2026-12-20", "2027-02-10"],
      ["c", "2026-12-01", "2026-12-15"],
      ["d", "2027-01-20", "2027-03-01"],
    ]);
    expect(digest.confirmed.map((c) => [c.planId, c.byName])).toEqual([["a", "Dana Lee"]]);
    // b crossed one quarter boundary this week; d was pushed before and again this week.
    expect(digest.pushedAgain.map((p) => [p.planId, p.pushes])).toEqual([["d", 2]]);
    expect(digestIsEmpty(digest)).toBe(false);
  });

  it("counts what buyers did on the team's plans, per plan", () => {
    const digest = assembleDigest({
      today: "2026-11-30",
      fiscalStartMonth: 1,
      since,
      plans: [plan("a"), plan("b")],
      closeHistory: [],
      confirmations: [],
      buyerActivity: [
        { planId: "b", action: "comment.added" },
        { planId: "b", action: "comment.added" },
        { planId: "b", action: "milestone.completed" },
        { planId: "a", action: "milestone.updated" },
        { planId: "gone", action: "comment.added" },
      ],
    });
    expect(digest.buyerActivity.map((b) => [b.planId, describeBuyerCount(b)])).toEqual([
      ["a", "1 other change"],
      ["b", "2 comments, 1 milestone done"],
    ]);
  });

  it("is empty for a team with nothing to report", () => {
    expect(digestIsEmpty(assembleDigest({ today: "2026-11-30", fiscalStartMonth: 1, since, plans: [], closeHistory: [], confirmations: [] }))).toBe(true);
  });
});
