import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FeedAddress, FeedInstructions, RotateFeedForm } from "~/components/calendar-feed";
import { Alert, Card, PageHeader } from "~/components/ui";
import { ensureFeed, feedUrls, repFeedOwner, rotateFeed } from "~/models/calendar-feed.server";
import { requireUser } from "~/route-helpers/guards.server";

export const meta: MetaFunction = () => [{ title: "Your calendar · Plan Together" }];
// The page shows a secret address: keep it out of shared caches.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const token = await ensureFeed(context.db, repFeedOwner(user.orgId, user.id), context.now);
  return { feed: feedUrls(token) };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const form = await request.formData();
  if (form.get("intent") !== "rotate") return data({ rotated: false, message: "Unknown action." }, { status: 400 });
  await rotateFeed(context.db, repFeedOwner(user.orgId, user.id), context.now);
  return data({ rotated: true, message: "New address ready. Calendars subscribed to the old one no longer update." });
}

export default function RepCalendarFeed() {
  const { feed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="max-w-3xl">
      <PageHeader title="Your calendar" subtitle="Every milestone and go-live date of your plans, in the calendar you already use." />
      <Card className="space-y-5 p-6">
        {result ? <Alert kind={result.rotated ? "success" : "error"}>{result.message}</Alert> : null}
        <FeedAddress
          title="Your plans' calendar address"
          description="All-day events on each milestone's due date (a done one on the day it was done) and on each go-live, for the active and won plans you own."
          https={feed.https}
          webcal={feed.webcal}
        />
        <FeedInstructions />
        <div className="border-t border-slate-200 pt-4">
          <RotateFeedForm busy={busy} />
        </div>
      </Card>
    </div>
  );
}
