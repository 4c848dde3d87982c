import { initialsOf } from "~/domain/buyer-view";
import { useT } from "~/components/i18n-context";
import { Card } from "~/components/ui";

export interface RepContact {
  name: string;
  email: string;
  title: string;
}

/** Who is behind the plan on the seller's side, and how to reach them (no photo in the data model: initials). */
export function RepContactCard({ rep, seller }: { rep: RepContact; seller: string }) {
  const { t } = useT();
  return (
    <section aria-labelledby="rep-heading">
      <Card className="p-4">
        <h2 id="rep-heading" className="text-xs font-medium uppercase tracking-wide text-slate-500">
          {t("contact.heading", { seller })}
        </h2>
        <div className="mt-3 flex items-center gap-3">
          <span aria-hidden className="flex h-11 w-11 shrink-0 items-center justify-center rounded-full bg-brand-600 text-sm font-semibold text-white">
            {initialsOf(rep.name)}
          </span>
          <div className="min-w-0">
            <p className="font-medium text-slate-900">{rep.name}</p>
            <p className="text-sm text-slate-600">{[rep.title, seller].filter(Boolean).join(" · ")}</p>
          </div>
        </div>
        <a
          href={`mailto:${rep.email}`}
          className="mt-3 block truncate rounded-md text-sm font-medium text-brand-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500"
        >
          {rep.email}
        </a>
      </Card>
    </section>
  );
}
