import { useT } from "~/components/i18n-context";

/** A date in words ("Tue 3 Mar") with the ISO date in the tooltip and the machine-readable attribute. */
export function DateText({ iso, today, className }: { iso: string | null | undefined; today?: string; className?: string }) {
  // On a buyer page, in the buyer's language ("Di., 3. März"); elsewhere, the app's English.
  const { day } = useT();
  if (!iso) return <span className="text-slate-400">—</span>;
  return (
    <time dateTime={iso} title={iso} className={className}>
      {day(iso, today)}
    </time>
  );
}

/** A moment in words ("3 hours ago") with the exact ISO time in the tooltip. */
export function MomentText({ iso, now }: { iso: string; now: string }) {
  const { relative } = useT();
  return (
    <time dateTime={iso} title={iso}>
      {relative(new Date(iso), new Date(now))}
    </time>
  );
}
