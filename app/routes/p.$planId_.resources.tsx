import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BuyerLayout } from "~/components/buyer-layout";
import { I18nProvider } from "~/components/i18n";
import { ResourcesPage, type ResourceContext } from "~/components/resources";
import { buyerEditor } from "~/models/buyer-commands.server";
import { buyerCookieName, readCookie } from "~/models/buyer-access.server";
import { loadBuyerPlanPage } from "~/models/plan-page.server";
import { buyerLocale, buyerMessages, buyerTranslator } from "~/route-helpers/buyer-locale.server";
import { buyerPageHeaders, deviceNotSignedIn, requireBuyer } from "~/route-helpers/buyer-route.server";
import { resourceAction, resourcesPageData } from "~/route-helpers/resource-route.server";
import type { PageHandle } from "~/components/page-scripts";

/** Served as HTML alone, without React's runtime (ADR 047). */
export const handle: PageHandle = { hydrate: false };

/* The plan's files and links for a buyer, in their language (ADR 046); the buyer's plan page posts its uploads here (ADR 035). */
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? data.title : "Files and links · Plan Together" },
  { name: "robots", content: "noindex" },
];
export const headers = buyerPageHeaders;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const planId = params.planId ?? "";
  const page = await loadBuyerPlanPage(context.db, planId, readCookie(request.headers.get("Cookie"), buyerCookieName(planId)), context.now, {
    activityLimit: 1,
  });
  if (!page) deviceNotSignedIn(request, planId);
  const { body, headers } = resourcesPageData(context, request, `/p/${planId}/resources`, page);
  const locale = buyerLocale(request, page.buyer.locale);
  const title = buyerTranslator(locale).t("resources.pageTitle");
  return data({ ...body, seller: page.seller, brand: page.branding, locale, messages: buyerMessages(locale), title }, { headers });
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { buyer, today } = await requireBuyer(context, request, params.planId);
  return resourceAction(context, request, {
    editor: buyerEditor(buyer, today, context.requestId),
    orgId: buyer.org_id,
    planId: buyer.plan_id,
    planPath: `/p/${buyer.plan_id}`,
    maySetRequirements: false,
    // The language the page was read in, as the loader chooses it.
    t: buyerTranslator(buyerLocale(request, buyer.locale)).t,
  });
}

export default function BuyerResourcesPage() {
  const { plan, seller, brand, milestones, resources, now, flash, locale, messages } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const ctx: ResourceContext = {
    actionUrl: `/p/${plan.id}/resources`,
    downloadHref: (versionId) => `/p/${plan.id}/files/${versionId}`,
    from: "resources",
    now,
    side: "buyer",
    flash,
    failure: failure && !failure.ok ? failure : null,
  };
  return (
    <I18nProvider locale={locale} messages={messages}>
      <BuyerLayout seller={seller} brand={brand} lang={locale}>
        <ResourcesPage plan={plan} planPath={`/p/${plan.id}`} milestones={milestones} data={resources} ctx={ctx} />
      </BuyerLayout>
    </I18nProvider>
  );
}
