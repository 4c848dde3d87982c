import { useEffect, useRef } from "react";
import { DateText } from "~/components/date-text";
import { Alert, Card } from "~/components/ui";
import type { GoLivePreview } from "~/domain/go-live";
import { plural } from "~/domain/words";

/**
 * What a new go-live date moves, shown before it is saved, to the rep and to the buyer alike. The
 * buyer reads "signature" where the rep reads "forecast close": the same date, in their words.
 * The heading takes focus when the preview appears, so a keyboard or screen-reader user lands on it.
 */
export function GoLivePreviewPanel({ preview, today, goLive, audience }: { preview: GoLivePreview; today: string; goLive: string; audience: "rep" | "buyer" }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [goLive]);
  const closeLabel = audience === "rep" ? "Forecast close" : "Signature";
  const late = preview.slipDaysAfter > 0;
  return (
    <Card className="p-5" aria-live="polite">
      <h2 ref={heading} tabIndex={-1} className="text-lg font-semibold text-slate-900 focus:outline-none">
        If go-live becomes <DateText iso={goLive} today={today} />
      </h2>
      <dl className="mt-3 grid gap-3 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-slate-500">{closeLabel}</dt>
          <dd className="font-medium text-slate-900">
            <DateText iso={preview.forecastCloseBefore} today={today} /> → <DateText iso={preview.forecastCloseAfter} today={today} />
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Go-live the plan can make</dt>
          <dd className="font-medium text-slate-900">
            <DateText iso={preview.projectedGoLiveAfter} today={today} />
            {late ? (
              <span className="ml-1 text-red-700">({plural(preview.slipDaysAfter, "working day")} late)</span>
            ) : (
              <span className="ml-1 font-normal text-emerald-700">(on time)</span>
            )}
          </dd>
        </div>
      </dl>
      {preview.quarterCrossing ? (
        <p className="mt-3 text-sm text-slate-700" data-testid="quarter-crossing">
          {`This moves the ${audience === "rep" ? "deal" : "signature"} from ${preview.quarterCrossing.from} to ${preview.quarterCrossing.to}${audience === "rep" ? "" : " of the seller's fiscal year"}.`}
        </p>
      ) : null}
      <p className="mt-3 text-sm text-slate-600">
        The earliest go-live the plan can make from today is <DateText iso={preview.earliestFeasible} today={today} className="font-medium text-slate-900" />.
      </p>
      {late ? (
        <div className="mt-3">
          <Alert kind="info">At today's pace the open milestones cannot all finish before this date: milestones would be due before they can be done.</Alert>
        </div>
      ) : null}
      {preview.conflicts.length ? (
        <div className="mt-3">
          <Alert kind="info">{preview.conflicts.map((c) => c.message).join(" ")}</Alert>
        </div>
      ) : null}
      <h3 className="mt-5 text-sm font-semibold text-slate-900">{`${plural(preview.moves.length, "open milestone")} move`}</h3>
      {preview.moves.length ? (
        <table className="mt-2 w-full text-sm">
          <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-1 font-medium">Milestone</th>
              <th className="py-1 font-medium">Due now</th>
              <th className="py-1 font-medium">Due after</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {preview.moves.map((m) => (
              <tr key={m.id}>
                <td className="py-1.5 pr-2 text-slate-800">{m.title}</td>
                <td className="py-1.5 pr-2 text-slate-500">
                  <DateText iso={m.dueBefore} today={today} />
                </td>
                <td className="py-1.5 font-medium text-slate-900">
                  <DateText iso={m.dueAfter} today={today} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="mt-1 text-sm text-slate-600">No open milestone changes its due date.</p>
      )}
    </Card>
  );
}
