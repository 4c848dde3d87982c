import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromDayNumber, toDayNumber, WorkingCalendar } from "~/domain/calendar";
import { schedulePlan, ScheduleError, type ScheduledMilestone, type ScheduleInput, type ScheduleResult } from "~/domain/schedule";

type Milestone = ScheduleInput["milestones"][number];

function byId(result: ScheduleResult): Record<string, ScheduledMilestone> {
  return Object.fromEntries(result.milestones.map((m) => [m.id, m]));
}

/** Runs schedulePlan expecting a ScheduleError, and returns it. */
function scheduleError(input: unknown): ScheduleError {
  try {
    schedulePlan(input as ScheduleInput);
  } catch (error) {
    expect(error).toBeInstanceOf(ScheduleError);
    return error as ScheduleError;
  }
  throw new Error("expected schedulePlan to throw a ScheduleError");
}

const monFri = new WorkingCalendar([1, 2, 3, 4, 5], []);

// All hand-checked cases use a Monday–Friday week in early 2027:
// Fri 2027-01-01, Mon 01-04, Mon 02-01, Fri 02-26, Sat 02-27, Mon 03-01.

describe("the spec's worked example", () => {
  it("schedules train and sign exactly as the spec says", () => {
    const result = schedulePlan({
      goLive: "2027-03-01",
      today: "2027-01-04",
      milestones: [
        { id: "train", durationDays: 3, dependsOn: ["sign"] },
        { id: "sign", durationDays: 0, isClose: true },
      ],
    });
    expect(result).toEqual({
      milestones: [
        {
          id: "train",
          start: "2027-02-24",
          due: "2027-02-26",
          projectedStart: "2027-01-05",
          projectedFinish: "2027-01-07",
          floatDays: 36, // Jan 8 + 15 days to Jan 29 + 20 in February
          status: "on_track",
        },
        {
          id: "sign",
          start: "2027-02-23",
          due: "2027-02-23",
          projectedStart: "2027-01-04",
          projectedFinish: "2027-01-04",
          floatDays: 36,
          status: "on_track",
        },
      ],
      projectedGoLive: "2027-03-01",
      slipDays: 0,
      forecastCloseDate: "2027-02-23",
      conflicts: [],
    });
  });
});

describe("backward and forward passes, hand-checked", () => {
  it("skips holidays (a Christmas/New Year go-live)", () => {
    // Holidays Thu 12-24, Fri 12-25, Thu 12-31, Fri 01-01; go-live Monday 2027-01-04.
    const result = byId(
      schedulePlan({
        goLive: "2027-01-04",
        today: "2026-12-21",
        calendar: { holidays: ["2026-12-24", "2026-12-25", "2026-12-31", "2027-01-01"] },
        milestones: [
          { id: "prep", durationDays: 3, dependsOn: ["contract"] },
          { id: "contract", durationDays: 2 },
        ],
      }),
    );
    // prep: latest = before(01-04, 1) skips 01-01 and 12-31 → Wed 12-30; 3 days back → Mon 12-28.
    expect(result.prep).toMatchObject({ due: "2026-12-30", start: "2026-12-28" });
    // contract: before(12-28, 1) skips the weekend, 12-25 and 12-24 → Wed 12-23.
    expect(result.contract).toMatchObject({ due: "2026-12-23", start: "2026-12-22" });
    // Forward: contract 12-21…12-22, prep starts 12-23 and its 3rd day is 12-29.
    expect(result.contract).toMatchObject({ projectedStart: "2026-12-21", projectedFinish: "2026-12-22", floatDays: 1 });
    expect(result.prep).toMatchObject({ projectedStart: "2026-12-23", projectedFinish: "2026-12-29", floatDays: 1 });
  });

  it("handles a go-live on a Saturday, on time and late", () => {
    const onTime = schedulePlan({
      goLive: "2027-02-27",
      today: "2027-02-22",
      milestones: [{ id: "a", durationDays: 4 }],
    });
    expect(onTime.milestones[0]).toMatchObject({
      due: "2027-02-26",
      start: "2027-02-23",
      projectedStart: "2027-02-22",
      projectedFinish: "2027-02-25",
      floatDays: 1,
      status: "on_track",
    });
    expect(onTime.projectedGoLive).toBe("2027-02-27"); // F < goLive: go-live stays a Saturday
    expect(onTime.slipDays).toBe(0);

    const late = schedulePlan({
      goLive: "2027-02-27",
      today: "2027-02-25",
      milestones: [{ id: "a", durationDays: 4 }],
    });
    expect(late.milestones[0]).toMatchObject({
      projectedStart: "2027-02-25",
      projectedFinish: "2027-03-02",
      floatDays: -2,
      status: "at_risk",
    });
    expect(late.projectedGoLive).toBe("2027-03-03");
    expect(late.slipDays).toBe(3); // Mon 03-01, Tue 03-02, Wed 03-03
  });

  it("a sink finished on a non-working go-live day still moves go-live (F is not < goLive)", () => {
    const result = schedulePlan({
      goLive: "2027-02-27",
      today: "2027-02-22",
      milestones: [{ id: "a", durationDays: 1, completedOn: "2027-02-27" }],
    });
    expect(result.projectedGoLive).toBe("2027-03-01");
    expect(result.slipDays).toBe(1);
  });

  it("applies lags in both passes", () => {
    const result = byId(
      schedulePlan({
        goLive: "2027-03-01",
        today: "2027-01-04",
        milestones: [
          { id: "contract", durationDays: 2 },
          { id: "kickoff", durationDays: 1, dependsOn: ["contract"], lagDays: 3 },
        ],
      }),
    );
    expect(result.kickoff).toMatchObject({ due: "2027-02-26", start: "2027-02-26" });
    // before(02-26, 1 + 3) = Mon 02-22.
    expect(result.contract).toMatchObject({ due: "2027-02-22", start: "2027-02-19" });
    expect(result.contract).toMatchObject({ projectedStart: "2027-01-04", projectedFinish: "2027-01-05", floatDays: 34 });
    // after(01-05, 1 + 3) = Mon 01-11.
    expect(result.kickoff).toMatchObject({ projectedStart: "2027-01-11", projectedFinish: "2027-01-11", floatDays: 34 });
  });

  it("uses the latest predecessor and the smallest dependent bound", () => {
    const result = byId(
      schedulePlan({
        goLive: "2027-03-01",
        today: "2027-01-04",
        milestones: [
          { id: "short", durationDays: 1 },
          { id: "long", durationDays: 5 },
          { id: "join", durationDays: 2, dependsOn: ["short", "long"] },
          { id: "early", durationDays: 1, dependsOn: ["long"], pinnedDate: "2027-02-01" },
        ],
      }),
    );
    // long must finish before both join (start 02-25) and early (start 02-01): before(02-01, 1) = 01-29.
    expect(result.long).toMatchObject({ due: "2027-01-29", start: "2027-01-25" });
    expect(result.short).toMatchObject({ due: "2027-02-24" });
    // join waits for long (finishes 01-08) rather than short (01-04).
    expect(result.join).toMatchObject({ projectedStart: "2027-01-11", projectedFinish: "2027-01-12" });
  });

  it("chains events (0-day milestones) one working day apart", () => {
    const result = byId(
      schedulePlan({
        goLive: "2027-03-01",
        today: "2027-01-04",
        milestones: [
          { id: "decide", durationDays: 0 },
          { id: "sign", durationDays: 0, dependsOn: ["decide"] },
        ],
      }),
    );
    expect(result.sign).toMatchObject({ start: "2027-02-26", due: "2027-02-26" });
    expect(result.decide).toMatchObject({ start: "2027-02-25", due: "2027-02-25" });
    expect(result.decide).toMatchObject({ projectedStart: "2027-01-04", projectedFinish: "2027-01-04" });
    expect(result.sign).toMatchObject({ projectedStart: "2027-01-05", projectedFinish: "2027-01-05" });
  });

  it("starts today's projection on the next working day when today is a weekend", () => {
    const result = schedulePlan({
      goLive: "2027-03-01",
      today: "2027-01-02", // Saturday
      milestones: [{ id: "a", durationDays: 2 }],
    });
    expect(result.milestones[0]).toMatchObject({ projectedStart: "2027-01-04", projectedFinish: "2027-01-05" });
  });
});

describe("pinned dates", () => {
  it("a pin before latest is the due date, with no conflict", () => {
    const result = schedulePlan({
      goLive: "2027-03-01",
      today: "2027-01-04",
      milestones: [
        { id: "deck", durationDays: 2 },
        { id: "board", durationDays: 0, dependsOn: ["deck"], pinnedDate: "2027-02-10" },
      ],
    });
    const m = byId(result);
    expect(m.board).toMatchObject({ due: "2027-02-10", start: "2027-02-10" });
    expect(m.deck).toMatchObject({ due: "2027-02-09", start: "2027-02-08" });
    expect(result.conflicts).toEqual([]);
  });

  it("a pin after latest is kept and reported as pinned_after_latest", () => {
    const result = schedulePlan({
      goLive: "2027-03-01",
      today: "2027-01-04",
      milestones: [
        { id: "train", durationDays: 3, dependsOn: ["sign"] },
        { id: "sign", durationDays: 0, isClose: true, pinnedDate: "2027-02-25" },
      ],
    });
    const m = byId(result);
    expect(m.train).toMatchObject({ due: "2027-02-26", start: "2027-02-24" });
    // sign's latest is before(02-24, 1) = 02-23; the buyer's 02-25 wins.
    expect(m.sign).toMatchObject({ due: "2027-02-25", start: "2027-02-25" });
    expect(result.conflicts).toHaveLength(1);
    expect(result.conflicts[0]).toMatchObject({ milestoneId: "sign", kind: "pinned_after_latest" });
    expect(result.conflicts[0].message).toContain("2027-02-25");
    expect(result.conflicts[0].message).toContain("2027-02-23");
    expect(result.conflicts[0].message).toContain("2 working days");
    // Forward: sign cannot happen before its pin, so train finishes after go-live.
    expect(m.sign).toMatchObject({ projectedStart: "2027-02-25", projectedFinish: "2027-02-25", floatDays: 0, status: "on_track" });
    expect(m.train).toMatchObject({ projectedStart: "2027-02-26", projectedFinish: "2027-03-02", floatDays: -2, status: "at_risk" });
    expect(result.projectedGoLive).toBe("2027-03-03");
    expect(result.slipDays).toBe(2);
    expect(result.forecastCloseDate).toBe("2027-02-25");
  });

  it("the forward pass does not finish a pinned milestone before its pin", () => {
    const result = byId(
      schedulePlan({
        goLive: "2027-03-01",
        today: "2027-01-04",
        milestones: [{ id: "review", durationDays: 3, pinnedDate: "2027-02-10" }],
      }),
    );
    expect(result.review).toMatchObject({
      start: "2027-02-08",
      due: "2027-02-10",
      projectedStart: "2027-02-08",
      projectedFinish: "2027-02-10",
      floatDays: 0,
      status: "on_track",
    });
  });

  it("a late predecessor pushes a pinned milestone past its pin", () => {
    const result = byId(
      schedulePlan({
        goLive: "2027-03-01",
        today: "2027-02-08",
        milestones: [
          { id: "deck", durationDays: 5 },
          { id: "review", durationDays: 3, dependsOn: ["deck"], pinnedDate: "2027-02-10" },
        ],
      }),
    );
    expect(result.deck).toMatchObject({ due: "2027-02-05", projectedFinish: "2027-02-12", floatDays: -5, status: "overdue" });
    expect(result.review).toMatchObject({ projectedStart: "2027-02-15", projectedFinish: "2027-02-17", floatDays: -5, status: "at_risk" });
  });
});

describe("done milestones", () => {
  it("use completedOn (even on a weekend) as their finish, and their successors follow it", () => {
    const result = schedulePlan({
      goLive: "2027-03-01",
      today: "2027-01-04",
      milestones: [
        { id: "security", durationDays: 1, completedOn: "2027-01-09" },
        { id: "legal", durationDays: 2, dependsOn: ["security"] },
      ],
    });
    const m = byId(result);
    expect(m.security).toMatchObject({
      due: "2027-02-24",
      start: "2027-02-24",
      projectedStart: null,
      projectedFinish: "2027-01-09",
      floatDays: 33, // working days in (Sat 01-09, Wed 02-24]
      status: "done",
    });
    expect(m.legal).toMatchObject({ projectedStart: "2027-01-11", projectedFinish: "2027-01-12", floatDays: 33 });
  });

  it("done wins over overdue, and a done close milestone dates the deal", () => {
    const result = schedulePlan({
      goLive: "2027-03-01",
      today: "2027-03-10",
      milestones: [{ id: "sign", durationDays: 0, isClose: true, completedOn: "2027-03-05" }],
    });
    expect(result.milestones[0].status).toBe("done");
    expect(result.milestones[0].floatDays).toBe(-5); // due 02-26, finished 03-05
    expect(result.forecastCloseDate).toBe("2027-03-05");
    expect(result.projectedGoLive).toBe("2027-03-08");
    expect(result.slipDays).toBe(5);
  });
});

describe("late plans", () => {
  it("an at-risk milestone slips go-live by the working days past it", () => {
    const result = schedulePlan({
      goLive: "2027-03-01",
      today: "2027-02-22",
      milestones: [{ id: "migrate", durationDays: 10 }],
    });
    expect(result.milestones[0]).toMatchObject({
      due: "2027-02-26",
      start: "2027-02-15",
      projectedStart: "2027-02-22",
      projectedFinish: "2027-03-05",
      floatDays: -5,
      status: "at_risk",
    });
    expect(result.projectedGoLive).toBe("2027-03-08");
    expect(result.slipDays).toBe(5);
  });

  it("a milestone due before today is overdue", () => {
    const result = schedulePlan({
      goLive: "2027-03-01",
      today: "2027-03-03",
      milestones: [{ id: "migrate", durationDays: 1 }],
    });
    expect(result.milestones[0]).toMatchObject({
      due: "2027-02-26",
      projectedFinish: "2027-03-03",
      floatDays: -3,
      status: "overdue",
    });
    expect(result.projectedGoLive).toBe("2027-03-04");
    expect(result.slipDays).toBe(3);
  });

  it("a milestone due today is not overdue", () => {
    const result = schedulePlan({
      goLive: "2027-03-01",
      today: "2027-02-26",
      milestones: [{ id: "a", durationDays: 1 }],
    });
    expect(result.milestones[0]).toMatchObject({ due: "2027-02-26", floatDays: 0, status: "on_track" });
  });
});

describe("forecast close date", () => {
  const base = { goLive: "2027-03-01", today: "2027-01-04" };

  it("is null without a close milestone", () => {
    expect(schedulePlan({ ...base, milestones: [{ id: "a", durationDays: 1 }] }).forecastCloseDate).toBeNull();
  });

  it("is the due date when the close is projected earlier (the customer's timeline)", () => {
    const result = schedulePlan({ ...base, milestones: [{ id: "sign", durationDays: 0, isClose: true }] });
    expect(result.milestones[0].projectedFinish).toBe("2027-01-04");
    expect(result.forecastCloseDate).toBe("2027-02-26");
  });

  it("is the projected finish when the close is late", () => {
    const result = schedulePlan({
      goLive: "2027-03-01",
      today: "2027-03-02",
      milestones: [{ id: "sign", durationDays: 2, isClose: true }],
    });
    expect(result.milestones[0]).toMatchObject({ due: "2027-02-26", projectedFinish: "2027-03-03" });
    expect(result.forecastCloseDate).toBe("2027-03-03");
  });

  it("is completedOn when the close is done, even far before due", () => {
    const result = schedulePlan({
      ...base,
      milestones: [{ id: "sign", durationDays: 0, isClose: true, completedOn: "2026-12-20" }],
    });
    expect(result.forecastCloseDate).toBe("2026-12-20");
  });

  it("an empty plan lands on go-live with no slip and no forecast", () => {
    expect(schedulePlan({ ...base, goLive: "2027-02-27", milestones: [] })).toEqual({
      milestones: [],
      projectedGoLive: "2027-02-27",
      slipDays: 0,
      forecastCloseDate: null,
      conflicts: [],
    });
  });
});

describe("results", () => {
  it("come back in input order, whatever the dependency order", () => {
    const result = schedulePlan({
      goLive: "2027-03-01",
      today: "2027-01-04",
      milestones: [
        { id: "c", durationDays: 1, dependsOn: ["b"] },
        { id: "a", durationDays: 1 },
        { id: "b", durationDays: 1, dependsOn: ["a"] },
      ],
    });
    expect(result.milestones.map((m) => m.id)).toEqual(["c", "a", "b"]);
  });

  it("resolve thousands of ids of any shape, listed in any order", () => {
    // Ids that look alike, differ only in case or are non-ASCII all stay distinct.
    const ids = Array.from({ length: 3000 }, (_, i) => [`m${i}`, `M${i}`, `é-${i}-日本`][i % 3]);
    const milestones = ids.map((id, i) => ({ id, durationDays: 0, dependsOn: i === 0 ? [] : [ids[i - 1]] }));
    const inOrder = schedulePlan({ goLive: "2040-01-02", today: "2027-01-04", milestones });
    const reversed = schedulePlan({ goLive: "2040-01-02", today: "2027-01-04", milestones: [...milestones].reverse() });
    // A chain of 3000 events: each is due one working day before the next.
    const dues = inOrder.milestones.map((m) => day(m.due));
    for (let i = 1; i < dues.length; i++) expect(monFri.countWorkingDaysBetween(dues[i - 1], dues[i])).toBe(1);
    expect(reversed.milestones.map((m) => m.id)).toEqual([...ids].reverse());
    expect(byId(reversed)).toEqual(byId(inOrder));

    expect(scheduleError({ goLive: "2040-01-02", today: "2027-01-04", milestones: [...milestones, { id: "M2998", durationDays: 1 }] })).toMatchObject({
      code: "duplicate_id",
      milestoneIds: ["M2998"],
    });
    expect(
      scheduleError({ goLive: "2040-01-02", today: "2027-01-04", milestones: [...milestones, { id: "x", durationDays: 1, dependsOn: ["m2998"] }] }),
    ).toMatchObject({ code: "unknown_dependency", milestoneIds: ["x"] });
  });

  it("resolve many dependencies per milestone, pointing backward or forward", () => {
    const ids = Array.from({ length: 300 }, (_, i) => `n${i}`);
    const milestones = ids.map((id, i) => ({ id, durationDays: i % 4, dependsOn: ids.slice(Math.max(0, i - 25), i) }));
    const forward = schedulePlan({ goLive: "2040-01-02", today: "2027-01-04", milestones });
    const backward = schedulePlan({ goLive: "2040-01-02", today: "2027-01-04", milestones: [...milestones].reverse() });
    expect(byId(backward)).toEqual(byId(forward));
    // Each milestone is due one working day before the next starts (every later one depends on it).
    for (let i = 1; i < ids.length; i++) {
      const previous = forward.milestones[i - 1];
      expect(monFri.countWorkingDaysBetween(day(previous.due), day(forward.milestones[i].start))).toBe(1);
    }
  });

  it("accept null for unset optional fields", () => {
    const result = schedulePlan({
      goLive: "2027-03-01",
      today: "2027-01-04",
      calendar: { workingWeekdays: null, holidays: null },
      milestones: [{ id: "a", durationDays: 1, dependsOn: null, lagDays: null, pinnedDate: null, completedOn: null, isClose: null }],
    } as unknown as ScheduleInput);
    expect(result.milestones[0]).toMatchObject({ due: "2027-02-26", status: "on_track" });
  });
});

describe("bad input", () => {
  const goLive = "2027-03-01";
  const today = "2027-01-04";
  const plan = (milestones: unknown[], extra: object = {}) => ({ goLive, today, milestones, ...extra });

  it("cycle: names the cycle in order", () => {
    const error = scheduleError(
      plan([
        { id: "a", durationDays: 1, dependsOn: ["c"] },
        { id: "b", durationDays: 1, dependsOn: ["a"] },
        { id: "c", durationDays: 1, dependsOn: ["b"] },
        { id: "d", durationDays: 1, dependsOn: ["c"] }, // downstream of the cycle, not on it
        { id: "e", durationDays: 1 },
      ]),
    );
    expect(error.code).toBe("cycle");
    expect(error.milestoneIds).toEqual(["a", "b", "c"]);
    expect(error.message).toContain("a → b → c → a");
  });

  it("cycle: a self-dependency is a cycle of one", () => {
    const error = scheduleError(plan([{ id: "a", durationDays: 1, dependsOn: ["a"] }]));
    expect(error.code).toBe("cycle");
    expect(error.milestoneIds).toEqual(["a"]);
    expect(error.message).toContain("a → a");
  });

  it("unknown_dependency", () => {
    for (const dependsOn of [["ghost"], [42], "a"]) {
      const error = scheduleError(
        plan([
          { id: "a", durationDays: 1 },
          { id: "b", durationDays: 1, dependsOn },
        ]),
      );
      expect(error.code).toBe("unknown_dependency");
      expect(error.milestoneIds).toEqual(["b"]);
    }
    expect(scheduleError(plan([{ id: "b", durationDays: 1, dependsOn: ["ghost"] }])).message).toContain("ghost");
  });

  it("duplicate_id, and milestones that cannot be identified", () => {
    const duplicate = scheduleError(
      plan([
        { id: "a", durationDays: 1 },
        { id: "a", durationDays: 2 },
      ]),
    );
    expect(duplicate.code).toBe("duplicate_id");
    expect(duplicate.milestoneIds).toEqual(["a"]);
    for (const input of [plan([{ id: 7, durationDays: 1 }]), plan([null]), plan(["a"]), { goLive, today, milestones: "a" }, { goLive, today }]) {
      const error = scheduleError(input);
      expect(error.code).toBe("duplicate_id");
      expect(error.milestoneIds).toEqual([]);
    }
  });

  it("invalid_date: goLive, today, holidays, pinnedDate, completedOn", () => {
    for (const bad of ["2026-02-30", "0000-00-00", "2026-2-3", "tomorrow", 20260101, undefined]) {
      expect(scheduleError({ goLive: bad, today, milestones: [] }).code).toBe("invalid_date");
      expect(scheduleError({ goLive, today: bad, milestones: [] }).code).toBe("invalid_date");
    }
    const holiday = scheduleError(plan([], { calendar: { holidays: ["2027-02-29"] } }));
    expect(holiday).toMatchObject({ code: "invalid_date", milestoneIds: [] });
    const pinned = scheduleError(
      plan([
        { id: "a", durationDays: 1 },
        { id: "b", durationDays: 1, pinnedDate: "2027-02-30" },
      ]),
    );
    expect(pinned).toMatchObject({ code: "invalid_date", milestoneIds: ["b"] });
    const completed = scheduleError(plan([{ id: "a", durationDays: 1, completedOn: "2027-13-01" }]));
    expect(completed).toMatchObject({ code: "invalid_date", milestoneIds: ["a"] });
    // Not an object at all: still a ScheduleError, never a TypeError.
    expect(scheduleError(null).code).toBe("invalid_date");
    expect(scheduleError("plan").code).toBe("invalid_date");
  });

  it("invalid_date: a schedule that runs past the years ISO dates can write", () => {
    const error = scheduleError({ goLive: "0001-01-10", today: "0001-01-01", milestones: [{ id: "a", durationDays: 30 }] });
    expect(error).toMatchObject({ code: "invalid_date", milestoneIds: ["a"] });
    const huge = scheduleError(plan([{ id: "a", durationDays: 9_000_000_000 }]));
    expect(huge).toMatchObject({ code: "invalid_date", milestoneIds: ["a"] });
  });

  it("invalid_date: huge lags and durations name the first milestone with an unwritable date", () => {
    // Ranks are kept in 32 bits, clamped far outside the years 0001–9999; whatever the size of the
    // overflow, the milestone reported is the first one in input order with a date out of range.
    const chain = Array.from({ length: 40 }, (_, i) => ({ id: `c${i}`, durationDays: 1, lagDays: 2 ** 50, dependsOn: i ? [`c${i - 1}`] : [] }));
    expect(scheduleError(plan(chain))).toMatchObject({ code: "invalid_date", milestoneIds: ["c0"] });
    const longChain = Array.from({ length: 40 }, (_, i) => ({ id: `d${i}`, durationDays: 2 ** 52, dependsOn: i ? [`d${i - 1}`] : [] }));
    expect(scheduleError(plan(longChain))).toMatchObject({ code: "invalid_date", milestoneIds: ["d0"] });
    // A pinned milestone keeps writable dates, but its latest date (reported with the conflict) is
    // pushed out of range by a done dependent's lag.
    const pinned = scheduleError(
      plan([
        { id: "p", durationDays: 1, pinnedDate: "2027-02-10" },
        { id: "s", durationDays: 1, dependsOn: ["p"], lagDays: 2 ** 53 - 1, completedOn: "2027-01-01" },
      ]),
    );
    expect(pinned).toMatchObject({ code: "invalid_date", milestoneIds: ["p"] });
  });

  it("invalid_duration: negative, fractional or non-numeric durations and lags", () => {
    for (const bad of [-1, 1.5, "3", NaN, Infinity, null, undefined, 2 ** 60]) {
      const error = scheduleError(
        plan([
          { id: "a", durationDays: 1 },
          { id: "b", durationDays: bad },
        ]),
      );
      expect(error).toMatchObject({ code: "invalid_duration", milestoneIds: ["b"] });
    }
    for (const bad of [-1, 0.5, "1", NaN]) {
      const error = scheduleError(plan([{ id: "a", durationDays: 1, lagDays: bad }]));
      expect(error).toMatchObject({ code: "invalid_duration", milestoneIds: ["a"] });
    }
  });

  it("invalid_calendar: no working weekday, or values outside 1..7", () => {
    for (const workingWeekdays of [[], [0], [8], [1, 1.5], ["1"], "1-5", {}]) {
      expect(scheduleError(plan([], { calendar: { workingWeekdays } }))).toMatchObject({
        code: "invalid_calendar",
        milestoneIds: [],
      });
    }
    expect(scheduleError(plan([], { calendar: "Mon-Fri" })).code).toBe("invalid_calendar");
    expect(scheduleError(plan([], { calendar: { holidays: "2027-01-01" } })).code).toBe("invalid_calendar");
  });

  it("pinned_on_non_working_day: a weekend or a holiday", () => {
    const weekend = scheduleError(plan([{ id: "board", durationDays: 0, pinnedDate: "2027-02-27" }]));
    expect(weekend).toMatchObject({ code: "pinned_on_non_working_day", milestoneIds: ["board"] });
    const holiday = scheduleError(plan([{ id: "board", durationDays: 0, pinnedDate: "2027-02-24" }], { calendar: { holidays: ["2027-02-24"] } }));
    expect(holiday).toMatchObject({ code: "pinned_on_non_working_day", milestoneIds: ["board"] });
    // A Saturday is fine when Saturday is a working weekday.
    expect(() =>
      schedulePlan(plan([{ id: "board", durationDays: 0, pinnedDate: "2027-02-27" }], { calendar: { workingWeekdays: [1, 2, 3, 4, 5, 6] } }) as ScheduleInput),
    ).not.toThrow();
  });

  it("several_close_milestones names every close milestone", () => {
    const error = scheduleError(
      plan([
        { id: "a", durationDays: 0, isClose: true },
        { id: "b", durationDays: 0, isClose: false },
        { id: "c", durationDays: 0, isClose: true },
      ]),
    );
    expect(error).toMatchObject({ code: "several_close_milestones", milestoneIds: ["a", "c"] });
    expect(scheduleError(plan([{ id: "a", durationDays: 0, isClose: "yes" }])).code).toBe("several_close_milestones");
  });

  it("invalid_date: a projected go-live after 9999-12-31", () => {
    const error = scheduleError({
      goLive: "9999-12-31",
      today: "9999-12-01",
      milestones: [{ id: "a", durationDays: 1, completedOn: "9999-12-31" }],
    });
    expect(error).toMatchObject({ code: "invalid_date", milestoneIds: ["a"] });
  });

  it("is an Error with a name", () => {
    const error = scheduleError(plan([{ id: "a", durationDays: -1 }]));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("ScheduleError");
  });
});

describe("each side on its own calendar", () => {
  // Go-live Mon 2027-03-01. The buyer (another country) is off on Fri 02-26; the organisation is not.
  const base = {
    goLive: "2027-03-01",
    today: "2027-01-04",
    calendar: { holidays: [] },
    buyerCalendar: { holidays: ["2027-02-26"] },
  };

  it("a buyer milestone skips the buyer's holiday; a seller milestone does not", () => {
    const result = byId(
      schedulePlan({
        ...base,
        milestones: [
          { id: "buyer", side: "buyer", durationDays: 1 },
          { id: "seller", side: "seller", durationDays: 1 },
        ],
      }),
    );
    expect(result.buyer.due).toBe("2027-02-25");
    expect(result.seller.due).toBe("2027-02-26");
  });

  it("a joint milestone needs a working day on both sides", () => {
    const result = byId(
      schedulePlan({
        ...base,
        calendar: { holidays: ["2027-02-25"] },
        milestones: [{ id: "joint", side: "joint", durationDays: 1 }],
      }),
    );
    expect(result.joint.due).toBe("2027-02-24"); // 26th off for the buyer, 25th for the organisation
  });

  it("a seller predecessor of a buyer milestone finishes on the seller's last working day before it", () => {
    const result = byId(
      schedulePlan({
        ...base,
        buyerCalendar: { holidays: ["2027-02-25", "2027-02-26"] },
        milestones: [
          { id: "prepare", side: "seller", durationDays: 1 },
          { id: "review", side: "buyer", durationDays: 1, dependsOn: ["prepare"] },
        ],
      }),
    );
    expect(result.review.due).toBe("2027-02-24");
    expect(result.prepare.due).toBe("2027-02-23");
  });

  it("without a buyer calendar, buyer and joint milestones use the organisation's", () => {
    const result = byId(
      schedulePlan({
        goLive: base.goLive,
        today: base.today,
        calendar: { holidays: ["2027-02-26"] },
        milestones: [
          { id: "buyer", side: "buyer", durationDays: 1 },
          { id: "joint", side: "joint", durationDays: 1 },
        ],
      }),
    );
    expect(result.buyer.due).toBe("2027-02-25");
    expect(result.joint.due).toBe("2027-02-25");
  });

  it("a pin must be a working day of the milestone's side", () => {
    const error = scheduleError({ ...base, milestones: [{ id: "b", side: "buyer", durationDays: 1, pinnedDate: "2027-02-26" }] });
    expect(error.code).toBe("pinned_on_non_working_day");
    expect(error.milestoneIds).toEqual(["b"]);
  });

  it("rejects an unknown side, and a joint milestone when the two working weeks share no day", () => {
    expect(scheduleError({ ...base, milestones: [{ id: "x", side: "partner", durationDays: 1 }] }).code).toBe("invalid_calendar");
    const error = scheduleError({
      ...base,
      buyerCalendar: { workingWeekdays: [6, 7] },
      milestones: [{ id: "j", side: "joint", durationDays: 1 }],
    });
    expect(error.code).toBe("invalid_calendar");
    expect(error.message).toContain("share no weekday");
    expect(scheduleError({ ...base, buyerCalendar: { workingWeekdays: [] }, milestones: [] }).message).toContain("buyerCalendar");
  });
});

// ------------------------------------------------------------------------------------------------
// Properties over random acyclic plans
// ------------------------------------------------------------------------------------------------

const BASE_DAY = toDayNumber("2027-06-01");

interface GeneratedPlan {
  input: ScheduleInput;
  /** The organisation's calendar. */
  calendar: WorkingCalendar;
  /** The calendar each milestone is scheduled on, by id: its side's (docs/scheduling.md). */
  calendarOf: Map<string, WorkingCalendar>;
}

const SIDES = ["seller", "buyer", "joint"] as const;

/**
 * Random acyclic plans: edges only go from a lower to a higher index, then the order is shuffled.
 * With `buyer`, some plans carry a buyer calendar of their own and milestones get random sides.
 */
const planArb = (options: { pins: boolean; done: boolean; buyer?: boolean }) =>
  fc
    .record({
      weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
      holidays: fc.uniqueArray(fc.integer({ min: -400, max: 40 }), { maxLength: 40 }),
      buyer: options.buyer
        ? fc.option(
            fc.record({
              weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
              holidays: fc.uniqueArray(fc.integer({ min: -400, max: 40 }), { maxLength: 40 }),
            }),
            { freq: 4, nil: null },
          )
        : fc.constant(null),
      sides: fc.array(fc.constantFrom(...SIDES, undefined), { minLength: 18, maxLength: 18 }),
      goLive: fc.integer({ min: 0, max: 13 }),
      today: fc.integer({ min: -300, max: 20 }),
      milestones: fc.array(
        fc.record({
          duration: fc.integer({ min: 0, max: 10 }),
          lag: fc.integer({ min: 0, max: 3 }),
          deps: fc.uniqueArray(fc.nat(), { maxLength: 3 }),
          pin: options.pins ? fc.option(fc.integer({ min: -200, max: 10 }), { freq: 4 }) : fc.constant(null),
          done: options.done ? fc.option(fc.integer({ min: -300, max: 10 }), { freq: 4 }) : fc.constant(null),
        }),
        { minLength: 1, maxLength: 18 },
      ),
      shuffle: fc.array(fc.nat(), { minLength: 18, maxLength: 18 }),
    })
    .map((g): GeneratedPlan => {
      const holidays = g.holidays.map((h) => fromDayNumber(BASE_DAY + h));
      const calendar = new WorkingCalendar(
        g.weekdays,
        g.holidays.map((h) => BASE_DAY + h),
      );
      // Joint milestones need a weekday both sides work: give the buyer one of the seller's.
      const buyerWeekdays =
        g.buyer === null ? [] : g.buyer.weekdays.some((w) => g.weekdays.includes(w)) ? g.buyer.weekdays : [...g.buyer.weekdays, g.weekdays[0]];
      const buyerHolidays = g.buyer === null ? [] : g.buyer.holidays.map((h) => BASE_DAY + h);
      const buyerCalendar = g.buyer === null ? calendar : new WorkingCalendar(buyerWeekdays, buyerHolidays);
      const jointCalendar =
        g.buyer === null
          ? calendar
          : new WorkingCalendar(
              g.weekdays.filter((w) => buyerWeekdays.includes(w)),
              [...g.holidays.map((h) => BASE_DAY + h), ...buyerHolidays],
            );
      const calendarOf = new Map<string, WorkingCalendar>();
      const milestones: Milestone[] = g.milestones.map((m, i) => {
        const milestone: Milestone = { id: `m${i}`, durationDays: m.duration, lagDays: m.lag };
        const side = options.buyer ? g.sides[i] : undefined;
        if (side !== undefined) milestone.side = side;
        const own = side === "buyer" ? buyerCalendar : side === "joint" ? jointCalendar : calendar;
        calendarOf.set(milestone.id, own);
        if (i > 0 && m.deps.length > 0) milestone.dependsOn = [...new Set(m.deps.map((d) => `m${d % i}`))];
        if (m.pin !== null) milestone.pinnedDate = fromDayNumber(own.onOrAfter(BASE_DAY + m.pin));
        if (m.done !== null) milestone.completedOn = fromDayNumber(BASE_DAY + m.done);
        return milestone;
      });
      // Shuffle the input order (a Fisher–Yates driven by the generated numbers).
      for (let i = milestones.length - 1; i > 0; i--) {
        const j = g.shuffle[i] % (i + 1);
        [milestones[i], milestones[j]] = [milestones[j], milestones[i]];
      }
      const input: ScheduleInput = {
        goLive: fromDayNumber(BASE_DAY + g.goLive),
        today: fromDayNumber(BASE_DAY + g.today),
        calendar: { workingWeekdays: g.weekdays, holidays },
        milestones,
      };
      if (g.buyer !== null) input.buyerCalendar = { workingWeekdays: buyerWeekdays, holidays: buyerHolidays.map(fromDayNumber) };
      return { calendar, calendarOf, input };
    });

const RUNS = { numRuns: 150 };
const day = toDayNumber;

function dependentsOf(input: ScheduleInput): Map<string, Milestone[]> {
  const dependents = new Map<string, Milestone[]>(input.milestones.map((m) => [m.id, []]));
  for (const m of input.milestones) for (const p of m.dependsOn ?? []) dependents.get(p)!.push(m);
  return dependents;
}

describe("schedule properties", () => {
  it("every start and due date, and every projected date of an open milestone, is a working day of its side's calendar", () => {
    fc.assert(
      fc.property(planArb({ pins: true, done: true, buyer: true }), ({ input, calendarOf }) => {
        const result = schedulePlan(input);
        expect(result.milestones.map((m) => m.id)).toEqual(input.milestones.map((m) => m.id));
        for (const m of result.milestones) {
          const calendar = calendarOf.get(m.id)!;
          expect(calendar.isWorkingDay(day(m.due))).toBe(true);
          expect(calendar.isWorkingDay(day(m.start))).toBe(true);
          if (m.status !== "done") {
            expect(calendar.isWorkingDay(day(m.projectedStart!))).toBe(true);
            expect(calendar.isWorkingDay(day(m.projectedFinish))).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it("every unpinned milestone is due at least 1 + lag working days before each dependent starts", () => {
    fc.assert(
      fc.property(planArb({ pins: true, done: false }), ({ input, calendar }) => {
        const result = byId(schedulePlan(input));
        for (const s of input.milestones) {
          for (const p of s.dependsOn ?? []) {
            const predecessor = input.milestones.find((m) => m.id === p)!;
            if (predecessor.pinnedDate !== undefined) continue;
            const bound = calendar.before(day(result[s.id].start), 1 + (s.lagDays ?? 0));
            expect(day(result[p].due)).toBeLessThanOrEqual(bound);
          }
        }
      }),
      RUNS,
    );
  });

  it("across sides: a predecessor is due on a working day of its calendar before the dependent's lag (on the dependent's calendar) begins", () => {
    fc.assert(
      fc.property(planArb({ pins: true, done: false, buyer: true }), ({ input, calendarOf }) => {
        const result = byId(schedulePlan(input));
        for (const s of input.milestones) {
          const lag = s.lagDays ?? 0;
          const ownCalendar = calendarOf.get(s.id)!;
          for (const p of s.dependsOn ?? []) {
            const predecessor = input.milestones.find((m) => m.id === p)!;
            if (predecessor.pinnedDate !== undefined) continue;
            const lagStarts = lag === 0 ? day(result[s.id].start) : ownCalendar.before(day(result[s.id].start), lag);
            // Not later than the predecessor's last working day before the lag begins, and that day exactly when s alone bounds it.
            expect(day(result[p].due)).toBeLessThanOrEqual(calendarOf.get(p)!.before(lagStarts, 1));
            // The open dependent starts only once lag working days of its own calendar have passed.
            if (result[p].status !== "done" && result[s.id].projectedStart !== null) {
              expect(day(result[s.id].projectedStart!)).toBeGreaterThanOrEqual(ownCalendar.after(day(result[p].projectedFinish), 1 + lag));
            }
          }
        }
      }),
      RUNS,
    );
  });

  it("joint milestones fall on days both sides work; with one calendar, sides change nothing", () => {
    fc.assert(
      fc.property(planArb({ pins: false, done: true, buyer: true }), ({ input, calendar }) => {
        const result = byId(schedulePlan(input));
        const buyer = input.buyerCalendar ? new WorkingCalendar(input.buyerCalendar.workingWeekdays!, input.buyerCalendar.holidays!.map(day)) : calendar;
        for (const m of input.milestones) {
          if (m.side !== "joint") continue;
          for (const date of [result[m.id].start, result[m.id].due]) {
            expect(calendar.isWorkingDay(day(date)) && buyer.isWorkingDay(day(date))).toBe(true);
          }
        }
        // Without a buyer calendar every side is on the organisation's calendar: the same as no sides.
        const { buyerCalendar: _ignored, ...sameCalendar } = input;
        const withSides = schedulePlan(sameCalendar);
        const withoutSides = schedulePlan({ ...sameCalendar, milestones: sameCalendar.milestones.map(({ side: _side, ...m }) => m) });
        expect(withSides).toEqual(withoutSides);
      }),
      RUNS,
    );
  });

  it("no unpinned milestone without dependents is due on or after go-live", () => {
    fc.assert(
      fc.property(planArb({ pins: true, done: true }), ({ input }) => {
        const result = byId(schedulePlan(input));
        const dependents = dependentsOf(input);
        for (const m of input.milestones) {
          if (m.pinnedDate !== undefined || dependents.get(m.id)!.length > 0) continue;
          expect(day(result[m.id].due)).toBeLessThan(day(input.goLive));
        }
      }),
      RUNS,
    );
  });

  it("moving a working-day go-live n working days later moves every date by exactly n working days", () => {
    fc.assert(
      fc.property(planArb({ pins: false, done: true }), fc.integer({ min: 1, max: 30 }), ({ input, calendar }, n) => {
        const goLive = calendar.onOrAfter(day(input.goLive));
        const earlier = schedulePlan({ ...input, goLive: fromDayNumber(goLive) });
        const later = schedulePlan({ ...input, goLive: fromDayNumber(calendar.after(goLive, n)) });
        earlier.milestones.forEach((m, i) => {
          expect(calendar.countWorkingDaysBetween(day(m.due), day(later.milestones[i].due))).toBe(n);
          expect(calendar.countWorkingDaysBetween(day(m.start), day(later.milestones[i].start))).toBe(n);
        });
      }),
      RUNS,
    );
  });

  it("slip is 0 exactly when projectedGoLive equals goLive, and never negative", () => {
    fc.assert(
      fc.property(planArb({ pins: true, done: true }), ({ input }) => {
        const result = schedulePlan(input);
        expect(result.slipDays).toBeGreaterThanOrEqual(0);
        expect(result.slipDays === 0).toBe(result.projectedGoLive === input.goLive);
      }),
      RUNS,
    );
  });

  it("matches a day-by-day reference implementation of the spec", () => {
    fc.assert(
      fc.property(planArb({ pins: true, done: true, buyer: true }), fc.boolean(), ({ input }, withClose) => {
        if (withClose) input.milestones[input.milestones.length - 1].isClose = true;
        const actual = schedulePlan(input);
        const expected = referenceSchedule(input);
        expect({ ...actual, conflicts: actual.conflicts.map(({ milestoneId, kind }) => ({ milestoneId, kind })) }).toEqual(expected);
      }),
      RUNS,
    );
  });

  it("a random plan with an injected cycle throws `cycle` naming a real cycle", () => {
    fc.assert(
      fc.property(
        planArb({ pins: true, done: true }).filter(({ input }) => input.milestones.length >= 1),
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        ({ input }, picks) => {
          // Chain some milestones, then close the chain: each depends on the previous, the first on the last.
          const chain = [...new Set(picks.map((k) => input.milestones[k % input.milestones.length]))];
          chain.forEach((m, i) => {
            const previous = chain[(i + chain.length - 1) % chain.length];
            m.dependsOn = [...(m.dependsOn ?? []), previous.id];
          });
          const error = scheduleError(input);
          expect(error.code).toBe("cycle");
          const ids = error.milestoneIds;
          expect(ids.length).toBeGreaterThan(0);
          expect(new Set(ids).size).toBe(ids.length);
          ids.forEach((id, i) => {
            const next = input.milestones.find((m) => m.id === ids[(i + 1) % ids.length])!;
            expect(next.dependsOn ?? []).toContain(id); // id is a predecessor of the next one
          });
          expect(error.message).toContain([...ids, ids[0]].join(" → "));
        },
      ),
      RUNS,
    );
  });
});

/** Day-by-day working-day arithmetic on one calendar, read literally from the spec. */
function referenceCalendar(isWorking: (d: number) => boolean) {
  const before = (d: number, n: number) => {
    while (n > 0) if (isWorking(--d)) n--;
    return d;
  };
  const after = (d: number, n: number) => {
    while (n > 0) if (isWorking(++d)) n--;
    return d;
  };
  const onOrAfter = (d: number) => (isWorking(d) ? d : after(d, 1));
  const countBetween = (a: number, b: number) => {
    let count = 0;
    for (let d = Math.min(a, b) + 1; d <= Math.max(a, b); d++) if (isWorking(d)) count++;
    return a <= b ? count : 0 - count;
  };
  return { before, after, onOrAfter, countBetween };
}

/** The spec, read literally, with day-by-day working-day arithmetic and recursion. */
function referenceSchedule(input: ScheduleInput): ScheduleResult {
  const workingOn = (spec: ScheduleInput["calendar"]) => {
    const weekdays = spec?.workingWeekdays ?? [1, 2, 3, 4, 5];
    const holidays = new Set((spec?.holidays ?? []).map(day));
    return (d: number) => weekdays.includes(((((d - 4) % 7) + 7) % 7) + 1) && !holidays.has(d);
  };
  const sellerWorks = workingOn(input.calendar);
  const buyerWorks = input.buyerCalendar ? workingOn(input.buyerCalendar) : sellerWorks;
  const bySide = {
    seller: referenceCalendar(sellerWorks),
    buyer: referenceCalendar(buyerWorks),
    // A joint milestone needs a working day on both sides.
    joint: referenceCalendar((d) => sellerWorks(d) && buyerWorks(d)),
  };
  // Go-live and slip are the organisation's.
  const { after, countBetween } = bySide.seller;
  const calendarOf = (id: string) => bySide[byIdMap.get(id)!.side ?? "seller"];

  const byIdMap = new Map(input.milestones.map((m) => [m.id, m]));
  const dependents = dependentsOf(input);
  const goLive = day(input.goLive);
  const today = day(input.today);

  const latestMemo = new Map<string, number>();
  const latest = (id: string): number => {
    if (!latestMemo.has(id)) {
      const ds = dependents.get(id)!;
      const own = calendarOf(id);
      // The predecessor's last working day before the day lag working days (of the dependent's calendar) before it starts.
      const lagStarts = (s: Milestone) => ((s.lagDays ?? 0) === 0 ? start(s.id) : calendarOf(s.id).before(start(s.id), s.lagDays ?? 0));
      latestMemo.set(id, ds.length === 0 ? own.before(goLive, 1) : Math.min(...ds.map((s) => own.before(lagStarts(s), 1))));
    }
    return latestMemo.get(id)!;
  };
  const due = (id: string) => {
    const m = byIdMap.get(id)!;
    return m.pinnedDate !== undefined ? day(m.pinnedDate) : latest(id);
  };
  const start = (id: string) => {
    const m = byIdMap.get(id)!;
    return m.durationDays <= 1 ? due(id) : calendarOf(id).before(due(id), m.durationDays - 1);
  };
  const finishMemo = new Map<string, { start: number | null; finish: number }>();
  const project = (id: string): { start: number | null; finish: number } => {
    if (!finishMemo.has(id)) {
      const m = byIdMap.get(id)!;
      if (m.completedOn !== undefined) {
        finishMemo.set(id, { start: null, finish: day(m.completedOn) });
      } else {
        const own = calendarOf(id);
        let s = own.onOrAfter(today);
        for (const p of m.dependsOn ?? []) s = Math.max(s, own.after(project(p).finish, 1 + (m.lagDays ?? 0)));
        if (m.pinnedDate !== undefined) s = Math.max(s, start(id));
        finishMemo.set(id, { start: s, finish: m.durationDays <= 1 ? s : own.after(s, m.durationDays - 1) });
      }
    }
    return finishMemo.get(id)!;
  };

  const milestones = input.milestones.map((m): ScheduledMilestone => {
    const { start: projectedStart, finish } = project(m.id);
    const d = due(m.id);
    return {
      id: m.id,
      start: fromDayNumber(start(m.id)),
      due: fromDayNumber(d),
      projectedStart: projectedStart === null ? null : fromDayNumber(projectedStart),
      projectedFinish: fromDayNumber(finish),
      floatDays: calendarOf(m.id).countBetween(finish, d),
      status: m.completedOn !== undefined ? "done" : d < today ? "overdue" : finish > d ? "at_risk" : "on_track",
    };
  });
  const sinks = input.milestones.filter((m) => dependents.get(m.id)!.length === 0);
  const F = Math.max(...sinks.map((m) => project(m.id).finish));
  const projectedGoLive = F < goLive ? goLive : after(F, 1);
  const close = input.milestones.find((m) => m.isClose);
  let forecastCloseDate: string | null = null;
  if (close !== undefined) {
    forecastCloseDate = close.completedOn !== undefined ? close.completedOn : fromDayNumber(Math.max(due(close.id), project(close.id).finish));
  }
  return {
    milestones,
    projectedGoLive: fromDayNumber(projectedGoLive),
    slipDays: countBetween(goLive, projectedGoLive),
    forecastCloseDate,
    conflicts: input.milestones
      .filter((m) => m.pinnedDate !== undefined && day(m.pinnedDate) > latest(m.id))
      .map((m) => ({ milestoneId: m.id, kind: "pinned_after_latest" })) as ScheduleResult["conflicts"],
  };
}
