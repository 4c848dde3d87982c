import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { EndpointActions, EndpointFailures, EndpointStateBadge } from "~/components/endpoint-status";
import { Alert, Badge, Button, Card, EmptyState, PageHeader, TextField } from "~/components/ui";
import { REPLAY_WINDOW_SECONDS, SIGNATURE_HEADER, WEBHOOK_EVENT_LABELS, WEBHOOK_EVENTS, isWebhookEvent } from "~/domain/webhook-events";
import { TEST_EVENTS_PER_MINUTE, WEBHOOK_CIRCUIT_THRESHOLD } from "~/domain/webhooks";
import { createWebhookEndpoint, listWebhookEndpoints, WEBHOOKS_ONLY } from "~/models/webhooks.server";
import { manageEndpoint, type EndpointWords } from "~/route-helpers/endpoint-actions.server";
import { requireAdmin } from "~/route-helpers/guards.server";
import { checkWebhookDestination, configuredAddressPolicy } from "~/infra/webhook-transport.server";

export const meta: MetaFunction = () => [{ title: "Webhooks · Plan Together" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const admin = requireAdmin(context, request);
  const endpoints = await listWebhookEndpoints(context.db, admin.orgId);
  const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
  return {
    endpoints: endpoints.map((e) => ({
      ...e,
      created_at: iso(e.created_at)!,
      circuit_open_until: iso(e.circuit_open_until),
      circuit_opened_at: iso(e.circuit_opened_at),
    })),
  };
}

type Result = {
  ok: boolean;
  message: string | null;
  secret: { url: string; value: string } | null;
  errors: Record<string, string>;
  /** What a refused "add endpoint" form said, to show it again. */
  values: { url: string; events: string[] } | null;
};

const result = (r: Partial<Result>, status = 200) => data({ ok: true, message: null, secret: null, errors: {}, values: null, ...r } as Result, { status });

export async function action({ context, request }: ActionFunctionArgs) {
  const admin = requireAdmin(context, request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "create") {
    const rawUrl = String(form.get("url") ?? "").slice(0, 2000);
    const url = await checkWebhookDestination(rawUrl, { policy: configuredAddressPolicy() });
    const events = form.getAll("events").map(String);
    const errors: Record<string, string> = {};
    if (!url.ok) errors.url = url.message;
    if (!events.length || !events.every(isWebhookEvent)) errors.events = "Pick at least one event.";
    if (!url.ok || errors.events) return result({ ok: false, errors, values: { url: rawUrl, events: events.filter(isWebhookEvent) } }, 400);
    const created = await createWebhookEndpoint(context.db, { orgId: admin.orgId, url: url.url, events: events.filter(isWebhookEvent), createdBy: admin.id });
    return result({ secret: { url: created.url, value: created.secret } });
  }
  const done = await manageEndpoint(
    context.db,
    { orgId: admin.orgId, id: String(form.get("endpointId") ?? ""), intent, by: admin.name, now: context.now, scope: WEBHOOKS_ONLY },
    ENDPOINT_WORDS,
  );
  return result({ ok: done.status === 200, message: done.message }, done.status);
}

const ENDPOINT_WORDS: EndpointWords = {
  thing: "endpoint",
  tests: "Test events",
  done: {
    test: "Test event queued: it appears in the endpoint's delivery log within seconds.",
    resume: "Resumed: waiting deliveries go out now.",
    enable: "Enabled: waiting deliveries go out again.",
    disable: "Disabled: deliveries wait until you enable it again.",
    delete: "Deleted, with its delivery log.",
  },
};

const INTENT_LABELS = { resume: "Resume now", test: "Send test event", disable: "Disable", enable: "Enable", delete: "Delete" } as const;

export default function WebhookSettings() {
  const { endpoints } = useLoaderData<typeof loader>();
  const res = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <PageHeader title="Webhooks" subtitle="Tell your CRM the moment a customer's date moves." />
      {res?.message ? (
        <div className="mb-4">
          <Alert kind={res.ok ? "success" : "error"}>{res.message}</Alert>
        </div>
      ) : null}
      {res?.secret ? (
        <div className="mb-6">
          <Alert kind="success">
            <p className="font-medium">Endpoint added. Its signing secret is shown only once: store it with your receiver.</p>
            <label htmlFor="new-secret" className="sr-only">
              Signing secret
            </label>
            <input
              id="new-secret"
              readOnly
              value={res.secret.value}
              className="mt-2 w-full rounded-md border-0 bg-white px-2 py-1.5 font-mono text-sm ring-1 ring-inset ring-slate-300"
            />
          </Alert>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          {endpoints.length === 0 ? (
            <EmptyState title="No endpoints yet">Add the address your CRM (or a middleware like Zapier) receives events at.</EmptyState>
          ) : (
            endpoints.map((e) => (
              <Card key={e.id} className="p-4">
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <div className="min-w-0">
                    <Link to={`/settings/webhooks/${e.id}`} className="break-all font-medium text-brand-700 underline">
                      {e.url}
                    </Link>
                    <div className="mt-1 flex flex-wrap gap-1">
                      <EndpointStateBadge active={e.active} paused={Boolean(e.circuit_opened_at)} words={{ off: "Disabled", on: "Active" }} />
                      {e.events.map((ev) => (
                        <Badge key={ev} tone="blue">
                          {ev}
                        </Badge>
                      ))}
                    </div>
                    <p className="mt-1 text-xs text-slate-500">
                      {e.delivered} delivered · {e.pending} waiting · {e.failed} failed
                    </p>
                    <EndpointFailures
                      active={e.active}
                      consecutiveFailures={e.consecutive_failures}
                      lastFailure={e.last_failure}
                      openedAt={e.circuit_opened_at}
                      openUntil={e.circuit_open_until}
                      waiting="Deliveries wait (your administrators were emailed)"
                    />
                  </div>
                  <EndpointActions
                    id={e.id}
                    idField="endpointId"
                    name={e.url}
                    active={e.active}
                    paused={Boolean(e.circuit_opened_at)}
                    busy={busy}
                    labels={INTENT_LABELS}
                  />
                </div>
              </Card>
            ))
          )}
        </div>
        <Card className="p-4">
          <h2 className="text-base font-semibold text-slate-900">Add an endpoint</h2>
          <Form method="post" className="mt-3 space-y-4">
            <input type="hidden" name="intent" value="create" />
            <TextField
              key={res?.secret ? res.secret.value : "add"}
              label="Address"
              name="url"
              type="url"
              required
              placeholder="https://crm.example.com/hooks/plan-together"
              defaultValue={res?.values?.url}
              hint="An https address on the public internet."
              error={res && !res.ok ? res.errors.url : undefined}
            />
            <fieldset>
              <legend className="text-sm font-medium text-slate-800">Events</legend>
              {WEBHOOK_EVENTS.map((ev) => (
                <label key={ev} className="mt-2 flex items-start gap-2 text-sm">
                  <input type="checkbox" name="events" value={ev} defaultChecked={res?.values ? res.values.events.includes(ev) : true} className="mt-1" />
                  <span>
                    <code>{ev}</code>
                    <br />
                    <span className="text-xs text-slate-500">{WEBHOOK_EVENT_LABELS[ev]}</span>
                  </span>
                </label>
              ))}
              {res && !res.ok && res.errors.events ? <p className="mt-1 text-sm text-red-700">{res.errors.events}</p> : null}
            </fieldset>
            <Button type="submit" disabled={busy}>
              Add endpoint
            </Button>
          </Form>
          <div className="mt-6 space-y-2 text-xs text-slate-600">
            <h3 className="font-semibold text-slate-800">Verifying deliveries</h3>
            <p>
              Each delivery is a JSON POST <code>{"{id, type, createdAt, data}"}</code> with the header{" "}
              <code>{SIGNATURE_HEADER}: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>.
            </p>
            <p>
              Compute HMAC-SHA256 with the endpoint&apos;s secret over <code>&lt;t&gt;.&lt;raw body&gt;</code>, compare it with <code>v1</code> in constant
              time, and refuse the delivery if <code>t</code> is more than {REPLAY_WINDOW_SECONDS / 60} minutes from your clock.
            </p>
            <p>
              Answer 2xx within 10 seconds to accept; redirects are not followed. Anything else is retried with growing delays; each plan&apos;s events arrive
              in order. De-duplicate on <code>id</code>.
            </p>
            <p>
              After {WEBHOOK_CIRCUIT_THRESHOLD} failures in a row an endpoint is paused: its deliveries wait, one is tried again after a growing pause, and
              administrators get an email. Test events are sent once, at most {TEST_EVENTS_PER_MINUTE} a minute.
            </p>
          </div>
        </Card>
      </div>
    </>
  );
}
