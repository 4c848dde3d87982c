import { engagementCounts, type PersonEngagement } from "~/domain/engagement";
import { MomentText as Moment } from "~/components/date-text";

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
