import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { BuyerErrorPage, BuyerLayout } from "~/components/buyer-layout";
import { FeedAddress, FeedInstructions, RotateFeedForm } from "~/components/calendar-feed";
import { Alert, Card } from "~/components/ui";
import { buyerFeedOwner, ensureFeed, feedUrls, rotateFeed } from "~/models/calendar-feed.server";
import { planHeading } from "~/models/plan.server";
import { requireBuyer } from "~/route-helpers/buyer-route.server";
import { buyerLocale, buyerMessages, buyerTranslator } from "~/route-helpers/buyer-locale.server";
import { I18nProvider } from "~/components/i18n";
import { useT } from "~/components/i18n-context";
import type { PageHandle } from "~/components/page-scripts";

/** Served as HTML alone, without React's runtime (ADR 047). */
export const handle: PageHandle = { hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Calendar · Plan Together" }, { name: "robots", content: "noindex" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

/* A buyer's calendar feeds: their own milestones, or the whole plan. They live as long as the buyer's link. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { buyer, org } = await requireBuyer(context, request, params.planId);
  const [mine, plan, title] = await Promise.all([
    ensureFeed(context.db, buyerFeedOwner(buyer.org_id, buyer.share_link_id, "mine"), context.now),
    ensureFeed(context.db, buyerFeedOwner(buyer.org_id, buyer.share_link_id, "plan"), context.now),
    planHeading(context.db, buyer.org_id, buyer.plan_id),
  ]);
  // The buyer's language, as on the plan's page (ADR 046): kept, else the browser's.
  const locale = buyerLocale(request, buyer.locale);
  const { t } = buyerTranslator(locale);
  return {
    locale,
    messages: buyerMessages(locale),
    title: t("calendar.title"),
    planId: buyer.plan_id,
    seller: org.name,
    plan: title,
    mine: feedUrls(mine),
    whole: feedUrls(plan),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { buyer } = await requireBuyer(context, request, params.planId);
  const { t } = buyerTranslator(buyerLocale(request, buyer.locale));
  const form = await request.formData();
  const scope = form.get("scope");
  if (form.get("intent") !== "rotate" || (scope !== "mine" && scope !== "plan"))
    return data({ rotated: false, message: t("calendar.unknownAction") }, { status: 400 });
  await rotateFeed(context.db, buyerFeedOwner(buyer.org_id, buyer.share_link_id, scope), context.now);
  return data({ rotated: true, message: t("calendar.rotated") });
}

export default function BuyerCalendarFeed() {
  const { locale, messages } = useLoaderData<typeof loader>();
  return (
    <I18nProvider locale={locale} messages={messages}>
      <CalendarPage />
    </I18nProvider>
  );
}

function CalendarPage() {
  const { t } = useT();
  const { locale, planId, seller, plan, mine, whole } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <BuyerLayout seller={seller} lang={locale}>
      <div className="mx-auto max-w-3xl space-y-4">
        <Link to={`/p/${planId}`} className="text-sm font-medium text-brand-700 hover:underline">
          {t("calendar.back")}
        </Link>
        <h1 className="text-xl font-semibold text-slate-900">{t("calendar.heading", { company: plan.buyer_company, plan: plan.title })}</h1>
        {result ? <Alert kind={result.rotated ? "success" : "error"}>{result.message}</Alert> : null}
        <Card className="space-y-5 p-6">
          <FeedAddress title={t("calendar.mine.title")} description={t("calendar.mine.description")} https={mine.https} webcal={mine.webcal} />
          <RotateFeedForm scope="mine" />
        </Card>
        <Card className="space-y-5 p-6">
          <FeedAddress title={t("calendar.whole.title")} description={t("calendar.whole.description")} https={whole.https} webcal={whole.webcal} />
          <RotateFeedForm scope="plan" />
        </Card>
        <Card className="p-6">
          <FeedInstructions />
          <p className="mt-3 text-sm text-slate-600">{t("calendar.stopsWorking")}</p>
        </Card>
      </div>
    </BuyerLayout>
  );
}

export { BuyerErrorPage as ErrorBoundary };
