import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { MomentText } from "~/components/date-text";
import { FlashStatus, useResetKey } from "~/components/flash-status";
import { Alert, Badge, Button, Card, EmptyState, PageHeader, SelectField, TableHead, TextField } from "~/components/ui";
import { parseSsoSettings, type SsoSettingsErrors, type SsoSettingsInput } from "~/domain/sso";
import { getSsoConnection, listSsoEvents, removeSsoConnection, saveSsoConnection, SsoDomainTakenError } from "~/models/sso.server";
import { redirectWithFlash, takeFlash } from "~/route-helpers/flash.server";
import { requireAdmin } from "~/route-helpers/guards.server";
import { ssoRedirectUri } from "~/route-helpers/sso.server";

/*
 * Single sign-on settings (ADR 044), administrators only: the identity provider's issuer, client
 * id and secret (stored encrypted, never shown back: "set", and a field to replace it), the email
 * domains that sign in through it, whether passwords are off, the role of people it creates, and
 * the log of changes and sign-ins.
 */
export const meta: MetaFunction = () => [{ title: "Single sign-on · Plan Together" }];

const PAGE = "/settings/sso";
const FLASH_TARGET = "sso";

export async function loader({ context, request }: LoaderFunctionArgs) {
  const admin = requireAdmin(context, request);
  const connection = await getSsoConnection(context.db, admin.orgId);
  const events = await listSsoEvents(context.db, admin.orgId);
  const { flash, headers } = takeFlash(context, request, PAGE);
  return data(
    {
      now: context.now.toISOString(),
      redirectUri: ssoRedirectUri(),
      connection: connection ? { ...connection, updatedAt: connection.updatedAt.toISOString() } : null,
      events: events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
      flash,
    },
    { headers },
  );
}

type Values = Omit<SsoSettingsInput, "clientSecret">;

export async function action({ context, request }: ActionFunctionArgs) {
  const admin = requireAdmin(context, request);
  const form = await request.formData();
  const text = (name: string) => (typeof form.get(name) === "string" ? String(form.get(name)) : "");
  const intent = text("intent");
  if (intent === "remove") {
    const removed = await removeSsoConnection(context.db, { orgId: admin.orgId, actorName: admin.name, now: context.now });
    const notice = removed ? "Single sign-on is off: everyone signs in with their password again." : "Single sign-on was not set up.";
    return redirectWithFlash(context, PAGE, { target: FLASH_TARGET, message: notice });
  }
  const values: Values = {
    issuer: text("issuer"),
    clientId: text("clientId"),
    domains: text("domains"),
    required: text("required") === "on",
    defaultRole: text("defaultRole"),
  };
  const refuse = (errors: SsoSettingsErrors & { form?: string }) => data({ values, errors }, { status: 400 });
  if (intent !== "save") return refuse({ form: "Unknown action; reload the page and try again." });
  const existing = await getSsoConnection(context.db, admin.orgId);
  const parsed = parseSsoSettings({ ...values, clientSecret: text("clientSecret") }, existing?.hasSecret ?? false);
  if (!parsed.ok) return refuse(parsed.errors);
  try {
    await saveSsoConnection(context.db, { orgId: admin.orgId, settings: parsed.value, actorName: admin.name, now: context.now });
  } catch (error) {
    if (error instanceof SsoDomainTakenError) return refuse({ domains: `${error.domain} already signs in to another organisation; remove it from the list.` });
    throw error;
  }
  const notice = parsed.value.required
    ? "Saved. Single sign-on is mandatory: passwords are off for your organisation."
    : "Saved. People in these domains can now continue with single sign-on.";
  return redirectWithFlash(context, PAGE, { target: FLASH_TARGET, message: notice });
}

const EVENT_LABELS = { configured: "Settings saved", removed: "Turned off", "signed-in": "Signed in", created: "First sign-in", refused: "Refused" } as const;

export default function SsoSettings() {
  const { now, redirectUri, connection, events, flash } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const formKey = useResetKey(flash, FLASH_TARGET);
  const errors: SsoSettingsErrors & { form?: string } = result?.errors ?? {};
  const values: Values = result?.values ?? {
    issuer: connection?.issuer ?? "",
    clientId: connection?.clientId ?? "",
    domains: connection?.domains.join(", ") ?? "",
    required: connection?.required ?? false,
    defaultRole: connection?.defaultRole ?? "rep",
  };

  return (
    <>
      <PageHeader
        title="Single sign-on"
        subtitle="Let your team sign in through your identity provider (Okta, Entra ID, Google Workspace, Keycloak or any OpenID Connect provider)."
      />
      <FlashStatus flash={flash} target={FLASH_TARGET} className="mb-4" />
      {errors.form ? (
        <div className="mb-4">
          <Alert>{errors.form}</Alert>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="p-5 lg:col-span-2">
          <h2 className="text-base font-semibold text-slate-900">Identity provider</h2>
          <p className="mt-1 text-sm text-slate-600">
            Register this app at your provider as a web application (authorization code flow) with the redirect URI{" "}
            <code className="break-all rounded bg-slate-100 px-1 py-0.5 text-slate-800">{redirectUri}</code>, and scopes openid, email and profile.
          </p>
          <Form method="post" key={formKey} className="mt-4 space-y-4" noValidate>
            <input type="hidden" name="intent" value="save" />
            <TextField
              label="Issuer URL"
              name="issuer"
              type="url"
              required
              defaultValue={values.issuer}
              error={errors.issuer}
              hint="e.g. https://login.example.com/realms/acme"
            />
            <TextField label="Client id" name="clientId" required defaultValue={values.clientId} error={errors.clientId} autoComplete="off" />
            <TextField
              label="Client secret"
              name="clientSecret"
              type="password"
              autoComplete="new-password"
              error={errors.clientSecret}
              hint={
                connection?.hasSecret
                  ? "A secret is set (stored encrypted, never shown). Enter a new one to replace it, or leave this empty to keep it."
                  : "Stored encrypted, and never shown again."
              }
            />
            <TextField
              label="Email domains"
              name="domains"
              required
              defaultValue={values.domains}
              error={errors.domains}
              hint="Addresses in these domains are sent to your provider from the sign-in page. Separate domains with commas."
            />
            <SelectField label="Role of people signing in for the first time" name="defaultRole" defaultValue={values.defaultRole} error={errors.defaultRole}>
              <option value="rep">Rep</option>
              <option value="manager">Manager</option>
            </SelectField>
            <div className="flex items-start gap-2">
              <input id="sso-required" type="checkbox" name="required" defaultChecked={values.required} className="mt-1 h-4 w-4 rounded border-slate-300" />
              <label htmlFor="sso-required" className="text-sm text-slate-700">
                <span className="font-medium text-slate-900">Make single sign-on mandatory.</span> Passwords and password resets are turned off for everyone in
                your organisation; API tokens keep working.
              </label>
            </div>
            <Button type="submit" disabled={busy}>
              {busy ? "Saving…" : "Save"}
            </Button>
          </Form>
        </Card>
        <Card className="p-5">
          <h2 className="text-base font-semibold text-slate-900">Status</h2>
          {connection ? (
            <div className="mt-2 space-y-3 text-sm text-slate-700">
              <p>
                <Badge tone="green">On</Badge> {connection.required ? <Badge tone="amber">Mandatory</Badge> : <Badge>Passwords allowed</Badge>}
              </p>
              <p>
                Last changed <MomentText iso={connection.updatedAt} now={now} />.
              </p>
              <p>Deactivating someone on the Team page ends their sessions at once, whatever the identity provider says.</p>
              <Form method="post">
                <input type="hidden" name="intent" value="remove" />
                <Button type="submit" kind="danger" disabled={busy}>
                  Turn off single sign-on
                </Button>
              </Form>
            </div>
          ) : (
            <p className="mt-2 text-sm text-slate-600">Off: everyone signs in with a password.</p>
          )}
        </Card>
      </div>
      <section className="mt-8" aria-labelledby="sso-log">
        <h2 id="sso-log" className="mb-3 text-base font-semibold text-slate-900">
          Log
        </h2>
        {events.length === 0 ? (
          <EmptyState title="Nothing yet">Changes to these settings and every sign-in through your identity provider will be listed here.</EmptyState>
        ) : (
          <Card className="overflow-x-auto">
            <table className="min-w-full text-sm">
              <TableHead columns={["When", "What", "Who", "Details"]} dense />
              <tbody className="divide-y divide-slate-100">
                {events.map((e) => (
                  <tr key={e.id}>
                    <td className="whitespace-nowrap px-4 py-2 text-slate-600">
                      <MomentText iso={e.at} now={now} />
                    </td>
                    <td className="whitespace-nowrap px-4 py-2">{EVENT_LABELS[e.kind]}</td>
                    <td className="px-4 py-2 break-all">{e.actorName}</td>
                    <td className="px-4 py-2 text-slate-600">{e.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        )}
      </section>
    </>
  );
}
