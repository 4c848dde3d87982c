import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PageError } from "~/components/page-error";
import { AccuracyChart } from "~/components/forecast/accuracy-chart";
import { AccuracyFilters } from "~/components/forecast/accuracy-filters";
import { HorizonTable, RepTable, type CellHref } from "~/components/forecast/accuracy-tables";
import { linkClass } from "~/components/forecast/number-link";
import { Alert, buttonClass, ButtonLink, Card, cx, EmptyState, PageHeader } from "~/components/ui";
import { accuracyCellParams } from "~/domain/accuracy-drill-down";
import { accuracyQuery } from "~/domain/accuracy-window";
import { accuracyByHorizon, accuracyByRep, accuracyHeadline, horizonCounts, ON_TIME_DAYS } from "~/domain/forecast-accuracy";
import { forecastQuery } from "~/domain/forecast-window";
import { plural } from "~/domain/words";
import { requireAccuracy } from "~/route-helpers/accuracy-route.server";
import { SlipSection, WarningsSection } from "~/components/forecast/accuracy-slip-warnings";
import { WARNING_SIGNALS, type WarningSignal } from "~/domain/outcome-warnings";
import type { SlipShare } from "~/domain/slip-attribution";
import { warningRatesFor } from "~/models/outcome-warnings.server";
import { slipAttributionFor } from "~/models/slip-attribution.server";

/*
 * /forecast/accuracy[?team=…&rep=…&from=FY2026-Q4&to=FY2027-Q3]: whose dates came true (issue 19).
 * For the won deals of the viewer's scope that closed in the window, how far each date source
 * stood from the real close 90, 60 and 30 days before it.
 */

export const meta: MetaFunction = () => [{ title: "Forecast accuracy · Plan Together" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const { user, ctx, window, range, deals, calendar, generatedThrough, query } = await requireAccuracy(context, request);
  const fy = ctx.fiscalYearStartMonth;
  const horizons = accuracyByHorizon(deals, fy).map(horizonCounts);
  const [slip, warnings] = await Promise.all([slipAttributionFor(context.db, ctx.scope, range, calendar), warningRatesFor(context.db, ctx.scope, range, fy)]);
  const share = (s: SlipShare) => ({ key: s.key, label: s.label, workingDays: s.workingDays, deals: s.deals });
  return {
    title: ctx.title,
    team: ctx.team,
    rep: ctx.rep,
    reps: ctx.reps,
    managers: ctx.managers,
    isAdmin: user.role === "admin",
    notice: ctx.notice,
    window,
    query,
    deals: deals.length,
    horizons,
    headline: accuracyHeadline(horizons),
    generatedThrough,
    slip: {
      deals: slip.deals,
      dealsWithSlip: slip.dealsWithSlip,
      totalWorkingDays: slip.totalWorkingDays,
      untracedDeals: slip.untracedDeals,
      bySide: slip.bySide.map(share),
      byTitle: slip.byTitle.map(share),
    },
    warnings: warnings.map((w) => ({
      outcome: w.outcome,
      deals: w.deals,
      tooYoung: w.tooYoung,
      signals: Object.fromEntries(WARNING_SIGNALS.map((s) => [s, w.signals[s].count])) as Record<WarningSignal, number>,
    })),
    byRep:
      user.role === "rep" || ctx.rep
        ? []
        : accuracyByRep(deals, fy).map((r) => ({ ownerId: r.ownerId, ownerName: r.ownerName, deals: r.deals, horizons: r.horizons.map(horizonCounts) })),
  };
}

export default function ForecastAccuracy() {
  const data = useLoaderData<typeof loader>();
  const { query, window } = data;
  const href: CellHref = (cell, rep) => `/forecast/accuracy/plans${accuracyQuery({ ...query, rep: rep ?? query.rep }, accuracyCellParams(cell))}`;
  const csvHref = `/forecast/accuracy.csv${accuracyQuery(query)}`;

  return (
    <>
      <p className="text-sm text-slate-500">
        <Link to={`/forecast${forecastQuery({ team: data.team, rep: data.rep })}`} className="hover:underline">
          Forecast
        </Link>{" "}
        /
      </p>
      <PageHeader
        title="Forecast accuracy"
        subtitle={
          <>
            <span className="font-medium text-slate-800">{data.title}</span> · {plural(data.deals, "won deal")} closed in {window.label}
          </>
        }
        actions={
          data.deals > 0 ? (
            <a href={csvHref} download className={cx(buttonClass("secondary"), "self-end whitespace-nowrap")}>
              Export CSV
            </a>
          ) : null
        }
      />
      <AccuracyFilters data={data} />
      {data.notice ? (
        <div className="mb-4">
          <Alert kind="info">{data.notice}</Alert>
        </div>
      ) : null}

      {data.deals === 0 ? (
        <EmptyState
          title={`No won deals closed in ${window.label}`}
          action={
            <ButtonLink to={`/forecast${forecastQuery({ team: data.team, rep: data.rep })}`} kind="secondary">
              Back to the forecast
            </ButtonLink>
          }
        >
          Accuracy is measured on deals once they are won: close a plan as won with the day it really closed, or choose earlier quarters above.
        </EmptyState>
      ) : null}
      {data.deals === 0 && data.warnings.some((w) => w.deals > 0) ? (
        <div className="mt-6">
          <WarningsSection warnings={data.warnings} href={href} />
        </div>
      ) : null}
      {data.deals === 0 ? null : (
        <>
          <p className="mb-4 max-w-4xl text-sm text-slate-600">
            For every deal won in these quarters: the close date each source gave 90, 60 and 30 days before the real close, and how far it was off. The plan's
            date counts as <strong className="font-medium text-slate-800">customer-confirmed</strong> on the days the buyer had set or confirmed the go-live,
            and as <strong className="font-medium text-slate-800">seller-proposed</strong> on the others. The projected date is where the plan's progress was
            heading; the rep's date is the CRM close date. Within ±{ON_TIME_DAYS} days counts as on time.
          </p>
          {data.headline ? (
            <Card className="mb-4 border-l-4 border-l-brand-600 p-4">
              <p className="text-base font-medium text-slate-900" data-testid="accuracy-headline">
                {data.headline}
              </p>
            </Card>
          ) : null}

          <section aria-labelledby="by-horizon" className="mb-8">
            <h2 id="by-horizon" className="mb-3 text-lg font-semibold text-slate-900">
              Error by how long before the close
            </h2>
            <Card className="mb-4 p-4">
              <AccuracyChart horizons={data.horizons} />
            </Card>
            <div className="grid gap-4">
              {data.horizons.map((h) => (
                <HorizonTable key={h.horizon} figures={h} href={href} />
              ))}
            </div>
          </section>

          <SlipSection slip={data.slip} href={href} />

          {data.byRep.length > 0 ? (
            <section aria-labelledby="by-rep" className="mb-8">
              <h2 id="by-rep" className="mb-1 text-lg font-semibold text-slate-900">
                Per rep
              </h2>
              <p className="mb-3 text-sm text-slate-600">
                The same figures for each rep's won deals; a share is only as good as the deals behind it, so each shows its count.{" "}
                <a href="#by-horizon" className={linkClass}>
                  Back to the totals
                </a>
              </p>
              <RepTable reps={data.byRep} href={href} />
            </section>
          ) : null}

          <WarningsSection warnings={data.warnings} href={href} />
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return (
    <PageError
      title="Forecast accuracy"
      fallback="The accuracy figures could not be shown. Please try again in a moment."
      badRequestTitle="Those figures can't be shown"
      back={{ to: "/forecast/accuracy", label: "Back to forecast accuracy" }}
    />
  );
}
