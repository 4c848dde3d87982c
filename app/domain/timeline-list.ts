/*
 * The timeline as a list, for screens too narrow for the chart: every milestone by its date,
 * with today, go-live and (when later) the projected go-live placed among them, so the whole plan
 * through go-live reads top to bottom without scrolling sideways.
 */
export interface ListMilestone {
  id: string;
  title: string;
  owner_side: "buyer" | "seller" | "joint";
  due_date: string | null;
  projected_finish: string | null;
  completed_on: string | null;
  schedule_status: "done" | "overdue" | "at_risk" | "on_track" | null;
}

export type TimelineEntry<M> = { kind: "milestone"; date: string | null; milestone: M } | { kind: "today" | "goLive" | "projectedGoLive"; date: string };

/** Markers sort before milestones of the same day: "today" heads the day, go-live closes the plan's last. */
const ORDER = { today: 0, milestone: 1, projectedGoLive: 2, goLive: 2 } as const;

export function timelineEntries<M extends ListMilestone>(
  milestones: readonly M[],
  today: string,
  goLive: string,
  projectedGoLive: string | null,
): TimelineEntry<M>[] {
  const entries: TimelineEntry<M>[] = milestones.map((m) => ({ kind: "milestone" as const, date: m.completed_on ?? m.due_date, milestone: m }));
  entries.push({ kind: "today", date: today }, { kind: "goLive", date: goLive });
  if (projectedGoLive && projectedGoLive > goLive) entries.push({ kind: "projectedGoLive", date: projectedGoLive });
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => {
      const da = a.entry.date,
        db = b.entry.date;
      if (da !== db) {
        if (!da) return 1;
        if (!db) return -1;
        return da < db ? -1 : 1;
      }
      return ORDER[a.entry.kind] - ORDER[b.entry.kind] || a.index - b.index;
    })
    .map(({ entry }) => entry);
}
