import { linkClass, NumberLink } from "~/components/forecast/number-link";
import type { CellHref } from "~/components/forecast/accuracy-tables";
import { Card, TableHead } from "~/components/ui";
import { OUTCOME_WORDS } from "~/domain/accuracy-drill-down";
import { describeShare } from "~/domain/forecast-accuracy";
import { WARNING_LABELS, WARNING_LEAD_DAYS, WARNING_SIGNALS, type WarningCounts } from "~/domain/outcome-warnings";
import type { OwnerSide } from "~/domain/owner-side";
import type { SlipCounts } from "~/domain/slip-attribution";
import { plural } from "~/domain/words";

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 100));

/** A share of slip as a bar: its length is the share, the words beside it say the days and deals. */
function SlipBar({ label, workingDays, total, deals, to }: { label: string; workingDays: number; total: number; deals: number; to: string }) {
  const pct = percent(workingDays, total);
  return (
    <tr>
      <th scope="row" className="px-4 py-2 text-left font-medium text-slate-800">
        {label}
      </th>
      <td className="w-1/3 px-4 py-2">
        <div className="h-2.5 w-full overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
          <div className="h-full rounded-full bg-amber-500" style={{ width: `${pct}%` }} />
        </div>
      </td>
      <td className="whitespace-nowrap px-4 py-2 tabular-nums">
        <NumberLink to={to} count={deals} label={`${label}: ${pct} % of all slip, the ${plural(deals, "deal")} behind it`}>
          {pct} %
        </NumberLink>
      </td>
      <td className="whitespace-nowrap px-4 py-2 tabular-nums text-slate-700">{plural(workingDays, "working day")}</td>
      <td className="whitespace-nowrap px-4 py-2 tabular-nums">
        <NumberLink to={to} count={deals} label={`${label}: the ${plural(deals, "deal")} it made late`}>
          {plural(deals, "deal")}
        </NumberLink>
      </td>
    </tr>
  );
}

type Share = SlipCounts["bySide"][number];

function SlipTable({ name, heading, shares, total, to }: { name: string; heading: string; shares: Share[]; total: number; to: (s: Share) => string }) {
  return (
    <Card className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label={name}>
        <TableHead dense columns={[heading, { hidden: "Share of slip, as a bar" }, "Share of slip", "Overrun", "Deals"]} />
        <tbody className="divide-y divide-slate-100">
          {shares.map((s) => (
            <SlipBar key={s.key} label={s.label} workingDays={s.workingDays} total={total} deals={s.deals} to={to(s)} />
          ))}
        </tbody>
      </table>
    </Card>
  );
}

/** Which milestones on the won deals' as-built critical paths overran, by side and by title (ADR 028). */
export function SlipSection({ slip, href }: { slip: SlipCounts; href: CellHref }) {
  const top = slip.byTitle[0];
  return (
    <section aria-labelledby="slip" className="mb-8">
      <h2 id="slip" className="mb-1 text-lg font-semibold text-slate-900">
        Where the slip came from
      </h2>
      <p className="mb-3 max-w-4xl text-sm text-slate-600">
        Each won deal's as-built critical path, walked back from its signature through the milestone each step waited for: a milestone's overrun is the working
        days it finished after it could have, given when it became ready.{" "}
        {slip.totalWorkingDays > 0 ? (
          <>
            {plural(slip.dealsWithSlip, "deal")} of {slip.deals} slipped, {plural(slip.totalWorkingDays, "working day")} in all
            {top ? (
              <>
                ; <strong className="font-medium text-slate-800">{top.label}</strong> caused {percent(top.workingDays, slip.totalWorkingDays)} % of it
              </>
            ) : null}
            .
          </>
        ) : (
          <>No milestone on these deals' critical paths overran.</>
        )}
        {slip.untracedDeals > 0 ? (
          <>
            {" "}
            <NumberLink to={href({ kind: "untraced" })} count={slip.untracedDeals} label={`The ${plural(slip.untracedDeals, "deal")} not traced`}>
              {plural(slip.untracedDeals, "deal")}
            </NumberLink>{" "}
            could not be traced back to the plan's start (milestones on the way were never marked done), so only their traced part counts.
          </>
        ) : null}
      </p>
      {slip.totalWorkingDays > 0 ? (
        <div className="grid gap-4 lg:grid-cols-2">
          <SlipTable
            name="Slip by side"
            heading="Side"
            shares={slip.bySide}
            total={slip.totalWorkingDays}
            to={(s) => href({ kind: "slip", by: "side", side: s.key as OwnerSide })}
          />
          <SlipTable
            name="Slip by milestone"
            heading="Milestone"
            shares={slip.byTitle}
            total={slip.totalWorkingDays}
            to={(s) => href({ kind: "slip", by: "title", title: s.label })}
          />
        </div>
      ) : null}
    </section>
  );
}

/** Won, lost and no-decision deals side by side: how often each showed a warning signal a month before it closed. Rates, not a model. */
export function WarningsSection({ warnings, href }: { warnings: WarningCounts[]; href: CellHref }) {
  const young = warnings.reduce((n, w) => n + w.tooYoung, 0);
  return (
    <section aria-labelledby="warnings" className="mb-8">
      <h2 id="warnings" className="mb-1 text-lg font-semibold text-slate-900">
        Did lost deals warn earlier?
      </h2>
      <p className="mb-3 max-w-4xl text-sm text-slate-600">
        Every deal closed in these quarters, read as it stood {WARNING_LEAD_DAYS} days before its close: how many showed each signal. Compare the columns; a
        rate over a handful of deals is a hint, not a finding.
        {young > 0 ? ` ${plural(young, "deal")} younger than ${WARNING_LEAD_DAYS} days at close ${young === 1 ? "is" : "are"} left out.` : ""}
      </p>
      <Card className="overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Warning signals by outcome">
          <TableHead dense columns={["Signal", ...warnings.map((w) => OUTCOME_WORDS[w.outcome])]} />
          <tbody className="divide-y divide-slate-100">
            <tr>
              <th scope="row" className="px-4 py-2 text-left font-medium text-slate-800">
                Deals read
              </th>
              {warnings.map((w) => (
                <td key={w.outcome} className="whitespace-nowrap px-4 py-2 tabular-nums">
                  <NumberLink
                    to={href({ kind: "warning", outcome: w.outcome, signal: null })}
                    count={w.deals}
                    label={`${OUTCOME_WORDS[w.outcome]}: the ${plural(w.deals, "deal")}`}
                  >
                    {w.deals}
                  </NumberLink>
                </td>
              ))}
            </tr>
            {WARNING_SIGNALS.map((signal) => (
              <tr key={signal} data-signal={signal}>
                <th scope="row" className="px-4 py-2 text-left font-medium text-slate-800">
                  {WARNING_LABELS[signal]}
                </th>
                {warnings.map((w) => (
                  <td key={w.outcome} className="whitespace-nowrap px-4 py-2 tabular-nums">
                    <NumberLink
                      to={href({ kind: "warning", outcome: w.outcome, signal })}
                      count={w.signals[signal]}
                      label={`${OUTCOME_WORDS[w.outcome]} deals, ${WARNING_LABELS[signal].toLowerCase()}: the deals`}
                    >
                      {describeShare(w.signals[signal], w.deals)}
                    </NumberLink>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <p className="mt-2 text-xs text-slate-600">
        <a href="#by-horizon" className={linkClass}>
          Back to the totals
        </a>
      </p>
    </section>
  );
}
