import type { ReactNode } from "react";
import { Card, cx } from "~/components/ui";
import { describeRange } from "~/domain/forecast-periods";
import { FORECAST_CURRENCY, type ForecastRollup, type PeriodTotals, type Tally } from "~/domain/forecast-rollup";
import { formatMoney } from "~/domain/money";
import { linkClass, NumberLink, plansWord, type Filter, type Href } from "~/components/forecast/number-link";

export function ForecastSummary({ rollup, atRisk, href }: { rollup: ForecastRollup; atRisk: number; href: Href }) {
  const { all, currency } = rollup;
  const share = all.total.value > 0 ? Math.round((all.confirmed.value / all.total.value) * 100) : 0;
  const stat = (label: string, tally: Tally, filter: Filter, note?: ReactNode) => (
    <div className="px-4 py-3">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-lg font-semibold tabular-nums">
        <NumberLink to={href(filter)} count={tally.plans} label={`${label}: ${formatMoney(tally.value, currency)}`}>
          {formatMoney(tally.value, currency)}
        </NumberLink>
      </dd>
      <dd className="text-xs text-slate-600">
        <NumberLink to={href(filter)} count={tally.plans} label={`${label}: ${plansWord(tally.plans)}`}>
          {plansWord(tally.plans)}
        </NumberLink>
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
            <NumberLink to={href({ period: "all", flag: "at_risk" })} count={atRisk} label={`At risk: ${plansWord(atRisk)}`}>
              {plansWord(atRisk)}
            </NumberLink>
          </dd>
          <dd className="text-xs text-slate-600">
            <a href="#at-risk" className={linkClass}>
              Why
            </a>{" "}
            · all currencies
          </dd>
        </div>
      </dl>
    </Card>
  );
}

export function Split({
  label,
  tally,
  filter,
  currency,
  href,
  periodLabel,
  tone,
}: {
  label: string;
  tally: Tally;
  filter: Filter;
  currency: string;
  href: Href;
  periodLabel: string;
  tone?: "red";
}) {
  const to = href(filter);
  return (
    <div className="grid grid-cols-[1fr_auto_7.5rem] items-baseline gap-x-4 py-1.5 text-sm">
      <dt className={cx(tone === "red" && tally.plans > 0 ? "font-medium text-red-700" : "text-slate-600")}>{label}</dt>
      <dd className="text-right tabular-nums">
        <NumberLink to={to} count={tally.plans} label={`${periodLabel}, ${label.toLowerCase()}: ${plansWord(tally.plans)}`}>
          {plansWord(tally.plans)}
        </NumberLink>
      </dd>
      <dd className="text-right tabular-nums">
        <NumberLink
          to={to}
          count={tally.plans}
          label={`${periodLabel}, ${label.toLowerCase()}: ${formatMoney(tally.value, currency)}`}
          className="text-slate-900"
        >
          {formatMoney(tally.value, currency)}
        </NumberLink>
      </dd>
    </div>
  );
}

export function QuarterCard({ heading, totals, href }: { heading: string; totals: PeriodTotals; href: Href }) {
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
        <NumberLink
          to={href(base)}
          count={total.plans}
          label={`${period.label}: ${formatMoney(total.value, currency)}`}
          className="text-2xl font-semibold tabular-nums text-slate-900"
        >
          {formatMoney(total.value, currency)}
        </NumberLink>
        <span className="text-sm text-slate-600">
          in{" "}
          <NumberLink to={href(base)} count={total.plans} label={`${period.label}: ${plansWord(total.plans)}`}>
            {plansWord(total.plans)}
          </NumberLink>
        </span>
      </p>
      <div className="mt-3 flex h-2 overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
        <div className="h-full bg-brand-600" style={{ width: `${share}%` }} />
        <div
          className="h-full bg-[repeating-linear-gradient(45deg,#2f6fdb_0,#2f6fdb_2px,#eef6ff_2px,#eef6ff_5px)]"
          style={{ width: `${total.value > 0 ? 100 - share : 0}%` }}
        />
      </div>
      <div className="mt-3">
        <dl className="divide-y divide-slate-100 border-b border-slate-200 pb-1">
          <Split
            label="Customer-confirmed"
            tally={totals.confirmed}
            filter={{ ...base, confirmed: true }}
            currency={currency}
            href={href}
            periodLabel={period.label}
          />
          <Split
            label="Seller-proposed"
            tally={totals.proposed}
            filter={{ ...base, confirmed: false }}
            currency={currency}
            href={href}
            periodLabel={period.label}
          />
        </dl>
        <dl className="divide-y divide-slate-100 pt-1">
          <Split label="On track" tally={totals.onTrack} filter={{ ...base, slipping: false }} currency={currency} href={href} periodLabel={period.label} />
          <Split
            label="Slipping"
            tally={totals.slipping}
            filter={{ ...base, slipping: true }}
            currency={currency}
            href={href}
            periodLabel={period.label}
            tone="red"
          />
        </dl>
      </div>
    </Card>
  );
}

export function Cell({ tally, filter, currency, href, label }: { tally: Tally; filter: Filter; currency: string; href: Href; label: string }) {
  return (
    <td className="whitespace-nowrap px-3 py-2.5 text-right tabular-nums">
      <NumberLink to={href(filter)} count={tally.plans} label={`${label}: ${tally.plans} · ${formatMoney(tally.value, currency)} (${plansWord(tally.plans)})`}>
        {tally.plans === 0 ? (
          "—"
        ) : (
          <>
            {tally.plans} <span className="text-slate-500">·</span> {formatMoney(tally.value, currency)}
          </>
        )}
      </NumberLink>
    </td>
  );
}

export function MonthsTable({ months, currency, href }: { months: PeriodTotals[]; currency: string; href: Href }) {
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
          <th scope="col" className="py-2 pr-3">
            Month
          </th>
          {columns.map((c) => (
            <th key={c.title} scope="col" className="px-3 py-2 text-right">
              {c.title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {months.map((m) => (
          <tr key={m.period.key}>
            <th scope="row" className="whitespace-nowrap py-2.5 pr-3 text-left font-medium text-slate-900">
              {m.period.label}
            </th>
            {columns.map((c) => (
              <Cell
                key={c.title}
                tally={c.pick(m)}
                filter={{ period: m.period.key, currency, ...c.filter }}
                currency={currency}
                href={href}
                label={`${m.period.label}, ${c.name}`}
              />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function OtherCurrencies({ others, href }: { others: ForecastRollup["others"]; href: Href }) {
  return (
    <Card className="mt-6 p-4 sm:p-6" id="other-currencies">
      <h2 className="text-base font-semibold text-slate-900">Plans in other currencies</h2>
      <p className="text-sm text-slate-600">Not converted or added to the {FORECAST_CURRENCY} figures above.</p>
      <ul className="mt-3 space-y-2 text-sm">
        {others.map((o) => (
          <li key={o.currency}>
            <span className="font-medium text-slate-900">{o.currency}</span>:{" "}
            <NumberLink
              to={href({ period: "all", currency: o.currency })}
              count={o.total.plans}
              label={`${o.currency}: ${plansWord(o.total.plans)} · ${formatMoney(o.total.value, o.currency)}`}
            >
              {plansWord(o.total.plans)} · {formatMoney(o.total.value, o.currency)}
            </NumberLink>
            <span className="text-slate-600">
              {" "}
              (
              {o.periods
                .filter((p) => p.period.kind !== "month")
                .map((p, i) => (
                  <span key={p.period.key}>
                    {i > 0 ? "; " : ""}
                    {p.period.label}:{" "}
                    <NumberLink
                      to={href({ period: p.period.key, currency: o.currency })}
                      count={p.total.plans}
                      label={`${o.currency}, ${p.period.label}: ${p.total.plans} · ${formatMoney(p.total.value, o.currency)}`}
                    >
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
