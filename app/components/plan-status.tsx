import type { PlanStatus } from "../../db/types";
import { Badge } from "./ui";

/** One wording for a plan's state everywhere: closed deals, then slip, then on track. */
export function PlanStatusBadge({ status, slipDays }: { status: PlanStatus; slipDays: number }) {
  if (status === "won") return <Badge tone="green">Won</Badge>;
  if (status === "lost") return <Badge tone="slate">Lost</Badge>;
  if (status === "paused") return <Badge tone="slate">Paused</Badge>;
  if (slipDays > 0) {
    return (
      <Badge tone="red" title="Projected go-live is later than the buyer's go-live date">
        Slipping by {slipDays} working day{slipDays === 1 ? "" : "s"}
      </Badge>
    );
  }
  return <Badge tone="green">On track</Badge>;
}

export function GoLiveProvenance({
  side, confirmedAt, confirmedBy,
}: { side: "buyer" | "seller"; confirmedAt: Date | string | null; confirmedBy: string | null }) {
  if (confirmedAt && confirmedBy) {
    return <Badge tone="green" title={`Confirmed by ${confirmedBy}`}>Buyer confirmed</Badge>;
  }
  return side === "buyer" ? <Badge tone="blue">Set by buyer</Badge> : <Badge tone="amber">Proposed by seller</Badge>;
}
