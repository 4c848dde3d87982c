import { Link } from "@remix-run/react";
import { formatMoney } from "~/domain/money";

/** A plan's row head in the plan lists: its buyer company, linking to it, over its title and value. */
export function PlanCell({ plan }: { plan: { id: string; buyer_company: string; title: string; value: number; currency: string } }) {
  return (
    <td className="px-4 py-3">
      <Link to={`/plans/${plan.id}`} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
        {plan.buyer_company}
      </Link>
      <div className="text-xs text-slate-500">
        {plan.title} · {formatMoney(plan.value, plan.currency)}
      </div>
    </td>
  );
}
