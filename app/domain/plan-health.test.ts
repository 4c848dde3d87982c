import { describe, expect, it } from "vitest";
import { addCalendarDays } from "~/domain/calendar";
import { QUIET_DAYS } from "~/domain/forecast-risk";
import { MESSAGES } from "~/domain/i18n/messages";
import { createTranslator, type MessageTree } from "~/domain/i18n/translate";
import {
  describeHealthReason,
  describeHealthReasonForBuyer,
  healthJson,
  planHealth,
  STALLED_QUIET_DAYS,
  UNCONFIRMED_GO_LIVE_WINDOW_DAYS,
  type PlanHealthFacts,
} from "~/domain/plan-health";

const today = "2026-12-02";
const now = new Date(`${today}T12:00:00Z`);
const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();

/** A healthy plan: go-live far off and confirmed, on time, buyer active yesterday. */
const healthy: PlanHealthFacts = {
  status: "active",
  go_live: addCalendarDays(today, 120),
  go_live_confirmed_at: daysAgo(20),
  slip_days: 0,
  overdue_buyer_milestones: 0,
  last_buyer_activity_at: daysAgo(1),
  created_at: daysAgo(90),
};

const codes = (plan: Partial<PlanHealthFacts>) => planHealth({ ...healthy, ...plan }, today, now)?.reasons.map((r) => r.code);

describe("plan health", () => {
  it("is on track with no reasons when nothing is wrong", () => {
    expect(planHealth(healthy, today, now)).toEqual({ label: "on_track", reasons: [] });
  });

  it("has no health once the deal is closed or paused", () => {
    for (const status of ["won", "lost", "no_decision", "paused"] as const) {
      expect(planHealth({ ...healthy, status, slip_days: 5 }, today, now)).toBeNull();
    }
    expect(healthJson(null)).toBeNull();
  });

  it("is at risk from the first working day of slip", () => {
    expect(codes({ slip_days: 0 })).toEqual([]);
    const health = planHealth({ ...healthy, slip_days: 9 }, today, now)!;
    expect(health.label).toBe("at_risk");
    expect(health.reasons).toEqual([{ code: "slipping", slipDays: 9, severity: "at_risk", buyerFacing: true }]);
    expect(describeHealthReason(health.reasons[0])).toBe("Projected go-live 9 working days late");
    expect(describeHealthReasonForBuyer(health.reasons[0], "Acme")).toBe("At the current pace, go-live lands 9 working days after the date you're aiming for.");
    expect(planHealth({ ...healthy, slip_days: 1 }, today, now)!.label).toBe("at_risk");
  });

  it("is at risk with one overdue buyer milestone, and says how many", () => {
    const one = planHealth({ ...healthy, overdue_buyer_milestones: 1 }, today, now)!;
    expect(one.label).toBe("at_risk");
    expect(describeHealthReason(one.reasons[0])).toBe("1 buyer milestone overdue");
    expect(describeHealthReasonForBuyer(one.reasons[0], "Acme")).toBe("One step on your side is past its due date.");
    const two = planHealth({ ...healthy, overdue_buyer_milestones: 2 }, today, now)!;
    expect(describeHealthReason(two.reasons[0])).toBe("2 buyer milestones overdue");
    expect(describeHealthReasonForBuyer(two.reasons[0], "Acme")).toBe("2 steps on your side are past their due dates.");
  });

  it("tells a buyer who reads German in German, in the right plural form", () => {
    const german = createTranslator("de", MESSAGES.de.buyer as MessageTree);
    const notes = (facts: Partial<PlanHealthFacts>) =>
      planHealth({ ...healthy, ...facts }, today, now)!.reasons.map((r) => describeHealthReasonForBuyer(r, "Acme", german));
    expect(notes({ overdue_buyer_milestones: 1 })).toEqual(["Ein Schritt auf Ihrer Seite ist überfällig."]);
    expect(notes({ overdue_buyer_milestones: 3 })).toEqual(["3 Schritte auf Ihrer Seite sind überfällig."]);
    expect(notes({ slip_days: 1 })).toEqual(["Beim aktuellen Tempo wird der Go-live 1 Arbeitstag nach dem von Ihnen angestrebten Datum erreicht."]);
    expect(notes({ go_live: addCalendarDays(today, -2), go_live_confirmed_at: daysAgo(30) })[0]).toBe(
      "Das Go-live-Datum ist überschritten. Vereinbaren Sie mit Acme ein neues Datum; der Plan wird dann von diesem aus neu terminiert.",
    );
  });

  it("counts a quiet buyer as at risk from the forecast's threshold and stalled from a month, never telling the buyer", () => {
    expect(codes({ last_buyer_activity_at: daysAgo(QUIET_DAYS - 1) })).toEqual([]);
    const quiet = planHealth({ ...healthy, last_buyer_activity_at: daysAgo(QUIET_DAYS) }, today, now)!;
    expect(quiet.label).toBe("at_risk");
    expect(quiet.reasons).toEqual([{ code: "buyer_quiet", days: QUIET_DAYS, never: false, severity: "at_risk", buyerFacing: false }]);
    expect(describeHealthReasonForBuyer(quiet.reasons[0], "Acme")).toBeNull();

    expect(planHealth({ ...healthy, last_buyer_activity_at: daysAgo(STALLED_QUIET_DAYS - 1) }, today, now)!.label).toBe("at_risk");
    const stalled = planHealth({ ...healthy, last_buyer_activity_at: daysAgo(STALLED_QUIET_DAYS) }, today, now)!;
    expect(stalled.label).toBe("stalled");
    expect(describeHealthReason(stalled.reasons[0])).toBe(`No buyer activity for ${STALLED_QUIET_DAYS} days`);
  });

  it("counts a buyer who never came from the plan's creation", () => {
    expect(codes({ last_buyer_activity_at: null, created_at: daysAgo(QUIET_DAYS - 1) })).toEqual([]);
    const never = planHealth({ ...healthy, last_buyer_activity_at: null, created_at: daysAgo(STALLED_QUIET_DAYS + 2) }, today, now)!;
    expect(never.label).toBe("stalled");
    expect(describeHealthReason(never.reasons[0])).toBe(`No buyer activity since it started ${STALLED_QUIET_DAYS + 2} days ago`);
  });

  it("flags an unconfirmed go-live only within its window, up to the day itself", () => {
    const unconfirmed = { go_live_confirmed_at: null };
    expect(codes({ ...unconfirmed, go_live: addCalendarDays(today, UNCONFIRMED_GO_LIVE_WINDOW_DAYS + 1) })).toEqual([]);
    const edge = planHealth({ ...healthy, ...unconfirmed, go_live: addCalendarDays(today, UNCONFIRMED_GO_LIVE_WINDOW_DAYS) }, today, now)!;
    expect(edge.label).toBe("at_risk");
    expect(edge.reasons).toEqual([{ code: "go_live_unconfirmed", daysToGoLive: UNCONFIRMED_GO_LIVE_WINDOW_DAYS, severity: "at_risk", buyerFacing: true }]);
    expect(describeHealthReason(edge.reasons[0])).toBe(`Go-live not confirmed by the buyer (in ${UNCONFIRMED_GO_LIVE_WINDOW_DAYS} days)`);
    expect(describeHealthReasonForBuyer(edge.reasons[0], "Acme")).toBe("Your team hasn't confirmed the go-live date yet.");
    const onTheDay = planHealth({ ...healthy, ...unconfirmed, go_live: today }, today, now)!;
    expect(describeHealthReason(onTheDay.reasons[0])).toBe("Go-live not confirmed by the buyer (today)");
    // A confirmed date is never flagged, however close.
    expect(codes({ go_live: addCalendarDays(today, 3) })).toEqual([]);
  });

  it("is stalled when the go-live date has passed with the plan open, and says so first", () => {
    expect(codes({ go_live: today, go_live_confirmed_at: daysAgo(3) })).toEqual([]);
    const passed = planHealth({ ...healthy, go_live: addCalendarDays(today, -12), slip_days: 10, go_live_confirmed_at: null }, today, now)!;
    expect(passed.label).toBe("stalled");
    expect(passed.reasons.map((r) => r.code)).toEqual(["go_live_passed", "slipping"]);
    expect(describeHealthReason(passed.reasons[0])).toBe("Go-live date passed 12 days ago with the plan still open");
    expect(describeHealthReasonForBuyer(passed.reasons[0], "Acme")).toBe(
      "The go-live date has passed. Agree a new date with Acme and the plan will reschedule from it.",
    );
  });

  it("lists every reason, stalled ones first, and the API form carries the seller's wording and the flag", () => {
    const health = planHealth(
      {
        ...healthy,
        slip_days: 4,
        overdue_buyer_milestones: 2,
        last_buyer_activity_at: daysAgo(STALLED_QUIET_DAYS + 5),
        go_live: addCalendarDays(today, 10),
        go_live_confirmed_at: null,
      },
      today,
      now,
    )!;
    expect(health.label).toBe("stalled");
    expect(health.reasons.map((r) => r.code)).toEqual(["buyer_quiet", "slipping", "overdue_buyer_milestones", "go_live_unconfirmed"]);
    expect(healthJson(health)).toEqual({
      label: "stalled",
      reasons: [
        { code: "buyer_quiet", severity: "stalled", buyerFacing: false, text: `No buyer activity for ${STALLED_QUIET_DAYS + 5} days` },
        { code: "slipping", severity: "at_risk", buyerFacing: true, text: "Projected go-live 4 working days late" },
        { code: "overdue_buyer_milestones", severity: "at_risk", buyerFacing: true, text: "2 buyer milestones overdue" },
        { code: "go_live_unconfirmed", severity: "at_risk", buyerFacing: true, text: "Go-live not confirmed by the buyer (in 10 days)" },
      ],
    });
  });
});
