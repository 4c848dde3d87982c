import { engagementCounts, type PersonEngagement } from "~/domain/engagement";
import { formatRelative } from "~/domain/dates";

/** A moment in words ("3 hours ago") with the exact ISO time in the tooltip. */
function Moment({ iso, now }: { iso: string; now: string }) {
  return (
    <time dateTime={iso} title={iso}>
      {formatRelative(new Date(iso), new Date(now))}
    </time>
  );
}

/** What one buyer-side person did on the plan, for the rep's people card (ADR 037). */
export function BuyerEngagement({ engagement, now }: { engagement: PersonEngagement | undefined; now: string }) {
  if (!engagement?.visits || !engagement.firstVisitAt || !engagement.lastVisitAt) {
    return <p className="mt-1 text-xs text-slate-500">Has not opened the plan yet</p>;
  }
  return (
    <p className="mt-1 text-xs text-slate-600">
      <span className="font-medium text-slate-700">{engagementCounts(engagement)}</span>
      {" · first "}
      <Moment iso={engagement.firstVisitAt} now={now} />
      {", last "}
      <Moment iso={engagement.lastVisitAt} now={now} />
    </p>
  );
}
