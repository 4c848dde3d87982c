import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BuyerErrorPage, BuyerLayout } from "~/components/buyer-layout";
import { Alert, Button, Card, TextField } from "~/components/ui";
import { buyerCookie, buyerCookieName, countVisit, findBuyer, openLink, openLinkFromEmail, readCookie, startBuyerSession } from "~/models/buyer-access.server";
import { todayIn } from "~/domain/dates";
import { rememberFirstLocale } from "~/models/buyer-locale.server";
import { browserLocale, buyerLocale, buyerMessages, buyerTranslator } from "~/route-helpers/buyer-locale.server";
import { I18nProvider } from "~/components/i18n";
import { useT } from "~/components/i18n-context";
import { getOrganisation } from "~/models/organisation.server";
import { getBranding } from "~/models/branding.server";
import { planHeading } from "~/models/plan.server";
import { buyerPageHeaders, linkNotFound, recordGuess, refuseIfGuessing } from "~/route-helpers/buyer-route.server";
import type { PageHandle } from "~/components/page-scripts";

/** Served as HTML alone, without React's runtime (ADR 047). */
export const handle: PageHandle = { hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "Shared plan · Plan Together" },
  { name: "robots", content: "noindex" },
];
// Referrer-Policy and X-Robots-Tag come from the HTTP layer for every buyer page.
export const headers = buyerPageHeaders;

/*
 * The way in for a buyer: `/s/<token>` from the invite, or `/o/<signed>` from any later email
 * (a signed pointer to their link, so no raw token is ever written into those emails).
 */
async function open(context: LoaderFunctionArgs["context"], request: Request, params: LoaderFunctionArgs["params"]) {
  await refuseIfGuessing(context, request);
  const opened = params.token
    ? await openLink(context.db, params.token, context.now)
    : params.signed
      ? await openLinkFromEmail(context.db, params.signed, context.now)
      : undefined;
  if (!opened) {
    await recordGuess(context);
    linkNotFound(request);
  }
  return opened;
}

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const opened = await open(context, request, params);
  const planId = opened.link.plan_id;
  // A device that already confirmed who it is goes straight to the plan, and the token leaves
  // the address bar (and with it, browser history and screenshots).
  const known = await findBuyer(context.db, planId, readCookie(request.headers.get("Cookie"), buyerCookieName(planId)), context.now);
  if (known && known.share_link_id === opened.link.id) {
    await countVisit(context.db, opened.link, context.now);
    return redirect(`/p/${planId}`);
  }
  const [plan, org, branding] = await Promise.all([
    planHeading(context.db, opened.link.org_id, planId),
    getOrganisation(context.db, opened.link.org_id),
    getBranding(context.db, opened.link.org_id),
  ]);
  // Their kept language, else their browser's (ADR 046): this step is where it is first kept.
  const locale = buyerLocale(request, opened.stakeholder.locale);
  return {
    locale,
    messages: buyerMessages(locale),
    title: buyerTranslator(locale).t("identity.title"),
    plan,
    seller: org?.name ?? "",
    brand: { accent: branding.accent, logoPath: branding.logo?.path ?? null },
    person: { name: opened.stakeholder.name, email: opened.stakeholder.email },
  };
}

/** Its messages are keys of the buyer's messages: the reader's language words them. */
const schema = z.object({
  name: z.string().trim().min(1, "identity.nameMissing").max(200, "identity.nameTooLong"),
  email: z.string().trim().toLowerCase().max(320, "identity.emailInvalid").email("identity.emailInvalid"),
});

export async function action({ context, request, params }: ActionFunctionArgs) {
  const opened = await open(context, request, params);
  const form = await request.formData();
  const values = { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? "") };
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const { t } = buyerTranslator(buyerLocale(request, opened.stakeholder.locale));
    const { name, email } = parsed.error.flatten().fieldErrors;
    return data({ values, fieldErrors: { name: name?.map((k) => t(k)), email: email?.map((k) => t(k)) } }, { status: 400 });
  }
  const org = await getOrganisation(context.db, opened.link.org_id);
  const today = todayIn(org?.time_zone ?? "UTC", context.now);
  const { token, expiresAt } = await startBuyerSession(context.db, opened, parsed.data, context.now, today, context.requestId);
  // Their first visit: the browser's language becomes theirs for the page and their emails,
  // unless one is kept already (ADR 046). A browser naming none of ours leaves it unset.
  const locale = browserLocale(request);
  if (locale) await rememberFirstLocale(context.db, opened.link.org_id, opened.stakeholder.id, locale);
  return redirect(`/p/${opened.link.plan_id}`, {
    headers: { "Set-Cookie": buyerCookie(opened.link.plan_id, token, expiresAt, context.secureCookies) },
  });
}

export default function ConfirmIdentity() {
  const { locale, messages } = useLoaderData<typeof loader>();
  return (
    <I18nProvider locale={locale} messages={messages}>
      <IdentityForm />
    </I18nProvider>
  );
}

function IdentityForm() {
  const { t } = useT();
  const { locale, plan, seller, brand, person } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values ?? person;
  const errors = result?.fieldErrors;
  return (
    <BuyerLayout seller={seller} brand={brand} lang={locale}>
      <div className="mx-auto max-w-md py-8">
        <Card className="p-6">
          <p className="text-sm text-slate-500">{t("identity.sharedWithYou", { seller })}</p>
          <h1 className="mt-1 text-xl font-semibold text-slate-900">
            {plan.buyer_company}: {plan.title}
          </h1>
          <p className="mt-3 text-sm text-slate-600">{t("identity.explain")}</p>
          <Form method="post" className="mt-5 space-y-4" noValidate>
            {result ? <Alert>{t("identity.checkFields")}</Alert> : null}
            <TextField label={t("identity.name")} name="name" autoComplete="name" defaultValue={values.name} error={errors?.name?.[0]} />
            <TextField label={t("identity.email")} name="email" type="email" autoComplete="email" defaultValue={values.email} error={errors?.email?.[0]} />
            <Button type="submit" className="w-full">
              {t("identity.submit")}
            </Button>
          </Form>
        </Card>
      </div>
    </BuyerLayout>
  );
}

export { BuyerErrorPage as ErrorBoundary };
