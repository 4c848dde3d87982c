import { describe, expect, it } from "vitest";
import { describeActivity } from "~/domain/activity";
import { addCalendarDays } from "~/domain/calendar";
import { forBuyer } from "~/domain/buyer-view";
import { sendDecision } from "~/domain/notifications";
import { closeDateProblem, closedOnPrefix, isClosedStatus, lossReasonLabel } from "~/domain/plan-outcome";
import { closePlanSchema } from "~/domain/plan-outcome-schema";
import { webhookEventsFor, type PlanSnapshot } from "~/domain/webhooks";

// From the test's clock: the rules hold on any day (the domain may not import tests/support/dates.ts).
const today = new Date().toISOString().slice(0, 10);
const daysAfter = (iso: string, days: number) => addCalendarDays(iso, days);

describe("closing a plan: the rules", () => {
  it("takes today or an earlier day as the close date, never a later one", () => {
    expect(closeDateProblem(today, today)).toBeNull();
    expect(closeDateProblem(daysAfter(today, -400), today)).toBeNull();
    expect(closeDateProblem(daysAfter(today, 1), today)).toMatch(/has not come yet/);
  });

  it("asks a loss for its reason, and keeps reasons to losses", () => {
    const errors = (input: unknown) => {
      const parsed = closePlanSchema.safeParse(input);
      return parsed.success ? {} : parsed.error.flatten().fieldErrors;
    };
    expect(errors({ outcome: "lost" })).toEqual({ lossReason: ["Pick why the deal was lost."] });
    expect(errors({ outcome: "lost", lossReason: "budget" })).toEqual({});
    expect(errors({ outcome: "won", lossReason: "budget" })).toEqual({ lossReason: ["A reason is kept for lost deals only."] });
    expect(errors({ outcome: "no_decision", closedOn: today })).toEqual({});
    expect(Object.keys(errors({ outcome: "paused" }))).toEqual(["outcome"]);
    expect(Object.keys(errors({ outcome: "won", closedOn: `${today.slice(0, 4)}-02-30` }))).toEqual(["closedOn"]);
  });

  it("tells closed statuses from open ones, and words them", () => {
    expect(["won", "lost", "no_decision"].every(isClosedStatus)).toBe(true);
    expect(["active", "paused"].some(isClosedStatus)).toBe(false);
    expect(closedOnPrefix("no_decision")).toBe("Closed without a decision on");
    expect(lossReasonLabel("competitor")).toBe("Went with a competitor");
    expect(lossReasonLabel("made-up")).toBeNull();
  });
});

describe("closing a plan: the log, the buyer's view, webhooks and emails", () => {
  const closed = {
    action: "plan.closed",
    changes: {
      status: { before: "active", after: "lost" },
      closed_on: { before: null, after: today },
      loss_reason: { before: null, after: "budget" },
      close_note: { before: null, after: "CFO said no" },
    },
  };

  it("reads the close in the activity, and the buyer's copy keeps neither reason nor note", () => {
    const activity = (e: typeof closed) => describeActivity({ ...e, actorName: "Sam Okafor", actorSide: "seller", subject: null, reason: null }, today);
    expect(activity(closed)).toMatch(/^Sam Okafor \(seller\) closed the plan as lost on .+: no budget \(“CFO said no”\)$/);
    const buyers = forBuyer(closed)!;
    expect(Object.keys(buyers.changes)).toEqual(["status", "closed_on"]);
    expect(activity(buyers)).not.toMatch(/budget|CFO/);
    const reopened = describeActivity(
      {
        action: "plan.reopened",
        actorName: "Maya Chen",
        actorSide: "seller",
        subject: null,
        reason: null,
        changes: { status: { before: "won", after: "active" }, closed_on: { before: today, after: null } },
      },
      today,
    );
    expect(reopened).toMatch(/^Maya Chen \(seller\) reopened the plan \(it was won on .+\)$/);
  });

  it("sends plan.closed and plan.reopened with the outcome and date", () => {
    const plan = { id: "p", forecastCloseDate: null } as PlanSnapshot;
    const by = { name: "API: CRM", side: "seller" };
    expect(webhookEventsFor([closed], { forecastCloseDate: null }, plan, by)).toEqual([
      { type: "plan.closed", data: { plan, outcome: "lost", closedOn: today, lossReason: "budget", closeNote: "CFO said no", by } },
    ]);
    const reopened = { action: "plan.reopened", changes: { status: { before: "lost", after: "active" }, closed_on: { before: today, after: null } } };
    expect(webhookEventsFor([reopened], { forecastCloseDate: null }, plan, by)).toEqual([
      { type: "plan.reopened", data: { plan, outcome: { before: "lost", after: "active" }, closedOn: { before: today, after: null }, by } },
    ]);
  });

  it("skips a closed plan's queued progress emails, and nothing else", () => {
    const now = new Date();
    const open = { preferences: null, link: null, planClosed: false };
    const shut = { ...open, planClosed: true };
    for (const kind of ["due_soon", "overdue", "buyer_activity"]) {
      expect(sendDecision({ kind, audience: "seller", shareLinkId: null }, shut, now)).toEqual({ send: false, reason: "The plan was closed." });
      expect(sendDecision({ kind, audience: "seller", shareLinkId: null }, open, now)).toEqual({ send: true });
    }
    expect(sendDecision({ kind: "weekly_digest", audience: "seller", shareLinkId: null }, shut, now)).toEqual({ send: true });
  });
});
