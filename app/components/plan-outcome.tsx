import { Form } from "@remix-run/react";
import { closedOnPrefix, lossReasonLabel, type PlanOutcome } from "~/domain/plan-outcome";
import { DateText } from "~/components/date-text";
import { Button, Card } from "~/components/ui";

/** A closed plan's outcome at the top of its workspace: "Lost on Tue 3 Mar: went with a competitor", and the way back (a form post). */
export function PlanOutcomeCard({
  plan,
  today,
  busy,
}: {
  plan: { status: PlanOutcome; closed_on: string | null; loss_reason: string | null; close_note: string | null; version: number };
  today: string;
  busy: boolean;
}) {
  const reason = lossReasonLabel(plan.loss_reason);
  return (
    <Card className="mb-4 flex flex-col gap-3 p-4 sm:flex-row sm:items-start sm:justify-between">
      <section aria-labelledby="outcome-heading">
        <h2 id="outcome-heading" className="text-base font-semibold text-slate-900">
          {closedOnPrefix(plan.status)} <DateText iso={plan.closed_on} today={today} />
          {reason ? `: ${reason.toLowerCase()}` : ""}
        </h2>
        {plan.close_note ? <p className="mt-1 whitespace-pre-line text-sm text-slate-700">{plan.close_note}</p> : null}
        <p className="mt-1 text-xs text-slate-600">The buyer's page is read-only and no reminders go out while the plan is closed.</p>
      </section>
      <Form method="post" className="shrink-0">
        <input type="hidden" name="version" value={plan.version} />
        <Button type="submit" name="intent" value="reopen-plan" kind="secondary" disabled={busy}>
          Reopen the plan
        </Button>
      </Form>
    </Card>
  );
}
