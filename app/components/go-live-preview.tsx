import { useEffect, useRef } from "react";
import { DateText } from "~/components/date-text";
import { T, useT } from "~/components/i18n-context";
import { Alert, Card } from "~/components/ui";
import type { GoLivePreview } from "~/domain/go-live";

/**
 * What a new go-live date moves, shown before it is saved, to the rep and to the buyer alike. The
 * buyer reads "signature" where the rep reads "forecast close": the same date, in their words.
 * The heading takes focus when the preview appears, so a keyboard or screen-reader user lands on it.
 */
export function GoLivePreviewPanel({ preview, today, goLive, audience }: { preview: GoLivePreview; today: string; goLive: string; audience: "rep" | "buyer" }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [goLive]);
  const { t, day } = useT();
  // The rep's words (their deal, its forecast close) stay English and out of the buyer's messages,
  // which ship to the buyer's browser; the buyer reads their own.
  const closeLabel = audience === "rep" ? "Forecast close" : t("goLive.signature");
  const late = preview.slipDaysAfter > 0;
  return (
    <Card className="p-5" aria-live="polite">
      <h2 ref={heading} tabIndex={-1} className="text-lg font-semibold text-slate-900 focus:outline-none">
        <T k="goLive.previewHeading" slots={{ date: <DateText iso={goLive} today={today} /> }} />
      </h2>
      <dl className="mt-3 grid gap-3 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-slate-500">{closeLabel}</dt>
          <dd className="font-medium text-slate-900">
            <DateText iso={preview.forecastCloseBefore} today={today} /> → <DateText iso={preview.forecastCloseAfter} today={today} />
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">{t("goLive.canMake")}</dt>
          <dd className="font-medium text-slate-900">
            <DateText iso={preview.projectedGoLiveAfter} today={today} />
            {late ? (
              <span className="ml-1 text-red-700">{t("goLive.late", { count: preview.slipDaysAfter })}</span>
            ) : (
              <span className="ml-1 font-normal text-emerald-700">{t("goLive.onTime")}</span>
            )}
          </dd>
        </div>
      </dl>
      {preview.quarterCrossing ? (
        <p className="mt-3 text-sm text-slate-700" data-testid="quarter-crossing">
          {audience === "rep"
            ? `This moves the deal from ${preview.quarterCrossing.from} to ${preview.quarterCrossing.to}.`
            : t("goLive.quarterSignature", { from: preview.quarterCrossing.from, to: preview.quarterCrossing.to })}
        </p>
      ) : null}
      <p className="mt-3 text-sm text-slate-600">
        <T k="goLive.earliest" slots={{ date: <DateText iso={preview.earliestFeasible} today={today} className="font-medium text-slate-900" /> }} />
      </p>
      {late ? (
        <div className="mt-3">
          <Alert kind="info">{t("goLive.cannotFinish")}</Alert>
        </div>
      ) : null}
      {preview.conflicts.length ? (
        <div className="mt-3">
          <Alert kind="info">
            {preview.conflicts
              .map((c) =>
                t("goLive.pinConflict", {
                  title: c.title,
                  pinned: day(c.pinnedDate, today),
                  count: c.lateBy,
                  latest: day(c.latestDate, today),
                  goLive: day(c.goLive, today),
                }),
              )
              .join(" ")}
          </Alert>
        </div>
      ) : null}
      <h3 className="mt-5 text-sm font-semibold text-slate-900">{t("goLive.moves", { count: preview.moves.length })}</h3>
      {preview.moves.length ? (
        <table className="mt-2 w-full text-sm">
          <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-1 font-medium">{t("goLive.milestone")}</th>
              <th className="py-1 font-medium">{t("goLive.dueNow")}</th>
              <th className="py-1 font-medium">{t("goLive.dueAfter")}</th>
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
        <p className="mt-1 text-sm text-slate-600">{t("goLive.noMoves")}</p>
      )}
    </Card>
  );
}
