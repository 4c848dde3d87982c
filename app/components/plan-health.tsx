import { Badge, Card, type BadgeTone } from "~/components/ui";
import { useT } from "~/components/i18n-context";
import { HEALTH_LABEL_TEXT, type HealthLabel, type PlanHealthJson } from "~/domain/plan-health";

const TONE: Record<HealthLabel, BadgeTone> = { on_track: "green", at_risk: "amber", stalled: "red" };
/** A mark beside the word, so the label never rests on colour alone. */
const MARK: Record<HealthLabel, string> = { on_track: "✓", at_risk: "!", stalled: "‖" };

/** The plan's health label as a badge; its reasons in the tooltip and for screen readers. */
export function HealthBadge({ health }: { health: PlanHealthJson | null }) {
  if (!health) return null;
  const why = health.reasons.map((r) => r.text).join("; ");
  return (
    <span data-health={health.label} className="relative inline-flex">
      <Badge tone={TONE[health.label]} title={why || undefined}>
        <span aria-hidden="true" className="mr-1">
          {MARK[health.label]}
        </span>
        {HEALTH_LABEL_TEXT[health.label]}
        {why ? <span className="sr-only">: {why}</span> : null}
      </Badge>
    </span>
  );
}

/** The badge with its reasons written out beneath, for a table cell. */
export function HealthCell({ health }: { health: PlanHealthJson | null }) {
  if (!health) return <span className="text-slate-500">—</span>;
  return (
    <>
      <HealthBadge health={health} />
      {health.reasons.length ? (
        <p className="mt-1 max-w-56 text-xs text-slate-600" aria-hidden="true">
          {health.reasons.map((r) => r.text).join(" · ")}
        </p>
      ) : null}
    </>
  );
}

/** The rep's plan page: the label and every reason that led to it. */
export function PlanHealthPanel({ health }: { health: PlanHealthJson | null }) {
  if (!health) return null;
  return (
    <section aria-labelledby="health-heading" className="mt-4" data-testid="plan-health">
      <Card className="px-4 py-3">
        <div className="flex flex-wrap items-center gap-2">
          <h2 id="health-heading" className="text-sm font-semibold text-slate-900">
            Plan health
          </h2>
          <HealthBadge health={health} />
        </div>
        {health.reasons.length ? (
          <ul className="mt-2 list-disc space-y-0.5 pl-5 text-sm text-slate-700">
            {health.reasons.map((r) => (
              <li key={r.code}>
                {r.text}
                {r.buyerFacing ? null : <span className="text-slate-500"> (not shown to the buyer)</span>}
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-1 text-sm text-slate-600">Nothing needs attention right now.</p>
        )}
      </Card>
    </section>
  );
}

/** The buyer's page: only what the buyer can act on, worded for them; nothing when all is well. */
export function BuyerHealthNotes({ notes }: { notes: string[] }) {
  const { t } = useT();
  if (!notes.length) return null;
  return (
    <section aria-labelledby="keep-on-track" className="mt-4 rounded-lg bg-brand-50 px-5 py-4 ring-1 ring-inset ring-brand-100" data-testid="buyer-health">
      <h2 id="keep-on-track" className="text-base font-semibold text-slate-900">
        {t("health.heading")}
      </h2>
      <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm text-slate-700">
        {notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
    </section>
  );
}
