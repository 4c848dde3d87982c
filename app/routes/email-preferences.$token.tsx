import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, isRouteErrorResponse, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { BuyerLayout } from "~/components/buyer-layout";
import { Alert, Button, Card } from "~/components/ui";
import { KINDS, kindsFor, preferencesFromForm, wants, type NotificationKind } from "~/domain/notifications";
import { getPreferences, readPreferenceToken, savePreferences, unsubscribeAll } from "~/models/email-preferences.server";
import { getOrganisation } from "~/models/organisation.server";
import { keptLocaleForEmail } from "~/models/buyer-locale.server";
import { buyerLocale, buyerMessages, buyerTranslator } from "~/route-helpers/buyer-locale.server";
import { I18nProvider } from "~/components/i18n";
import { T, useT } from "~/components/i18n-context";
import type { Locale } from "~/domain/i18n/locales";

/*
 * /email-preferences/<token>: the link at the bottom of every email, and its List-Unsubscribe
 * target. No login: the signed token names the one recipient it may change. GET shows a toggle
 * per kind of email; POST saves them; a POST with `List-Unsubscribe=One-Click` (RFC 8058, what
 * mail clients send) or the page's own button unsubscribes from everything.
 */

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "Email preferences · Plan Together" },
  { name: "robots", content: "noindex" },
];
// Referrer-Policy (same-origin: see ADR 010) and X-Robots-Tag come from the HTTP layer.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

async function recipient(context: LoaderFunctionArgs["context"], token: string | undefined) {
  const scope = readPreferenceToken(token);
  const org = scope ? await getOrganisation(context.db, scope.orgId) : undefined;
  if (!scope || !org)
    throw new Response("This link is not valid. Use the link at the bottom of a recent email.", { status: 404, headers: { "X-Robots-Tag": "noindex" } });
  return { scope, org };
}

/** A buyer reads the page in their kept language, else their browser's (ADR 046); a seller in English. */
async function readerLocale(
  context: LoaderFunctionArgs["context"],
  request: Request,
  scope: { orgId: string; email: string; audience: string },
): Promise<Locale> {
  if (scope.audience !== "buyer") return "en";
  return buyerLocale(request, await keptLocaleForEmail(context.db, scope.orgId, scope.email));
}

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { scope, org } = await recipient(context, params.token);
  const [prefs, locale] = await Promise.all([getPreferences(context.db, scope.orgId, scope.email), readerLocale(context, request, scope)]);
  const { t } = buyerTranslator(locale);
  // The kinds a buyer gets are worded in the buyer's messages; the seller's list stays the app's English.
  const words = (kind: NotificationKind) =>
    scope.audience === "buyer"
      ? { label: t(`preferences.kinds.${kind}.label`), description: t(`preferences.kinds.${kind}.description`) }
      : { label: KINDS[kind].label, description: KINDS[kind].description };
  return {
    locale,
    // A seller's page needs none: outside a provider the components read English (english.ts).
    messages: scope.audience === "buyer" ? buyerMessages(locale) : null,
    title: t("preferences.title"),
    email: scope.email,
    sender: org.name,
    unsubscribedAll: prefs?.unsubscribedAll ?? false,
    kinds: kindsFor(scope.audience).map((kind) => ({
      kind,
      ...words(kind),
      on: wants(prefs ? { ...prefs, unsubscribedAll: false } : null, kind, scope.audience),
    })),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { scope } = await recipient(context, params.token);
  const { t } = buyerTranslator(await readerLocale(context, request, scope));
  const form = await request.formData();
  if (form.get("List-Unsubscribe") === "One-Click" || form.get("intent") === "unsubscribe-all") {
    await unsubscribeAll(context.db, scope.orgId, scope.email, context.now);
    return data({ message: t("preferences.unsubscribed") });
  }
  if (form.get("intent") !== "save") return data({ message: t("preferences.nothingToDo") }, { status: 400 });
  const checked = new Set(form.getAll("kind").map(String));
  await savePreferences(context.db, scope.orgId, scope.email, preferencesFromForm(scope.audience, checked), context.now);
  return data({ message: t("preferences.saved") });
}

export default function EmailPreferences() {
  const { locale, messages } = useLoaderData<typeof loader>();
  if (!messages) return <PreferencesPage />;
  return (
    <I18nProvider locale={locale} messages={messages}>
      <PreferencesPage />
    </I18nProvider>
  );
}

function PreferencesPage() {
  const { t } = useT();
  const { locale, email, sender, kinds, unsubscribedAll } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <BuyerLayout lang={locale}>
      <div className="mx-auto max-w-lg py-6">
        <Card className="p-6">
          <h1 className="text-xl font-semibold text-slate-900">{t("preferences.heading")}</h1>
          <p className="mt-1 text-sm text-slate-600">
            <T k="preferences.intro" values={{ sender }} slots={{ email: <span className="font-medium text-slate-800">{email}</span> }} />
          </p>
          <div className="mt-4 space-y-3">
            {result ? <Alert kind="success">{result.message}</Alert> : null}
            {unsubscribedAll && !result ? <Alert kind="info">{t("preferences.unsubscribedAll")}</Alert> : null}
          </div>
          <Form key={`${unsubscribedAll}:${kinds.map((k) => +k.on).join("")}`} method="post" className="mt-5 space-y-4">
            <input type="hidden" name="intent" value="save" />
            <fieldset className="space-y-3">
              <legend className="sr-only">{t("preferences.legend")}</legend>
              {kinds.map((k) => (
                <label key={k.kind} className="flex gap-3 rounded-md p-2 ring-1 ring-slate-200 hover:bg-slate-50">
                  <input
                    type="checkbox"
                    name="kind"
                    value={k.kind}
                    defaultChecked={k.on && !unsubscribedAll}
                    className="mt-1 h-4 w-4 shrink-0 accent-brand-600"
                  />
                  <span>
                    <span className="block text-sm font-medium text-slate-900">{k.label}</span>
                    <span className="block text-xs text-slate-600">{k.description}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            <Button type="submit" disabled={busy}>
              {t("preferences.save")}
            </Button>
          </Form>
          <Form method="post" className="mt-6 border-t border-slate-200 pt-4">
            <input type="hidden" name="intent" value="unsubscribe-all" />
            <Button type="submit" kind="danger" disabled={busy}>
              {t("preferences.unsubscribe")}
            </Button>
          </Form>
        </Card>
      </div>
    </BuyerLayout>
  );
}

/** English: a link that names nobody (or any error) tells no reader's language. */
export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useT();
  const invalid = isRouteErrorResponse(error) && error.status === 404;
  return (
    <BuyerLayout>
      <div className="mx-auto max-w-md py-16 text-center">
        <h1 className="text-xl font-semibold text-slate-900">{invalid ? t("preferences.invalid.heading") : t("errors.unexpected.heading")}</h1>
        <p className="mt-3 text-sm text-slate-600">{invalid ? t("preferences.invalid.body") : "Please try again in a moment."}</p>
      </div>
    </BuyerLayout>
  );
}
