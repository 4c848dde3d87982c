import { PageError } from "~/components/page-error";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ForecastChart } from "~/components/forecast-chart";
import { ForecastFilters } from "~/components/forecast/forecast-filters";
import { linkClass, NumberLink, plansWord, type Filter } from "~/components/forecast/number-link";
import { AtRisk, Pushed, RepDates } from "~/components/forecast/plan-lists";
import { ForecastSummary, MonthsTable, OtherCurrencies, QuarterCard } from "~/components/forecast/rollup-cards";
import { Alert, buttonClass, ButtonLink, Card, cx, EmptyState, PageHeader } from "~/components/ui";
import { drillDownHref } from "~/domain/forecast-drill-down";
import { FORECAST_MONTHS, forecastPeriods } from "~/domain/forecast-periods";
import { atRiskReasons, describeAtRiskReason, economicBuyerReasons, quietCutoff } from "~/domain/forecast-risk";
import { assembleRollup } from "~/domain/forecast-rollup";
import { healthJson, planHealth } from "~/domain/plan-health";
import { forecastQuery, quarterHeading } from "~/domain/forecast-window";
import { formatMoney } from "~/domain/money";
import { forecastContext, forecastPage } from "~/models/forecast.server";
import { requireUser } from "~/route-helpers/guards.server";
import type { PageHandle } from "~/components/page-scripts";

export const meta: MetaFunction = () => [{ title: "Forecast · Plan Together" }];

// A report that only reads: sent as HTML alone, without React's runtime (ADR 050).
export const handle: PageHandle = { hydrate: false };

const LIST_LIMIT = 10;

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const params = new URL(request.url).searchParams;
  const ctx = await forecastContext(context.db, user, params.get("team"), context.now, { rep: params.get("rep"), from: params.get("from") });
  if (!ctx.ok) throw new Response(ctx.message, { status: ctx.status });

  const periods = forecastPeriods(ctx.today, ctx.fiscalYearStartMonth, FORECAST_MONTHS, ctx.window.fromQuarter);
  const {
    rollup: rollupRows,
    repDates,
    pushed,
    atRisk,
  } = await forecastPage(context.db, ctx.scope, {
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
    listLimit: LIST_LIMIT,
    rollup: assembleRollup(rollupRows, periods),
    repDates,
    pushed,
    atRisk: {
      counts: atRisk.counts,
      rows: atRisk.rows.map((row) => ({
        ...row,
        reasons: [
          ...atRiskReasons(
            {
              slipDays: row.slip_days,
              overdueBuyerMilestones: row.overdue_buyer_milestones,
              lastBuyerActivityAt: row.last_buyer_activity_at,
              createdAt: row.created_at,
            },
            context.now,
          ),
          ...economicBuyerReasons(row.economic_buyer),
        ].map((reason) => ({ code: reason.code, text: describeAtRiskReason(reason) })),
        health: healthJson(planHealth({ ...row, status: "active" }, ctx.today, context.now)),
      })),
    },
  };
}

/** "closing before FY2027 Q4", "closing after FY2028 Q1", "with no close date". */
const alsoLabel = (period: { kind: string; label: string }) =>
  period.kind === "none" ? "with no close date" : `closing ${period.label.replace(/^Before/, "before").replace(/^After/, "after")}`;

export default function Forecast() {
  const data = useLoaderData<typeof loader>();
  const { rollup, team, rep, window } = data;
  const href = (filter: Filter) => drillDownHref(filter, team, { rep, from: window.from });
  const csvHref = `/forecast.csv${forecastQuery({ team, rep, from: window.from })}`;
  const otherPlans = rollup.others.reduce((n, o) => n + o.total.plans, 0);
  const empty = rollup.all.total.plans === 0 && otherPlans === 0;

  return (
    <>
      <PageHeader
        title="Forecast"
        subtitle={
          <>
            <span className="font-medium text-slate-800">{data.title}</span> · active plans by forecast close date
          </>
        }
        actions={
          <div className="flex flex-wrap items-center gap-2 self-end">
            <ButtonLink to={`/forecast/accuracy${forecastQuery({ team, rep })}`} kind="secondary" className="whitespace-nowrap">
              Whose dates came true
            </ButtonLink>
            <a href={csvHref} download className={cx(buttonClass("secondary"), "whitespace-nowrap")}>
              {window.from ? `Export CSV (${rollup.thisQuarter.period.label} – ${rollup.nextQuarter.period.label})` : "Export CSV"}
            </a>
          </div>
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
          action={
            data.showOwner ? (
              <ButtonLink to="/plans" kind="secondary">
                See all plans
              </ButtonLink>
            ) : (
              <ButtonLink to="/plans/new">Create a plan</ButtonLink>
            )
          }
        >
          The forecast counts active plans by the close date their own schedule gives. Won, lost and paused plans are not in it.
        </EmptyState>
      ) : (
        <>
          <p className="mb-4 max-w-4xl text-sm text-slate-600">
            Each plan's forecast close date comes from its signature milestone, scheduled back from the buyer's go-live, not from a quota. Values in{" "}
            {rollup.currency}
            {otherPlans > 0 ? (
              <>
                ; {plansWord(otherPlans)} in other currencies {otherPlans === 1 ? "is" : "are"}{" "}
                <a href="#other-currencies" className={linkClass}>
                  listed separately
                </a>
              </>
            ) : null}
            . Customer-confirmed: a buyer confirmed the go-live date since it last changed. Slipping: the plan's projection misses go-live.
          </p>

          <ForecastSummary rollup={rollup} atRisk={data.atRisk.counts.total} href={href} />

          <div className="mt-6 grid gap-4 lg:grid-cols-2">
            <QuarterCard heading={quarterHeading(window.offset)} totals={rollup.thisQuarter} href={href} />
            <QuarterCard heading={quarterHeading(window.offset + 1)} totals={rollup.nextQuarter} href={href} />
          </div>
          <p className="mt-3 text-sm text-slate-600">
            Also active:{" "}
            {[rollup.earlier, rollup.later, rollup.none].map((p, i) => (
              <span key={p.period.key}>
                {i > 0 ? " · " : ""}
                <NumberLink
                  to={href({ period: p.period.key, currency: rollup.currency })}
                  count={p.total.plans}
                  label={`${plansWord(p.total.plans)}, ${alsoLabel(p.period)}`}
                >
                  {plansWord(p.total.plans)}
                </NumberLink>{" "}
                {alsoLabel(p.period)}
                {p.total.plans > 0 ? (
                  <>
                    {" ("}
                    <NumberLink
                      to={href({ period: p.period.key, currency: rollup.currency })}
                      count={p.total.plans}
                      label={`${formatMoney(p.total.value, rollup.currency)}, ${alsoLabel(p.period)}`}
                    >
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
              {window.isCurrent
                ? "The current month and the five after it"
                : `${rollup.months[0]?.period.label ?? "The window's first month"} and the five months after it`}
              , split by who stands behind the go-live date.
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
    </>
  );
}

export function ErrorBoundary() {
  return (
    <PageError
      title="Forecast"
      fallback="The forecast could not be shown. Please try again in a moment."
      back={{ to: "/forecast", label: "Back to the forecast" }}
    />
  );
}
