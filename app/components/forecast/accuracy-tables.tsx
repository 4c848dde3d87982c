import { Link } from "@remix-run/react";
import { linkClass, NumberLink } from "~/components/forecast/number-link";
import { Card, TableHead } from "~/components/ui";
import type { AccuracyCell } from "~/domain/accuracy-drill-down";
import { ACCURACY_HORIZONS, DATE_SOURCE_LABELS, DATE_SOURCES, describeShare, ON_TIME_DAYS, type HorizonCounts } from "~/domain/forecast-accuracy";
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
  /** The figures at the horizon the table shows. */
  figures: HorizonCounts;
}

/**
 * Per rep at one horizon (a director's team has a hundred reps: one row each, one link a cell, keeps
 * the page light): each source a cell with its mean error (opening the deals) and shares, always
 * with the deals behind them; the rep's name opens the whole page for that rep.
 */
export function RepTable({
  reps,
  horizon,
  horizonHref,
  repHref,
  href,
}: {
  reps: RepCounts[];
  horizon: number;
  horizonHref: (h: number) => string;
  /** The whole page for one rep, where every number opens its deals. */
  repHref: (ownerId: string) => string;
  href: CellHref;
}) {
  return (
    <>
      <nav aria-label="Horizon of the per-rep figures" className="mb-2 flex flex-wrap items-center gap-2 text-sm">
        <span className="text-slate-600">Before close:</span>
        {ACCURACY_HORIZONS.map((h) =>
          h === horizon ? (
            <span key={h} aria-current="true" className="rounded-md bg-brand-50 px-2.5 py-1 font-medium text-brand-800 ring-1 ring-inset ring-brand-200">
              {h} days
            </span>
          ) : (
            <Link key={h} to={horizonHref(h)} className="rounded-md px-2.5 py-1 font-medium text-brand-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
              {h} days
            </Link>
          ),
        )}
      </nav>
      <Card className="overflow-x-auto">
        {/* The links' look is set once on the table: a hundred rows of repeated classes made most of a director's page. */}
        <table
          className="min-w-full divide-y divide-slate-200 text-sm [&_a:hover]:underline [&_a]:rounded-sm [&_a]:font-medium [&_a]:text-brand-700 [&_a]:underline-offset-2"
          aria-label={`Accuracy per rep, ${horizon} days before close`}
        >
          <TableHead dense columns={["Rep", "Won deals", ...DATE_SOURCES.map((s) => DATE_SOURCE_LABELS[s])]} />
          <tbody className="divide-y divide-slate-100">
            {reps.map((rep) => (
              <tr key={rep.ownerId}>
                <th scope="row" className="whitespace-nowrap px-4 py-2 text-left align-top font-medium text-slate-800">
                  <Link to={repHref(rep.ownerId)}>{rep.ownerName}</Link>
                </th>
                <td className="px-4 py-2 align-top tabular-nums text-slate-700">{rep.deals}</td>
                {DATE_SOURCES.map((source) => {
                  const f = rep.figures.bySource[source];
                  const cell = { kind: "horizon", horizon: rep.figures.horizon, source, only: null } as const;
                  const label = `${rep.ownerName}: ${DATE_SOURCE_LABELS[source]}`;
                  return (
                    <td key={source} className="whitespace-nowrap px-4 py-2 align-top text-xs tabular-nums">
                      {f.deals === 0 ? (
                        <span className="text-slate-400">no deals</span>
                      ) : (
                        <>
                          <Link to={href(cell, rep.ownerId)} aria-label={label} className="text-sm">
                            {formatDays(f.meanAbsoluteErrorDays)}
                          </Link>{" "}
                          <span className="text-slate-500">over {plural(f.deals, "deal")}</span>
                          <span className="block">
                            {f.withinOnTime} of {f.deals} within a week, {f.inForecastQuarter} in its quarter
                          </span>
                        </>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}
