/**
 * A template's dependency graph, checked by the scheduler itself (schedulePlan) for cycles and
 * duplicate close milestones, so a template can never hold a graph that a plan could not
 * schedule; and the lead times the template page shows.
 */

import { makeCalendar } from "~/domain/calendar";
import { schedulePlan, ScheduleError } from "~/domain/schedule";
import type { TemplateMilestoneInput } from "~/domain/template-rows";
import { listWords, quote } from "~/domain/words";

export interface TemplateGraphProblem {
  kind: "cycle" | "several_close" | "unknown_dependency";
  /** Milestone keys involved; for a cycle, in order around it. */
  keys: string[];
  message: string;
}

/** Any calendar day will do: only the graph matters. Far from both ends of the supported years. */
const PROBE_DAY = "5000-01-06";

/** Schedules the template as a plan going live on PROBE_DAY (with close flags, or without them). */
function probeSchedule(milestones: TemplateMilestoneInput[], withClose: boolean) {
  return schedulePlan({
    goLive: PROBE_DAY,
    today: PROBE_DAY,
    milestones: milestones.map((m) => ({
      id: m.key,
      durationDays: m.durationDays,
      lagDays: m.lagDays ?? 0,
      dependsOn: m.dependsOn ?? [],
      isClose: withClose ? m.isClose === true : false,
    })),
  });
}

/**
 * Checks the dependency graph with the scheduler itself (the one place that defines a valid
 * plan): a cycle (named in order, by title), a dependency on an unknown key, several close
 * milestones. Returns [] when a plan made from these milestones can be scheduled.
 */
export function checkTemplateGraph(milestones: TemplateMilestoneInput[]): TemplateGraphProblem[] {
  const titleOf = new Map(milestones.map((m) => [m.key, m.title]));
  const duplicateTitles = new Set(milestones.map((m) => m.title).filter((t, i, all) => all.indexOf(t) !== i));
  const name = (key: string) => {
    const title = titleOf.get(key) ?? key;
    return duplicateTitles.has(title) && /^\d+$/.test(key) ? `${title} (row ${key})` : title;
  };

  const problems: TemplateGraphProblem[] = [];
  let closeAllowed = true;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      probeSchedule(milestones, closeAllowed);
      return problems;
    } catch (error) {
      if (!(error instanceof ScheduleError)) throw error;
      const keys = error.milestoneIds;
      if (error.code === "several_close_milestones" && closeAllowed) {
        const rows = keys.every((k) => /^\d+$/.test(k));
        const titles = listWords(keys.map((k) => quote(titleOf.get(k) ?? k)));
        const who = rows ? `rows ${listWords(keys)} (${titles})` : titles;
        problems.push({
          kind: "several_close",
          keys,
          message: `${who} are ${keys.length === 2 ? "both" : "all"} marked as the close milestone; only one milestone can be the signature`,
        });
        // Look for a cycle too, so both problems are reported at once.
        closeAllowed = false;
        continue;
      }
      if (error.code === "cycle") {
        problems.push({
          kind: "cycle",
          keys,
          message: `the dependencies form a cycle: ${[...keys, keys[0]].map(name).join(" → ")}. Remove one of these dependencies`,
        });
      } else if (error.code === "unknown_dependency") {
        problems.push({ kind: "unknown_dependency", keys, message: error.message });
      } else {
        // Durations and lags are checked before the graph; anything else is a programming error.
        throw error;
      }
      return problems;
    }
  }
  return problems;
}

export interface TemplateLeadTime {
  key: string;
  /** Working days before go-live when the milestone must start at the latest (scheduler's start). */
  startsBefore: number;
  /** Working days before go-live by which it must be done (scheduler's due). */
  dueBefore: number;
}

/**
 * Where each milestone falls when a plan is started from the template, in working days before
 * go-live, as the scheduler computes it (the backward pass). Null when the graph is invalid.
 */
export function templateLeadTimes(milestones: TemplateMilestoneInput[]): TemplateLeadTime[] | null {
  if (checkTemplateGraph(milestones).length > 0) return null;
  const result = probeSchedule(milestones, true);
  const calendar = makeCalendar();
  // before(goLive, n) = d  ⇔  n working days in (d, goLive] when go-live is a working day (PROBE_DAY is a Monday).
  return result.milestones.map((m) => ({
    key: m.id,
    startsBefore: calendar.countWorkingDaysBetweenDates(m.start, PROBE_DAY),
    dueBefore: calendar.countWorkingDaysBetweenDates(m.due, PROBE_DAY),
  }));
}
