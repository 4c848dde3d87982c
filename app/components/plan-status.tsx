import type { PlanStatus } from "../../db/types";
import { useT } from "~/components/i18n-context";
import { Badge } from "~/components/ui";
import { plural } from "~/domain/words";

/** One wording for a plan's state everywhere: closed deals, then slip, then on track. */
export function PlanStatusBadge({ status, slipDays }: { status: PlanStatus; slipDays: number }) {
  if (status === "won") return <Badge tone="green">Won</Badge>;
  if (status === "lost") return <Badge tone="slate">Lost</Badge>;
  if (status === "no_decision") return <Badge tone="slate">No decision</Badge>;
  if (status === "paused") return <Badge tone="slate">Paused</Badge>;
  if (slipDays > 0) {
    return (
      <Badge tone="red" title="Projected go-live is later than the buyer's go-live date">
        Slipping by {plural(slipDays, "working day")}
      </Badge>
    );
  }
  return <Badge tone="green">On track</Badge>;
}

export function GoLiveProvenance({
  side,
  confirmedAt,
  confirmedBy,
}: {
  side: "buyer" | "seller";
  confirmedAt: Date | string | null;
  confirmedBy: string | null;
}) {
  const { t } = useT();
  if (confirmedAt && confirmedBy) {
    return (
      <Badge tone="green" title={t("planDates.badgeConfirmedTitle", { name: confirmedBy })}>
        {t("planDates.badgeConfirmed")}
      </Badge>
    );
  }
  return side === "buyer" ? <Badge tone="blue">{t("planDates.badgeSetByBuyer")}</Badge> : <Badge tone="amber">{t("planDates.badgeProposedBySeller")}</Badge>;
}

const MILESTONE_STATUS_TONE = { done: "green", overdue: "red", at_risk: "amber", on_track: "slate" } as const;

export function MilestoneStatusBadge({ status, floatDays }: { status: keyof typeof MILESTONE_STATUS_TONE | null; floatDays?: number | null }) {
  // On a buyer page, in the buyer's language (ADR 046); the words are the buyer messages' (status.*).
  const { t } = useT();
  if (!status) return null;
  const title =
    floatDays === null || floatDays === undefined || status === "done"
      ? undefined
      : t(floatDays >= 0 ? "status.slack" : "status.late", { count: Math.abs(floatDays) });
  return (
    <Badge tone={MILESTONE_STATUS_TONE[status]} title={title}>
      {t(`status.${status}`)}
    </Badge>
  );
}
