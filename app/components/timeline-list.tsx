import { timelineEntries, type ListMilestone } from "~/domain/timeline-list";
import { DateText } from "~/components/date-text";
import { T, useT } from "~/components/i18n-context";
import { MilestoneStatusBadge } from "~/components/plan-status";
import { cx } from "~/components/ui";

const DOT: Record<ListMilestone["owner_side"], string> = { buyer: "bg-teal-700", seller: "bg-brand-600", joint: "bg-slate-500" };

/**
 * The timeline on a phone: the whole plan through go-live as a vertical list (the chart needs
 * 640 px and would show a month or two). Same data as the chart, same colours for the sides.
 */
export function TimelineList({
  milestones,
  today,
  goLive,
  projectedGoLive,
}: {
  milestones: (ListMilestone & { float_days?: number | null })[];
  today: string;
  goLive: string;
  projectedGoLive: string | null;
}) {
  const { t } = useT();
  const entries = timelineEntries(milestones, today, goLive, projectedGoLive);
  return (
    <ol aria-label={t("timeline.list")} className="relative ml-2 border-l-2 border-slate-200 py-1">
      {entries.map((entry) => {
        if (entry.kind === "milestone") {
          const m = entry.milestone;
          return (
            <li key={m.id} className="relative py-2 pl-5">
              <span
                aria-hidden
                className={cx("absolute -left-[7px] top-3.5 h-3 w-3 rounded-full ring-2 ring-white", m.completed_on ? "bg-emerald-600" : DOT[m.owner_side])}
              />
              <p className={cx("text-sm font-medium", m.completed_on ? "text-slate-500 line-through decoration-slate-300" : "text-slate-900")}>{m.title}</p>
              <p className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-600">
                <span>{t(`side.${m.owner_side}`)}</span>
                <span>
                  <T k={m.completed_on ? "milestone.done" : "milestone.due"} slots={{ date: <DateText iso={entry.date} today={today} /> }} />
                </span>
                {m.completed_on ? null : <MilestoneStatusBadge status={m.schedule_status} floatDays={m.float_days ?? null} />}
              </p>
            </li>
          );
        }
        const marker = {
          today: { label: t("timeline.marker.today"), className: "text-slate-600", dot: "bg-slate-400" },
          goLive: { label: t("timeline.marker.goLive"), className: "font-semibold text-brand-700", dot: "bg-brand-700 h-4 w-4 -left-[9px]" },
          projectedGoLive: { label: t("timeline.marker.projectedGoLiveLong"), className: "font-semibold text-red-700", dot: "bg-red-600" },
        }[entry.kind];
        return (
          <li key={entry.kind} data-marker={entry.kind} className={cx("relative py-2 pl-5 text-sm", marker.className)}>
            <span aria-hidden className={cx("absolute -left-[7px] top-3 h-3 w-3 rotate-45 ring-2 ring-white", marker.dot)} />
            {marker.label} · <DateText iso={entry.date} today={today} />
          </li>
        );
      })}
    </ol>
  );
}
