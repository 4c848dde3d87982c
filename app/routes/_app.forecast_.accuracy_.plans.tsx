import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DateText } from "~/components/date-text";
import { PageError } from "~/components/page-error";
import { PlanCell } from "~/components/plan-cell";
import { Badge, ButtonLink, Card, EmptyState, PageHeader, TableHead } from "~/components/ui";
import { dealsInCell, describeAccuracyCell, describeError, parseAccuracyCell, planIdsOfCell } from "~/domain/accuracy-drill-down";
import { makeCalendar } from "~/domain/calendar";
import type { Judgement } from "~/domain/forecast-accuracy";
import { WARNING_LABELS, WARNING_LEAD_DAYS, warningRates, warningSignalsOf } from "~/domain/outcome-warnings";
import { asBuiltChain, attributeSlip, titleKey } from "~/domain/slip-attribution";
import { accuracyQuery } from "~/domain/accuracy-window";
import { plural } from "~/domain/words";
import { closedPlanSummaries, wonDealsClosedIn } from "~/models/forecast-accuracy.server";
import { closedDealsForWarnings } from "~/models/outcome-warnings.server";
import { wonDealsWithMilestones } from "~/models/slip-attribution.server";
import { requireAccuracy } from "~/route-helpers/accuracy-route.server";
import type { PageHandle } from "~/components/page-scripts";

/*
 * /forecast/accuracy/plans?h=30&source=confirmed[&only=on_time|in_quarter] | ?young=90, with the
 * accuracy page's team, rep and window: the deals behind one of its numbers, each with the date
 * it was given and how far the real close landed from it.
 */

export const meta: MetaFunction = () => [{ title: "Forecast accuracy deals · Plan Together" }];

// A report that only reads: sent as HTML alone, without React's runtime (ADR 050).
export const handle: PageHandle = { hydrate: false };

/** What the list shows of each deal beside its close: the date it was given, the slip it took, or the signals it showed. */
type Detail =
  { kind: "forecast"; judged: Judgement | null } | { kind: "slip"; workingDays: number } | { kind: "signals"; signals: string[] | null } | { kind: "none" };

export async function loader({ context, request }: LoaderFunctionArgs) {
  const { ctx, params, window, range, calendar, query } = await requireAccuracy(context, request);
  const parsed = parseAccuracyCell(params);
  if (!parsed.ok) throw new Response(parsed.message, { status: 400 });
  const cell = parsed.value;
  const fy = ctx.fiscalYearStartMonth;
  const details = new Map<string, Detail>();

  if (cell.kind === "horizon" || cell.kind === "too_young") {
    const deals = await wonDealsClosedIn(context.db, ctx.scope, range);
    for (const d of dealsInCell(deals, cell, fy)) details.set(d.planId, { kind: "forecast", judged: d.judged });
  } else if (cell.kind === "slip" || cell.kind === "untraced") {
    const slipDeals = await wonDealsWithMilestones(context.db, ctx.scope, range);
    const working = makeCalendar(calendar);
    const ids = new Set(planIdsOfCell(cell, attributeSlip(slipDeals, working), null));
    for (const deal of slipDeals) {
      if (!ids.has(deal.planId)) continue;
      if (cell.kind === "untraced") {
        details.set(deal.planId, { kind: "none" });
        continue;
      }
      const links = asBuiltChain(deal, working).links.filter((l) => (cell.by === "side" ? l.side === cell.side : titleKey(l.title) === titleKey(cell.title)));
      details.set(deal.planId, { kind: "slip", workingDays: links.reduce((n, l) => n + l.overrunDays, 0) });
    }
  } else {
    const warningDeals = await closedDealsForWarnings(context.db, ctx.scope, range);
    const ids = new Set(planIdsOfCell(cell, null, warningRates(warningDeals, fy)));
    for (const deal of warningDeals) {
      if (!ids.has(deal.planId)) continue;
      details.set(deal.planId, { kind: "signals", signals: warningSignalsOf(deal, fy)?.map((s) => WARNING_LABELS[s]) ?? null });
    }
  }

  const plans = await closedPlanSummaries(context.db, ctx.scope, [...details.keys()]);
  const rows = plans.map((p) => ({ ...p, detail: details.get(p.id) ?? ({ kind: "none" } as Detail) }));
  if (cell.kind === "slip") rows.sort((a, b) => (b.detail.kind === "slip" ? b.detail.workingDays : 0) - (a.detail.kind === "slip" ? a.detail.workingDays : 0));
  return {
    title: ctx.title,
    back: `/forecast/accuracy${accuracyQuery(query)}`,
    description: describeAccuracyCell(cell),
    column: cell.kind === "horizon" || cell.kind === "too_young" ? "forecast" : cell.kind === "slip" ? "slip" : cell.kind === "warning" ? "signals" : "none",
    window: window.label,
    today: ctx.today,
    rows,
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
            <TableHead
              columns={[
                "Deal",
                "Rep",
                "Closed",
                ...(data.column === "forecast" ? ["Date given then", "Off by"] : []),
                ...(data.column === "slip" ? ["Slip it caused"] : []),
                ...(data.column === "signals" ? [`Signals ${WARNING_LEAD_DAYS} days before close`] : []),
              ]}
            />
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
                  <DetailCells detail={plan.detail} today={data.today} />
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </>
  );
}

function DetailCells({ detail, today }: { detail: Detail; today: string }) {
  if (detail.kind === "forecast") {
    const { judged } = detail;
    return (
      <>
        <td className="whitespace-nowrap px-4 py-3">{judged ? <DateText iso={judged.forecast} today={today} /> : "no plan yet"}</td>
        <td className="whitespace-nowrap px-4 py-3 tabular-nums">
          {judged ? (
            <>
              <span className={judged.onTime ? "text-emerald-800" : "text-slate-800"}>{describeError(judged.errorDays)}</span>
              {judged.inForecastQuarter ? null : <span className="block text-xs text-amber-800">Closed in another quarter</span>}
            </>
          ) : (
            "–"
          )}
        </td>
      </>
    );
  }
  if (detail.kind === "slip") return <td className="whitespace-nowrap px-4 py-3 tabular-nums">{plural(detail.workingDays, "working day")}</td>;
  if (detail.kind === "signals") {
    return (
      <td className="px-4 py-3 text-slate-700">{detail.signals === null ? "too young to read" : detail.signals.length ? detail.signals.join("; ") : "none"}</td>
    );
  }
  return null;
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
