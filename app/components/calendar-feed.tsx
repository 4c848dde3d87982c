import { Form } from "@remix-run/react";
import { useState } from "react";
import { Button, ButtonLink, Card } from "~/components/ui";
import { T, useT } from "~/components/i18n-context";
import { useHydrates } from "~/components/page-scripts";

/*
 * Calendar subscriptions. `CalendarFeedCard` is the small card for a plan page (rep or buyer): it
 * links to the page that shows the feed's address (/calendar-feed for a rep, /p/:planId/calendar
 * for a buyer). The rest is used by those pages.
 */

export function CalendarFeedCard({ to, audience, className }: { to: string; audience: "rep" | "buyer"; className?: string }) {
  // The rep's sentence is only ever read on the rep's pages, which stay English (ADR 046).
  const { t } = useT();
  return (
    <Card className={className ? `p-4 ${className}` : "p-4"}>
      <h2 className="text-sm font-semibold text-slate-900">{t("calendar.card.heading")}</h2>
      <p className="mt-1 text-sm text-slate-600">
        {audience === "rep"
          ? "Every milestone and go-live of your plans, in Google Calendar or Outlook. Dates move there when they move here."
          : t("calendar.card.body")}
      </p>
      <ButtonLink to={to} kind="secondary" className="mt-3">
        {t("calendar.card.subscribe")}
      </ButtonLink>
    </Card>
  );
}

/** A feed's address, to copy into a calendar app, with a one-click webcal:// link. */
export function FeedAddress({ title, description, https, webcal }: { title: string; description: string; https: string; webcal: string }) {
  const { t } = useT();
  const [copied, setCopied] = useState(false);
  // Without React's runtime (a buyer's page, ADR 047) the page's own script shows and runs the copy button.
  const hydrates = useHydrates();
  const id = `feed-${title.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {title}
      </label>
      <p className="mt-0.5 text-xs text-slate-500">{description}</p>
      <div className="mt-2 flex flex-col gap-2 sm:flex-row">
        <input
          id={id}
          readOnly
          value={https}
          data-select-on-focus
          onFocus={(e) => e.currentTarget.select()}
          className="block w-full min-w-0 rounded-md border-0 bg-slate-50 px-3 py-2 font-mono text-xs text-slate-800 ring-1 ring-inset ring-slate-300"
        />
        <div className="flex shrink-0 gap-2">
          <Button
            type="button"
            kind="secondary"
            hidden={!hydrates}
            data-copy-from={id}
            data-copied={t("calendar.copied")}
            onClick={() => {
              void navigator.clipboard?.writeText(https).then(() => setCopied(true));
            }}
          >
            {copied ? t("calendar.copied") : t("calendar.copy")}
          </Button>
          <a
            href={webcal}
            className="inline-flex items-center justify-center rounded-md bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
          >
            {t("calendar.openInApp")}
          </a>
        </div>
      </div>
    </div>
  );
}

export function FeedInstructions() {
  const { t } = useT();
  const app = (name: string) => <span className="font-medium text-slate-800">{name}:</span>;
  return (
    <ul className="list-disc space-y-1 pl-5 text-sm text-slate-600">
      <li>
        <T k="calendar.howTo.google" slots={{ app: app("Google Calendar") }} />
      </li>
      <li>
        <T k="calendar.howTo.outlook" slots={{ app: app("Outlook") }} />
      </li>
      <li>
        <T k="calendar.howTo.apple" slots={{ app: app("Apple Calendar") }} />
      </li>
      <li>{t("calendar.howTo.refresh")}</li>
      <li>{t("calendar.howTo.secret")}</li>
    </ul>
  );
}

/** Replaces the feed's address: calendars subscribed to the old one stop updating. */
export function RotateFeedForm({ scope, busy }: { scope?: string; busy?: boolean }) {
  const { t } = useT();
  return (
    <Form method="post" className="flex flex-wrap items-center gap-3">
      <input type="hidden" name="intent" value="rotate" />
      {scope ? <input type="hidden" name="scope" value={scope} /> : null}
      <Button type="submit" kind="danger" disabled={busy}>
        {t("calendar.rotate")}
      </Button>
      <span className="text-xs text-slate-500">{t("calendar.rotateNote")}</span>
    </Form>
  );
}
