import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, isRouteErrorResponse, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { BuyerLayout } from "~/components/buyer-layout";
import { Alert, Button, Card } from "~/components/ui";
import { KINDS, kindsFor, preferencesFromForm, wants } from "~/domain/notifications";
import { getPreferences, readPreferenceToken, savePreferences, unsubscribeAll } from "~/models/email-preferences.server";
import { getOrganisation } from "~/models/organisation.server";

/*
 * /email-preferences/<token>: the link at the bottom of every email, and its List-Unsubscribe
 * target. No login: the signed token names the one recipient it may change. GET shows a toggle
 * per kind of email; POST saves them; a POST with `List-Unsubscribe=One-Click` (RFC 8058, what
 * mail clients send) or the page's own button unsubscribes from everything.
 */

export const meta: MetaFunction = () => [{ title: "Email preferences · Plan Together" }, { name: "robots", content: "noindex" }];
// Referrer-Policy (same-origin: see ADR 010) and X-Robots-Tag come from the HTTP layer.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

async function recipient(context: LoaderFunctionArgs["context"], token: string | undefined) {
  const scope = readPreferenceToken(token);
  const org = scope ? await getOrganisation(context.db, scope.orgId) : undefined;
  if (!scope || !org)
    throw new Response("This link is not valid. Use the link at the bottom of a recent email.", { status: 404, headers: { "X-Robots-Tag": "noindex" } });
  return { scope, org };
}

export async function loader({ context, params }: LoaderFunctionArgs) {
  const { scope, org } = await recipient(context, params.token);
  const prefs = await getPreferences(context.db, scope.orgId, scope.email);
  return {
    email: scope.email,
    sender: org.name,
    unsubscribedAll: prefs?.unsubscribedAll ?? false,
    kinds: kindsFor(scope.audience).map((kind) => ({
      kind,
      label: KINDS[kind].label,
      description: KINDS[kind].description,
      on: wants(prefs ? { ...prefs, unsubscribedAll: false } : null, kind, scope.audience),
    })),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { scope } = await recipient(context, params.token);
  const form = await request.formData();
  if (form.get("List-Unsubscribe") === "One-Click" || form.get("intent") === "unsubscribe-all") {
    await unsubscribeAll(context.db, scope.orgId, scope.email, context.now);
    return data({ message: "You are unsubscribed: no more emails from Plan Together to this address." });
  }
  if (form.get("intent") !== "save") return data({ message: "Nothing to do." }, { status: 400 });
  const checked = new Set(form.getAll("kind").map(String));
  await savePreferences(context.db, scope.orgId, scope.email, preferencesFromForm(scope.audience, checked), context.now);
  return data({ message: "Saved. You will only get the emails you kept on." });
}

export default function EmailPreferences() {
  const { email, sender, kinds, unsubscribedAll } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <BuyerLayout>
      <div className="mx-auto max-w-lg py-6">
        <Card className="p-6">
          <h1 className="text-xl font-semibold text-slate-900">Email preferences</h1>
          <p className="mt-1 text-sm text-slate-600">
            For <span className="font-medium text-slate-800">{email}</span>. Choose the emails you want from {sender}&apos;s plans.
          </p>
          <div className="mt-4 space-y-3">
            {result ? <Alert kind="success">{result.message}</Alert> : null}
            {unsubscribedAll && !result ? (
              <Alert kind="info">You are unsubscribed from all emails. Saving your choices below turns the ones you keep back on.</Alert>
            ) : null}
          </div>
          <Form key={`${unsubscribedAll}:${kinds.map((k) => +k.on).join("")}`} method="post" className="mt-5 space-y-4">
            <input type="hidden" name="intent" value="save" />
            <fieldset className="space-y-3">
              <legend className="sr-only">Emails you get</legend>
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
              Save my choices
            </Button>
          </Form>
          <Form method="post" className="mt-6 border-t border-slate-200 pt-4">
            <input type="hidden" name="intent" value="unsubscribe-all" />
            <Button type="submit" kind="danger" disabled={busy}>
              Unsubscribe from all
            </Button>
          </Form>
        </Card>
      </div>
    </BuyerLayout>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const invalid = isRouteErrorResponse(error) && error.status === 404;
  return (
    <BuyerLayout>
      <div className="mx-auto max-w-md py-16 text-center">
        <h1 className="text-xl font-semibold text-slate-900">{invalid ? "This link is not valid" : "Something went wrong"}</h1>
        <p className="mt-3 text-sm text-slate-600">
          {invalid ? "Use the preferences link at the bottom of a recent email from Plan Together." : "Please try again in a moment."}
        </p>
      </div>
    </BuyerLayout>
  );
}
