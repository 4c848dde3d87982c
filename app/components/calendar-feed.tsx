import { Form } from "@remix-run/react";
import { useState } from "react";
import { Button, ButtonLink, Card } from "~/components/ui";

/*
 * Calendar subscriptions. `CalendarFeedCard` is the small card for a plan page (rep or buyer): it
 * links to the page that shows the feed's address (/calendar-feed for a rep, /p/:planId/calendar
 * for a buyer). The rest is used by those pages.
 */

export function CalendarFeedCard({ to, audience, className }: { to: string; audience: "rep" | "buyer"; className?: string }) {
  return (
    <Card className={className ? `p-4 ${className}` : "p-4"}>
      <h2 className="text-sm font-semibold text-slate-900">Calendar</h2>
      <p className="mt-1 text-sm text-slate-600">
        {audience === "rep"
          ? "Every milestone and go-live of your plans, in Google Calendar or Outlook. Dates move there when they move here."
          : "This plan's milestones and go-live in your own calendar. Dates move there when they move here."}
      </p>
      <ButtonLink to={to} kind="secondary" className="mt-3">
        Subscribe in your calendar
      </ButtonLink>
    </Card>
  );
}

/** A feed's address, to copy into a calendar app, with a one-click webcal:// link. */
export function FeedAddress({ title, description, https, webcal }: { title: string; description: string; https: string; webcal: string }) {
  const [copied, setCopied] = useState(false);
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
          onFocus={(e) => e.currentTarget.select()}
          className="block w-full min-w-0 rounded-md border-0 bg-slate-50 px-3 py-2 font-mono text-xs text-slate-800 ring-1 ring-inset ring-slate-300"
        />
        <div className="flex shrink-0 gap-2">
          <Button
            type="button"
            kind="secondary"
            onClick={() => {
              void navigator.clipboard?.writeText(https).then(() => setCopied(true));
            }}
          >
            {copied ? "Copied" : "Copy"}
          </Button>
          <a
            href={webcal}
            className="inline-flex items-center justify-center rounded-md bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
          >
            Open in calendar app
          </a>
        </div>
      </div>
    </div>
  );
}

export function FeedInstructions() {
  return (
    <ul className="list-disc space-y-1 pl-5 text-sm text-slate-600">
      <li>
        <span className="font-medium text-slate-800">Google Calendar:</span> Other calendars → + → From URL, then paste the address.
      </li>
      <li>
        <span className="font-medium text-slate-800">Outlook:</span> Add calendar → Subscribe from web, then paste the address.
      </li>
      <li>
        <span className="font-medium text-slate-800">Apple Calendar:</span> “Open in calendar app”, or File → New Calendar Subscription.
      </li>
      <li>Calendars refresh on their own schedule (Google: every few hours), so a moved date may take a while to show.</li>
      <li>The address is a secret: anyone who has it can read these dates. If it leaked, get a new one below.</li>
    </ul>
  );
}

/** Replaces the feed's address: calendars subscribed to the old one stop updating. */
export function RotateFeedForm({ scope, busy }: { scope?: string; busy?: boolean }) {
  return (
    <Form method="post" className="flex flex-wrap items-center gap-3">
      <input type="hidden" name="intent" value="rotate" />
      {scope ? <input type="hidden" name="scope" value={scope} /> : null}
      <Button type="submit" kind="danger" disabled={busy}>
        Get a new address
      </Button>
      <span className="text-xs text-slate-500">The old address stops working; subscribe again with the new one.</span>
    </Form>
  );
}
