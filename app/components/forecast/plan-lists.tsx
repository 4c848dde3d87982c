import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { DateText } from "~/components/date-text";
import { PlanCell } from "~/components/plan-cell";
import { Badge, Card, cx } from "~/components/ui";
import type { ISODate } from "~/domain/calendar";
import type { DrillFlag } from "~/domain/forecast-drill-down";
import { PUSH_FLAG_THRESHOLD } from "~/domain/forecast-pushes";
import { AT_RISK_SHORT, QUIET_DAYS, type AtRiskReason } from "~/domain/forecast-risk";
import type { PlanHealthJson } from "~/domain/plan-health";
import { plural } from "~/domain/words";
import type { AtRiskCounts, AtRiskRow, ForecastListedPlan, PushedRow, RepDateRow } from "~/models/forecast.server";
import { linkClass, NumberLink, plansWord, type Filter, type Href } from "~/components/forecast/number-link";
import { HealthBadge } from "~/components/plan-health";

/** The forecast's lists of plans to look at, as the page's loader gives them (the first few of each). */
export interface ForecastListsData {
  today: ISODate;
  showOwner: boolean;
  /** How many rows each list shows; a longer one links to all of them. */
  listLimit: number;
  repDates: { rows: RepDateRow[]; total: number };
  pushed: { rows: PushedRow[]; total: number };
  atRisk: {
    counts: AtRiskCounts;
    rows: Array<
      Omit<AtRiskRow, "last_buyer_activity_at" | "created_at" | "go_live_confirmed_at"> & {
        reasons: Array<{ code: AtRiskReason["code"]; text: string }>;
        health: PlanHealthJson | null;
      }
    >;
  };
}

function Section({
  id,
  title,
  count,
  flag,
  limit,
  href,
  description,
  children,
}: {
  id: string;
  title: string;
  count: number;
  flag: DrillFlag;
  limit: number;
  href: Href;
  description: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="mt-8" aria-labelledby={`${id}-heading`} id={id}>
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`${id}-heading`} className="text-lg font-semibold text-slate-900">
          {title}{" "}
          <NumberLink to={href({ period: "all", flag })} count={count} label={`${title}: ${plansWord(count)}`} className="text-base">
            ({plansWord(count)})
          </NumberLink>
        </h2>
        {count > limit ? (
          <Link to={href({ period: "all", flag })} className={cx(linkClass, "text-sm")}>
            See all {count.toLocaleString("en-US")}
          </Link>
        ) : null}
      </div>
      <p className="mb-3 text-sm text-slate-600">{description}</p>
      {children}
    </section>
  );
}

const th = "px-4 py-3";
const theadClass = "bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";

/** A list's table: the plan (and its value), its rep when the viewer has several, then the list's own columns. */
function PlanTable<Row extends ForecastListedPlan>({
  rows,
  showOwner,
  empty,
  headers,
  cells,
}: {
  rows: Row[];
  showOwner: boolean;
  empty: ReactNode;
  headers: ReactNode;
  cells: (row: Row) => ReactNode;
}) {
  if (rows.length === 0) return <p className="rounded-lg bg-white px-4 py-6 text-center text-sm text-slate-600 ring-1 ring-slate-200">{empty}</p>;
  return (
    <Card className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className={theadClass}>
          <tr>
            <th scope="col" className={th}>
              Plan
            </th>
            {showOwner ? (
              <th scope="col" className={th}>
                Rep
              </th>
            ) : null}
            {headers}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.id} className="hover:bg-slate-50">
              <PlanCell plan={r} />
              {showOwner ? <td className="whitespace-nowrap px-4 py-3 text-slate-700">{r.owner_name}</td> : null}
              {cells(r)}
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

export function RepDates({ data, href }: { data: ForecastListsData; href: Href }) {
  const { rows, total } = data.repDates;
  return (
    <Section
      id="rep-dates"
      title="Rep date earlier than plan date"
      count={total}
      flag="rep_earlier"
      limit={data.listLimit}
      href={href}
      description="Deals where the rep's own CRM close date is earlier than the date the plan supports: the quota-driven date the buyer's timeline does not back."
    >
      <PlanTable
        rows={rows}
        showOwner={data.showOwner}
        empty={"No rep's CRM date is earlier than its plan's."}
        headers={
          <>
            <th scope="col" className={th}>
              Rep's CRM close
            </th>
            <th scope="col" className={th}>
              Plan's forecast close
            </th>
            <th scope="col" className={cx(th, "text-right")}>
              Gap
            </th>
          </>
        }
        cells={(r) => (
          <>
            <td className="whitespace-nowrap px-4 py-3">
              <DateText iso={r.crm_close_date} today={data.today} />
            </td>
            <td className="whitespace-nowrap px-4 py-3">
              <DateText iso={r.forecast_close_date} today={data.today} />
            </td>
            <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">
              <Link to={`/plans/${r.id}`} className={linkClass} aria-label={`${r.buyer_company}: the rep's date is ${r.gap_days} days earlier`}>
                {plural(r.gap_days, "day")} earlier
              </Link>
            </td>
          </>
        )}
      />
    </Section>
  );
}

export function Pushed({ data, href }: { data: ForecastListsData; href: Href }) {
  const { rows, total } = data.pushed;
  return (
    <Section
      id="pushed"
      title={`Pushed to a later quarter ${PUSH_FLAG_THRESHOLD}+ times`}
      count={total}
      flag="pushed"
      limit={data.listLimit}
      href={href}
      description={`Deals whose forecast close date crossed into a later fiscal quarter ${PUSH_FLAG_THRESHOLD} or more times. Each plan's page shows its date history.`}
    >
      <PlanTable
        rows={rows}
        showOwner={data.showOwner}
        empty={<>No deal has been pushed into a later quarter {PUSH_FLAG_THRESHOLD} or more times.</>}
        headers={
          <>
            <th scope="col" className={th}>
              Forecast close now
            </th>
            <th scope="col" className={cx(th, "text-right")}>
              Pushes
            </th>
          </>
        }
        cells={(r) => (
          <>
            <td className="whitespace-nowrap px-4 py-3">
              <DateText iso={r.forecast_close_date} today={data.today} />
            </td>
            <td className="whitespace-nowrap px-4 py-3 text-right">
              <Link to={`/plans/${r.id}`} aria-label={`Pushed ${r.pushes}×: ${r.buyer_company}`} className="rounded-full">
                <Badge tone="red" title="Times the close date moved into a later fiscal quarter">
                  Pushed {r.pushes}×
                </Badge>
              </Link>
            </td>
          </>
        )}
      />
    </Section>
  );
}

export function AtRisk({ data, href }: { data: ForecastListsData; href: Href }) {
  const { rows, counts } = data.atRisk;
  const reasons: Array<{ count: number; text: string; filter: Filter }> = [
    { count: counts.slipping, text: "miss go-live", filter: { period: "all", slipping: true } },
    { count: counts.overdue, text: "with overdue buyer milestones", filter: { period: "all", flag: "overdue_buyer" } },
    { count: counts.quiet, text: `with no buyer activity for ${QUIET_DAYS}+ days`, filter: { period: "all", flag: "buyer_quiet" } },
  ];
  return (
    <Section
      id="at-risk"
      title="At risk"
      count={counts.total}
      flag="at_risk"
      limit={data.listLimit}
      href={href}
      description={
        counts.total === 0 ? (
          `Plans whose projection misses go-live, with overdue buyer milestones, or with no buyer activity for ${QUIET_DAYS} days.`
        ) : (
          <>
            {reasons.map((r, i) => (
              <span key={r.text}>
                {i > 0 ? " · " : ""}
                <NumberLink to={href(r.filter)} count={r.count} label={`${r.count} ${r.text}`}>
                  {r.count.toLocaleString("en-US")}
                </NumberLink>{" "}
                {r.text}
              </span>
            ))}
            . A plan can have several reasons.
          </>
        )
      }
    >
      <PlanTable
        rows={rows}
        showOwner={data.showOwner}
        empty={"Nothing at risk: every plan is on track with an engaged buyer."}
        headers={
          <>
            <th scope="col" className={th}>
              Health
            </th>
            <th scope="col" className={th}>
              Why
            </th>
            <th scope="col" className={th}>
              Forecast close
            </th>
          </>
        }
        cells={(r) => (
          <>
            <td className="px-4 py-3">
              <HealthBadge health={r.health} />
            </td>
            <td className="px-4 py-3">
              <ul className="flex flex-wrap gap-1.5">
                {r.reasons.map((reason) => (
                  <li key={reason.code} className="relative">
                    <Badge tone={reason.code === "slipping" || reason.code === "overdue_buyer_milestones" ? "red" : "amber"} title={reason.text}>
                      {AT_RISK_SHORT[reason.code]}
                    </Badge>
                    <span className="sr-only">: {reason.text}</span>
                  </li>
                ))}
              </ul>
              <p className="mt-1 text-xs text-slate-500">{r.reasons.map((reason) => reason.text).join(" · ")}</p>
            </td>
            <td className="whitespace-nowrap px-4 py-3">
              <DateText iso={r.forecast_close_date} today={data.today} />
            </td>
          </>
        )}
      />
    </Section>
  );
}
