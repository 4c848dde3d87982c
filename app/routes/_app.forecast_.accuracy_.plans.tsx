import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DateText } from "~/components/date-text";
import { PageError } from "~/components/page-error";
import { PlanCell } from "~/components/plan-cell";
import { Badge, ButtonLink, Card, EmptyState, PageHeader, TableHead } from "~/components/ui";
import { dealsInCell, describeAccuracyCell, describeError, parseAccuracyCell } from "~/domain/accuracy-drill-down";
import { accuracyQuery } from "~/domain/accuracy-window";
import { plural } from "~/domain/words";
import { closedPlanSummaries } from "~/models/forecast-accuracy.server";
import { requireAccuracy } from "~/route-helpers/accuracy-route.server";

/*
 * /forecast/accuracy/plans?h=30&source=confirmed[&only=on_time|in_quarter] | ?young=90, with the
 * accuracy page's team, rep and window: the deals behind one of its numbers, each with the date
 * it was given and how far the real close landed from it.
 */

export const meta: MetaFunction = () => [{ title: "Forecast accuracy deals · Plan Together" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const { ctx, params, window, deals, query } = await requireAccuracy(context, request);
  const parsed = parseAccuracyCell(params);
  if (!parsed.ok) throw new Response(parsed.message, { status: 400 });
  const cell = parsed.value;
  const found = dealsInCell(deals, cell, ctx.fiscalYearStartMonth);
  const judged = new Map(found.map((d) => [d.planId, d.judged]));
  const plans = await closedPlanSummaries(
    context.db,
    ctx.scope,
    found.map((d) => d.planId),
  );
  return {
    title: ctx.title,
    back: `/forecast/accuracy${accuracyQuery(query)}`,
    description: describeAccuracyCell(cell),
    showForecast: cell.kind === "horizon",
    window: window.label,
    today: ctx.today,
    rows: plans.map((p) => ({ ...p, judged: judged.get(p.id) ?? null })),
  };
}

export default function ForecastAccuracyPlans() {
  const data = useLoaderData<typeof loader>();
  const { back } = data;
  return (
    <>
      <p className="text-sm text-slate-500">
        <Link to="/forecast" className="hover:underline">
          Forecast
        </Link>{" "}
        /{" "}
        <Link to={back} className="hover:underline">
          Accuracy
        </Link>{" "}
        /
      </p>
      <PageHeader
        title={data.description}
        subtitle={
          <>
            <span className="font-medium text-slate-800">{data.title}</span> · closed in {data.window} · {plural(data.rows.length, "deal")}
          </>
        }
        actions={
          <ButtonLink to={back} kind="secondary">
            Back to accuracy
          </ButtonLink>
        }
      />
      {data.rows.length === 0 ? (
        <EmptyState
          title="No deals behind this number"
          action={
            <ButtonLink to={back} kind="secondary">
              Back to accuracy
            </ButtonLink>
          }
        >
          No deal closed in {data.window} matches {data.description.toLowerCase()}.
        </EmptyState>
      ) : (
        <Card className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Deals behind this number">
            <TableHead columns={["Deal", "Rep", "Closed", data.showForecast ? "Date given then" : null, data.showForecast ? "Off by" : null]} />
            <tbody className="divide-y divide-slate-100">
              {data.rows.map((plan) => (
                <tr key={plan.id} className="hover:bg-slate-50">
                  <PlanCell plan={plan} />
                  <td className="whitespace-nowrap px-4 py-3 text-slate-700">{plan.owner_name}</td>
                  <td className="whitespace-nowrap px-4 py-3">
                    <DateText iso={plan.closed_on} today={data.today} className="block text-slate-900" />
                    {plan.status !== "won" ? (
                      <Badge tone={plan.status === "lost" ? "red" : "slate"}>{plan.status === "lost" ? "Lost" : "No decision"}</Badge>
                    ) : null}
                  </td>
                  {data.showForecast ? (
                    <>
                      <td className="whitespace-nowrap px-4 py-3">{plan.judged ? <DateText iso={plan.judged.forecast} today={data.today} /> : "–"}</td>
                      <td className="whitespace-nowrap px-4 py-3 tabular-nums">
                        {plan.judged ? (
                          <>
                            <span className={plan.judged.onTime ? "text-emerald-800" : "text-slate-800"}>{describeError(plan.judged.errorDays)}</span>
                            {plan.judged.inForecastQuarter ? null : <span className="block text-xs text-amber-800">Closed in another quarter</span>}
                          </>
                        ) : (
                          "–"
                        )}
                      </td>
                    </>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return (
    <PageError
      title="Deals behind forecast accuracy"
      fallback="These deals could not be shown. Please try again in a moment."
      badRequestTitle="That list can't be shown"
      back={{ to: "/forecast/accuracy", label: "Back to forecast accuracy" }}
    />
  );
}
