import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BuyerErrorPage, BuyerLayout } from "~/components/buyer-layout";
import { FeedAddress, FeedInstructions, RotateFeedForm } from "~/components/calendar-feed";
import { Alert, Card } from "~/components/ui";
import { buyerFeedOwner, ensureFeed, feedUrls, rotateFeed } from "~/models/calendar-feed.server";
import { planHeading } from "~/models/plan.server";
import { requireBuyer } from "~/route-helpers/buyer-route.server";

export const meta: MetaFunction = () => [{ title: "Calendar · Plan Together" }, { name: "robots", content: "noindex" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

/* A buyer's calendar feeds: their own milestones, or the whole plan. They live as long as the buyer's link. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { buyer, org } = await requireBuyer(context, request, params.planId);
  const [mine, plan, title] = await Promise.all([
    ensureFeed(context.db, buyerFeedOwner(buyer.org_id, buyer.share_link_id, "mine"), context.now),
    ensureFeed(context.db, buyerFeedOwner(buyer.org_id, buyer.share_link_id, "plan"), context.now),
    planHeading(context.db, buyer.org_id, buyer.plan_id),
  ]);
  return { planId: buyer.plan_id, seller: org.name, plan: title, mine: feedUrls(mine), whole: feedUrls(plan) };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { buyer } = await requireBuyer(context, request, params.planId);
  const form = await request.formData();
  const scope = form.get("scope");
  if (form.get("intent") !== "rotate" || (scope !== "mine" && scope !== "plan")) return data({ rotated: false, message: "Unknown action." }, { status: 400 });
  await rotateFeed(context.db, buyerFeedOwner(buyer.org_id, buyer.share_link_id, scope), context.now);
  return data({ rotated: true, message: "New address ready. Calendars subscribed to the old one no longer update." });
}

export default function BuyerCalendarFeed() {
  const { planId, seller, plan, mine, whole } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <BuyerLayout seller={seller}>
      <div className="mx-auto max-w-3xl space-y-4">
        <Link to={`/p/${planId}`} className="text-sm font-medium text-brand-700 hover:underline">
          ← Back to the plan
        </Link>
        <h1 className="text-xl font-semibold text-slate-900">
          {plan.buyer_company}: {plan.title} in your calendar
        </h1>
        {result ? <Alert kind={result.rotated ? "success" : "error"}>{result.message}</Alert> : null}
        <Card className="space-y-5 p-6">
          <FeedAddress title="Your milestones" description="Only the milestones you own, and the go-live date." https={mine.https} webcal={mine.webcal} />
          <RotateFeedForm scope="mine" busy={busy} />
        </Card>
        <Card className="space-y-5 p-6">
          <FeedAddress title="The whole plan" description="Every milestone of both teams, and the go-live date." https={whole.https} webcal={whole.webcal} />
          <RotateFeedForm scope="plan" busy={busy} />
        </Card>
        <Card className="p-6">
          <FeedInstructions />
          <p className="mt-3 text-sm text-slate-600">These addresses stop working when your link to the plan is withdrawn or expires.</p>
        </Card>
      </div>
    </BuyerLayout>
  );
}

export { BuyerErrorPage as ErrorBoundary };
