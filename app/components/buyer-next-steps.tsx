import { Form, Link } from "@remix-run/react";
import { DateText } from "~/components/date-text";
import { FlashStatus, type FlashMessage } from "~/components/flash-status";
import { T, useT } from "~/components/i18n-context";
import { MilestoneStatusBadge } from "~/components/plan-status";
import { Button, Card } from "~/components/ui";

export interface NextStep {
  id: string;
  title: string;
  owner_side: "buyer" | "seller" | "joint";
  owner_stakeholder_id: string | null;
  due_date: string | null;
  version: number;
  schedule_status: "done" | "overdue" | "at_risk" | "on_track" | null;
  float_days: number | null;
}

/**
 * The top of the buyer's page: what is waiting on them, soonest first, each with its owner and
 * the button to mark it done. The full plan follows below.
 */
export function BuyerNextSteps({
  steps,
  nameOf,
  today,
  flash,
  sellerName,
  nextAfter,
}: {
  sellerName: string;
  steps: NextStep[];
  nameOf: Map<string, string>;
  today: string;
  flash: FlashMessage | null;
  /** The seller's next open step, for the empty state: what the buyer is waiting for. */
  nextAfter: { title: string; due_date: string | null } | null;
}) {
  const { t } = useT();
  return (
    <section aria-labelledby="next-steps-heading">
      <h2 id="next-steps-heading" className="mb-2 text-lg font-semibold text-slate-900">
        {t("next.heading")}
      </h2>
      <FlashStatus flash={flash} target="next-steps" className="mb-2" />
      {steps.length === 0 ? (
        <div className="rounded-lg border-2 border-dashed border-slate-200 bg-white px-5 py-8 text-center">
          <p className="font-medium text-slate-900">{t("next.nothingWaiting")}</p>
          <p className="mx-auto mt-1 max-w-md text-sm text-slate-600">
            {nextAfter ? (
              nextAfter.due_date ? (
                <T
                  k="next.nextUp"
                  values={{ title: nextAfter.title, seller: sellerName }}
                  slots={{ date: <DateText iso={nextAfter.due_date} today={today} /> }}
                />
              ) : (
                t("next.nextUpUndated", { title: nextAfter.title, seller: sellerName })
              )
            ) : (
              t("next.allDone")
            )}
          </p>
        </div>
      ) : (
        <Card>
          <ol className="divide-y divide-slate-100">
            {steps.map((m) => (
              <li key={m.id} className="flex flex-col gap-2 px-4 py-3 sm:flex-row sm:items-center sm:justify-between">
                <div className="min-w-0">
                  <p className="flex flex-wrap items-center gap-2">
                    {/* Through the server (`?m=`), not only the anchor: the rep sees which milestones a buyer opened (ADR 037). */}
                    <Link to={`?m=${m.id}#m-${m.id}`} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                      {m.title}
                    </Link>
                    <MilestoneStatusBadge status={m.schedule_status} floatDays={m.float_days} />
                  </p>
                  <p className="mt-0.5 text-sm text-slate-600">
                    <T k="next.due" slots={{ date: <DateText iso={m.due_date} today={today} className="font-medium text-slate-800" /> }} />
                    {" · "}
                    {m.owner_stakeholder_id && nameOf.get(m.owner_stakeholder_id) ? nameOf.get(m.owner_stakeholder_id) : t("next.nobodyNamed")}
                    {m.owner_side === "joint" ? ` · ${t("next.withSeller", { seller: sellerName })}` : ""}
                  </p>
                </div>
                <Form method="post" preventScrollReset className="shrink-0">
                  <input type="hidden" name="milestoneId" value={m.id} />
                  <input type="hidden" name="version" value={m.version} />
                  <input type="hidden" name="from" value="next-steps" />
                  <Button type="submit" name="intent" value="done" className="py-1.5 text-xs" aria-label={t("next.markDoneLabel", { title: m.title })}>
                    {t("next.markDone")}
                  </Button>
                </Form>
              </li>
            ))}
          </ol>
        </Card>
      )}
    </section>
  );
}
