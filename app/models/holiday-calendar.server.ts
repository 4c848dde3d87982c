import { sql, type Kysely } from "kysely";
import type { DB } from "../../db/types";
import {
  buyerSetYears,
  describeHolidayChange,
  WEEKDAYS,
  holidaySetYears,
  mergeHolidays,
  namedHolidays,
  pinsOffBuyerCalendar,
  pinsOffCalendar,
  type NamedHoliday,
  type PinnedMilestone,
} from "~/domain/holiday-calendar";
import type { Actor } from "~/domain/plan-events";
import { PlanInputError } from "~/domain/plan-validation";
import type { MilestoneSide } from "~/domain/schedule";
import { holidaySetLabel, publicHolidays } from "~/infra/holiday-sets.server";
import { runPlanCommand } from "~/models/plan-command.server";
import { editorContext, type Editor } from "~/models/plan-commands.server";

/*
 * The organisation's holidays and working week, and a plan's buyer calendar (docs/scheduling.md,
 * ADR 013). A change to the organisation's calendar commits on its own, then every open plan is
 * re-scheduled through the one write path, each in its own transaction with a "holiday calendar
 * changed" entry in its log. The plans are marked stale in the same transaction as the change, so a
 * plan the request does not reach (a crash, a deploy) is re-projected by the schedule refresher.
 */

export interface OrganisationCalendar {
  workingWeekdays: number[];
  holidays: NamedHoliday[];
  region: string | null;
}

export async function getOrganisationCalendar(db: Kysely<DB>, orgId: string): Promise<OrganisationCalendar> {
  const org = await db
    .selectFrom("organisations")
    .select(["working_weekdays", "holidays", "holiday_names", "holiday_region"])
    .where("id", "=", orgId)
    .executeTakeFirstOrThrow();
  return { workingWeekdays: org.working_weekdays, holidays: namedHolidays(org.holidays, org.holiday_names), region: org.holiday_region };
}

export type CalendarChange =
  { kind: "add"; holidays: NamedHoliday[] } | { kind: "import"; region: string } | { kind: "remove"; date: string } | { kind: "week"; weekdays: number[] };

/** A change refused because it would put pinned milestones on a non-working day. */
export class PinnedOnHoliday extends Error {
  constructor(readonly pins: PinnedMilestone[]) {
    const shown = pins.slice(0, 3).map((p) => `“${p.milestoneTitle}” (${p.planTitle}) is pinned to ${p.pinnedDate}`);
    super(
      `${shown.join("; ")}${pins.length > 3 ? ` and ${pins.length - 3} more` : ""}. Move ${pins.length === 1 ? "that pin" : "those pins"} first: a pinned date must be a working day.`,
    );
    this.name = "PinnedOnHoliday";
  }
}

export interface CalendarChangeResult {
  /** What changed, in words ("added 2026-12-24 (Christmas Eve)"); "" when nothing did. */
  summary: string;
  /** How many plans were re-scheduled. */
  plans: number;
}

/** Every pinned milestone of the organisation's plans, with what decides its calendar. */
async function pinnedMilestones(db: Kysely<DB>, orgId: string): Promise<PinnedMilestone[]> {
  const rows = await db
    .selectFrom("milestones as m")
    .innerJoin("plans as p", (join) => join.onRef("p.org_id", "=", "m.org_id").onRef("p.id", "=", "m.plan_id"))
    .select(["p.id as plan_id", "p.title as plan_title", "m.title", "m.owner_side", "m.pinned_date", "p.buyer_working_weekdays", "p.buyer_holidays"])
    .where("m.org_id", "=", orgId)
    .where("m.pinned_date", "is not", null)
    .execute();
  return rows.map((r) => ({
    planId: r.plan_id,
    planTitle: r.plan_title,
    milestoneTitle: r.title,
    side: r.owner_side as MilestoneSide,
    pinnedDate: r.pinned_date!,
    buyerCalendar:
      r.buyer_working_weekdays === null && r.buyer_holidays === null
        ? null
        : { workingWeekdays: r.buyer_working_weekdays ?? undefined, holidays: r.buyer_holidays ?? undefined },
  }));
}

/**
 * Applies a change to the organisation's calendar and re-schedules its open plans. Throws
 * PinnedOnHoliday (nothing written) when a pinned milestone would land on a non-working day.
 */
export async function changeOrganisationCalendar(
  db: Kysely<DB>,
  ctx: { orgId: string; actor: Actor; today: string; requestId?: string | null },
  change: CalendarChange,
): Promise<CalendarChangeResult> {
  const committed = await db.transaction().execute(async (trx) => {
    // The row lock serialises two admins' changes: each merges into what the other saved.
    const org = await trx
      .selectFrom("organisations")
      .select(["working_weekdays", "holidays", "holiday_names", "holiday_region"])
      .where("id", "=", ctx.orgId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    let dates = org.holidays;
    let names = org.holiday_names;
    let weekdays = org.working_weekdays;
    let region = org.holiday_region;
    let summary = "";
    if (change.kind === "add" || change.kind === "import") {
      let added = change.kind === "add" ? change.holidays : [];
      if (change.kind === "import") {
        const { from, to } = holidaySetYears(ctx.today);
        added = publicHolidays(change.region, from, to);
        region = change.region;
      }
      const merged = mergeHolidays(dates, names, added);
      dates = merged.dates;
      names = merged.names;
      summary = describeHolidayChange({ added: merged.added.map((date) => ({ date, name: names[date] })) });
    } else if (change.kind === "remove") {
      if (!dates.includes(change.date)) return { summary: "" };
      summary = describeHolidayChange({ removed: [{ date: change.date, name: names[change.date] ?? "Holiday" }] });
      dates = dates.filter((d) => d !== change.date);
      names = Object.fromEntries(Object.entries(names).filter(([d]) => d !== change.date));
    } else {
      if (JSON.stringify(change.weekdays) !== JSON.stringify(weekdays))
        summary = describeHolidayChange({ weekdays: { before: weekdays, after: change.weekdays } });
      weekdays = change.weekdays;
    }
    const regionChanged = region !== org.holiday_region;
    if (summary === "" && !regionChanged) return { summary: "" };

    const offCalendar = pinsOffCalendar({ workingWeekdays: weekdays, holidays: dates }, await pinnedMilestones(trx, ctx.orgId));
    if (offCalendar.length > 0) throw new PinnedOnHoliday(offCalendar);

    await trx
      .updateTable("organisations")
      .set({ holidays: JSON.stringify(dates), holiday_names: JSON.stringify(names), working_weekdays: JSON.stringify(weekdays), holiday_region: region })
      .where("id", "=", ctx.orgId)
      .execute();
    if (summary === "") return { summary };
    // Stale until re-scheduled below; if this request never gets there, the refresher does.
    await sql`update plans set schedule_computed_on = null where org_id = ${ctx.orgId} and status in ('active', 'paused')`.execute(trx);
    return { summary };
  });
  if (committed.summary === "") return { summary: "", plans: 0 };

  const plans = await db.selectFrom("plans").select("id").where("org_id", "=", ctx.orgId).where("status", "in", ["active", "paused"]).orderBy("id").execute();
  for (const { id } of plans) {
    await runPlanCommand(db, { orgId: ctx.orgId, planId: id, actor: ctx.actor, today: ctx.today, requestId: ctx.requestId }, async () => ({
      value: null,
      events: [{ action: "plan.calendar_changed", entityType: "plan", entityId: id, reason: committed.summary }],
    }));
  }
  return { summary: committed.summary, plans: plans.length };
}

export interface BuyerCalendarInput {
  /** A national set code ("DE-BY"), or null for the organisation's holidays. */
  region: string | null;
  /** The buyer's working week, or null for the organisation's. */
  weekdays: number[] | null;
}

/**
 * Sets the buyer's own calendar on a plan, through the write path: the national set's public
 * holidays are stored on the plan for the years it can reach, and the plan is re-scheduled.
 */
export async function setBuyerCalendar(db: Kysely<DB>, editor: Editor, orgId: string, planId: string, expectedVersion: number, input: BuyerCalendarInput) {
  if (input.region !== null && holidaySetLabel(input.region) === null) {
    throw new PlanInputError({ buyerRegion: ["Pick the buyer's holidays from the list."] });
  }
  return runPlanCommand(db, editorContext(editor, orgId, planId, { expectedVersion }), async (trx, plan) => {
    const org = await trx.selectFrom("organisations").select(["working_weekdays", "holidays"]).where("id", "=", orgId).executeTakeFirstOrThrow();
    // The same week as the organisation's is stored as "the organisation's": it follows changes.
    const weekdays = input.weekdays === null || JSON.stringify(input.weekdays) === JSON.stringify(org.working_weekdays) ? null : input.weekdays;
    let holidays: string[] | null = null;
    if (input.region !== null) {
      const { from, to } = buyerSetYears(editor.today, plan.go_live);
      holidays = publicHolidays(input.region, from, to).map((h) => h.date);
    }
    const next = { buyer_holiday_region: input.region, buyer_working_weekdays: weekdays, buyer_holidays: holidays };
    if (next.buyer_holiday_region === plan.buyer_holiday_region && JSON.stringify(weekdays) === JSON.stringify(plan.buyer_working_weekdays)) {
      return { value: null, events: [] };
    }
    const pins = await trx
      .selectFrom("milestones")
      .select(["title", "owner_side", "pinned_date"])
      .where("org_id", "=", orgId)
      .where("plan_id", "=", planId)
      .where("pinned_date", "is not", null)
      .execute();
    const organisation = { workingWeekdays: org.working_weekdays, holidays: org.holidays };
    const buyer = { workingWeekdays: weekdays ?? org.working_weekdays, holidays: holidays ?? org.holidays };
    const off = pinsOffBuyerCalendar(
      organisation,
      buyer,
      pins.map((p) => ({ side: p.owner_side as MilestoneSide, pinnedDate: p.pinned_date!, milestoneTitle: p.title })),
    );
    if (off.length > 0) {
      const message = `“${off[0].milestoneTitle}” is pinned to ${off[0].pinnedDate}, a day off on that calendar. Move the pin first.`;
      throw new PlanInputError({ buyerRegion: [message] }, message);
    }
    await trx
      .updateTable("plans")
      .set({
        buyer_holiday_region: next.buyer_holiday_region,
        buyer_working_weekdays: weekdays === null ? null : JSON.stringify(weekdays),
        buyer_holidays: holidays === null ? null : JSON.stringify(holidays),
      })
      .where("org_id", "=", orgId)
      .where("id", "=", planId)
      .execute();
    const label = (region: string | null) => (region === null ? "the organisation's holidays" : (holidaySetLabel(region) ?? region));
    const week = (days: number[] | null) => (days === null ? "the organisation's working week" : days.map((d) => WEEKDAYS[d - 1].short).join(", "));
    return {
      value: null,
      events: [
        {
          action: "plan.calendar_changed",
          entityType: "plan",
          entityId: planId,
          changes: {
            buyer_holidays: { before: label(plan.buyer_holiday_region), after: label(next.buyer_holiday_region) },
            buyer_working_week: { before: week(plan.buyer_working_weekdays), after: week(weekdays) },
          },
        },
      ],
    };
  });
}
