import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { EndpointActions, EndpointFailures, EndpointStateBadge } from "~/components/endpoint-status";
import { Alert, Badge, Button, Card, EmptyState, PageHeader, SelectField, TextField } from "~/components/ui";
import {
  CHAT_EVENT_LABELS,
  CHAT_EVENTS,
  CHAT_KIND_LABELS,
  CHAT_KINDS,
  chatUrlProblem,
  isChatEvent,
  isChatKind,
  maskedChannelUrl,
  type ChatEventType,
} from "~/domain/chat-alerts";
import { TEST_EVENTS_PER_MINUTE, WEBHOOK_CIRCUIT_THRESHOLD } from "~/domain/webhooks";
import { isAllowListedHost } from "~/infra/webhook-address.server";
import { checkWebhookDestination, configuredAddressPolicy } from "~/infra/webhook-transport.server";
import { createWebhookEndpoint, listChatChannels, type EndpointScope } from "~/models/webhooks.server";
import { manageEndpoint, type EndpointWords } from "~/route-helpers/endpoint-actions.server";
import { requireUser } from "~/route-helpers/guards.server";

/*
 * Slack and Teams alerts (issue 24, item 2; ADR 045). Any seller connects a channel for their own
 * plans; an administrator also connects channels for the whole organisation and sees (and may
 * remove) every rep's. A channel is a webhook endpoint of kind slack or teams.
 */

export const meta: MetaFunction = () => [{ title: "Chat alerts · Plan Together" }];
// Nothing secret is shown (channel addresses are masked), but the page is personal.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

function scopeOf(user: { id: string; role: string }): Extract<EndpointScope, { chat: true }> {
  return { chat: true, ownerId: user.role === "admin" ? null : user.id };
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const channels = await listChatChannels(context.db, user.orgId, scopeOf(user));
  return {
    admin: user.role === "admin",
    userId: user.id,
    channels: channels.map((c) => ({
      id: c.id,
      kind: c.kind,
      label: c.label ?? "",
      url: maskedChannelUrl(c.url),
      events: c.events,
      active: c.active,
      ownerId: c.owner_id,
      ownerName: c.owner_name,
      consecutiveFailures: c.consecutive_failures,
      circuitOpenUntil: iso(c.circuit_open_until),
      circuitOpenedAt: iso(c.circuit_opened_at),
      lastFailure: c.last_failure,
      pending: c.pending,
      delivered: c.delivered,
      failed: c.failed,
    })),
  };
}

type Values = { kind: string; label: string; url: string; scope: string; events: ChatEventType[] };
type Result = {
  ok: boolean;
  message: string | null;
  errors: Record<string, string>;
  values: Values | null;
  /** The channel just connected: a new key empties the form, which nothing else resets (typing in it survives the other buttons). */
  connected: string | null;
};
const result = (r: Partial<Result>, status = 200) => data({ ok: true, message: null, errors: {}, values: null, connected: null, ...r } as Result, { status });

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const admin = user.role === "admin";
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "create") {
    const values: Values = {
      kind: String(form.get("kind") ?? ""),
      label: String(form.get("label") ?? "")
        .trim()
        .slice(0, 200),
      url: String(form.get("url") ?? "")
        .trim()
        .slice(0, 2000),
      scope: String(form.get("scope") ?? "mine"),
      events: form.getAll("events").map(String).filter(isChatEvent),
    };
    const errors: Record<string, string> = {};
    if (!isChatKind(values.kind)) errors.kind = "Choose Slack or Microsoft Teams.";
    if (!values.label) errors.label = "Name the channel, like #deals-emea.";
    else if (values.label.length > 100) errors.label = "Keep the name to 100 characters.";
    if (values.scope !== "mine" && values.scope !== "organisation") errors.scope = "Choose whose plans the channel hears about.";
    else if (values.scope === "organisation" && !admin) errors.scope = "Only an administrator connects a channel for the whole organisation.";
    if (!values.events.length || form.getAll("events").length !== values.events.length) errors.events = "Pick at least one alert.";
    const policy = configuredAddressPolicy();
    let url: string | null = null;
    if (isChatKind(values.kind)) {
      const shape = chatUrlProblem(values.kind, values.url, hostAllowListed(values.url, policy));
      if (shape) errors.url = shape;
      else {
        const destination = await checkWebhookDestination(values.url, { policy });
        if (destination.ok) url = destination.url;
        else errors.url = destination.message;
      }
    }
    if (Object.keys(errors).length || !url || !isChatKind(values.kind)) return result({ ok: false, errors, values }, 400);
    const created = await createWebhookEndpoint(context.db, {
      orgId: user.orgId,
      url,
      events: values.events,
      createdBy: user.id,
      chat: { kind: values.kind, ownerId: values.scope === "organisation" ? null : user.id, label: values.label },
    });
    return result({ message: `Connected ${values.label}. Send a test message to see it arrive.`, connected: created.id });
  }
  const done = await manageEndpoint(
    context.db,
    { orgId: user.orgId, id: String(form.get("channelId") ?? ""), intent, by: user.name, now: context.now, scope: scopeOf(user) },
    CHANNEL_WORDS,
  );
  return result({ ok: done.status === 200, message: done.message }, done.status);
}

const CHANNEL_WORDS: EndpointWords = {
  thing: "channel",
  tests: "Test messages",
  done: {
    test: "Test message queued: it arrives in the channel within seconds.",
    disable: "Paused: alerts wait until you turn the channel back on.",
    enable: "On: waiting alerts go out now.",
    resume: "On: waiting alerts go out now.",
    delete: "Disconnected. Alerts that had not gone out yet were dropped.",
  },
};

function hostAllowListed(raw: string, policy: ReturnType<typeof configuredAddressPolicy>) {
  try {
    return isAllowListedHost(new URL(raw).hostname, policy);
  } catch {
    return false;
  }
}

const INTENT_LABELS = { resume: "Resume now", test: "Send test message", disable: "Turn off", enable: "Turn on", delete: "Disconnect" } as const;

export default function ChatAlertSettings() {
  const { admin, channels } = useLoaderData<typeof loader>();
  const res = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const values = res && !res.ok ? res.values : null;
  const errors = res && !res.ok ? res.errors : {};
  return (
    <>
      <PageHeader
        title="Chat alerts"
        subtitle="The moments that matter on your deals, posted to a Slack or Microsoft Teams channel, with a link to the plan."
      />
      {res?.message ? (
        <div className="mb-4">
          <Alert kind={res.ok ? "success" : "error"}>{res.message}</Alert>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <section aria-labelledby="channels-heading" className="space-y-4 lg:col-span-2">
          <h2 id="channels-heading" className="sr-only">
            Connected channels
          </h2>
          {channels.length === 0 ? (
            <EmptyState title="No channels yet">
              Connect a channel with the form: a Slack incoming webhook or a Teams workflow. {admin ? "Channels your reps connect appear here too." : ""}
            </EmptyState>
          ) : (
            channels.map((c) => (
              <Card key={c.id} className="p-4">
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <div className="min-w-0">
                    <p className="font-medium text-slate-900">
                      {c.label} <span className="text-sm font-normal text-slate-500">({isChatKind(c.kind) ? CHAT_KIND_LABELS[c.kind] : c.kind})</span>
                    </p>
                    <p className="break-all text-xs text-slate-500">{c.url}</p>
                    <p className="mt-1 text-sm text-slate-700">
                      {c.ownerId === null ? "Every plan in the organisation" : `${c.ownerName ?? "A former colleague"}'s plans`}
                    </p>
                    <div className="mt-1 flex flex-wrap gap-1">
                      <EndpointStateBadge active={c.active} paused={Boolean(c.circuitOpenedAt)} words={{ off: "Off", on: "On" }} />
                      {c.events.filter(isChatEvent).map((ev) => (
                        <Badge key={ev} tone="blue" title={ev}>
                          {CHAT_EVENT_LABELS[ev]}
                        </Badge>
                      ))}
                    </div>
                    <p className="mt-1 text-xs text-slate-500">
                      {c.delivered} sent · {c.pending} waiting · {c.failed} failed
                    </p>
                    <EndpointFailures
                      active={c.active}
                      consecutiveFailures={c.consecutiveFailures}
                      lastFailure={c.lastFailure}
                      openedAt={c.circuitOpenedAt}
                      openUntil={c.circuitOpenUntil}
                      waiting="Alerts wait (the administrators were emailed)"
                    />
                  </div>
                  <EndpointActions
                    id={c.id}
                    idField="channelId"
                    name={c.label}
                    active={c.active}
                    paused={Boolean(c.circuitOpenedAt)}
                    busy={busy}
                    labels={INTENT_LABELS}
                  />
                </div>
              </Card>
            ))
          )}
        </section>
        <Card className="p-4">
          <h2 className="text-base font-semibold text-slate-900">Connect a channel</h2>
          <Form method="post" className="mt-3 space-y-4" key={res?.connected ?? "add"}>
            <input type="hidden" name="intent" value="create" />
            <SelectField label="Service" name="kind" defaultValue={values?.kind ?? "slack"} error={errors.kind}>
              {CHAT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {CHAT_KIND_LABELS[k]}
                </option>
              ))}
            </SelectField>
            <TextField label="Channel name" name="label" required maxLength={100} placeholder="#deals-emea" defaultValue={values?.label} error={errors.label} />
            <TextField
              label="Webhook URL"
              name="url"
              type="url"
              required
              autoComplete="off"
              placeholder="https://hooks.slack.com/services/…"
              defaultValue={values?.url}
              hint="Slack: an incoming webhook (hooks.slack.com). Teams: a Workflows URL (logic.azure.com or powerplatform.com)."
              error={errors.url}
            />
            {admin ? (
              <SelectField label="Alerts about" name="scope" defaultValue={values?.scope ?? "organisation"} error={errors.scope}>
                <option value="organisation">Every plan in the organisation</option>
                <option value="mine">Only my plans</option>
              </SelectField>
            ) : (
              <input type="hidden" name="scope" value="mine" />
            )}
            <fieldset>
              <legend className="text-sm font-medium text-slate-800">Alerts</legend>
              {CHAT_EVENTS.map((ev) => (
                <label key={ev} className="mt-2 flex items-start gap-2 text-sm">
                  <input type="checkbox" name="events" value={ev} defaultChecked={values ? values.events.includes(ev) : true} className="mt-1" />
                  <span>{CHAT_EVENT_LABELS[ev]}</span>
                </label>
              ))}
              {errors.events ? <p className="mt-1 text-sm text-red-700">{errors.events}</p> : null}
            </fieldset>
            <Button type="submit" disabled={busy}>
              Connect channel
            </Button>
          </Form>
          <div className="mt-6 space-y-2 text-xs text-slate-600">
            <h3 className="font-semibold text-slate-800">How it works</h3>
            <p>
              {admin
                ? "A channel for the organisation hears about every plan; a rep's own channel only about the plans they own."
                : "Your channel hears about the plans you own."}{" "}
              Alerts are sent like webhooks: retried with growing delays, and after {WEBHOOK_CIRCUIT_THRESHOLD} failures in a row the channel is paused for a
              while. Test messages are sent once, at most {TEST_EVENTS_PER_MINUTE} a minute.
            </p>
            <p>Microsoft retired Office 365 connectors in Teams: use the Workflows app&apos;s &ldquo;when a webhook request is received&rdquo; flow.</p>
          </div>
        </Card>
      </div>
    </>
  );
}
