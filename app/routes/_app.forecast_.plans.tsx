import { PageError } from "~/components/page-error";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DateText } from "~/components/date-text";
import { PlanCell } from "~/components/plan-cell";
import { GoLiveProvenance, PlanStatusBadge } from "~/components/plan-status";
import { Badge, ButtonLink, Card, EmptyState, PageHeader, ProgressBar, TableHead } from "~/components/ui";
import { describeDrillDown, parseDrillDown } from "~/domain/forecast-drill-down";
import { describeRange } from "~/domain/forecast-periods";
import { isFlaggedForPushes } from "~/domain/forecast-pushes";
import { quietCutoff, repDateGapDays } from "~/domain/forecast-risk";
import { forecastQuery } from "~/domain/forecast-window";
import { formatMoney } from "~/domain/money";
import { healthJson, planHealth } from "~/domain/plan-health";
import { drillDownPlans, forecastContext } from "~/models/forecast.server";
import { requireUser } from "~/route-helpers/guards.server";
import { plural } from "~/domain/words";
import { HealthBadge } from "~/components/plan-health";
import type { PageHandle } from "~/components/page-scripts";

/*
 * /forecast/plans?period=…&confirmed=yes|no&slipping=yes|no&currency=…&flag=…&team=…&rep=…&from=…: the plans
 * behind one number of the forecast. (The file name's `forecast_` keeps this page out of the
 * forecast page's layout: it is a page of its own, not an outlet inside the forecast.)
 */

export const meta: MetaFunction = () => [{ title: "Forecast plans · Plan Together" }];

// A report that only reads: sent as HTML alone, without React's runtime (ADR 050).
export const handle: PageHandle = { hydrate: false };

const LIMIT = 500;

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const params = new URL(request.url).searchParams;
  const ctx = await forecastContext(context.db, user, params.get("team"), context.now, { rep: params.get("rep"), from: params.get("from") });
  if (!ctx.ok) throw new Response(ctx.message, { status: ctx.status });
  const parsed = parseDrillDown(params, ctx.today, ctx.fiscalYearStartMonth, ctx.window.fromQuarter);
  if (!parsed.ok) throw new Response(parsed.message, { status: 400 });

  const { rows, totals } = await drillDownPlans(context.db, ctx.scope, parsed.value, {
    quietCutoff: quietCutoff(context.now),
    limit: LIMIT,
  });
  return {
    title: ctx.title,
    team: ctx.team,
    back: `/forecast${forecastQuery({ team: ctx.team, rep: ctx.rep, from: ctx.window.from })}`,
    notice: ctx.notice,
    today: ctx.today,
    showOwner: user.role !== "rep",
    description: describeDrillDown(parsed.value),
    range: describeRange(parsed.value.period),
    rows: rows.map((row) => ({ ...row, health: healthJson(planHealth(row, ctx.today, context.now)) })),
    totals,
    limit: LIMIT,
  };
}

export default function ForecastPlans() {
  const data = useLoaderData<typeof loader>();
  const count = data.totals.reduce((n, t) => n + t.plans, 0);
  const { back } = data;
  return (
    <>
      <p className="text-sm text-slate-500">
        <Link to={back} className="hover:underline">
          Forecast
        </Link>{" "}
        /
      </p>
      <PageHeader
        title={data.description}
        subtitle={
          <>
            <span className="font-medium text-slate-800">{data.title}</span>
            {data.range ? ` · ${data.range}` : ""} · {plural(count, "active plan")}
            {data.totals.length > 0 ? ` · ${data.totals.map((t) => formatMoney(t.value, t.currency)).join(" + ")}` : ""}
          </>
        }
        actions={
          <ButtonLink to={back} kind="secondary">
            Back to the forecast
          </ButtonLink>
        }
      />
      {data.notice ? <p className="mb-4 text-sm text-slate-600">{data.notice}</p> : null}
      {data.rows.length === 0 ? (
        <EmptyState
          title="No plans behind this number"
          action={
            <ButtonLink to={back} kind="secondary">
              Back to the forecast
            </ButtonLink>
          }
        >
          No active plan matches {data.description.toLowerCase()} today.
        </EmptyState>
      ) : (
        <>
          {count > data.rows.length ? (
            <p className="mb-3 text-sm text-slate-600">
              Showing the {data.rows.length} soonest of {count.toLocaleString("en-US")}; the CSV export on the forecast page has them all.
            </p>
          ) : null}
          <Card className="overflow-x-auto">
            <>
              <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Plans behind this number">
                <TableHead columns={["Plan", data.showOwner ? "Rep" : null, "Forecast close", "Go-live", "Status", "Health", "Progress"]} />
                <tbody className="divide-y divide-slate-100">
                  {data.rows.map((plan) => {
                    const gap = repDateGapDays(plan.crm_close_date, plan.forecast_close_date);
                    return (
                      <tr key={plan.id} className="hover:bg-slate-50">
                        <PlanCell plan={plan} />
                        {data.showOwner ? <td className="whitespace-nowrap px-4 py-3 text-slate-700">{plan.owner_name}</td> : null}
                        <td className="whitespace-nowrap px-4 py-3">
                          <DateText iso={plan.forecast_close_date} today={data.today} className="block text-slate-900" />
                          {gap !== null ? (
                            <span className="text-xs text-amber-800">
                              Rep's date <DateText iso={plan.crm_close_date} today={data.today} />, {plural(gap, "day")} earlier
                            </span>
                          ) : null}
                          {isFlaggedForPushes(plan.pushes) ? (
                            <span className="mt-1 block">
                              <Badge tone="red" title="Times the close date moved into a later fiscal quarter">
                                Pushed {plan.pushes}×
                              </Badge>
                            </span>
                          ) : null}
                        </td>
                        <td className="whitespace-nowrap px-4 py-3">
                          <DateText iso={plan.go_live} today={data.today} className="block text-slate-900" />
                          <GoLiveProvenance side={plan.go_live_set_side} confirmedAt={plan.go_live_confirmed_at} confirmedBy={plan.go_live_confirmed_by_name} />
                        </td>
                        <td className="px-4 py-3">
                          <PlanStatusBadge status={plan.status} slipDays={plan.slip_days} />
                        </td>
                        <td className="px-4 py-3">
                          <HealthBadge health={plan.health} />
                        </td>
                        <td className="px-4 py-3">
                          <ProgressBar done={plan.milestones_done} total={plan.milestones_total} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </>
          </Card>
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return (
    <PageError
      title="Plans behind the forecast"
      fallback="These plans could not be shown. Please try again in a moment."
      badRequestTitle="That list can't be shown"
      back={{ to: "/forecast", label: "Back to the forecast" }}
    />
  );
}
