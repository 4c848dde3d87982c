import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { PlanStatus } from "../../db/types";
import { formatDayShort } from "~/domain/dates";
import { ENGLISH } from "~/domain/i18n/english";
import { DEFAULT_LOCALE } from "~/domain/i18n/locales";
import type { Translator } from "~/domain/i18n/translate";
import { formatMoney } from "~/domain/money";
import { DateText } from "~/components/date-text";
import { useT } from "~/components/i18n-context";
import { PlanStatusBadge } from "~/components/plan-status";
import { Card, cx } from "~/components/ui";

export interface PlanSummary {
  id: string;
  buyer_company: string;
  title: string;
  value: number;
  currency: string;
  status: PlanStatus;
  go_live: string;
  go_live_set_side: "buyer" | "seller";
  go_live_set_by_name: string;
  go_live_set_at: Date | string;
  go_live_confirmed_by_name: string | null;
  go_live_confirmed_at: Date | string | null;
  projected_go_live: string | null;
  slip_days: number;
  forecast_close_date: string | null;
  milestones_done: number;
  milestones_total: number;
}

const isoDay = (moment: Date | string) => new Date(moment).toISOString().slice(0, 10);

/**
 * "Confirmed by Dana Lee (buyer) on 3 Nov 2026" / "Proposed by Sam Okafor (seller) on …", in the
 * reader's language (English on the rep's pages, where the day keeps its year: "3 Nov 2026").
 */
export function goLiveProvenance(
  plan: Pick<PlanSummary, "go_live_confirmed_at" | "go_live_confirmed_by_name" | "go_live_set_side" | "go_live_set_by_name" | "go_live_set_at">,
  words: Translator = ENGLISH,
): { text: string; confirmed: boolean } {
  const on = (moment: Date | string) => (words.locale === DEFAULT_LOCALE ? formatDayShort(isoDay(moment)) : words.day(isoDay(moment)));
  if (plan.go_live_confirmed_at && plan.go_live_confirmed_by_name) {
    return { text: words.t("planDates.confirmedBy", { name: plan.go_live_confirmed_by_name, date: on(plan.go_live_confirmed_at) }), confirmed: true };
  }
  const key = plan.go_live_set_side === "buyer" ? "planDates.setByBuyer" : "planDates.proposedBySeller";
  return { text: words.t(key, { name: plan.go_live_set_by_name, date: on(plan.go_live_set_at) }), confirmed: false };
}

function Stat({ label, children, note }: { label: string; children: ReactNode; note?: ReactNode }) {
  return (
    <div className="px-4 py-3">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-lg font-semibold text-slate-900">{children}</dd>
      {note ? <dd className="mt-0.5 text-xs text-slate-600">{note}</dd> : null}
    </div>
  );
}

/** The plan fields the date tiles read; the forecast close date only on the seller's pages. */
export type PlanDatesFields = Omit<PlanSummary, "id" | "buyer_company" | "title" | "value" | "currency" | "status" | "forecast_close_date"> & {
  forecast_close_date?: string | null;
};

/** The plan's dates as tiles. Buyers (`forBuyer`) get no forecast close tile: that date is the seller's business. */
export function PlanDates({
  plan,
  today,
  goLiveAction,
  forBuyer = false,
}: {
  plan: PlanDatesFields;
  today: string;
  goLiveAction?: ReactNode;
  forBuyer?: boolean;
}) {
  const words = useT();
  const { t } = words;
  const provenance = goLiveProvenance(plan, words);
  return (
    <Card>
      <dl className={cx("grid grid-cols-2 divide-slate-100 lg:divide-x", forBuyer ? "sm:grid-cols-3" : "lg:grid-cols-4")}>
        <Stat
          label={t("planDates.goLive")}
          note={
            <span className={provenance.confirmed ? "text-emerald-700" : "text-amber-700"}>
              {provenance.text}
              {goLiveAction ? <> · {goLiveAction}</> : null}
            </span>
          }
        >
          <DateText iso={plan.go_live} today={today} />
        </Stat>
        <Stat
          label={t("planDates.projectedGoLive")}
          note={plan.slip_days > 0 ? <span className="text-red-700">{t("status.late", { count: plan.slip_days })}</span> : t("planDates.onTime")}
        >
          <DateText iso={plan.projected_go_live} today={today} className={plan.slip_days > 0 ? "text-red-700" : undefined} />
        </Stat>
        {/* The seller's tile only: its words stay out of the buyer's messages, which ship to the buyer's browser. */}
        {forBuyer ? null : (
          <Stat label="Forecast close" note="From the signature milestone's dates">
            <DateText iso={plan.forecast_close_date} today={today} />
          </Stat>
        )}
        <Stat label={t("planDates.progress")} note={t("planDates.progressNote", { done: plan.milestones_done, count: plan.milestones_total })}>
          {plan.milestones_total ? Math.round((plan.milestones_done / plan.milestones_total) * 100) : 0}%
        </Stat>
      </dl>
    </Card>
  );
}

export function PlanTitle({ plan, owner, actions }: { plan: PlanSummary; owner?: string; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
      <div>
        <p className="text-sm text-slate-500">
          <Link to="/plans" className="hover:underline">
            Plans
          </Link>{" "}
          /
        </p>
        <h1 className="mt-1 flex flex-wrap items-center gap-3 text-2xl font-semibold tracking-tight text-slate-900">
          {plan.buyer_company} <PlanStatusBadge status={plan.status} slipDays={plan.slip_days} />
        </h1>
        <p className="mt-1 text-sm text-slate-600">
          {plan.title} · {formatMoney(plan.value, plan.currency)}
          {owner ? ` · ${owner}` : ""}
        </p>
      </div>
      {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
    </div>
  );
}
