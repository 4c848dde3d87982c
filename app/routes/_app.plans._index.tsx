import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { DateText } from "~/components/date-text";
import { PlanCell } from "~/components/plan-cell";
import { GoLiveProvenance, PlanStatusBadge } from "~/components/plan-status";
import { HealthCell } from "~/components/plan-health";
import { Button, ButtonLink, Card, EmptyState, PageHeader, ProgressBar, TableHead } from "~/components/ui";
import { formatMoney } from "~/domain/money";
import { formatRelative, todayIn } from "~/domain/dates";
import { parsePlanSort, PLAN_SORTS } from "~/domain/plan-list";
import { healthJson, planHealth } from "~/domain/plan-health";
import { listPlans, PLAN_PAGE_SIZE } from "~/models/plan.server";
import { requireUser, viewerOf } from "~/route-helpers/guards.server";
import type { PlanStatus } from "../../db/types";
import { plural } from "~/domain/words";

export const meta: MetaFunction = () => [{ title: "Plans · Plan Together" }];

const STATUSES: Array<{ value: PlanStatus | "all"; label: string }> = [
  { value: "active", label: "Active" },
  { value: "won", label: "Won" },
  { value: "lost", label: "Lost" },
  { value: "no_decision", label: "No decision" },
  { value: "paused", label: "Paused" },
  { value: "all", label: "All" },
];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const params = new URL(request.url).searchParams;
  const status = STATUSES.some((s) => s.value === params.get("status")) ? (params.get("status") as PlanStatus | "all") : "active";
  const sort = parsePlanSort(params.get("sort"));
  const q = (params.get("q") ?? "").slice(0, 200);
  const requested = Number(params.get("page") ?? "1");
  const page = Number.isSafeInteger(requested) && requested >= 1 ? requested : 1;
  const list = await listPlans(context.db, viewerOf(user), { status, sort, q, page });
  const today = todayIn(user.organisation.timeZone, context.now);
  return {
    plans: list.rows.map((plan) => ({ ...plan, health: healthJson(planHealth(plan, today, context.now)) })),
    pagination: { page: list.page, pageCount: list.pageCount, total: list.total, pageSize: PLAN_PAGE_SIZE },
    totals: list.totals,
    filters: { status, sort, q },
    today,
    now: context.now.toISOString(),
    showOwner: user.role !== "rep",
  };
}

export default function PlansIndex() {
  const { plans, pagination, totals, filters, today, now, showOwner } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const filtered = filters.q !== "" || filters.status !== "active";
  return (
    <>
      <PageHeader
        title="Plans"
        subtitle="Every date here comes from the buyer's go-live, not from the quarter-end."
        actions={<ButtonLink to="/plans/new">New plan</ButtonLink>}
      />
      <Form method="get" className="mb-4 flex flex-wrap items-end gap-3" role="search">
        <div>
          <label htmlFor="q" className="block text-xs font-medium text-slate-600">
            Search
          </label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={filters.q}
            placeholder="Company or plan"
            className="mt-1 w-56 rounded-md border-0 px-3 py-1.5 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 focus:outline-none"
          />
        </div>
        <div>
          <label htmlFor="status" className="block text-xs font-medium text-slate-600">
            Status
          </label>
          <select
            id="status"
            name="status"
            defaultValue={filters.status}
            className="mt-1 rounded-md border-0 py-1.5 pl-3 pr-8 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 focus:outline-none"
          >
            {STATUSES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="sort" className="block text-xs font-medium text-slate-600">
            Sort by
          </label>
          <select
            id="sort"
            name="sort"
            defaultValue={filters.sort}
            className="mt-1 rounded-md border-0 py-1.5 pl-3 pr-8 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 focus:outline-none"
          >
            {Object.entries(PLAN_SORTS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" kind="secondary">
          Apply
        </Button>
        {params.toString() ? (
          <Link to="/plans" className="py-2 text-sm text-slate-600 hover:underline">
            Reset
          </Link>
        ) : null}
      </Form>

      {plans.length === 0 ? (
        filtered ? (
          <EmptyState title="No plans match these filters">Try another status or clear the search.</EmptyState>
        ) : (
          <EmptyState title="No active plans yet" action={<ButtonLink to="/plans/new">Create your first plan</ButtonLink>}>
            A plan starts from the buyer's go-live date; every milestone is scheduled back from it.
          </EmptyState>
        )
      ) : (
        <>
          <PlanTotals totals={totals} status={filters.status} />
          <Card className="overflow-x-auto">
            <>
              <table className="min-w-full divide-y divide-slate-200 text-sm">
                <TableHead columns={["Plan", showOwner ? "Rep" : null, "Go-live", "Forecast close", "Progress", "Status", "Health", "Last buyer activity"]} />
                <tbody className="divide-y divide-slate-100">
                  {plans.map((plan) => (
                    <tr key={plan.id} className="hover:bg-slate-50">
                      <PlanCell plan={plan} />
                      {showOwner ? <td className="whitespace-nowrap px-4 py-3 text-slate-700">{plan.owner_name}</td> : null}
                      <td className="whitespace-nowrap px-4 py-3">
                        <DateText iso={plan.go_live} today={today} className="block text-slate-900" />
                        <GoLiveProvenance side={plan.go_live_set_side} confirmedAt={plan.go_live_confirmed_at} confirmedBy={plan.go_live_confirmed_by_name} />
                      </td>
                      <td className="whitespace-nowrap px-4 py-3">
                        <DateText iso={plan.forecast_close_date} today={today} />
                      </td>
                      <td className="px-4 py-3">
                        <ProgressBar done={plan.milestones_done} total={plan.milestones_total} />
                      </td>
                      <td className="px-4 py-3">
                        <PlanStatusBadge status={plan.status} slipDays={plan.slip_days} />
                      </td>
                      <td className="px-4 py-3">
                        <HealthCell health={plan.health} />
                      </td>
                      <td className="whitespace-nowrap px-4 py-3 text-slate-600">
                        {plan.last_buyer_activity_at ? formatRelative(new Date(plan.last_buyer_activity_at), new Date(now)) : "None yet"}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          </Card>
        </>
      )}
      {plans.length > 0 ? <Pagination {...pagination} params={params} /> : null}
    </>
  );
}

const STATUS_WORD: Record<string, string> = { active: "active ", won: "won ", lost: "lost ", paused: "paused ", all: "" };

/** "42 active plans · $3,120,000 (and €80,000 in 2 plans)": the whole list, every page, per currency. */
function PlanTotals({ totals, status }: { totals: Array<{ currency: string; plans: number; value: number }>; status: string }) {
  const count = totals.reduce((n, t) => n + t.plans, 0);
  return (
    <p className="mb-3 text-sm text-slate-600" data-testid="plan-totals">
      <span className="font-semibold text-slate-900 tabular-nums">{count.toLocaleString("en-US")}</span> {STATUS_WORD[status] ?? ""}
      {count === 1 ? "plan" : "plans"}
      {totals.map((t, i) => (
        <span key={t.currency}>
          {i === 0 ? " · " : ", "}
          <span className="font-semibold text-slate-900 tabular-nums">{formatMoney(t.value, t.currency)}</span>
          {totals.length > 1 ? ` in ${plural(t.plans, "plan")}` : " in total"}
        </span>
      ))}
    </p>
  );
}

/** "Showing 51–100 of 17,012 plans", with the previous and next pages (filters and sort kept). */
function Pagination({
  page,
  pageCount,
  total,
  pageSize,
  params,
}: {
  page: number;
  pageCount: number;
  total: number;
  pageSize: number;
  params: URLSearchParams;
}) {
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const hrefFor = (target: number) => {
    const next = new URLSearchParams(params);
    if (target === 1) next.delete("page");
    else next.set("page", String(target));
    const query = next.toString();
    return query ? `/plans?${query}` : "/plans";
  };
  return (
    <nav aria-label="Pages of plans" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
      <p>{`Showing ${first.toLocaleString("en-US")}–${last.toLocaleString("en-US")} of ${plural(total, "plan")}`}</p>
      {pageCount > 1 ? (
        <div className="flex items-center gap-2">
          {page > 1 ? (
            <ButtonLink kind="secondary" to={hrefFor(page - 1)} rel="prev">
              Previous
            </ButtonLink>
          ) : null}
          <span aria-current="page">{`Page ${page} of ${pageCount.toLocaleString("en-US")}`}</span>
          {page < pageCount ? (
            <ButtonLink kind="secondary" to={hrefFor(page + 1)} rel="next">
              Next
            </ButtonLink>
          ) : null}
        </div>
      ) : null}
    </nav>
  );
}
