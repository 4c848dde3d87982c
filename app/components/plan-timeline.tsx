import { Timeline } from "~/components/timeline";
import { TimelineList } from "~/components/timeline-list";

/** The stored milestone columns the timeline needs (both the rep's and the buyer's pages have them). */
export interface StoredMilestoneDates {
  id: string;
  title: string;
  owner_side: "buyer" | "seller" | "joint";
  start_date: string | null;
  due_date: string | null;
  projected_start: string | null;
  projected_finish: string | null;
  completed_on: string | null;
  pinned_date: string | null;
  is_close: boolean;
  duration_days: number;
  schedule_status: "done" | "overdue" | "at_risk" | "on_track" | null;
  float_days?: number | null;
  depends_on: string[];
}

/** The chart from a small tablet up; on a phone, the same plan as a list that reaches go-live. */
export function PlanTimeline({
  milestones,
  today,
  goLive,
  projectedGoLive,
}: {
  milestones: StoredMilestoneDates[];
  today: string;
  goLive: string;
  projectedGoLive: string | null;
}) {
  return (
    <>
      <div className="sm:hidden">
        <TimelineList milestones={milestones} today={today} goLive={goLive} projectedGoLive={projectedGoLive} />
      </div>
      <div className="hidden sm:block">
        <ChartTimeline milestones={milestones} today={today} goLive={goLive} projectedGoLive={projectedGoLive} />
      </div>
    </>
  );
}

function ChartTimeline({
  milestones,
  today,
  goLive,
  projectedGoLive,
}: {
  milestones: StoredMilestoneDates[];
  today: string;
  goLive: string;
  projectedGoLive: string | null;
}) {
  return (
    <Timeline
      today={today}
      goLive={goLive}
      projectedGoLive={projectedGoLive}
      milestones={milestones.map((m) => ({
        id: m.id,
        title: m.title,
        ownerSide: m.owner_side,
        start: m.start_date,
        due: m.due_date,
        projectedStart: m.projected_start,
        projectedFinish: m.projected_finish,
        completedOn: m.completed_on,
        pinnedDate: m.pinned_date,
        isClose: m.is_close,
        durationDays: m.duration_days,
        status: m.schedule_status,
        dependsOn: m.depends_on,
      }))}
    />
  );
}
