import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import { ClientLinks, PlainLink } from "~/components/client-links";
import { DateText } from "~/components/date-text";
import { ForecastChart } from "~/components/forecast-chart";
import { Alert, Badge, Button, ButtonLink, Card, cx, EmptyState, PageHeader } from "~/components/ui";
import { drillDownHref, type DrillFlag } from "~/domain/forecast-drill-down";
import { FORECAST_CURRENCY, formatMoney } from "~/domain/forecast-money";
import { describeRange, FORECAST_MONTHS, forecastPeriods } from "~/domain/forecast-periods";
import { PUSH_FLAG_THRESHOLD } from "~/domain/forecast-pushes";
import { AT_RISK_SHORT, atRiskReasons, describeAtRiskReason, QUIET_DAYS, quietCutoff } from "~/domain/forecast-risk";
import { assembleRollup, type PeriodTotals, type Tally } from "~/domain/forecast-rollup";
import { forecastQuery, quarterHeading } from "~/domain/forecast-window";
import { forecastContext, forecastPage } from "~/models/forecast.server";
import { requireUser } from "~/utils/guards.server";
import { plural } from "~/domain/words";

export const meta: MetaFunction = () => [{ title: "Forecast · Plan Together" }];

const LIST_LIMIT = 10;

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const params = new URL(request.url).searchParams;
  const ctx = await forecastContext(context.db, user, params.get("team"), context.now, { rep: params.get("rep"), from: params.get("from") });
  if (!ctx.ok) throw new Response(ctx.message, { status: ctx.status });

  const periods = forecastPeriods(ctx.today, ctx.fiscalYearStartMonth, FORECAST_MONTHS, ctx.window.fromQuarter);
  const { rollup: rollupRows, repDates, pushed, atRisk } = await forecastPage(context.db, ctx.scope, {
    periods,
    quietCutoff: quietCutoff(context.now),
    limit: LIST_LIMIT,
  });

  return {
    title: ctx.title,
    team: ctx.team,
    rep: ctx.rep,
    reps: ctx.reps,
    window: ctx.window,
    notice: ctx.notice,
    isAdmin: user.role === "admin",
    showOwner: user.role !== "rep",
    managers: ctx.managers,
    today: ctx.today,
    rollup: assembleRollup(rollupRows, periods),
    repDates,
    pushed,
    atRisk: {
      counts: atRisk.counts,
      rows: atRisk.rows.map((row) => ({
        ...row,
        reasons: atRiskReasons(
          { slipDays: row.slip_days, overdueBuyerMilestones: row.overdue_buyer_milestones, lastBuyerActivityAt: row.last_buyer_activity_at, createdAt: row.created_at },
          context.now,
        ).map((reason) => ({ code: reason.code, text: describeAtRiskReason(reason) })),
      })),
    },
  };
}

type Filter = Parameters<typeof drillDownHref>[0];

/** "closing before FY2027 Q4", "closing after FY2028 Q1", "with no close date". */
const alsoLabel = (period: { kind: string; label: string }) =>
  period.kind === "none" ? "with no close date" : `closing ${period.label.replace(/^Before/, "before").replace(/^After/, "after")}`;

const plansWord = (n: number) => plural(n, "plan");
const linkClass = "rounded-sm font-medium text-brand-700 underline-offset-2 hover:underline";

/** A number that opens the plans behind it (a zero has nothing behind it, so it is plain text). */
function NumberLink({ to, count, children, label, className }: { to: string; count: number; children: ReactNode; label: string; className?: string }) {
  if (count === 0) return <span className={cx("text-slate-500", className)}>{children}</span>;
  return (
    <PlainLink to={to} className={cx(linkClass, className)} aria-label={label}>
      {children}
    </PlainLink>
  );
}

export default function Forecast() {
  const data = useLoaderData<typeof loader>();
  const { rollup, team, rep, window } = data;
  const href = (filter: Filter) => drillDownHref(filter, team, { rep, from: window.from });
  const csvHref = `/forecast.csv${forecastQuery({ team, rep, from: window.from })}`;
  const otherPlans = rollup.others.reduce((n, o) => n + o.total.plans, 0);
  const empty = rollup.all.total.plans === 0 && otherPlans === 0;

  // The page's many numbers and plan names are plain anchors that navigate in the app (client-links.tsx).
  return (
    <ClientLinks>
      <PageHeader
        title="Forecast"
        subtitle={
          <>
            <span className="font-medium text-slate-800">{data.title}</span> · active plans by forecast close date
          </>
        }
        actions={
          <a href={csvHref} download className="inline-flex whitespace-nowrap items-center justify-center gap-2 self-end rounded-md bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500">
            {window.from ? `Export CSV (${rollup.thisQuarter.period.label} – ${rollup.nextQuarter.period.label})` : "Export CSV"}
          </a>
        }
      />
      <ForecastFilters data={data} />
      {data.notice ? (
        <div className="mb-4">
          <Alert kind="info">{data.notice}</Alert>
        </div>
      ) : null}

      {empty ? (
        <EmptyState
          title={data.isAdmin && team ? "This team has no active plans" : "No active plans to forecast yet"}
          action={data.showOwner ? <ButtonLink to="/plans" kind="secondary">See all plans</ButtonLink> : <ButtonLink to="/plans/new">Create a plan</ButtonLink>}
        >
          The forecast counts active plans by the close date their own schedule gives. Won, lost and paused plans are not in it.
        </EmptyState>
      ) : (
        <>
          <p className="mb-4 max-w-4xl text-sm text-slate-600">
            Each plan's forecast close date comes from its signature milestone, scheduled back from the buyer's go-live, not from a quota.
            Values in {rollup.currency}
            {otherPlans > 0 ? (
              <>
                ; {plansWord(otherPlans)} in other currencies {otherPlans === 1 ? "is" : "are"} <a href="#other-currencies" className={linkClass}>listed separately</a>
              </>
            ) : null}
            . Customer-confirmed: a buyer confirmed the go-live date since it last changed. Slipping: the plan's projection misses go-live.
          </p>

          <Summary rollup={rollup} atRisk={data.atRisk.counts.total} href={href} />

          <div className="mt-6 grid gap-4 lg:grid-cols-2">
            <QuarterCard heading={quarterHeading(window.offset)} totals={rollup.thisQuarter} href={href} />
            <QuarterCard heading={quarterHeading(window.offset + 1)} totals={rollup.nextQuarter} href={href} />
          </div>
          <p className="mt-3 text-sm text-slate-600">
            Also active:{" "}
            {[rollup.earlier, rollup.later, rollup.none].map((p, i) => (
              <span key={p.period.key}>
                {i > 0 ? " · " : ""}
                <NumberLink to={href({ period: p.period.key, currency: rollup.currency })} count={p.total.plans} label={`${plansWord(p.total.plans)}, ${alsoLabel(p.period)}`}>
                  {plansWord(p.total.plans)}
                </NumberLink>{" "}
                {alsoLabel(p.period)}
                {p.total.plans > 0 ? (
                  <>
                    {" ("}
                    <NumberLink to={href({ period: p.period.key, currency: rollup.currency })} count={p.total.plans} label={`${formatMoney(p.total.value, rollup.currency)}, ${alsoLabel(p.period)}`}>
                      {formatMoney(p.total.value, rollup.currency)}
                    </NumberLink>
                    )
                  </>
                ) : null}
              </span>
            ))}
            .
          </p>

          <Card className="mt-6 p-4 sm:p-6">
            <h2 className="text-base font-semibold text-slate-900">Value by month of forecast close</h2>
            <p className="mb-4 text-sm text-slate-600">
              {window.isCurrent ? "The current month and the five after it" : `${rollup.months[0]?.period.label ?? "The window's first month"} and the five months after it`}, split by who stands behind the go-live date.
            </p>
            <div className="overflow-x-auto">
              <div className="min-w-[680px]">
                <ForecastChart
                  caption={`Value of active plans by month of forecast close, in ${rollup.currency}, stacked by customer-confirmed and seller-proposed`}
                  currency={rollup.currency}
                  bars={rollup.months.map((m) => ({ key: m.period.key, label: m.period.label, confirmed: m.confirmed, proposed: m.proposed }))}
                />
              </div>
            </div>
            <div className="mt-6 overflow-x-auto">
              <MonthsTable months={rollup.months} currency={rollup.currency} href={href} />
            </div>
          </Card>

          {rollup.others.length > 0 ? <OtherCurrencies others={rollup.others} href={href} /> : null}

          <RepDates data={data} href={href} />
          <Pushed data={data} href={href} />
          <AtRisk data={data} href={href} />
        </>
      )}
    </ClientLinks>
  );
}

const selectClass = "mt-1 block w-full rounded-md border-0 bg-white py-1.5 pl-3 pr-8 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 focus:outline-none sm:w-auto";
const stepClass = "inline-flex items-center rounded-md px-2.5 py-1.5 text-sm font-medium text-brand-700 ring-1 ring-inset ring-slate-300 bg-white hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500";

/**
 * Whose forecast (an admin's team, a manager's or an admin's one rep) and which quarters, as a GET
 * form: the address carries the choice, so a link or the export shows the same thing.
 */
function ForecastFilters({ data }: { data: ReturnType<typeof useLoaderData<typeof loader>> }) {
  const { team, rep, window } = data;
  const step = (from: string | null, label: string, aria: string) =>
    from === null ? null : (
      <PlainLink to={`/forecast${forecastQuery({ team, rep, from })}`} className={stepClass} aria-label={aria}>
        {label}
      </PlainLink>
    );
  const shownLabel = `${data.rollup.thisQuarter.period.label} – ${data.rollup.nextQuarter.period.label}`;
  return (
    <Card className="mb-4 p-3 sm:p-4">
      <Form method="get" className="flex flex-wrap items-end gap-3" aria-label="Forecast filters">
        {data.isAdmin ? (
          <div className="min-w-[12rem] flex-1 sm:flex-none">
            <label htmlFor="team" className="block text-xs font-medium text-slate-600">Team</label>
            <select id="team" name="team" defaultValue={team ?? ""} className={selectClass}>
              <option value="">Whole organisation</option>
              {data.managers.map((m) => (
                <option key={m.id} value={m.id}>{m.name}'s team</option>
              ))}
            </select>
          </div>
        ) : null}
        {data.reps.length ? (
          <div className="min-w-[12rem] flex-1 sm:flex-none">
            <label htmlFor="rep" className="block text-xs font-medium text-slate-600">Rep</label>
            <select id="rep" name="rep" defaultValue={rep ?? ""} className={selectClass}>
              <option value="">Everyone</option>
              {data.reps.map((r) => (
                <option key={r.id} value={r.id}>{r.name}</option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="min-w-[12rem] flex-1 sm:flex-none">
          <label htmlFor="from" className="block text-xs font-medium text-slate-600">Quarters</label>
          <select id="from" name="from" defaultValue={window.from ?? ""} className={selectClass}>
            {window.options.map((o) => (
              <option key={o.key} value={o.label.endsWith("(now)") ? "" : o.key}>{o.label}</option>
            ))}
          </select>
        </div>
        <Button type="submit" kind="secondary">Show</Button>
        <div className="flex items-center gap-2 sm:ml-auto" role="group" aria-label={`Quarters shown: ${shownLabel}`}>
          {step(window.earlier, "← Earlier", "Show the quarter before")}
          {window.isCurrent ? null : step("", "This quarter", "Back to this quarter")}
          {step(window.later, "Later →", "Show the quarter after")}
        </div>
      </Form>
    </Card>
  );
}

type Rollup = ReturnType<typeof useLoaderData<typeof loader>>["rollup"];
type Href = (filter: Filter) => string;

function Summary({ rollup, atRisk, href }: { rollup: Rollup; atRisk: number; href: Href }) {
  const { all, currency } = rollup;
  const share = all.total.value > 0 ? Math.round((all.confirmed.value / all.total.value) * 100) : 0;
  const stat = (label: string, tally: Tally, filter: Filter, note?: ReactNode) => (
    <div className="px-4 py-3">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-lg font-semibold tabular-nums">
        <NumberLink to={href(filter)} count={tally.plans} label={`${label}: ${formatMoney(tally.value, currency)}`}>{formatMoney(tally.value, currency)}</NumberLink>
      </dd>
      <dd className="text-xs text-slate-600">
        <NumberLink to={href(filter)} count={tally.plans} label={`${label}: ${plansWord(tally.plans)}`}>{plansWord(tally.plans)}</NumberLink>
        {note ? <> · {note}</> : null}
      </dd>
    </div>
  );
  return (
    <Card>
      <dl className="grid grid-cols-2 divide-slate-100 lg:grid-cols-4 lg:divide-x">
        {stat("Active pipeline", all.total, { period: "all", currency })}
        {stat("Customer-confirmed", all.confirmed, { period: "all", currency, confirmed: true }, `${share}% of value`)}
        {stat("Slipping", all.slipping, { period: "all", currency, slipping: true })}
        <div className="px-4 py-3">
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">At risk</dt>
          <dd className="mt-1 text-lg font-semibold tabular-nums">
            <NumberLink to={href({ period: "all", flag: "at_risk" })} count={atRisk} label={`At risk: ${plansWord(atRisk)}`}>{plansWord(atRisk)}</NumberLink>
          </dd>
          <dd className="text-xs text-slate-600"><a href="#at-risk" className={linkClass}>Why</a> · all currencies</dd>
        </div>
      </dl>
    </Card>
  );
}

function Split({ label, tally, filter, currency, href, periodLabel, tone }: { label: string; tally: Tally; filter: Filter; currency: string; href: Href; periodLabel: string; tone?: "red" }) {
  const to = href(filter);
  return (
    <div className="grid grid-cols-[1fr_auto_7.5rem] items-baseline gap-x-4 py-1.5 text-sm">
      <dt className={cx(tone === "red" && tally.plans > 0 ? "font-medium text-red-700" : "text-slate-600")}>{label}</dt>
      <dd className="text-right tabular-nums">
        <NumberLink to={to} count={tally.plans} label={`${periodLabel}, ${label.toLowerCase()}: ${plansWord(tally.plans)}`}>{plansWord(tally.plans)}</NumberLink>
      </dd>
      <dd className="text-right tabular-nums">
        <NumberLink to={to} count={tally.plans} label={`${periodLabel}, ${label.toLowerCase()}: ${formatMoney(tally.value, currency)}`} className="text-slate-900">{formatMoney(tally.value, currency)}</NumberLink>
      </dd>
    </div>
  );
}

function QuarterCard({ heading, totals, href }: { heading: string; totals: PeriodTotals; href: Href }) {
  const { period, total, confirmed } = totals;
  const currency = FORECAST_CURRENCY;
  const base: Filter = { period: period.key, currency };
  const share = total.value > 0 ? (confirmed.value / total.value) * 100 : 0;
  return (
    <Card className="p-4 sm:p-5">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-base font-semibold text-slate-900">
          {heading} <span className="font-normal text-slate-500">· {period.label}</span>
        </h2>
        <span className="text-xs text-slate-500">{describeRange(period)}</span>
      </div>
      <p className="mt-3 flex flex-wrap items-baseline gap-x-2">
        <NumberLink to={href(base)} count={total.plans} label={`${period.label}: ${formatMoney(total.value, currency)}`} className="text-2xl font-semibold tabular-nums text-slate-900">
          {formatMoney(total.value, currency)}
        </NumberLink>
        <span className="text-sm text-slate-600">
          in <NumberLink to={href(base)} count={total.plans} label={`${period.label}: ${plansWord(total.plans)}`}>{plansWord(total.plans)}</NumberLink>
        </span>
      </p>
      <div className="mt-3 flex h-2 overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
        <div className="h-full bg-brand-600" style={{ width: `${share}%` }} />
        <div className="h-full bg-[repeating-linear-gradient(45deg,#2f6fdb_0,#2f6fdb_2px,#eef6ff_2px,#eef6ff_5px)]" style={{ width: `${total.value > 0 ? 100 - share : 0}%` }} />
      </div>
      <div className="mt-3">
        <dl className="divide-y divide-slate-100 border-b border-slate-200 pb-1">
          <Split label="Customer-confirmed" tally={totals.confirmed} filter={{ ...base, confirmed: true }} currency={currency} href={href} periodLabel={period.label} />
          <Split label="Seller-proposed" tally={totals.proposed} filter={{ ...base, confirmed: false }} currency={currency} href={href} periodLabel={period.label} />
        </dl>
        <dl className="divide-y divide-slate-100 pt-1">
          <Split label="On track" tally={totals.onTrack} filter={{ ...base, slipping: false }} currency={currency} href={href} periodLabel={period.label} />
          <Split label="Slipping" tally={totals.slipping} filter={{ ...base, slipping: true }} currency={currency} href={href} periodLabel={period.label} tone="red" />
        </dl>
      </div>
    </Card>
  );
}

function Cell({ tally, filter, currency, href, label }: { tally: Tally; filter: Filter; currency: string; href: Href; label: string }) {
  return (
    <td className="whitespace-nowrap px-3 py-2.5 text-right tabular-nums">
      <NumberLink to={href(filter)} count={tally.plans} label={`${label}: ${tally.plans} · ${formatMoney(tally.value, currency)} (${plansWord(tally.plans)})`}>
        {tally.plans === 0 ? "—" : (
          <>
            {tally.plans} <span className="text-slate-500">·</span> {formatMoney(tally.value, currency)}
          </>
        )}
      </NumberLink>
    </td>
  );
}

function MonthsTable({ months, currency, href }: { months: PeriodTotals[]; currency: string; href: Href }) {
  const columns: Array<{ title: string; pick: (p: PeriodTotals) => Tally; filter: Filter; name: string }> = [
    { title: "All", pick: (p) => p.total, filter: {}, name: "all" },
    { title: "Confirmed", pick: (p) => p.confirmed, filter: { confirmed: true }, name: "customer-confirmed" },
    { title: "Proposed", pick: (p) => p.proposed, filter: { confirmed: false }, name: "seller-proposed" },
    { title: "On track", pick: (p) => p.onTrack, filter: { slipping: false }, name: "on track" },
    { title: "Slipping", pick: (p) => p.slipping, filter: { slipping: true }, name: "slipping" },
  ];
  return (
    <table className="min-w-full text-sm" aria-label="Plans by month of forecast close">
      <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
        <tr className="border-b border-slate-200">
          <th scope="col" className="py-2 pr-3">Month</th>
          {columns.map((c) => (
            <th key={c.title} scope="col" className="px-3 py-2 text-right">{c.title}</th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {months.map((m) => (
          <tr key={m.period.key}>
            <th scope="row" className="whitespace-nowrap py-2.5 pr-3 text-left font-medium text-slate-900">{m.period.label}</th>
            {columns.map((c) => (
              <Cell key={c.title} tally={c.pick(m)} filter={{ period: m.period.key, currency, ...c.filter }} currency={currency} href={href} label={`${m.period.label}, ${c.name}`} />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OtherCurrencies({ others, href }: { others: Rollup["others"]; href: Href }) {
  return (
    <Card className="mt-6 p-4 sm:p-6" id="other-currencies">
      <h2 className="text-base font-semibold text-slate-900">Plans in other currencies</h2>
      <p className="text-sm text-slate-600">Not converted or added to the {FORECAST_CURRENCY} figures above.</p>
      <ul className="mt-3 space-y-2 text-sm">
        {others.map((o) => (
          <li key={o.currency}>
            <span className="font-medium text-slate-900">{o.currency}</span>:{" "}
            <NumberLink to={href({ period: "all", currency: o.currency })} count={o.total.plans} label={`${o.currency}: ${plansWord(o.total.plans)} · ${formatMoney(o.total.value, o.currency)}`}>
              {plansWord(o.total.plans)} · {formatMoney(o.total.value, o.currency)}
            </NumberLink>
            <span className="text-slate-600">
              {" "}(
              {o.periods.filter((p) => p.period.kind !== "month").map((p, i) => (
                <span key={p.period.key}>
                  {i > 0 ? "; " : ""}
                  {p.period.label}:{" "}
                  <NumberLink to={href({ period: p.period.key, currency: o.currency })} count={p.total.plans} label={`${o.currency}, ${p.period.label}: ${p.total.plans} · ${formatMoney(p.total.value, o.currency)}`}>
                    {p.total.plans} · {formatMoney(p.total.value, o.currency)}
                  </NumberLink>
                </span>
              ))}
              )
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function Section({ id, title, count, flag, href, description, children }: { id: string; title: string; count: number; flag: DrillFlag; href: Href; description: ReactNode; children: ReactNode }) {
  return (
    <section className="mt-8" aria-labelledby={`${id}-heading`} id={id}>
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`${id}-heading`} className="text-lg font-semibold text-slate-900">
          {title}{" "}
          <NumberLink to={href({ period: "all", flag })} count={count} label={`${title}: ${plansWord(count)}`} className="text-base">
            ({plansWord(count)})
          </NumberLink>
        </h2>
        {count > LIST_LIMIT ? (
          <PlainLink to={href({ period: "all", flag })} className={cx(linkClass, "text-sm")}>See all {count.toLocaleString("en-US")}</PlainLink>
        ) : null}
      </div>
      <p className="mb-3 text-sm text-slate-600">{description}</p>
      {children}
    </section>
  );
}

function PlanCell({ id, company, title }: { id: string; company: string; title: string }) {
  return (
    <td className="px-4 py-3">
      <PlainLink to={`/plans/${id}`} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">{company}</PlainLink>
      <div className="text-xs text-slate-500">{title}</div>
    </td>
  );
}

const th = "px-4 py-3";
const theadClass = "bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";

function RepDates({ data, href }: { data: Data; href: Href }) {
  const { rows, total } = data.repDates;
  return (
    <Section id="rep-dates" title="Rep date earlier than plan date" count={total} flag="rep_earlier" href={href} description="Deals where the rep's own CRM close date is earlier than the date the plan supports: the quota-driven date the buyer's timeline does not back.">
      {rows.length === 0 ? (
        <p className="rounded-lg bg-white px-4 py-6 text-center text-sm text-slate-600 ring-1 ring-slate-200">No rep's CRM date is earlier than its plan's.</p>
      ) : (
        <Card className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className={theadClass}>
              <tr>
                <th scope="col" className={th}>Plan</th>
                {data.showOwner ? <th scope="col" className={th}>Rep</th> : null}
                <th scope="col" className={th}>Rep's CRM close</th>
                <th scope="col" className={th}>Plan's forecast close</th>
                <th scope="col" className={cx(th, "text-right")}>Gap</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <tr key={r.id} className="hover:bg-slate-50">
                  <PlanCell id={r.id} company={r.buyer_company} title={`${r.title} · ${formatMoney(r.value, r.currency)}`} />
                  {data.showOwner ? <td className="whitespace-nowrap px-4 py-3 text-slate-700">{r.owner_name}</td> : null}
                  <td className="whitespace-nowrap px-4 py-3"><DateText iso={r.crm_close_date} today={data.today} /></td>
                  <td className="whitespace-nowrap px-4 py-3"><DateText iso={r.forecast_close_date} today={data.today} /></td>
                  <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">
                    <PlainLink to={`/plans/${r.id}`} className={linkClass} aria-label={`${r.buyer_company}: the rep's date is ${r.gap_days} days earlier`}>
                      {plural(r.gap_days, "day")} earlier
                    </PlainLink>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </Section>
  );
}

function Pushed({ data, href }: { data: Data; href: Href }) {
  const { rows, total } = data.pushed;
  return (
    <Section id="pushed" title={`Pushed to a later quarter ${PUSH_FLAG_THRESHOLD}+ times`} count={total} flag="pushed" href={href} description={`Deals whose forecast close date crossed into a later fiscal quarter ${PUSH_FLAG_THRESHOLD} or more times. Each plan's page shows its date history.`}>
      {rows.length === 0 ? (
        <p className="rounded-lg bg-white px-4 py-6 text-center text-sm text-slate-600 ring-1 ring-slate-200">No deal has been pushed into a later quarter {PUSH_FLAG_THRESHOLD} or more times.</p>
      ) : (
        <Card className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className={theadClass}>
              <tr>
                <th scope="col" className={th}>Plan</th>
                {data.showOwner ? <th scope="col" className={th}>Rep</th> : null}
                <th scope="col" className={th}>Forecast close now</th>
                <th scope="col" className={cx(th, "text-right")}>Pushes</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <tr key={r.id} className="hover:bg-slate-50">
                  <PlanCell id={r.id} company={r.buyer_company} title={`${r.title} · ${formatMoney(r.value, r.currency)}`} />
                  {data.showOwner ? <td className="whitespace-nowrap px-4 py-3 text-slate-700">{r.owner_name}</td> : null}
                  <td className="whitespace-nowrap px-4 py-3"><DateText iso={r.forecast_close_date} today={data.today} /></td>
                  <td className="whitespace-nowrap px-4 py-3 text-right">
                    <PlainLink to={`/plans/${r.id}`} aria-label={`Pushed ${r.pushes}×: ${r.buyer_company}`} className="rounded-full">
                      <Badge tone="red" title="Times the close date moved into a later fiscal quarter">Pushed {r.pushes}×</Badge>
                    </PlainLink>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </Section>
  );
}

function AtRisk({ data, href }: { data: Data; href: Href }) {
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
      href={href}
      description={
        counts.total === 0 ? (
          `Plans whose projection misses go-live, with overdue buyer milestones, or with no buyer activity for ${QUIET_DAYS} days.`
        ) : (
          <>
            {reasons.map((r, i) => (
              <span key={r.text}>
                {i > 0 ? " · " : ""}
                <NumberLink to={href(r.filter)} count={r.count} label={`${r.count} ${r.text}`}>{r.count.toLocaleString("en-US")}</NumberLink> {r.text}
              </span>
            ))}
            . A plan can have several reasons.
          </>
        )
      }
    >
      {rows.length === 0 ? (
        <p className="rounded-lg bg-white px-4 py-6 text-center text-sm text-slate-600 ring-1 ring-slate-200">Nothing at risk: every plan is on track with an engaged buyer.</p>
      ) : (
        <Card className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className={theadClass}>
              <tr>
                <th scope="col" className={th}>Plan</th>
                {data.showOwner ? <th scope="col" className={th}>Rep</th> : null}
                <th scope="col" className={th}>Why</th>
                <th scope="col" className={th}>Forecast close</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <tr key={r.id} className="hover:bg-slate-50">
                  <PlanCell id={r.id} company={r.buyer_company} title={`${r.title} · ${formatMoney(r.value, r.currency)}`} />
                  {data.showOwner ? <td className="whitespace-nowrap px-4 py-3 text-slate-700">{r.owner_name}</td> : null}
                  <td className="px-4 py-3">
                    <ul className="flex flex-wrap gap-1.5">
                      {r.reasons.map((reason) => (
                        <li key={reason.code}>
                          <Badge tone={reason.code === "buyer_quiet" ? "amber" : "red"} title={reason.text}>{AT_RISK_SHORT[reason.code]}</Badge>
                          <span className="sr-only">: {reason.text}</span>
                        </li>
                      ))}
                    </ul>
                    <p className="mt-1 text-xs text-slate-500">{r.reasons.map((reason) => reason.text).join(" · ")}</p>
                  </td>
                  <td className="whitespace-nowrap px-4 py-3"><DateText iso={r.forecast_close_date} today={data.today} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </Section>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : "The forecast could not be shown. Please try again in a moment.";
  return (
    <>
      <PageHeader title="Forecast" />
      <EmptyState title={status === 404 ? "Not found" : "Something went wrong"} action={<ButtonLink to="/forecast" kind="secondary">Back to the forecast</ButtonLink>}>
        {message}
      </EmptyState>
    </>
  );
}
