import { Link } from "@remix-run/react";
import { linkClass, NumberLink } from "~/components/forecast/number-link";
import { Card, TableHead } from "~/components/ui";
import type { AccuracyCell } from "~/domain/accuracy-drill-down";
import { DATE_SOURCE_LABELS, DATE_SOURCES, describeShare, ON_TIME_DAYS, type HorizonCounts } from "~/domain/forecast-accuracy";
import { plural } from "~/domain/words";

/** The URL of the deals behind a number; `rep` narrows to one rep's deals. */
export type CellHref = (cell: AccuracyCell, rep?: string) => string;

export const formatDays = (n: number | null) => (n === null ? "–" : `${n.toFixed(1).replace(/\.0$/, "")} ${n === 1 ? "day" : "days"}`);

/** One horizon: a row per date source with its deals, mean error, and shares on time and in quarter. */
export function HorizonTable({ figures, href }: { figures: HorizonCounts; href: CellHref }) {
  const { horizon } = figures;
  const id = `horizon-${horizon}`;
  return (
    <Card className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm" aria-labelledby={id}>
        <caption id={id} className="px-4 pt-3 text-left text-sm font-semibold text-slate-900">
          {horizon} days before the close
        </caption>
        <TableHead dense columns={["Date source", "Deals", "Mean error", `Within ±${ON_TIME_DAYS} days`, "Closed in its quarter"]} />
        <tbody className="divide-y divide-slate-100">
          {DATE_SOURCES.map((source) => {
            const f = figures.bySource[source];
            const cell = { kind: "horizon", horizon, source, only: null } as const;
            const label = `${DATE_SOURCE_LABELS[source]}, ${horizon} days before close`;
            return (
              <tr key={source} data-source={source}>
                <th scope="row" className="whitespace-nowrap px-4 py-2 text-left font-medium text-slate-800">
                  {DATE_SOURCE_LABELS[source]}
                </th>
                <td className="px-4 py-2 tabular-nums">
                  <NumberLink to={href(cell)} count={f.deals} label={`${label}: the ${plural(f.deals, "deal")}`}>
                    {f.deals}
                  </NumberLink>
                </td>
                <td className="whitespace-nowrap px-4 py-2 tabular-nums">
                  <NumberLink to={href(cell)} count={f.deals} label={`${label}: mean error ${formatDays(f.meanAbsoluteErrorDays)}, the deals behind it`}>
                    {formatDays(f.meanAbsoluteErrorDays)}
                  </NumberLink>
                </td>
                <td className="whitespace-nowrap px-4 py-2 tabular-nums">
                  <NumberLink to={href({ ...cell, only: "on_time" })} count={f.withinOnTime} label={`${label}: the deals within a week`}>
                    {describeShare(f.withinOnTime, f.deals)}
                  </NumberLink>
                </td>
                <td className="whitespace-nowrap px-4 py-2 tabular-nums">
                  <NumberLink
                    to={href({ ...cell, only: "in_quarter" })}
                    count={f.inForecastQuarter}
                    label={`${label}: the deals that closed in the forecast's quarter`}
                  >
                    {describeShare(f.inForecastQuarter, f.deals)}
                  </NumberLink>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="px-4 pb-3 pt-1 text-xs text-slate-600">
        {figures.tooYoung === 0 ? (
          `Every deal had a plan ${horizon} days before its close.`
        ) : (
          <>
            <Link to={href({ kind: "too_young", horizon })} className={linkClass}>
              {plural(figures.tooYoung, "deal")}
            </Link>{" "}
            {figures.tooYoung === 1 ? "was" : "were"} younger than {horizon} days at close, so {figures.tooYoung === 1 ? "it has" : "they have"} no date this
            far out and {figures.tooYoung === 1 ? "is" : "are"} left out here.
          </>
        )}
      </p>
    </Card>
  );
}

export interface RepCounts {
  ownerId: string;
  ownerName: string;
  deals: number;
  horizons: HorizonCounts[];
}

/** Per rep: each horizon a row, each source a cell with its mean error and shares, always with the deals behind them. */
export function RepTable({ reps, href }: { reps: RepCounts[]; href: CellHref }) {
  return (
    <Card className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Accuracy per rep">
        <TableHead dense columns={["Rep", "Before close", ...DATE_SOURCES.map((s) => DATE_SOURCE_LABELS[s])]} />
        <tbody className="divide-y divide-slate-100">
          {reps.flatMap((rep) =>
            rep.horizons.map((h, i) => (
              <tr key={`${rep.ownerId}-${h.horizon}`} className={i === 0 ? "border-t-2 border-slate-200" : undefined}>
                {i === 0 ? (
                  <th scope="rowgroup" rowSpan={rep.horizons.length} className="whitespace-nowrap px-4 py-2 text-left align-top font-medium text-slate-800">
                    {rep.ownerName}
                    <span className="block text-xs font-normal text-slate-500">{plural(rep.deals, "won deal")}</span>
                  </th>
                ) : null}
                <th scope="row" className="whitespace-nowrap px-4 py-2 text-left font-normal text-slate-600">
                  {h.horizon} days
                </th>
                {DATE_SOURCES.map((source) => {
                  const f = h.bySource[source];
                  const cell = { kind: "horizon", horizon: h.horizon, source, only: null } as const;
                  const label = `${rep.ownerName}, ${DATE_SOURCE_LABELS[source]}, ${h.horizon} days before close`;
                  return (
                    <td key={source} className="whitespace-nowrap px-4 py-2 align-top text-xs tabular-nums text-slate-700">
                      {f.deals === 0 ? (
                        <span className="text-slate-400">no deals</span>
                      ) : (
                        <>
                          <NumberLink to={href(cell, rep.ownerId)} count={f.deals} label={`${label}: the ${plural(f.deals, "deal")}`} className="text-sm">
                            {formatDays(f.meanAbsoluteErrorDays)}
                          </NumberLink>{" "}
                          <span className="text-slate-500">over {plural(f.deals, "deal")}</span>
                          <span className="block">
                            <NumberLink to={href({ ...cell, only: "on_time" }, rep.ownerId)} count={f.withinOnTime} label={`${label}: the deals within a week`}>
                              {f.withinOnTime} of {f.deals}
                            </NumberLink>{" "}
                            within a week
                          </span>
                          <span className="block">
                            <NumberLink
                              to={href({ ...cell, only: "in_quarter" }, rep.ownerId)}
                              count={f.inForecastQuarter}
                              label={`${label}: the deals that closed in the forecast's quarter`}
                            >
                              {f.inForecastQuarter} of {f.deals}
                            </NumberLink>{" "}
                            in its quarter
                          </span>
                        </>
                      )}
                    </td>
                  );
                })}
              </tr>
            )),
          )}
        </tbody>
      </table>
    </Card>
  );
}
